import * as tf from '@tensorflow/tfjs-core';

const replaced = new Set<string>();

/**
 * Puts the kernel `make(stock)` in place of the wasm backend's kernel `name`, keeping the stock
 * config's setup and disposal; `stock` is there to fall back on for the dtypes and shapes the
 * replacement does not handle. Once per name: later calls change nothing. Returns false, leaving
 * everything as it was, when wasm is not registered.
 */
export function replaceWasmKernel(name: string, make: (stock: tf.KernelFunc) => tf.KernelFunc): boolean {
  if (replaced.has(name)) return true;
  const stock = tf.getKernel(name, 'wasm');
  if (stock === undefined) return false;
  replaced.add(name);
  tf.unregisterKernel(name, 'wasm');
  tf.registerKernel({ ...stock, kernelFunc: make(stock.kernelFunc) });
  return true;
}
