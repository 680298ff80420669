import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { ARTIFACT_FILES } from '../model/artifact/artifact-layout.js';
import { writeAtomically, writeFileAtomically } from './atomic-write.js';
import { resolveHnswParams, type HnswParams } from './hnsw-params.js';
import { checkK, checkUnitRows, normaliseQuery, scoreFromSquaredL2 } from './unit-vectors.js';
import { UnknownIdError, type SearchHit, type SearchOptions, type VectorIndex } from './vector-index.js';

const { HierarchicalNSW } = hnswlib;

/** File name of the hnswlib graph inside an index directory (the artifact layout names it). */
export const HNSW_FILE = ARTIFACT_FILES.hnswGraph;
/** File name of the label ↔ external id map written next to the graph. */
export const HNSW_LABELS_FILE = ARTIFACT_FILES.hnswLabels;
const LABELS_FORMAT = 'contrarec-hnsw-labels/1';

const labelsFileSchema = z.object({
  format: z.literal(LABELS_FORMAT),
  space: z.literal('l2'),
  dim: z.int().min(1),
  params: z.object({ m: z.int(), efConstruction: z.int(), ef: z.int(), randomSeed: z.int(), initialCapacity: z.int() }),
  indexBytes: z.int().min(0),
  labels: z.array(z.string()),
  deleted: z.array(z.int().min(0)),
});

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
  private readonly labelOf = new Map<string, number>();
  private readonly deleted = new Set<number>();

  private constructor(
    readonly dim: number,
    readonly params: HnswParams,
    private readonly graph: InstanceType<typeof HierarchicalNSW>,
    private readonly labels: string[],
  ) {
    labels.forEach((id, label) => this.labelOf.set(id, label));
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
    const labelsPath = path.join(dir, HNSW_LABELS_FILE);
    const graphPath = path.join(dir, HNSW_FILE);
    for (const file of [labelsPath, graphPath]) {
      if (!existsSync(file)) throw new Error(`${file}: not found (build the index with \`contrarec index\`)`);
    }
    let json: unknown;
    try {
      json = JSON.parse(await readFile(labelsPath, 'utf8'));
    } catch (err) {
      throw new Error(`${labelsPath}: not valid JSON (${(err as Error).message})`, { cause: err });
    }
    const parsed = labelsFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new Error(`${labelsPath}: field "${issue.path.join('.')}": ${issue.message}`);
    }
    const meta = parsed.data;
    const bytes = (await stat(graphPath)).size;
    if (bytes !== meta.indexBytes) {
      throw new Error(`${graphPath}: ${bytes} bytes, but ${HNSW_LABELS_FILE} was written for ${meta.indexBytes}; rebuild the index`);
    }
    const graph = new HierarchicalNSW('l2', meta.dim);
    try {
      await graph.readIndex(graphPath);
    } catch (err) {
      throw new Error(`${graphPath}: cannot be read as an hnswlib index (${(err as Error).message}); rebuild the index`, { cause: err });
    }
    if (graph.getCurrentCount() !== meta.labels.length) {
      throw new Error(`${graphPath}: holds ${graph.getCurrentCount()} items, ${HNSW_LABELS_FILE} names ${meta.labels.length}; rebuild the index`);
    }
    const params = resolveHnswParams({ ...meta.params, ...overrides });
    const index = new HnswIndex(meta.dim, params, graph, meta.labels);
    for (const label of meta.deleted) index.deleted.add(label);
    return index;
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

  search(query: ArrayLike<number>, k: number, options: SearchOptions = {}): SearchHit[] {
    checkK(k);
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
    const meta: z.infer<typeof labelsFileSchema> = {
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
