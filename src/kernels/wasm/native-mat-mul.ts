import * as tf from '@tensorflow/tfjs-core';
import type { WasmHeapBackend } from './wasm-heap.js';
import type { NativeAddon } from '../native-addon.js';
import { replaceWasmKernel } from './replace-wasm-kernel.js';

/** The product's batch size: every dimension before the last two. */
function batchOf(shape: readonly number[]): number {
  return shape.slice(0, -2).reduce((p, s) => p * s, 1);
}

/**
 * Replaces the wasm backend's BatchMatMul kernel with contrarec's native AVX2/FMA GEMM
 * (`native/gemm.cc`, `addon.gemm`, on `nativeKernelThreads()` cores) for float32 products without a batch (the
 * only ones the towers and losses make; any other goes to the stock kernel). Operands are read and the
 * output written in place on the wasm heap, and transpose flags are handled by the packing, so
 * they cost nothing. Why: XNNPACK in WebAssembly SIMD has no FMA and 128-bit vectors, so the
 * native kernel runs the training step's products several times faster (`bench:train`).
 *
 * Returns true once the native kernel is in place (matMuls with transpose flags are then as fast
 * as plain ones: `createMatMuls(true)`), false, leaving the stock kernel, when wasm is not registered.
 */
export function registerNativeMatMul(addon: NativeAddon): boolean {
  return replaceWasmKernel('BatchMatMul', (stock) => (args) => {
    const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = args.attrs as { transposeA: boolean; transposeB: boolean };
    const ra = a.shape.length;
    const rb = b.shape.length;
    const m = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
    const k = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
    const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
    const n = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
    // Mismatched shapes, batches and other dtypes: the stock kernel (and its error messages).
    if (a.dtype !== 'float32' || b.dtype !== 'float32' || k !== kb || batchOf(a.shape) !== 1 || batchOf(b.shape) !== 1) return stock(args);
    const backend = args.backend as unknown as WasmHeapBackend;
    const outer = (ra >= rb ? a.shape : b.shape).slice(0, -2);
    const out = backend.makeOutput([...outer, m, n], 'float32');
    // Views taken after the output's allocation, which may have grown (and moved) the heap.
    addon.gemm(backend.typedArrayFromHeap(a), backend.typedArrayFromHeap(b), backend.typedArrayFromHeap(out), m, n, k, transposeA, transposeB);
    return out;
  });
}
