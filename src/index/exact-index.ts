import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { writeFileAtomically } from '../common/atomic-write.js';
import { readJsonFile } from '../common/json-file.js';
import { UserError } from '../common/user-error.js';
import { checkK, checkUnitRows, normaliseQuery, scoreFromSquaredL2 } from './unit-vectors.js';
import { UnknownIdError, type SearchHit, type SearchOptions, type VectorIndex } from './vector-index.js';

/** File name of the exact index's vectors (float32 little-endian, rows in insertion order). */
export const EXACT_VECTORS_FILE = 'exact-vectors.f32';
/** File name of the exact index's ids and deletions. */
export const EXACT_META_FILE = 'exact-index.json';
const META_FORMAT = 'contrarec-exact-index/1';

const metaSchema = z.object({
  format: z.literal(META_FORMAT),
  dim: z.int().min(1),
  ids: z.array(z.string()),
  deleted: z.array(z.string()),
});

/**
 * Exact nearest-neighbour search by scanning every vector: the oracle that HNSW's recall is
 * measured against, and a fine index on its own for a few thousand items. Distances are squared
 * L2 computed in float64; ties keep insertion order.
 *
 * @example
 *   const exact = ExactIndex.create(64);
 *   exact.add(ids, vectors);
 *   exact.search(query, 10);
 */
export class ExactIndex implements VectorIndex {
  readonly kind = 'exact' as const;
  private vectors: Float32Array;
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private readonly deleted = new Set<number>();

  private constructor(readonly dim: number) {
    this.vectors = new Float32Array(dim * 64);
  }

  /** An empty index for `dim`-dimensional unit vectors. */
  static create(dim: number): ExactIndex {
    if (!Number.isInteger(dim) || dim < 1) throw new RangeError(`dim must be a positive integer, got ${dim}`);
    return new ExactIndex(dim);
  }

  /** Reads an index saved by `save`; errors name the file that is missing or malformed. */
  static async load(dir: string): Promise<ExactIndex> {
    const metaPath = path.join(dir, EXACT_META_FILE);
    const vectorsPath = path.join(dir, EXACT_VECTORS_FILE);
    const { dim, ids, deleted } = await readJsonFile(metaPath, metaSchema);
    if (!existsSync(vectorsPath)) throw new UserError(`${vectorsPath}: not found`);
    const buf = await readFile(vectorsPath);
    if (buf.byteLength !== ids.length * dim * 4) {
      throw new Error(`${vectorsPath}: ${buf.byteLength} bytes, expected ${ids.length} × ${dim} × 4 = ${ids.length * dim * 4}`);
    }
    const index = new ExactIndex(dim);
    const vectors = new Float32Array(ids.length * dim);
    new Uint8Array(vectors.buffer).set(buf);
    index.add(ids, vectors);
    for (const id of deleted) index.markDeleted(id);
    return index;
  }

  get size(): number {
    return this.ids.length - this.deleted.size;
  }

  add(ids: readonly string[], vectors: Float32Array): void {
    checkUnitRows(ids, vectors, this.dim);
    const needed = (this.ids.length + ids.length) * this.dim;
    if (needed > this.vectors.length) {
      const grown = new Float32Array(Math.max(needed, this.vectors.length * 2));
      grown.set(this.vectors);
      this.vectors = grown;
    }
    ids.forEach((id, row) => {
      let at = this.rowOf.get(id);
      if (at === undefined) {
        at = this.ids.length;
        this.ids.push(id);
        this.rowOf.set(id, at);
      }
      this.vectors.set(vectors.subarray(row * this.dim, (row + 1) * this.dim), at * this.dim);
      this.deleted.delete(at);
    });
  }

  /** Idempotent: deleting a deleted item does nothing. */
  markDeleted(id: string): void {
    const row = this.rowOf.get(id);
    if (row === undefined) throw new UnknownIdError(id);
    this.deleted.add(row);
  }

  has(id: string): boolean {
    const row = this.rowOf.get(id);
    return row !== undefined && !this.deleted.has(row);
  }

  vectorOf(id: string): Float32Array | undefined {
    const row = this.rowOf.get(id);
    if (row === undefined || this.deleted.has(row)) return undefined;
    return this.vectors.slice(row * this.dim, (row + 1) * this.dim);
  }

  search(query: ArrayLike<number>, k: number, options: SearchOptions = {}): SearchHit[] {
    checkK(k);
    const q = normaliseQuery(query, this.dim);
    const { filter } = options;
    // Sorted buffer of the best k so far (ascending distance); most rows fail the `worst` test.
    const bestRows: number[] = [];
    const bestDist: number[] = [];
    for (let row = 0; row < this.ids.length; row++) {
      if (this.deleted.has(row)) continue;
      let d = 0;
      for (let j = 0, o = row * this.dim; j < this.dim; j++, o++) {
        const diff = q[j] - this.vectors[o];
        d += diff * diff;
      }
      if (bestRows.length === k && d >= bestDist[k - 1]) continue;
      if (filter && !filter(this.ids[row])) continue;
      let at = bestRows.length;
      while (at > 0 && bestDist[at - 1] > d) at--;
      bestRows.splice(at, 0, row);
      bestDist.splice(at, 0, d);
      if (bestRows.length > k) {
        bestRows.pop();
        bestDist.pop();
      }
    }
    return bestRows.map((row, i) => ({ id: this.ids[row], score: scoreFromSquaredL2(bestDist[i]), distance: bestDist[i] }));
  }

  async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    const used = this.vectors.subarray(0, this.ids.length * this.dim);
    await writeFileAtomically(path.join(dir, EXACT_VECTORS_FILE), new Uint8Array(used.buffer, used.byteOffset, used.byteLength));
    const meta: z.infer<typeof metaSchema> = {
      format: META_FORMAT,
      dim: this.dim,
      ids: this.ids,
      deleted: [...this.deleted].sort((a, b) => a - b).map((row) => this.ids[row]),
    };
    await writeFileAtomically(path.join(dir, EXACT_META_FILE), JSON.stringify(meta));
  }
}
