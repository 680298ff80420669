import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { HNSW_FILE, HNSW_LABELS_FILE, HnswIndex } from '../../src/index/hnsw-index.js';
import { randomUnitVectors } from '../../src/index/random-unit-vectors.js';
import { describeVectorIndex } from './vector-index-suite.js';

describeVectorIndex('HnswIndex', { create: (dim) => HnswIndex.create(dim, { initialCapacity: 16 }), load: (dir) => HnswIndex.load(dir) });

describe('HnswIndex specifics', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'contrarec-hnsw-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const dim = 4;
  const vectors = randomUnitVectors(40, dim, createRng(3));
  const ids = Array.from({ length: 40 }, (_, i) => `i${i}`);

  it('grows its capacity by doubling instead of failing when full', () => {
    const index = HnswIndex.create(dim, { initialCapacity: 8 });
    expect(index.capacity).toBe(8);
    index.add(ids.slice(0, 10), vectors.subarray(0, 10 * dim));
    expect(index.capacity).toBe(16);
    index.add(ids.slice(10), vectors.subarray(10 * dim));
    expect(index.capacity).toBe(40);
    expect(index.size).toBe(40);
    expect(index.search(vectors.subarray(39 * dim), 1)[0].id).toBe('i39');
  });

  it('keeps its parameters, ef included, across save and load', async () => {
    const index = HnswIndex.create(dim, { m: 8, efConstruction: 50, ef: 30 });
    index.add(ids, vectors);
    index.ef = 77;
    await index.save(dir);
    const loaded = await HnswIndex.load(dir);
    expect(loaded.params).toMatchObject({ m: 8, efConstruction: 50, ef: 77 });
    expect(loaded.ef).toBe(77);
    expect((await HnswIndex.load(dir, { ef: 12 })).ef).toBe(12);
  });

  it('refuses a graph and a label file from different saves', async () => {
    const index = HnswIndex.create(dim);
    index.add(ids.slice(0, 20), vectors.subarray(0, 20 * dim));
    await index.save(dir);
    const oldLabels = await readFile(path.join(dir, HNSW_LABELS_FILE), 'utf8');
    index.add(ids.slice(20), vectors.subarray(20 * dim));
    await index.save(dir);
    await writeFile(path.join(dir, HNSW_LABELS_FILE), oldLabels);
    const graph = path.join(dir, HNSW_FILE);
    const oldBytes = (JSON.parse(oldLabels) as { indexBytes: number }).indexBytes;
    const newBytes = (await stat(graph)).size;
    await expect(HnswIndex.load(dir)).rejects.toThrow(`${graph}: ${newBytes} bytes, but ${HNSW_LABELS_FILE} was written for ${oldBytes}; rebuild the index`);
  });

  it('names the file and field when the label file is missing or malformed', async () => {
    const labels = path.join(dir, HNSW_LABELS_FILE);
    await expect(HnswIndex.load(dir)).rejects.toThrow(`${labels}: not found (build the index with \`contrarec index\`)`);
    const index = HnswIndex.create(dim);
    index.add(ids, vectors);
    await index.save(dir);
    const meta = JSON.parse(await readFile(labels, 'utf8')) as Record<string, unknown>;
    await writeFile(labels, JSON.stringify({ ...meta, dim: 'four' }));
    await expect(HnswIndex.load(dir)).rejects.toThrow(`${labels}: field "dim": Invalid input: expected number, received string`);
    await writeFile(labels, '{ nope');
    await expect(HnswIndex.load(dir)).rejects.toThrow(`${labels}: not valid JSON`);
  });
});

describe('HnswIndex.load on a damaged graph file', () => {
  it('names the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'contrarec-hnsw-bad-'));
    try {
      const index = HnswIndex.create(4);
      index.add(['a'], new Float32Array([1, 0, 0, 0]));
      await index.save(dir);
      const graph = path.join(dir, HNSW_FILE);
      const size = (await stat(graph)).size;
      await writeFile(graph, Buffer.alloc(size, 0xff));
      await expect(HnswIndex.load(dir)).rejects.toThrow(
        new RegExp(`^${graph.replace(/[.\\/]/g, '\\$&')}: cannot be read as an hnswlib index \\(.+\\); rebuild the index$`),
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
