/**
 * `npm run bench:scale`: the nightly job at growing log sizes, on one machine, as a small team
 * first deploys it. For each size, through the CLI: `generate` (users and items scaled with the
 * interactions, up to 1M items) → `ingest` → a cold `train --epochs 1` and `index` (yesterday's
 * model) → `serve` → a warm `retrain --epochs 1` beside the server (lowest CPU priority, cores − 1
 * training threads, as `serve --retrain-cron` starts it) while an open-loop client asks for user
 * recommendations and similar items at `--rate` requests/s (on the same machine), until the
 * server has swapped to the new version.
 *
 * Per size: ingest time; the retrain's stages, from the second each of its progress lines arrived
 * (snapshot: store read and snapshot built; one epoch's training steps; gate scoring; index build
 * and promotion); the server's swap (load time of the new version, from its log); peak RSS of the
 * retrain and of the server; the server's p50/p99 and errors during the retrain.
 *
 *   npm run build && npm run bench:scale -- [--sizes 2000000,5000000] [--rate 200]
 *
 * The 20M case (`--sizes 20000000`) takes hours on a small machine: run it once and keep its
 * result file. The 1-minute load average is recorded with the result.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/common/rng.js';
import { ARTIFACT_FILES, artifactDirOf } from '../src/model/artifact/artifact-layout.js';
import { getActiveModel, openStore } from '../src/store/index.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { lineAt, runCli, startCli, type CliRun, type TimedLine } from './cli-process.js';
import { openLoop } from './http-load.js';

const { values } = parseArgs({ options: { sizes: { type: 'string', default: '2000000,5000000' }, rate: { type: 'string', default: '200' } } });
const sizes = values.sizes.split(',').map(Number);
const rate = Number(values.rate);
const trainThreads = String(Math.max(1, availableParallelism() - 1));
const stamp = (line: string): void => void process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${line}\n`);
const round1 = (x: number | undefined): number | null => (x === undefined || Number.isNaN(x) ? null : Number(x.toFixed(1)));

/** Users and items for a log of `interactions` (the 2M log: 50,000 users, 200,000 items). */
function shapeOf(interactions: number): { users: number; items: number } {
  return { users: Math.round(interactions / 40), items: Math.min(1_000_000, Math.round(interactions / 10)) };
}

/** A running `contrarec serve`: its URL, the versions it loaded (with their load ms), and how to stop it. */
interface RunningServer {
  readonly url: string;
  readonly loads: { version: string; totalMs: number }[];
  stop(): Promise<CliRun>;
}

async function startServer(dbPath: string): Promise<RunningServer> {
  const loads: { version: string; totalMs: number }[] = [];
  let resolveUrl: (url: string) => void = () => {};
  const listening = new Promise<string>((resolve) => (resolveUrl = resolve));
  const onLine = ({ text }: TimedLine): void => {
    try {
      const e = JSON.parse(text) as { msg?: string; url?: string; version?: string; load?: { totalMs?: number } };
      if (e.msg === 'listening' && e.url !== undefined) resolveUrl(e.url);
      if (e.msg === 'serving model') loads.push({ version: e.version ?? '?', totalMs: e.load?.totalMs ?? Number.NaN });
    } catch {
      // not a log line
    }
  };
  const server = startCli(['serve', '--db', dbPath, '--port', '0', '--watch-ms', '1000'], { onLine });
  const url = await Promise.race([listening, server.done.then((r) => Promise.reject(new Error(`serve exited with ${r.code}: ${r.lines.at(-1)?.text ?? ''}`)))]);
  return { url, loads, stop: () => (server.child.kill('SIGTERM'), server.done) };
}

/** Request paths over the active model's users and items, in a seeded order. */
async function requestPaths(dbPath: string): Promise<string[]> {
  const store = await openStore(dbPath);
  const active = await getActiveModel(store);
  store.close();
  if (active === undefined) throw new Error('no active model after train');
  const dir = artifactDirOf(active, dbPath);
  const ids = (file: string): string[] => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as string[];
  const users = ids(ARTIFACT_FILES.userIds);
  const items = ids(ARTIFACT_FILES.itemIds);
  const rng = createRng(7);
  return Array.from({ length: 4096 }, (_, i) =>
    i % 2 === 0
      ? `/v1/users/${encodeURIComponent(users[rng.int(users.length)])}/recommendations?k=10`
      : `/v1/items/${encodeURIComponent(items[rng.int(items.length)])}/similar?k=10`,
  );
}

/** Open-loop load at `rate` until `until` settles (in 5-second rounds): p50, p99 (ms) and errors. */
async function loadUntil(
  url: string,
  paths: readonly string[],
  until: Promise<unknown>,
): Promise<{ requests: number; errors: number; p50: number; p99: number }> {
  let finished = false;
  void until.finally(() => (finished = true));
  const latencies: number[] = [];
  let errors = 0;
  while (!finished) {
    await openLoop(url, paths, rate, 5, (_due, latency, status) => (status === 200 ? latencies.push(latency) : errors++));
  }
  latencies.sort((a, b) => a - b);
  const at = (q: number): number => Number((latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? Number.NaN).toFixed(1));
  return { requests: latencies.length + errors, errors, p50: at(0.5), p99: at(0.99) };
}

/** The retrain's stages in seconds, from when its progress lines arrived. */
function retrainStages(lines: readonly TimedLine[]): { snapshot?: number; epoch?: number; refit?: number; gate?: number; indexAndPromote?: number } {
  const snapshot = lineAt(lines, /^snapshot: /);
  const epoch = lineAt(lines, /^epoch 1: /);
  const refit = lineAt(lines, /^refit: /);
  const ready = lineAt(lines, /^model \S+: ready/);
  const gate = lineAt(lines, /^retrain: \S+ recall@/);
  const active = lineAt(lines, /^retrain: \S+ is active/);
  const epochSeconds = epoch && /\| ([\d.]+)s, /.exec(epoch.text)?.[1];
  return {
    snapshot: snapshot?.at,
    epoch: epochSeconds === undefined ? undefined : Number(epochSeconds),
    // The retrain's default refit (train again on every interaction for the hold-out run's epochs): its snapshot, epoch and save.
    refit: refit === undefined ? 0 : ready && ready.at - refit.at,
    gate: ready && gate && gate.at - ready.at,
    indexAndPromote: gate && active && active.at - gate.at,
  };
}

/** One size, end to end; its table row. */
async function measureSize(interactions: number): Promise<BenchCell[]> {
  const { users, items } = shapeOf(interactions);
  const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-scale-'));
  const dbPath = path.join(dir, 'contrarec.db');
  const data = path.join(dir, 'data');
  try {
    stamp(`${interactions} interactions, ${users} users, ${items} items: generate`);
    await runCli(['generate', '--out', data, '--users', String(users), '--items', String(items), '--interactions', String(interactions)]);
    let ingestSeconds = 0;
    for (const kind of ['items', 'users', 'interactions'])
      ingestSeconds += (await runCli(['ingest', kind, path.join(data, `${kind}.csv`), '--db', dbPath])).seconds;
    stamp(`ingested in ${ingestSeconds.toFixed(1)} s; cold train --epochs 1 and index`);
    // Yesterday's model with the defaults: the retrain takes its configuration (the refit included) from the active version.
    await runCli(['train', '--db', dbPath, '--epochs', '1']);
    await runCli(['index', '--db', dbPath]);
    const server = await startServer(dbPath);
    const paths = await requestPaths(dbPath);
    stamp(`serving at ${server.url}; warm retrain --epochs 1 beside it under ${rate} req/s`);
    const retrain = startCli(['retrain', '--db', dbPath, '--epochs', '1', '--tolerance', '0.1', '--train-threads', trainThreads], {
      onLine: (l) => /^(snapshot:|epoch \d+:|model |retrain:)/.test(l.text) && stamp(`  retrain +${l.at.toFixed(0)} s: ${l.text.slice(0, 160)}`),
    });
    const retrained = retrain.done.then(async (r) => {
      const version = /^retrain: (\S+) is active/.exec(lineAt(r.lines, /^retrain: \S+ is active/)?.text ?? '')?.[1];
      for (let waited = 0; version !== undefined && waited < 600 && !server.loads.some((l) => l.version === version); waited++)
        await new Promise((s) => setTimeout(s, 1000));
      return { run: r, version };
    });
    const load = await loadUntil(server.url, paths, retrained);
    const { run, version } = await retrained;
    const served = await server.stop();
    const stages = retrainStages(run.lines);
    const swap = server.loads.find((l) => l.version === version);
    const gate =
      version === undefined ? `not promoted (exit ${run.code}): ${run.lines.filter((l) => l.text.startsWith('retrain:')).at(-1)?.text ?? ''}` : 'promoted';
    return [
      interactions,
      users,
      items,
      round1(ingestSeconds),
      round1(stages.snapshot),
      round1(stages.epoch),
      round1(stages.refit),
      round1(stages.gate),
      round1(stages.indexAndPromote),
      round1(run.seconds),
      round1(swap?.totalMs),
      run.peakRssMiB,
      served.peakRssMiB,
      load.requests,
      load.errors,
      load.p50,
      load.p99,
      gate,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows: BenchCell[][] = [];
for (const n of sizes) rows.push(await measureSize(n));
reportBenchTable('scale', {
  title: `nightly retrain at scale beside a live server on this machine (${availableParallelism()} cores; retrain nice 19 with ${trainThreads} training thread(s); load ${rate} req/s from the same machine; load average (1 min) ${loadavg()[0].toFixed(2)})`,
  columns: [
    'interactions',
    'users',
    'items',
    'ingest s',
    'snapshot s',
    'epoch s',
    'refit s',
    'gate s',
    'index+promote s',
    'retrain s',
    'swap ms',
    'retrain peak RSS MiB',
    'server peak RSS MiB',
    'requests',
    'errors',
    'p50 ms',
    'p99 ms',
    'gate',
  ],
  rows,
  notes: [
    'stages from the arrival of the retrain\'s progress lines: snapshot = start → "snapshot:" (store read, snapshot built); refit = "refit:" → "model … ready" (the default refit on every interaction: its snapshot, epoch and artifact); gate = "model … ready" → the gate line',
  ],
});
