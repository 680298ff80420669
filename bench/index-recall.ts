/**
 * Recall@10 of HNSW against exact search, with build and search timings, on random 64-d unit
 * vectors (the hard case: no clusters). Prints one table row per (M, efConstruction, ef).
 *
 *   npm run build && npm run bench:index -- [n=20000] [queries=500] [sweep]
 *
 * Without `sweep` only the defaults (DEFAULT_HNSW_PARAMS) are measured.
 */
import { performance } from 'node:perf_hooks';
import { createRng } from '../src/common/rng.js';
import { DEFAULT_HNSW_PARAMS } from '../src/index/hnsw-params.js';
import { ExactIndex } from '../src/index/exact-index.js';
import { HnswIndex } from '../src/index/hnsw-index.js';
import { randomUnitVectors } from '../src/index/random-unit-vectors.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';

const n = Number(process.argv[2] ?? 20_000);
const numQueries = Number(process.argv[3] ?? 500);
const sweep = process.argv[4] === 'sweep';
const dim = 64;
const k = 10;
const rng = createRng(7);
const vectors = randomUnitVectors(n, dim, rng);
const queries = randomUnitVectors(numQueries, dim, rng);
const ids = Array.from({ length: n }, (_, i) => `item-${i}`);
const query = (q: number): Float32Array => queries.subarray(q * dim, (q + 1) * dim);

const exact = ExactIndex.create(dim);
exact.add(ids, vectors);
let t = performance.now();
const truth = Array.from({ length: numQueries }, (_, q) => new Set(exact.search(query(q), k).map((h) => h.id)));
const exactUs = ((performance.now() - t) * 1000) / numQueries;

const D = DEFAULT_HNSW_PARAMS;
const builds = sweep
  ? [
      { m: 16, efConstruction: 200 },
      { m: 32, efConstruction: 200 },
      { m: 48, efConstruction: 300 },
    ]
  : [D];
const efs = sweep ? [100, 200, 400, 800] : [D.ef];
const rows: BenchCell[][] = [];
for (const b of builds) {
  t = performance.now();
  const index = HnswIndex.create(dim, { m: b.m, efConstruction: b.efConstruction, initialCapacity: n });
  index.add(ids, vectors);
  const buildS = (performance.now() - t) / 1000;
  for (const ef of efs) {
    index.ef = ef;
    let hits = 0;
    t = performance.now();
    for (let q = 0; q < numQueries; q++) for (const h of index.search(query(q), k)) if (truth[q].has(h.id)) hits++;
    const us = ((performance.now() - t) * 1000) / numQueries;
    rows.push([
      n,
      dim,
      b.m,
      b.efConstruction,
      ef,
      Number((hits / (numQueries * k)).toFixed(4)),
      Number(buildS.toFixed(1)),
      Math.round(us),
      Math.round(exactUs),
    ]);
  }
}
reportBenchTable('index', {
  title: `HNSW recall@${k} against exact search, ${numQueries} queries on random ${dim}-d unit vectors`,
  columns: ['n', 'dim', 'M', 'efConstruction', 'ef', `recall@${k}`, 'build s', 'search µs', 'exact search µs'],
  rows,
});
