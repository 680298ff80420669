import type { VectorIndex } from '../index/index.js';

/**
 * A version's items: their ids by model row, and their vectors as its HNSW index holds them. The
 * index keeps a copy of every vector in its graph, so the server reads them from there and holds
 * no second copy (at a million items that copy is a large part of a version: `npm run
 * bench:scale` reports the server's peak RSS).
 */
export class ModelItems {
  /** Number of model rows: items added live later grow the index (and may grow `ids`, shared with it), not this. */
  readonly size: number;

  /**
   * `ids` in row order and their id → row map; the index may share both as its labels and grow
   * them with items added live, which have no model row.
   */
  constructor(
    private readonly ids: readonly string[],
    private readonly rowOf: ReadonlyMap<string, number>,
    private readonly index: VectorIndex,
  ) {
    this.size = ids.length;
  }

  /** The model row of `id`, or undefined for an id the model was not trained with. */
  row(id: string): number | undefined {
    const row = this.rowOf.get(id);
    return row === undefined || row >= this.size ? undefined : row;
  }

  /** The external id of model row `row`. */
  idAt(row: number): string {
    return this.ids[row];
  }

  /** The unit vector of a model item, or undefined for an unknown item or one deleted since (the index no longer holds it). */
  vectorOf(id: string): Float32Array | undefined {
    return this.row(id) === undefined ? undefined : this.index.vectorOf(id);
  }
}
