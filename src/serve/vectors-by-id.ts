import type { ArtifactEmbeddings } from '../index/index.js';

/**
 * The users' embeddings with an id → row map (the items' vectors are read from their index: `ModelItems`), so a request turns an external id
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

  /** The row of `id`, or undefined for an unknown id. */
  row(id: string): number | undefined {
    return this.rowOf.get(id);
  }

  /** The unit vector of `id` (a view into the table), or undefined for an unknown id. */
  vectorOf(id: string): Float32Array | undefined {
    const row = this.row(id);
    if (row === undefined) return undefined;
    const { dim, vectors } = this.embeddings;
    return vectors.subarray(row * dim, (row + 1) * dim);
  }
}
