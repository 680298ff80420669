import os from 'node:os';
import { isMainThread } from 'node:worker_threads';

/**
 * Threads for the wasm backend's matmuls and contrarec's native kernels: `CONTRAREC_WASM_THREADS`
 * when set (1 = one thread), else every core Node reports, at most 8 (TF.js's pool of workers).
 */
export function wasmThreads(): number {
  const fromEnv = Number(process.env.CONTRAREC_WASM_THREADS);
  const wanted = Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : os.availableParallelism();
  return Math.min(8, wanted);
}

/**
 * Threads the native kernels split their work over when called from this JS thread: {@link
 * wasmThreads} on the main thread, 1 in a worker (gradient workers run side by side, a core each).
 */
export function nativeKernelThreads(): number {
  return isMainThread ? wasmThreads() : 1;
}
