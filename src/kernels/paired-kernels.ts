import type { Bags } from './bags.js';
import { denseAdamUpdateInJs, type DenseAdamStep } from './dense-adam-update.js';
import { lazyAdamRowsInJs } from './lazy-adam-rows.js';
import type { NativeAddon } from './native-addon.js';
import { poolBagsInJs } from './pool-bags.js';
import type { RowTable } from './row-table.js';
import { scatterBagGradientsInJs } from './scatter-bag-gradients.js';
import { clearSparseGradientInJs, type SparseGradient } from './sparse-gradient.js';

/**
 * The kernels that exist twice, in JavaScript and in C++ (`native/*.cc`), with bit-identical
 * results: pooling embedding rows and scattering their gradients, clearing a sparse gradient, and
 * the two Adam updates. The JavaScript half is the fallback where the addon does not load.
 */
export interface PairedKernels {
  /** Whether these run in C++ (the addon's), else in JavaScript. */
  readonly native: boolean;
  /** Mean-pools each bag's table rows into `out[b·stride + offset ..]` (adds; empty bags add nothing). */
  poolBags(table: RowTable, bags: Bags, out: Float32Array, stride: number, offset: number): void;
  /** The backward of {@link PairedKernels.poolBags}: each bag row receives the pooled gradient ÷ bag size. */
  scatterBagGradients(grad: Float32Array, stride: number, offset: number, bags: Bags, g: SparseGradient): void;
  /** Zeroes the touched rows of `g` and forgets them (after the optimizer step). */
  clearSparseGradient(g: SparseGradient): void;
  /** One lazy Adam step on the rows `g` touched (moments `m`, `v`; `alpha` bias-corrected). */
  lazyAdamRows(g: SparseGradient, m: Float32Array, v: Float32Array, alpha: number, beta1: number, beta2: number, eps: number): void;
  /** One Adam step on one dense variable, in place (`c1`, `c2`: the step's bias corrections). */
  readonly denseAdam: DenseAdamStep;
}

/** The JavaScript halves: what runs where the native addon does not load. */
export const JS_PAIRED_KERNELS: PairedKernels = {
  native: false,
  poolBags: poolBagsInJs,
  scatterBagGradients: scatterBagGradientsInJs,
  clearSparseGradient: clearSparseGradientInJs,
  lazyAdamRows: lazyAdamRowsInJs,
  denseAdam: denseAdamUpdateInJs,
};

/** The widest table row the native routines take (`native/sparse.cc` keeps a row on the stack). */
const MAX_NATIVE_DIM = 256;

/**
 * The C++ halves, from the loaded addon. Pooling and scattering tables wider than the native
 * routines take go to the JavaScript loops (same results). C++ because the step's JS loops over
 * the tables are a large part of a training step (bench:train, bench:train-ab).
 */
export function nativePairedKernels(addon: NativeAddon): PairedKernels {
  return {
    native: true,
    poolBags(table, bags, out, stride, offset) {
      if (table.dim > MAX_NATIVE_DIM) return poolBagsInJs(table, bags, out, stride, offset);
      addon.poolBags(table.weights, table.dim, bags.offsets, bags.rows, out, stride, offset);
    },
    scatterBagGradients(grad, stride, offset, bags, g) {
      const dim = g.table.dim;
      if (dim > MAX_NATIVE_DIM) return scatterBagGradientsInJs(grad, stride, offset, bags, g);
      g.count = addon.scatterBagGradients(grad, stride, offset, bags.offsets, bags.rows, g.values, dim, g.isTouched, g.touched, g.count);
    },
    clearSparseGradient(g) {
      addon.clearTouchedRows(g.values, g.table.dim, g.isTouched, g.touched, g.count);
      g.count = 0;
    },
    lazyAdamRows(g, m, v, alpha, beta1, beta2, eps) {
      addon.lazyAdamRows(g.table.weights, m, v, g.values, g.touched, g.count, g.table.dim, alpha, beta1, beta2, eps);
    },
    denseAdam: addon.denseAdam,
  };
}

/** The C++ halves where the addon loaded, else the JavaScript ones. */
export function pairedKernelsFor(addon: NativeAddon | undefined): PairedKernels {
  return addon === undefined ? JS_PAIRED_KERNELS : nativePairedKernels(addon);
}
