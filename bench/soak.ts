/**
 * `npm run bench:soak`: a long mixed run against `contrarec serve` (the CLI, as deployed) with a
 * retrain and a rollback in the middle. autocannon drives `--connections` connections at
 * `--rate` requests/s overall for `--seconds` (60) through a cycle of similar items, user
 * recommendations, the models list and token-carrying `POST /v1/interactions` writes (one in six
 * requests; CONTRAREC_ADMIN_TOKEN is set on the server). At a quarter of the run `contrarec
 * retrain --epochs 1 --tolerance 0.1 --train-threads <cores − 1>` starts as a child process (as `serve
 * --retrain-cron` starts it: lowest CPU priority, one core left to the server); when it has finished (promoted or not),
 * `contrarec models rollback` runs. The server follows both (`--watch-ms 500`).
 *
 * The store is a fresh copy of the bench store of `--interactions` (100,000: its retrain fits in
 * the run on two cores) with two versions registered (copies of the trained bench model for that
 * shape), so a rollback has somewhere to go even when the retrain's gate fails.
 *
 * Printed: requests, errors (connection errors and non-2xx answers), p50/p99, the server's RSS at
 * the start and the end (and its largest sample), what the retrain and the rollback did, and the
 * swaps the server logged.
 *
 *   npm run build && npm run bench:soak -- [--seconds 60] [--interactions 100000] [--rate 400] [--connections 8]
 */
import { spawn } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { createRng } from '../src/common/rng.js';
import { ARTIFACT_FILES } from '../src/model/artifact/artifact-layout.js';
import { activateModel, openStore } from '../src/store/index.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { benchShape, ensureBenchStore, registerArtifactCopy } from './bench-store.js';
import { ensureTrainedArtifact } from './trained-artifact.js';

const trainThreads = Math.max(1, availableParallelism() - 1);

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    interactions: { type: 'string', default: '100000' },
    rate: { type: 'string', default: '400' },
    connections: { type: 'string', default: '8' },
  },
});
const seconds = Number(values.seconds);
const interactions = Number(values.interactions);
const rate = Number(values.rate);
const connections = Number(values.connections);
const TOKEN = 'soak-admin-token';
const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'src', 'cli.js');

const { items: numItems, users: numUsers } = benchShape(interactions);
const artifact = await ensureTrainedArtifact(numItems, numUsers);
const template = await ensureBenchStore(interactions);
const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-bench-soak-'));
const dbPath = path.join(dir, 'contrarec.db');
cpSync(template, dbPath);
const setup = await openStore(dbPath);
for (const v of ['soak-previous', 'soak-active']) {
  await registerArtifactCopy(setup, dbPath, artifact, v);
  await activateModel(setup, v);
}
setup.close();

const itemIds = JSON.parse(readFileSync(path.join(artifact, ARTIFACT_FILES.itemIds), 'utf8')) as string[];
const userIds = JSON.parse(readFileSync(path.join(artifact, ARTIFACT_FILES.userIds), 'utf8')) as string[];
const rng = createRng(11);
const anyItem = (): string => encodeURIComponent(itemIds[rng.int(itemIds.length)]);
const anyUser = (): string => encodeURIComponent(userIds[rng.int(userIds.length)]);

/** RSS of a process in bytes, from /proc (NaN where there is none). */
function rssOf(pid: number): number {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb === undefined ? NaN : Number(kb) * 1024;
  } catch {
    return NaN;
  }
}

/** Runs the CLI to the end; its exit code, seconds, and last output line. */
function runCli(args: readonly string[]): Promise<{ code: number; seconds: number; last: string }> {
  const t = performance.now();
  const child = spawn(process.execPath, [cli, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  return new Promise((resolve) =>
    child.once('exit', (code) => {
      // The last line that is not a stack frame: the outcome, or the error's message.
      const lines = out
        .trim()
        .split('\n')
        .filter((l) => !/^\s+at /.test(l));
      resolve({ code: code ?? -1, seconds: Number(((performance.now() - t) / 1000).toFixed(1)), last: lines.at(-1) ?? '' });
    }),
  );
}

const server = spawn(process.execPath, [cli, 'serve', '--db', dbPath, '--port', '0', '--watch-ms', '500'], {
  stdio: ['ignore', 'ignore', 'pipe'],
  env: { ...process.env, CONTRAREC_ADMIN_TOKEN: TOKEN },
});
const swaps: { version: string; load: unknown }[] = [];
const serverErrors: string[] = [];
const url = await new Promise<string>((resolve, reject) => {
  let buf = '';
  server.stderr.on('data', (chunk: Buffer) => {
    buf += chunk.toString();
    const lines = buf.split('\n');
    buf = lines.pop() ?? '';
    for (const line of lines) {
      const m = /"msg":"listening","url":"([^"]+)"/.exec(line);
      if (m) resolve(m[1]);
      try {
        const e = JSON.parse(line) as { msg?: string; level?: string; version?: string; load?: unknown };
        if (e.msg === 'serving model') swaps.push({ version: e.version ?? '?', load: e.load });
        if (e.level === 'error') serverErrors.push(line);
      } catch {
        // not a log line
      }
    }
  });
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});

const rssStart = rssOf(server.pid!);
let rssMax = rssStart;
const sampler = setInterval(() => (rssMax = Math.max(rssMax, rssOf(server.pid!))), 500);
const events: { at: number; what: string }[] = [];
const t0 = performance.now();
const stamp = (what: string): void => void events.push({ at: Number(((performance.now() - t0) / 1000).toFixed(1)), what });

const middle = (async () => {
  await new Promise((r) => setTimeout(r, (seconds * 1000) / 4));
  stamp('retrain started');
  // A loose gate, so that one warm-started epoch is promoted and the server swaps to it (and back).
  // As `serve --retrain-cron` starts it beside the server: lowest priority, one core left to the server.
  const retrain = await runCli(['retrain', '--db', dbPath, '--epochs', '1', '--tolerance', '0.1', '--train-threads', String(trainThreads)]);
  stamp(`retrain exit ${retrain.code} (${retrain.seconds} s): ${retrain.last}`);
  const rollback = await runCli(['models', 'rollback', '--db', dbPath]);
  stamp(`rollback exit ${rollback.code}: ${rollback.last}`);
  return { retrain, rollback };
})();

let result: autocannon.Result;
try {
  result = await autocannon({
    url,
    connections,
    duration: seconds,
    overallRate: rate,
    requests: [
      { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/items/${anyItem()}/similar?k=10` }) },
      { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/users/${anyUser()}/recommendations?k=10` }) },
      { method: 'GET', path: '/v1/models' },
      { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/items/${anyItem()}/similar?k=10` }) },
      { method: 'GET', setupRequest: (req) => ({ ...req, path: `/v1/users/${anyUser()}/recommendations?k=10` }) },
      {
        method: 'POST',
        path: '/v1/interactions',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${TOKEN}` },
        setupRequest: (req) => ({
          ...req,
          body: JSON.stringify({
            interactions: [{ user: decodeURIComponent(anyUser()), item: decodeURIComponent(anyItem()), ts: Math.floor(Date.now() / 1000) }],
          }),
        }),
      },
    ],
  });
  const { retrain, rollback } = await middle;
  const rssEnd = rssOf(server.pid!);
  const mib = (b: number): number => Number((b / 2 ** 20).toFixed(1));
  const status = Object.entries(result.statusCodeStats ?? {})
    .map(([code, s]) => `${code}: ${s.count ?? 0}`)
    .join(', ');
  const rows: BenchCell[][] = [
    [
      `${seconds} s, ${rate} req/s, ${connections} connections`,
      result.requests.total,
      result.errors + result.non2xx,
      result.latency.p50,
      result.latency.p99,
      result.latency.max,
      mib(rssStart),
      mib(rssEnd),
      mib(rssMax),
      retrain.code,
      rollback.code,
      swaps.length - 1,
    ],
  ];
  reportBenchTable('soak', {
    title: `soak: mixed reads and token-carrying writes against \`contrarec serve\` with a retrain and a rollback in the middle (${interactions} interactions, ${numItems} items, ${numUsers} users)`,
    columns: [
      'run',
      'requests',
      'errors',
      'p50 ms',
      'p99 ms',
      'max ms',
      'RSS start MiB',
      'RSS end MiB',
      'RSS max MiB',
      'retrain exit',
      'rollback exit',
      'swaps',
    ],
    rows,
    notes: [
      `status codes: ${status}; connection errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}`,
      ...events.map((e) => `t=${e.at} s: ${e.what}`),
      ...swaps.map((s, i) => `${i === 0 ? 'first load' : `swap ${i}`}: ${s.version} ${JSON.stringify(s.load)}`),
      ...serverErrors.slice(0, 5).map((l) => `server error: ${l}`),
    ],
  });
} finally {
  clearInterval(sampler);
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
