import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { writeAtomically, writeFileAtomically } from '../common/atomic-write.js';
import { HNSW_FILE, HNSW_LABELS_FILE, LABELS_FORMAT, readHnswLabels, type HnswLabelsFile } from './hnsw-labels.js';
import { resolveHnswParams, type HnswParams } from './hnsw-params.js';
import { checkK, checkUnitRows, normaliseQuery, scoreFromSquaredL2 } from './unit-vectors.js';
import { UnknownIdError, type SearchHit, type SearchOptions, type VectorIndex } from './vector-index.js';

const { HierarchicalNSW } = hnswlib;

export { HNSW_FILE, HNSW_LABELS_FILE };

const RELEASED = 'this index was released (a newer model version replaced it)';

/**
 * Approximate nearest-neighbour index: hnswlib-node's HierarchicalNSW in space `l2` over unit
 * vectors, plus the map between hnswlib's integer labels and external ids (label = insertion
 * order). Saved as `index.hnsw` + `index-labels.json`; the labels file records the graph's byte
 * size so a pair from two different saves is detected at load.
 *
 * @example
 *   const index = HnswIndex.create(64, { ef: 200 });
 *   index.add(ids, vectors);
 *   index.search(query, 10, { filter: (id) => !seen.has(id) });
 *   await index.save(dir);
 *   const again = await HnswIndex.load(dir);
 */
export class HnswIndex implements VectorIndex {
  readonly kind = 'hnsw' as const;
  private readonly labelOf: Map<string, number>;
  private readonly deleted = new Set<number>();
  private released = false;

  private constructor(
    readonly dim: number,
    readonly params: HnswParams,
    private readonly graph: InstanceType<typeof HierarchicalNSW>,
    private readonly labels: string[],
    labelOf?: Map<string, number>,
  ) {
    if (labelOf === undefined) {
      labelOf = new Map();
      for (let label = 0; label < labels.length; label++) labelOf.set(labels[label], label);
    }
    this.labelOf = labelOf;
    graph.setEf(params.ef);
  }

  /** An empty index for `dim`-dimensional unit vectors; `params` overrides `DEFAULT_HNSW_PARAMS`. */
  static create(dim: number, params: Partial<HnswParams> = {}): HnswIndex {
    const p = resolveHnswParams(params);
    const graph = new HierarchicalNSW('l2', dim);
    graph.initIndex({ maxElements: p.initialCapacity, m: p.m, efConstruction: p.efConstruction, randomSeed: p.randomSeed });
    return new HnswIndex(dim, p, graph, []);
  }

  /**
   * Reads an index saved by `save`. `ef` may be overridden (it is a search-time setting); errors
   * name the file when it is missing, malformed, or does not match its graph.
   */
  static async load(dir: string, overrides: { readonly ef?: number } = {}): Promise<HnswIndex> {
    const meta = await readHnswLabels(dir);
    return HnswIndex.fromLabels(dir, meta, meta.labels, undefined, overrides);
  }

  /**
   * The index of `dir` from its labels file already read and checked (`readHnswLabels`, which a
   * worker thread can run): only the graph is read here, by hnswlib on libuv's thread pool, so
   * the calling thread is not held while it loads. `labels` may be a copy of `meta.labels` (e.g.
   * the artifact's item ids when they are the same list) and `labelOf` its id → label map, when
   * the caller has built it already; then it is used as is, and must not be changed elsewhere.
   */
  static async fromLabels(
    dir: string,
    meta: Omit<HnswLabelsFile, 'labels'>,
    labels: string[],
    labelOf?: Map<string, number>,
    overrides: { readonly ef?: number } = {},
  ): Promise<HnswIndex> {
    const graphPath = path.join(dir, HNSW_FILE);
    const graph = new HierarchicalNSW('l2', meta.dim);
    try {
      await graph.readIndex(graphPath);
    } catch (err) {
      throw new Error(`${graphPath}: cannot be read as an hnswlib index (${(err as Error).message}); rebuild the index`, { cause: err });
    }
    if (graph.getCurrentCount() !== labels.length) {
      throw new Error(`${graphPath}: holds ${graph.getCurrentCount()} items, ${HNSW_LABELS_FILE} names ${labels.length}; rebuild the index`);
    }
    const params = resolveHnswParams({ ...meta.params, ...overrides });
    const index = new HnswIndex(meta.dim, params, graph, labels, labelOf);
    for (const label of meta.deleted) index.deleted.add(label);
    return index;
  }

  /**
   * Frees the graph's native memory now instead of whenever the garbage collector gets to this
   * object (V8 does not see hnswlib's allocations, so it is in no hurry). The index answers
   * nothing afterwards: call it only once no request can still search it.
   */
  release(): void {
    // initIndex deletes the current graph and allocates a new, one-element one.
    this.graph.initIndex({ maxElements: 1 });
    this.released = true;
  }

  get size(): number {
    return this.labels.length - this.deleted.size;
  }

  /** Search-time candidate list size (see `HnswParams.ef`); may be changed at any time. */
  get ef(): number {
    return this.graph.getEf();
  }

  set ef(value: number) {
    if (!Number.isInteger(value) || value < 1) throw new RangeError(`ef must be a positive integer, got ${value}`);
    this.graph.setEf(value);
  }

  /** Number of items the graph holds before it must grow (it grows by doubling, without a rebuild). */
  get capacity(): number {
    return this.graph.getMaxElements();
  }

  add(ids: readonly string[], vectors: Float32Array): void {
    checkUnitRows(ids, vectors, this.dim);
    const fresh = ids.filter((id) => !this.labelOf.has(id)).length;
    const needed = this.labels.length + fresh;
    if (needed > this.capacity) this.graph.resizeIndex(Math.max(needed, this.capacity * 2));
    ids.forEach((id, row) => {
      let label = this.labelOf.get(id);
      if (label === undefined) {
        label = this.labels.length;
        this.labels.push(id);
        this.labelOf.set(id, label);
      }
      // addPoint on an existing label updates its vector and un-deletes it (hnswlib semantics).
      this.graph.addPoint(Array.from(vectors.subarray(row * this.dim, (row + 1) * this.dim)), label);
      this.deleted.delete(label);
    });
  }

  /** Idempotent: deleting a deleted item does nothing. */
  markDeleted(id: string): void {
    const label = this.labelOf.get(id);
    if (label === undefined) throw new UnknownIdError(id);
    if (this.deleted.has(label)) return;
    this.graph.markDelete(label);
    this.deleted.add(label);
  }

  has(id: string): boolean {
    const label = this.labelOf.get(id);
    return label !== undefined && !this.deleted.has(label);
  }

  vectorOf(id: string): Float32Array | undefined {
    const label = this.labelOf.get(id);
    if (this.released) throw new Error(RELEASED);
    if (label === undefined || this.deleted.has(label)) return undefined;
    return Float32Array.from(this.graph.getPoint(label));
  }

  search(query: ArrayLike<number>, k: number, options: SearchOptions = {}): SearchHit[] {
    checkK(k);
    if (this.released) throw new Error(RELEASED);
    const q = normaliseQuery(query, this.dim);
    const n = Math.min(k, this.size);
    if (n === 0) return [];
    const { filter } = options;
    const result = filter ? this.graph.searchKnn(q, n, (label) => filter(this.labels[label])) : this.graph.searchKnn(q, n);
    return result.neighbors.map((label, i) => ({
      id: this.labels[label],
      score: scoreFromSquaredL2(result.distances[i]),
      distance: result.distances[i],
    }));
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const graphPath = path.join(dir, HNSW_FILE);
    let indexBytes = 0;
    await writeAtomically(graphPath, async (tmp) => {
      await this.graph.writeIndex(tmp);
      indexBytes = (await stat(tmp)).size;
    });
    const meta: HnswLabelsFile = {
      format: LABELS_FORMAT,
      space: 'l2',
      dim: this.dim,
      params: { ...this.params, ef: this.ef },
      indexBytes,
      labels: this.labels,
      deleted: [...this.deleted].sort((a, b) => a - b),
    };
    await writeFileAtomically(path.join(dir, HNSW_LABELS_FILE), JSON.stringify(meta));
  }
}
