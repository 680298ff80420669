import type { PairedKernels } from './paired-kernels.js';
import type { SparseGradient } from './sparse-gradient.js';

/** Which row-wise optimizer updates the embedding tables. */
export type SparseOptimizerKind = 'adam' | 'adagrad';

/**
 * Updates only the rows a step touched. Lazy Adam (as in TF's LazyAdamOptimizer): a row's moments
 * decay only when the row is updated, with the global step's bias correction. Adagrad: per-entry
 * accumulated squared gradients (Duchi et al. 2011). Untouched rows are never read or written,
 * so a step costs O(touched rows · dim), not O(table).
 */
export interface SparseOptimizer {
  step(g: SparseGradient): void;
}

/**
 * Creates a row-wise optimizer for one table (its state is as large as the table). Lazy Adam's rows
 * are `paired.lazyAdamRows`: in C++ where the native addon loads (bit-identical results), else JS.
 */
export function createSparseOptimizer(paired: PairedKernels, kind: SparseOptimizerKind, size: number, learningRate: number): SparseOptimizer {
  return kind === 'adam' ? lazyAdam(paired, size, learningRate) : sparseAdagrad(size, learningRate);
}

function lazyAdam(paired: PairedKernels, size: number, lr: number, beta1 = 0.9, beta2 = 0.999, eps = 1e-7): SparseOptimizer {
  const m = new Float32Array(size);
  const v = new Float32Array(size);
  let t = 0;
  return {
    step(g) {
      t++;
      const alpha = (lr * Math.sqrt(1 - beta2 ** t)) / (1 - beta1 ** t);
      paired.lazyAdamRows(g, m, v, alpha, beta1, beta2, eps);
    },
  };
}

function sparseAdagrad(size: number, lr: number, initial = 0.1): SparseOptimizer {
  const acc = new Float32Array(size).fill(initial);
  return {
    step(g) {
      const { dim, weights } = g.table;
      for (let r = 0; r < g.count; r++) {
        const base = g.touched[r] * dim;
        for (let k = base; k < base + dim; k++) {
          const grad = g.values[k];
          acc[k] += grad * grad;
          weights[k] -= (lr * grad) / Math.sqrt(acc[k]);
        }
      }
    },
  };
}
