import type { ArtifactEmbeddings } from '../index/index.js';

/**
 * One side's embeddings (items or users) with an id → row map, so a request turns an external id
 * into its vector in O(1) without copying.
 */
export class VectorsById {
  private readonly rowOf: ReadonlyMap<string, number>;

  /** `rowOf`: the id → row map of `embeddings.ids`, when the caller has built it already (it is used as is). */
  constructor(
    readonly embeddings: ArtifactEmbeddings,
    rowOf?: ReadonlyMap<string, number>,
  ) {
    this.rowOf = rowOf ?? new Map(embeddings.ids.map((id, row) => [id, row]));
  }

  /** Number of rows. */
  get size(): number {
    return this.embeddings.vectors.length / this.embeddings.dim;
  }

  /**
   * The row of `id`, or undefined for an unknown id. The HNSW index may share the ids and their map
   * (its labels are the items when they are the same list) and grow them with items added live,
   * which have no row in this table.
   */
  row(id: string): number | undefined {
    const row = this.rowOf.get(id);
    return row === undefined || row >= this.size ? undefined : row;
  }

  /** The unit vector of `id` (a view into the table), or undefined for an unknown id. */
  vectorOf(id: string): Float32Array | undefined {
    const row = this.row(id);
    if (row === undefined) return undefined;
    const { dim, vectors } = this.embeddings;
    return vectors.subarray(row * dim, (row + 1) * dim);
  }
}
