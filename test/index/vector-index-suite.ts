import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { randomUnitVectors } from '../../src/index/random-unit-vectors.js';
import type { VectorIndex } from '../../src/index/vector-index.js';

/** How a test creates and reloads one implementation. */
export interface IndexFactory {
  create(dim: number): VectorIndex;
  load(dir: string): Promise<VectorIndex>;
}

/** Cosine ranking of every row against `q`, computed naively: the answer any index must give. */
export function naiveCosineRanking(ids: readonly string[], vectors: Float32Array, dim: number, q: ArrayLike<number>): { id: string; score: number }[] {
  let qn = 0;
  for (let j = 0; j < dim; j++) qn += q[j] * q[j];
  return ids
    .map((id, row) => {
      let dot = 0;
      let vn = 0;
      for (let j = 0; j < dim; j++) {
        dot += q[j] * vectors[row * dim + j];
        vn += vectors[row * dim + j] ** 2;
      }
      return { id, score: dot / Math.sqrt(qn * vn) };
    })
    .sort((a, b) => b.score - a.score);
}

/** The behaviour every `VectorIndex` shares; each implementation's test file calls this. */
export function describeVectorIndex(name: string, factory: IndexFactory): void {
  describe(`VectorIndex contract: ${name}`, () => {
    let dir: string;
    beforeEach(async () => {
      dir = await mkdtemp(path.join(tmpdir(), 'contrarec-index-'));
    });
    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    const dim = 8;
    const n = 300;
    const ids = Array.from({ length: n }, (_, i) => `item-${i}`);
    const vectors = randomUnitVectors(n, dim, createRng(11));
    const queries = randomUnitVectors(10, dim, createRng(12));
    const query = (q: number): Float32Array => queries.subarray(q * dim, (q + 1) * dim);
    const build = (): VectorIndex => {
      const index = factory.create(dim);
      // Three batches, so that growing past the initial capacity is part of every test.
      index.add(ids.slice(0, 100), vectors.subarray(0, 100 * dim));
      index.add(ids.slice(100), vectors.subarray(100 * dim));
      return index;
    };

    it('ranks a hand-checked 2-d case by cosine, best first', () => {
      // a=(1,0) b=(0,1) c=(−1,0) d=(√½,√½); query (2,0) normalises to (1,0):
      // cos: a 1, d 0.7071, b 0, c −1; squared L2 = 2 − 2cos: 0, 0.5858, 2, 4.
      const index = factory.create(2);
      const s = Math.SQRT1_2;
      index.add(['a', 'b', 'c', 'd'], new Float32Array([1, 0, 0, 1, -1, 0, s, s]));
      const hits = index.search([2, 0], 4);
      expect(hits.map((h) => h.id)).toEqual(['a', 'd', 'b', 'c']);
      expect(hits.map((h) => h.score)).toEqual([1, expect.closeTo(0.70711, 4), expect.closeTo(0, 6), -1]);
      expect(hits[1].distance).toBeCloseTo(0.58579, 4);
    });

    it('returns the exact cosine top-k in order on 300 random items', () => {
      const index = build();
      expect(index.size).toBe(n);
      for (let q = 0; q < 10; q++) {
        const expected = naiveCosineRanking(ids, vectors, dim, query(q)).slice(0, 10);
        const hits = index.search(query(q), 10);
        expect(hits.map((h) => h.id)).toEqual(expected.map((e) => e.id));
        hits.forEach((h, i) => expect(h.score).toBeCloseTo(expected[i].score, 5));
      }
    });

    it('returns every live item when k exceeds the size', () => {
      const index = factory.create(dim);
      index.add(ids.slice(0, 5), vectors.subarray(0, 5 * dim));
      index.markDeleted('item-2');
      const hits = index.search(query(0), 50);
      expect(hits.map((h) => h.id)).toEqual(
        naiveCosineRanking(ids.slice(0, 5), vectors, dim, query(0))
          .map((e) => e.id)
          .filter((id) => id !== 'item-2'),
      );
      expect(factory.create(dim).search(query(0), 3)).toEqual([]);
    });

    it('never returns a deleted item, and brings it back when re-added', () => {
      const index = build();
      const top = index.search(query(0), 5).map((h) => h.id);
      index.markDeleted(top[0]);
      index.markDeleted(top[0]); // idempotent
      expect(index.size).toBe(n - 1);
      expect(index.has(top[0])).toBe(false);
      const after = index.search(query(0), 5).map((h) => h.id);
      expect(after).not.toContain(top[0]);
      expect(after.slice(0, 4)).toEqual(top.slice(1));
      const row = ids.indexOf(top[0]);
      index.add([top[0]], vectors.slice(row * dim, (row + 1) * dim));
      expect(index.has(top[0])).toBe(true);
      expect(index.search(query(0), 5).map((h) => h.id)).toEqual(top);
    });

    it('gives back the vector it holds for a live id, none for an unknown or deleted one, also after save and load', async () => {
      const index = build();
      for (const row of [0, 150, 299]) expect(Array.from(index.vectorOf(ids[row])!)).toEqual(Array.from(vectors.subarray(row * dim, (row + 1) * dim)));
      expect(index.vectorOf('nope')).toBeUndefined();
      index.markDeleted('item-9');
      expect(index.vectorOf('item-9')).toBeUndefined();
      await index.save(dir);
      const loaded = await factory.load(dir);
      expect(loaded.vectorOf('item-9')).toBeUndefined();
      expect(Array.from(loaded.vectorOf('item-10')!)).toEqual(Array.from(vectors.subarray(10 * dim, 11 * dim)));
      // A copy: changing it changes nothing in the index.
      loaded.vectorOf('item-10')!.fill(0);
      expect(Array.from(loaded.vectorOf('item-10')!)).toEqual(Array.from(vectors.subarray(10 * dim, 11 * dim)));
    });

    it('replaces the vector of an id added again', () => {
      const index = build();
      const q = query(3);
      const norm = Math.hypot(...q);
      index.add(
        ['item-7'],
        Float32Array.from(q, (x) => x / norm),
      );
      const [best] = index.search(q, 1);
      expect(best.id).toBe('item-7');
      expect(best.score).toBeCloseTo(1, 5);
      expect(index.size).toBe(n);
    });

    it('applies a filter', () => {
      const index = build();
      const even = (id: string): boolean => Number(id.split('-')[1]) % 2 === 0;
      const expected = naiveCosineRanking(ids, vectors, dim, query(1))
        .filter((e) => even(e.id))
        .slice(0, 10);
      expect(index.search(query(1), 10, { filter: even }).map((h) => h.id)).toEqual(expected.map((e) => e.id));
    });

    it('gives the same answers after save and load, deletions included', async () => {
      const index = build();
      index.markDeleted('item-5');
      await index.save(dir);
      const loaded = await factory.load(dir);
      expect(loaded.size).toBe(n - 1);
      expect(loaded.has('item-5')).toBe(false);
      for (let q = 0; q < 10; q++) expect(loaded.search(query(q), 10)).toEqual(index.search(query(q), 10));
      loaded.add(
        ['new'],
        Float32Array.from(query(2), (x) => x / Math.hypot(...query(2))),
      );
      expect(loaded.search(query(2), 1)[0].id).toBe('new');
    });

    it('rejects bad input with messages naming the problem', () => {
      const index = build();
      expect(() => index.markDeleted('nope')).toThrow('unknown id "nope": it is not in the index');
      expect(() => index.add(['x'], new Float32Array(dim).fill(1))).toThrow(
        'vector for id "x" (row 0) has norm 2.82843; the index takes L2-normalised vectors',
      );
      expect(() => index.add(['x', 'y'], new Float32Array(dim))).toThrow(`expected 2 × ${dim} = ${2 * dim} values for 2 ids, got ${dim}`);
      const one = new Float32Array(dim);
      one[0] = 1;
      expect(() => index.add(['x', 'x'], new Float32Array([...one, ...one]))).toThrow('id "x" appears twice in one add (rows 0 and 1)');
      expect(() => index.search([1, 0], 3)).toThrow(`query has 2 dimensions, the index has ${dim}`);
      expect(() => index.search(new Float32Array(dim), 3)).toThrow('query vector has norm 0; it must be finite and non-zero');
      expect(() => index.search(query(0), 0)).toThrow('k must be a positive integer, got 0');
      expect(() => index.search(query(0), 1.5)).toThrow('k must be a positive integer, got 1.5');
      expect(index.size).toBe(n);
    });
  });
}
