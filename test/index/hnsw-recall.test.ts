import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { ExactIndex } from '../../src/index/exact-index.js';
import { HnswIndex } from '../../src/index/hnsw-index.js';
import { randomUnitVectors } from '../../src/index/random-unit-vectors.js';
import type { VectorIndex } from '../../src/index/vector-index.js';

// Random unit vectors on the 64-d sphere have no clusters: the hard case for HNSW. The default
// parameters must reach recall@10 ≥ 0.99 against exact search here, before and after a reload.
describe('HNSW recall@10 against exact search, 20,000 random 64-d items, default parameters', () => {
  const n = 20_000;
  const dim = 64;
  const k = 10;
  const numQueries = 200;
  const rng = createRng(2026);
  const vectors = randomUnitVectors(n, dim, rng);
  const queries = randomUnitVectors(numQueries, dim, rng);
  const ids = Array.from({ length: n }, (_, i) => `item-${i}`);
  const query = (q: number): Float32Array => queries.subarray(q * dim, (q + 1) * dim);
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  const exact = ExactIndex.create(dim);
  exact.add(ids, vectors);
  const truth = Array.from({ length: numQueries }, (_, q) => new Set(exact.search(query(q), k).map((h) => h.id)));
  const recall = (index: VectorIndex): number => {
    let hits = 0;
    for (let q = 0; q < numQueries; q++) for (const h of index.search(query(q), k)) if (truth[q].has(h.id)) hits++;
    return hits / (numQueries * k);
  };

  it('is at least 0.99, and unchanged after save and load', async () => {
    const hnsw = HnswIndex.create(dim);
    hnsw.add(ids, vectors);
    const before = recall(hnsw);
    console.log(`HNSW recall@${k} on ${n} × ${dim}: ${before.toFixed(4)} (defaults ${JSON.stringify(hnsw.params)})`);
    expect(before).toBeGreaterThanOrEqual(0.99);
    dir = await mkdtemp(path.join(tmpdir(), 'contrarec-recall-'));
    await hnsw.save(dir);
    const loaded = await HnswIndex.load(dir);
    expect(loaded.size).toBe(n);
    expect(recall(loaded)).toBe(before);
    // ~10 s on an idle 2-core machine; the margin is for a loaded CI runner.
  }, 180_000);
});
