import * as tf from '@tensorflow/tfjs-core';
import { replaceWasmKernel } from './replace-wasm-kernel.js';
import type { WasmHeapBackend } from './wasm-heap.js';

/**
 * Replaces the wasm backend's Slice kernel, for 2-D float32 tensors, with one that copies the
 * slice from heap to heap. The stock kernel first copies the whole input out to a fresh JS array
 * (`readSync`): the towers' slices of their [rows, 64] outputs (users from views, candidates from
 * views) cost a full copy and its garbage every step. A no-op when wasm is not
 * registered; other dtypes and ranks go to the stock kernel.
 */
export function registerHeapSlice(): void {
  replaceWasmKernel('Slice', (stock) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype !== 'float32' || x.shape.length !== 2) return stock(args);
    const { begin, size } = args.attrs as unknown as { begin: number | number[]; size: number | number[] };
    const [from, extent] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
    const backend = args.backend as unknown as WasmHeapBackend;
    const out = backend.makeOutput(extent, 'float32');
    // Views taken after the output's allocation, which may have grown (and moved) the heap.
    const source = backend.typedArrayFromHeap(x);
    const target = backend.typedArrayFromHeap(out);
    const [rows, cols] = extent;
    const width = x.shape[1];
    if (cols === width) target.set(source.subarray(from[0] * width, (from[0] + rows) * width));
    else for (let r = 0; r < rows; r++) target.set(source.subarray((from[0] + r) * width + from[1], (from[0] + r) * width + from[1] + cols), r * cols);
    return out;
  });
}
