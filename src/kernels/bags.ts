/**
 * Bags of table rows in compressed sparse row form: bag b owns `rows[offsets[b] .. offsets[b+1])`.
 * An empty bag pools to the zero vector and receives no gradient.
 */
export interface Bags {
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
}
