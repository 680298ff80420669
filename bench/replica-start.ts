/**
 * A serving replica's start from an empty disk: the trained bench model of `bench:serve`
 * (100,000 × 64 items, 10,000 users, with its HNSW index; `bench/trained-artifact.ts`) is stored
 * in a fresh database on a throwaway PostgreSQL server on this machine (fsync on), as the trainer
 * does, and made active; then `contrarec serve --db postgres://…` starts in an empty working
 * directory and is timed from its spawn to its first answer of `/v1/items/:id/similar`, once with
 * nothing on disk (download, verify, load) and once more with the version cached by the first.
 *
 * @example
 *   npm run build && npm run bench:replica
 *   node dist/bench/replica-start.js --items 10000      # a smaller model
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { ARTIFACT_FILES } from '../src/model/artifact/artifact-layout.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { BENCH_VERSION, storeActiveBenchModel } from './bench-model-in-postgres.js';
import { startServeChild } from './serve-child.js';
import { startThrowawayPostgres } from './throwaway-postgres.js';
import { ensureTrainedArtifact } from './trained-artifact.js';

const USERS = 10_000;
const DIM = 64;

/** The artifact's size in MiB, over the files it holds. */
function artifactMiB(dir: string): number {
  let bytes = 0;
  for (const file of Object.values(ARTIFACT_FILES)) {
    try {
      bytes += statSync(path.join(dir, file)).size;
    } catch {
      // A file the artifact does not hold (none, for the trained bench model).
    }
  }
  return bytes / 2 ** 20;
}

/** Seconds from spawning `serve` in `cwd` to its first answer for `item`; the server is stopped after. */
async function secondsToFirstAnswer(db: string, cwd: string, item: string): Promise<number> {
  const t0 = performance.now();
  const server = await startServeChild(['--db', db], 1, {}, cwd);
  try {
    const answer = (await (await fetch(`${server.url}/v1/items/${encodeURIComponent(item)}/similar?k=10`)).json()) as { model?: string };
    if (answer.model !== BENCH_VERSION) throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
    return (performance.now() - t0) / 1000;
  } finally {
    await server.stop();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const numItems = args[0] === '--items' ? Number(args[1]) : 100_000;
  const dir = await ensureTrainedArtifact(numItems, USERS, DIM);
  const item = (JSON.parse(readFileSync(path.join(dir, ARTIFACT_FILES.itemIds), 'utf8')) as string[])[0];
  const loadAtStart = os.loadavg()[0];
  const server = await startThrowawayPostgres({ fsync: true });
  const replica = mkdtempSync(path.join(os.tmpdir(), 'contrarec-bench-replica-'));
  const rows: BenchCell[][] = [];
  try {
    const db = await server.createDatabase();
    const t0 = performance.now();
    await storeActiveBenchModel(db, dir);
    const mib = Number(artifactMiB(dir).toFixed(1));
    rows.push(['trainer stores the artifact', mib, Number(((performance.now() - t0) / 1000).toFixed(2))]);
    rows.push(['replica: empty disk → first answer', mib, Number((await secondsToFirstAnswer(db, replica, item)).toFixed(2))]);
    rows.push(['replica: version cached → first answer', mib, Number((await secondsToFirstAnswer(db, replica, item)).toFixed(2))]);
  } finally {
    await server.stop();
    rmSync(replica, { recursive: true, force: true });
  }
  reportBenchTable('replica-start', {
    title:
      `A serving replica's start on PostgreSQL, trained bench model ${numItems} × ${DIM} items, ${USERS} users, with its HNSW index ` +
      `(a local server on the same ${os.cpus().length} cores, fsync on; load average (1 min) at start ${loadAtStart.toFixed(2)}, at end ${os.loadavg()[0].toFixed(2)})`,
    columns: ['step', 'artifact MiB', 'seconds'],
    rows,
    notes: ['A replica is timed from the spawn of `contrarec serve` to its first answer of /v1/items/:id/similar.'],
  });
}

await main();
