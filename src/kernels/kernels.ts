import type { BackendName } from './backend-order.js';
import type { MatMuls } from './mat-muls.js';
import type { NativeAddon } from './native-addon.js';
import type { PairedKernels } from './paired-kernels.js';

/**
 * The training runtime `selectBackend` chose: the TF.js backend, the native addon, and the
 * kernels the towers, losses and optimizers run on. Passed to whatever trains or embeds, so that
 * what is active is stated by the caller rather than read from module state behind its back.
 */
export interface Kernels {
  /** The TF.js backend every tensor of this thread lives on. */
  readonly backend: BackendName;
  /** The backend in words, for logs: e.g. `wasm (native AVX2/FMA matMul, 2 threads)`. */
  describe(): string;
  /** contrarec's native kernels (`native/*.cc`), or undefined where they do not load (`nativeAddon`). */
  readonly addon: NativeAddon | undefined;
  /** Whether the wasm BatchMatMul is contrarec's native GEMM (transpose flags then cost nothing). */
  readonly nativeMatMul: boolean;
  /** Threads the backend's matmuls run on (1 on backends other than wasm). */
  readonly matMulThreads: number;
  /** The matmul wrappers of the towers and losses, made for this backend's matMul kernel. */
  readonly matMuls: MatMuls;
  /** Embedding-table pooling and gradients and the Adam updates: in C++ with the addon, else in JS. */
  readonly paired: PairedKernels;
}
