/**
 * Serving through two replicas against one: the bench model of `bench:replica` (100,000 × 64
 * items, 10,000 users, with its HNSW index) active in a fresh database on a throwaway PostgreSQL
 * server on this machine; two `contrarec serve --db postgres://… --workers 1` replicas, each in an
 * empty working directory (each downloads the version, as a second machine would). Open-loop load
 * (`bench/http-load.ts`: a fixed rate, latency from each request's scheduled time) of similar
 * items and user recommendations, half each, at a few rates: all of it to one replica, then round
 * robin across both. The load generator, PostgreSQL and both replicas share this machine's cores,
 * which the title says: on a small machine a second replica has few cores of its own to add.
 *
 * @example
 *   npm run build && npm run bench:replicas
 *   node dist/bench/replicas-serving.js --rates 500,1000 --seconds 5 --items 10000   # shorter
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/common/rng.js';
import { ARTIFACT_FILES } from '../src/model/artifact/artifact-layout.js';
import { BENCH_VERSION, storeActiveBenchModel } from './bench-model-in-postgres.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { openLoop } from './http-load.js';
import { startServeChild, type ServeChild } from './serve-child.js';
import { startThrowawayPostgres } from './throwaway-postgres.js';
import { ensureTrainedArtifact } from './trained-artifact.js';

const USERS = 10_000;
const DIM = 64;
const PATHS = 5000;
const WARM_UP_SECONDS = 3;
/** The rate of the first pass over every path, which fills each replica's live cache of the users it is sent. */
const FILL_RATE = 500;

const { values } = parseArgs({
  options: { items: { type: 'string', default: '100000' }, rates: { type: 'string', default: '500,1000,2000' }, seconds: { type: 'string', default: '10' } },
});
const numItems = Number(values.items);
const rates = values.rates.split(',').map(Number);
const seconds = Number(values.seconds);

/**
 * Request paths over random items and users of the artifact, each a similar-items or a
 * user-recommendations request at random (not alternating: round robin would then send every
 * similar-items request to one replica and every recommendation to the other).
 */
function requestPaths(dir: string): string[] {
  const items = JSON.parse(readFileSync(path.join(dir, ARTIFACT_FILES.itemIds), 'utf8')) as string[];
  const users = JSON.parse(readFileSync(path.join(dir, ARTIFACT_FILES.userIds), 'utf8')) as string[];
  const rng = createRng(7);
  return Array.from({ length: PATHS }, () =>
    rng.int(2) === 0
      ? `/v1/items/${encodeURIComponent(items[rng.int(items.length)])}/similar?k=10`
      : `/v1/users/${encodeURIComponent(users[rng.int(users.length)])}/recommendations?k=10`,
  );
}

/** Starts `serve --db db --workers 1` in a fresh empty folder; resolves once it answers with the bench model. */
async function startReplica(db: string, folders: string[]): Promise<ServeChild> {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'contrarec-bench-replicas-'));
  folders.push(cwd);
  const replica = await startServeChild(['--db', db], 1, {}, cwd);
  const health = (await (await fetch(`${replica.url}/healthz`)).json()) as { model?: string };
  if (health.model !== BENCH_VERSION) throw new Error(`replica ${replica.url} serves ${JSON.stringify(health)}`);
  return replica;
}

/** One row per rate: the load through `urls` (round robin), after a warm-up at that rate. */
async function measure(label: number, urls: readonly string[], paths: readonly string[]): Promise<BenchCell[][]> {
  const rows: BenchCell[][] = [];
  await openLoop(urls, paths, FILL_RATE, PATHS / FILL_RATE);
  for (const rate of rates) {
    // The JIT at this rate.
    await openLoop(urls, paths, rate, WARM_UP_SECONDS);
    const r = await openLoop(urls, paths, rate, seconds);
    console.log(`${label} replica(s) at ${rate}/s: p50 ${r.p50.toFixed(2)} ms, p99 ${r.p99.toFixed(2)} ms, ${r.errors} errors, ${r.rps.toFixed(0)} req/s`);
    rows.push([rate, label, Number(r.p50.toFixed(2)), Number(r.p99.toFixed(2)), r.errors, Math.round(r.rps)]);
  }
  return rows;
}

async function main(): Promise<void> {
  const dir = await ensureTrainedArtifact(numItems, USERS, DIM);
  const paths = requestPaths(dir);
  const loadAtStart = os.loadavg()[0];
  const server = await startThrowawayPostgres();
  const folders: string[] = [];
  const replicas: ServeChild[] = [];
  const rows: BenchCell[][] = [];
  try {
    const db = await server.createDatabase();
    await storeActiveBenchModel(db, dir);
    replicas.push(await startReplica(db, folders), await startReplica(db, folders));
    // Both replicas run throughout, so the second is idle (not absent) while the first is measured alone.
    rows.push(...(await measure(1, [replicas[0].url], paths)));
    rows.push(
      ...(await measure(
        2,
        replicas.map((r) => r.url),
        paths,
      )),
    );
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
    await server.stop();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  }
  rows.sort((a, b) => Number(a[0]) - Number(b[0]) || Number(a[1]) - Number(b[1]));
  reportBenchTable('replicas-serving', {
    title:
      `Serving through 1 and 2 replicas (serve --db postgres://… --workers 1 each, round robin), trained bench model ${numItems} × ${DIM} items, ` +
      `${USERS} users; open loop for ${seconds} s per row, half similar items, half user recommendations (k=10). The load generator, ` +
      `PostgreSQL and the replicas all run on the same ${os.cpus().length}-core machine (load average (1 min) at start ` +
      `${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)})`,
    columns: ['rate req/s', 'replicas', 'p50 ms', 'p99 ms', 'errors', 'achieved req/s'],
    rows,
    notes: [
      'Latency is measured from when each request was due, so a client or server backlog counts against it.',
      `Each replica set is first sent every request path once (${PATHS} at ${FILL_RATE}/s: the live user caches filled), and each row follows a ${WARM_UP_SECONDS} s warm-up at its rate.`,
    ],
  });
}

await main();
