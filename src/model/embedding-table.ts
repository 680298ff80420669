import type { Rng } from '../common/rng.js';
import type { RowTable } from '../kernels/row-table.js';

/**
 * An embedding table kept outside TF.js autograd: a row-major Float32Array [rows, dim]. Rows are
 * gathered and mean-pooled outside TF.js (`Kernels.paired`) and updated sparsely (only the rows a batch touched),
 * because tf.gather's gradient is pathologically slow (cpu) or missing (wasm) in TF.js 4.22.
 */
export type EmbeddingTable = RowTable;

/** A table initialised N(0, scale²) from the seeded generator. */
export function createEmbeddingTable(rows: number, dim: number, rng: Rng, scale: number): EmbeddingTable {
  const weights = new Float32Array(rows * dim);
  for (let k = 0; k < weights.length; k++) weights[k] = rng.normal() * scale;
  return { rows, dim, weights };
}
