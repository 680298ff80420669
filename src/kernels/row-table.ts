/**
 * A row-major float32 matrix [rows, dim] that the paired kernels read and update in place: the
 * layout of the model's embedding tables, named here so that the kernels need not know the model.
 */
export interface RowTable {
  readonly rows: number;
  readonly dim: number;
  readonly weights: Float32Array;
}
