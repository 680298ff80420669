import type * as tf from '@tensorflow/tfjs-core';
import { replaceWasmKernel } from './replace-wasm-kernel.js';

interface RefCountingBackend {
  incRef(dataId: object): void;
}

/**
 * Replaces the wasm backend's Identity kernel (a full copy) with one that shares the input's
 * buffer, as its Reshape already does. The engine clones every tensor an op saves for its
 * gradient (`tf.customGrad`'s save, Add/Sub/Mul saving their inputs): on wasm each clone of a
 * [B, C] logits matrix cost a full copy, a large share of a step's CPU (`bench:train-ab`). Sharing
 * is safe because no wasm kernel writes into its inputs. A no-op when wasm is not registered.
 */
export function registerZeroCopyIdentity(): void {
  replaceWasmKernel('Identity', (stock) => (args) => {
    const x = args.inputs.x as tf.TensorInfo;
    if (x.dtype === 'string') return stock(args);
    (args.backend as unknown as RefCountingBackend).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  });
}
