/**
 * `npm run bench:swap`: does a model swap stall the service? A server on a database holding the
 * 1M-interaction synthetic log (`bench-store.ts`) serves the trained bench model
 * (`trained-artifact.ts`, 100,000 items × 64, shared with bench:serve); two copies of it are
 * registered as versions and the bench activates one, then the other, as a promotion would.
 *
 * 1. Memory: `--rss-swaps` (20) swaps without load; after each the bench waits out the release
 *    grace, the server (run with `--expose-gc`) collects garbage and reports its RSS. Printed:
 *    RSS after the first load, after 2 swaps and after 20.
 * 2. Latency: an open loop (`http-load.ts`: latency counted from each request's scheduled time, so
 *    a stall counts against every request due during it) of `--rate` (500) requests/s for
 *    `--seconds` (60), similar items and user recommendations alternately, with `--swaps` (3)
 *    swaps evenly spread. Printed: p50/p99/max and errors over the run and within ±1 s of each
 *    swap (from 1 s before it was triggered to 1 s after the server switched), and what the
 *    server reported of each load (total time; longest stretch the serving thread was held).
 *
 * Targets (issue 19): p99 < 50 ms across the swaps, 0 errors, RSS after 20 swaps within 10 % of after 2.
 *
 * The server inherits this process's environment: `MALLOC_MMAP_THRESHOLD_=131072` fixes glibc's
 * mmap threshold, which otherwise rises to the size of the largest block freed (up to 32 MiB), so
 * that the next version's 25 MiB arrays and HNSW graph come from heaps that are not given back to
 * the system when freed: without the native addon's `malloc_trim` (which the server runs after it
 * releases a version, and again when the collector has freed that version's arrays) RSS climbs by
 * about a version a swap while the V8 heap and the external memory stay flat. The title says
 * whether it was set.
 *
 *   npm run build && npm run bench:swap -- [--seconds 60] [--rate 500] [--interactions 1000000] [--swaps 3] [--rss-swaps 20]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { RELEASE_GRACE_MS } from '../src/serve/index.js';
import { activateModel, openStore } from '../src/store/index.js';
import { ARTIFACT_FILES } from '../src/model/artifact/artifact-layout.js';
import { createRng } from '../src/common/rng.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { benchShape, ensureBenchStore, registerArtifactCopy } from './bench-store.js';
import { openLoop } from './http-load.js';
import { ensureTrainedArtifact } from './trained-artifact.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    rate: { type: 'string', default: '500' },
    interactions: { type: 'string', default: '1000000' },
    swaps: { type: 'string', default: '3' },
    'rss-swaps': { type: 'string', default: '20' },
  },
});
const seconds = Number(values.seconds);
const rate = Number(values.rate);
const interactions = Number(values.interactions);
const swaps = Number(values.swaps);
const rssSwaps = Number(values['rss-swaps']);
const VERSIONS = ['swap-a', 'swap-b'] as const;

interface SwapEvent {
  readonly version: string;
  readonly load: {
    readonly preparedOn: string;
    readonly totalMs: number;
    readonly longestBlockMs: number;
    readonly serveThreadMs: number;
    readonly prepareMs: Record<string, number>;
  };
}
type ServerMessage =
  | { type: 'listening'; url: string }
  | { type: 'swap'; event: SwapEvent }
  | { type: 'log'; event: unknown }
  | { type: 'rss'; rss: number; heapUsed: number; external: number; arrayBuffers: number };

/** The server child and a way to wait for its next message of a type. */
class ServerChild {
  private readonly waiting: { type: string; resolve: (m: ServerMessage) => void }[] = [];
  readonly swapEvents: SwapEvent[] = [];

  constructor(readonly child: ChildProcess) {
    child.on('message', (raw) => {
      const m = raw as ServerMessage;
      if (m.type === 'swap') this.swapEvents.push(m.event);
      if (m.type === 'log') console.error('server:', JSON.stringify(m.event));
      const at = this.waiting.findIndex((w) => w.type === m.type);
      if (at >= 0) this.waiting.splice(at, 1)[0].resolve(m);
    });
  }

  next<T extends ServerMessage['type']>(type: T): Promise<Extract<ServerMessage, { type: T }>> {
    return new Promise((resolve) => this.waiting.push({ type, resolve: resolve as (m: ServerMessage) => void }));
  }

  send(m: { type: 'rss' | 'sync' | 'stop' }): void {
    this.child.send(m);
  }
}

const mib = (bytes: number): number => Number((bytes / 2 ** 20).toFixed(1));
const ms = (x: number): number => Number(x.toFixed(1));

function summary(latencies: number[]): { p50: number; p99: number; max: number } {
  const sorted = Float64Array.from(latencies).sort();
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN;
  return { p50: ms(at(0.5)), p99: ms(at(0.99)), max: ms(sorted.at(-1) ?? NaN) };
}

const { items: numItems, users: numUsers } = benchShape(interactions);
const artifact = await ensureTrainedArtifact(numItems, numUsers);
const dbPath = await ensureBenchStore(interactions);
const store = await openStore(dbPath);
for (const v of VERSIONS) await registerArtifactCopy(store, dbPath, artifact, v);
await activateModel(store, VERSIONS[0]);
let active = 0;

const itemIds = JSON.parse(readFileSync(path.join(artifact, ARTIFACT_FILES.itemIds), 'utf8')) as string[];
const userIds = JSON.parse(readFileSync(path.join(artifact, ARTIFACT_FILES.userIds), 'utf8')) as string[];
const rng = createRng(7);
const paths = Array.from({ length: 5000 }, (_, i) =>
  i % 2 === 0
    ? `/v1/items/${encodeURIComponent(itemIds[rng.int(itemIds.length)])}/similar?k=10`
    : `/v1/users/${encodeURIComponent(userIds[rng.int(userIds.length)])}/recommendations?k=10`,
);

const script = path.join(path.dirname(fileURLToPath(import.meta.url)), 'swap-server.js');
const server = new ServerChild(fork(script, [dbPath, '100'], { execArgv: ['--expose-gc'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
const exited = new Promise<never>((_, reject) => server.child.once('exit', (code) => reject(new Error(`the server exited with ${code}`))));
exited.catch(() => {}); // it does exit, at the end: only a race that is still waiting cares
const firstLoad = server.next('swap');
const { url } = await Promise.race([server.next('listening'), exited]);
await Promise.race([firstLoad, exited]);

/** Activates the other version, has the server check at once, and resolves when it serves it. */
async function swap(): Promise<SwapEvent> {
  active = 1 - active;
  const served = server.next('swap');
  await activateModel(store, VERSIONS[active]);
  server.send({ type: 'sync' });
  const { event } = await Promise.race([served, exited]);
  if (event.version !== VERSIONS[active]) throw new Error(`the server switched to ${event.version}, not ${VERSIONS[active]}`);
  return event;
}

async function rssNow(): Promise<number> {
  await new Promise((r) => setTimeout(r, RELEASE_GRACE_MS + 250));
  const reply = server.next('rss');
  server.send({ type: 'rss' });
  const m = await Promise.race([reply, exited]);
  process.stderr.write(`memory (MiB): rss ${mib(m.rss)}, V8 heap ${mib(m.heapUsed)}, external ${mib(m.external)}, array buffers ${mib(m.arrayBuffers)}\n`);
  return m.rss;
}

const rows: BenchCell[][] = [];
try {
  // 1. Memory over swaps, without load.
  const rssAtStart = await rssNow();
  const rssAfter = new Map<number, number>();
  const quiet: SwapEvent[] = [];
  for (let s = 1; s <= rssSwaps; s++) {
    quiet.push(await swap());
    if (s === 2 || s === rssSwaps) rssAfter.set(s, await rssNow());
    else if (process.env['SWAP_BENCH_EVERY_RSS'] === '1') await rssNow();
    process.stderr.write(`swap ${s}/${rssSwaps}: load ${quiet.at(-1)!.load.totalMs} ms, longest block ${quiet.at(-1)!.load.longestBlockMs} ms\n`);
  }

  // 2. Latency under load with swaps.
  const records: { due: number; latency: number; status: number }[] = [];
  const t0 = performance.now();
  const load = openLoop(url, paths, rate, seconds, (due, latency, status) => records.push({ due, latency, status }));
  const windows: { triggered: number; done: number; event: SwapEvent }[] = [];
  for (let s = 1; s <= swaps; s++) {
    const at = t0 + (s * seconds * 1000) / (swaps + 1);
    await new Promise((r) => setTimeout(r, Math.max(0, at - performance.now())));
    const triggered = performance.now();
    const event = await swap();
    windows.push({ triggered, done: performance.now(), event });
  }
  const whole = await load;
  const all = summary(records.filter((r) => r.status === 200).map((r) => r.latency));
  rows.push([`whole run, ${swaps} swaps`, records.length, whole.errors, all.p50, all.p99, all.max, null, null, null]);
  const inAnyWindow: number[] = [];
  let windowErrors = 0;
  windows.forEach((w, i) => {
    const inside = records.filter((r) => r.due >= w.triggered - 1000 && r.due <= w.done + 1000);
    const ok = inside.filter((r) => r.status === 200).map((r) => r.latency);
    const errors = inside.length - ok.length;
    inAnyWindow.push(...ok);
    windowErrors += errors;
    const s = summary(ok);
    rows.push([`swap ${i + 1} ±1 s`, inside.length, errors, s.p50, s.p99, s.max, ms(w.event.load.totalMs), ms(w.event.load.longestBlockMs), null]);
  });
  const across = summary(inAnyWindow);
  rows.push(['all swap windows', inAnyWindow.length + windowErrors, windowErrors, across.p50, across.p99, across.max, null, null, null]);
  const blocks = quiet.map((e) => e.load.longestBlockMs);
  rows.push([
    `${rssSwaps} swaps without load (mean; max block)`,
    null,
    null,
    null,
    null,
    null,
    ms(quiet.reduce((a, e) => a + e.load.totalMs, 0) / quiet.length),
    ms(Math.max(...blocks)),
    null,
  ]);
  rows.push(['RSS after the first load', null, null, null, null, null, null, null, mib(rssAtStart)]);
  for (const [s, rss] of rssAfter) rows.push([`RSS after ${s} swaps`, null, null, null, null, null, null, null, mib(rss)]);
  const r2 = rssAfter.get(2);
  const r20 = rssAfter.get(rssSwaps);
  const growth = r2 !== undefined && r20 !== undefined ? (r20 - r2) / r2 : NaN;
  const last = quiet.at(-1)?.load;
  reportBenchTable('swap', {
    title:
      `model swaps under load: ${interactions} interactions, ${numItems} items × 64, ${rate} req/s for ${seconds} s, ${swaps} swaps (prepared on: ${last?.preparedOn ?? '?'}` +
      `; glibc MALLOC_MMAP_THRESHOLD_ ${process.env['MALLOC_MMAP_THRESHOLD_'] ?? 'unset'})`,
    columns: ['window', 'requests', 'errors', 'p50 ms', 'p99 ms', 'max ms', 'swap load ms', 'longest block ms', 'RSS MiB'],
    rows,
    notes: [
      `target p99 < 50 ms across the swaps: ${across.p99 < 50 ? 'met' : 'missed'} (${across.p99} ms)`,
      `target 0 errors: ${whole.errors === 0 ? 'met' : 'missed'} (${whole.errors})`,
      `target RSS after ${rssSwaps} swaps within 10 % of after 2: ${Math.abs(growth) <= 0.1 ? 'met' : 'missed'} (${(100 * growth).toFixed(1)} %)`,
      `last load's steps off the serving thread (ms): ${JSON.stringify(last?.prepareMs ?? {})}; on it: ${last?.serveThreadMs ?? '?'} ms in slices`,
    ],
  });
} finally {
  server.send({ type: 'stop' });
  store.close();
}
