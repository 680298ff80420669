import type * as tf from '@tensorflow/tfjs-core';

/**
 * The part of tfjs-backend-wasm's BackendWasm that contrarec's kernel overrides use: allocating an
 * output on the wasm heap, and a Float32Array view of a tensor's bytes there. A view is valid only
 * until the next allocation (which may grow, and so move, the heap): take views after makeOutput.
 */
export interface WasmHeapBackend {
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}
