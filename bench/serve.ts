/**
 * `npm run bench:serve`: serving speed with a model of 100,000 synthetic items (64-d). Builds the
 * model artifact once (reused from the OS temp folder on later runs), measures raw in-process
 * hnswlib searches/s for the queries, then starts `contrarec serve` as a child process and drives
 * it from this process over loopback: closed loop (max requests/s at a fixed concurrency) and open
 * loop at 1,000 requests/s (p50/p99 latency). Prints one table.
 *
 * `--embeddings trained` (default): the two-tower model trained for one epoch on 1,000,000
 * interactions of the bundled synthetic generator over the 100,000 items (a few minutes the first
 * time), so the index holds what a real model produces. `--embeddings random`: random unit vectors,
 * the worst case for HNSW (no structure at all; the 0.99-recall test uses them).
 *
 *   npm run build && node dist/bench/serve.js [--items 100000] [--embeddings trained|random] [--workers 1] [--seconds 10] [--concurrency 16] [--rate 1000] [--ef N]
 *
 * `--ef` re-saves the index with that search-time ef (the server reads it from the index labels file)
 * and reports recall@10 against exact search at that setting, to show the speed/recall trade-off.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { createRng } from '../src/common/rng.js';
import { buildIndexFromArtifact, DEFAULT_HNSW_PARAMS, ExactIndex, HnswIndex, randomUnitVectors, readArtifactEmbeddings } from '../src/index/index.js';
import { ARTIFACT_FILES, versionDir } from '../src/model/artifact/artifact-layout.js';
import type { Manifest } from '../src/model/artifact/manifest.js';
import { closedLoop, openLoop, type LoadResult } from './http-load.js';
import { ensureTrainedArtifact, trainedArtifactDir } from './trained-artifact.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { startServeChild } from './serve-child.js';

const { values } = parseArgs({
  options: {
    items: { type: 'string', default: '100000' },
    users: { type: 'string', default: '10000' },
    workers: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '10' },
    concurrency: { type: 'string', default: '16' },
    rate: { type: 'string', default: '1000' },
    ef: { type: 'string' },
    embeddings: { type: 'string', default: 'trained' },
  },
});
const numItems = Number(values.items);
const numUsers = Number(values.users);
const dim = 64;
const seconds = Number(values.seconds);
const concurrency = Number(values.concurrency);
const rate = Number(values.rate);
const workers = Number(values.workers);
const embeddings = values.embeddings;
if (embeddings !== 'trained' && embeddings !== 'random') throw new Error(`--embeddings: expected trained or random, got '${embeddings}'`);
const artifactRoot = path.join(tmpdir(), `contrarec-bench-serve-${embeddings}-${numItems}x${dim}-${numUsers}`);
const dir = embeddings === 'trained' ? trainedArtifactDir(numItems, numUsers, dim) : versionDir(artifactRoot, 'bench');

async function ensureRandomArtifact(): Promise<void> {
  await mkdir(dir, { recursive: true });
  const rng = createRng(42);
  const bytes = (v: Float32Array): Buffer => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
  await writeFile(path.join(dir, ARTIFACT_FILES.itemIds), JSON.stringify(Array.from({ length: numItems }, (_, i) => `i${i}`)));
  await writeFile(path.join(dir, ARTIFACT_FILES.itemEmbeddings), bytes(randomUnitVectors(numItems, dim, rng)));
  await writeFile(path.join(dir, ARTIFACT_FILES.userIds), JSON.stringify(Array.from({ length: numUsers }, (_, i) => `u${i}`)));
  await writeFile(path.join(dir, ARTIFACT_FILES.userEmbeddings), bytes(randomUnitVectors(numUsers, dim, rng)));
  const manifest: Manifest = { version: 'bench', createdAt: new Date().toISOString(), dim, numItems, numUsers, backend: 'none', config: {}, metrics: {} };
  await writeFile(path.join(dir, ARTIFACT_FILES.manifest), JSON.stringify(manifest));
}

async function ensureArtifact(): Promise<void> {
  if (embeddings === 'trained') {
    await ensureTrainedArtifact(numItems, numUsers, dim);
    return;
  }
  if (existsSync(path.join(dir, ARTIFACT_FILES.hnswLabels))) return;
  await ensureRandomArtifact();
  const t = performance.now();
  const built = await buildIndexFromArtifact(dir);
  console.log(`built HNSW over ${built.numItems} items in ${((performance.now() - t) / 1000).toFixed(1)} s (${dir})`);
}

/** Sets the saved ef (when asked) and measures recall@10 of the saved index against exact search. */
async function configureAndMeasureRecall(ef: number, queries: Float32Array): Promise<number> {
  const index = await HnswIndex.load(dir, { ef });
  await index.save(dir);
  const items = await readArtifactEmbeddings(dir, 'item');
  const exact = ExactIndex.create(dim);
  exact.add(items.ids, items.vectors);
  let hits = 0;
  const n = 500;
  for (let q = 0; q < n; q++) {
    // Every 10th query vector: half of them items', half users'.
    const v = queries.subarray(q * 10 * dim, (q * 10 + 1) * dim);
    const truth = new Set(exact.search(v, 10).map((h) => h.id));
    for (const h of index.search(v, 10)) if (truth.has(h.id)) hits++;
  }
  return hits / (n * 10);
}

/** Raw hnswlib searches/s in this process for the same k and query vectors as the HTTP paths. */
async function rawSearchesPerSecond(k: number, queries: Float32Array): Promise<number> {
  const index = await HnswIndex.load(dir);
  const n = queries.length / dim;
  let done = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < seconds * 1000) {
    index.search(queries.subarray((done % n) * dim, ((done % n) + 1) * dim), k);
    done++;
  }
  return done / ((performance.now() - t0) / 1000);
}

async function startServer(): Promise<{ url: string; stop: () => void }> {
  const child = await startServeChild(['--artifact', dir], workers);
  return { url: child.url, stop: () => void child.stop() };
}

await ensureArtifact();
const rng = createRng(7);
const items = await readArtifactEmbeddings(dir, 'item');
const users = await readArtifactEmbeddings(dir, 'user');
const itemQueries = Array.from({ length: 2500 }, () => rng.int(items.ids.length));
const userQueries = Array.from({ length: 2500 }, () => rng.int(users.ids.length));
const similarPaths = itemQueries.map((i) => `/v1/items/${encodeURIComponent(items.ids[i])}/similar?k=10`);
const recPaths = userQueries.map((u) => `/v1/users/${encodeURIComponent(users.ids[u])}/recommendations?k=10`);
// Raw: the very vectors the HTTP paths search with, items' then users'.
const rawQueries = new Float32Array(5000 * dim);
itemQueries.forEach((i, q) => rawQueries.set(items.vectors.subarray(i * dim, (i + 1) * dim), q * dim));
userQueries.forEach((u, q) => rawQueries.set(users.vectors.subarray(u * dim, (u + 1) * dim), (2500 + q) * dim));
const ef = values.ef === undefined ? DEFAULT_HNSW_PARAMS.ef : Number(values.ef);
const recall = await configureAndMeasureRecall(ef, rawQueries);
const raw = await rawSearchesPerSecond(11, rawQueries);

const server = await startServer();
const rows: BenchCell[][] = [];
const row = (endpoint: string, mode: string, r: LoadResult): void => {
  rows.push([endpoint, mode, workers, Math.round(r.rps), Number(r.p50.toFixed(2)), Number(r.p99.toFixed(2)), r.errors, Math.round((100 * r.rps) / raw)]);
};
try {
  await closedLoop(server.url, similarPaths, concurrency, 1); // warm-up
  row('similar', `closed c=${concurrency}`, await closedLoop(server.url, similarPaths, concurrency, seconds));
  row('recommendations', `closed c=${concurrency}`, await closedLoop(server.url, recPaths, concurrency, seconds));
  row('similar', `open ${rate}/s`, await openLoop(server.url, similarPaths, rate, seconds));
  row('recommendations', `open ${rate}/s`, await openLoop(server.url, recPaths, rate, seconds));
} finally {
  server.stop();
}
reportBenchTable('serve', {
  title: `${numItems} × ${dim} ${embeddings === 'trained' ? 'trained synthetic' : 'random unit'} items, ef=${ef}: recall@10 ${recall.toFixed(3)} vs exact (500 queries); raw in-process hnswlib search (k=11): ${Math.round(raw)} searches/s`,
  columns: ['endpoint', 'mode', 'workers', 'req/s', 'p50 ms', 'p99 ms', 'errors', '% of raw'],
  rows,
  notes: [`raw searches/s ${Math.round(raw)}`, `recall@10 ${recall.toFixed(3)}`],
});
