import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import './register-gradients.js';
import { UserError } from '../../common/user-error.js';
import { registerHeapSlice } from './heap-slice.js';
import { nativeMatMulActive, nativeMatMulAvailable, registerNativeMatMul } from './native-mat-mul.js';
import { nativeKernelThreads, wasmThreads } from './thread-count.js';
import { registerThreadedWasm } from './threaded-wasm.js';
import { registerZeroCopyIdentity } from './zero-copy-identity.js';

import { BACKEND_ORDER, type BackendName } from './backend-order.js';

// Declared in a file of their own so that the CLI can list them without loading TF.js.
export { BACKEND_ORDER, type BackendName } from './backend-order.js';

const require = createRequire(import.meta.url);

async function tryNative(pkg: string): Promise<boolean> {
  try {
    // The native packages are optional: absent, or present without libtensorflow (blocked install script).
    await import(pkg);
    return tf.findBackend('tensorflow') !== undefined && (await tf.setBackend('tensorflow'));
  } catch {
    return false;
  }
}

let wasmThreadCount = 1;

/** Threads the wasm backend runs its matmuls on (1 until a wasm backend is selected). */
export function currentWasmThreads(): number {
  return wasmThreadCount;
}

async function tryWasm(): Promise<boolean> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    wasm.setWasmPaths(dist);
    // With the native matMul kernel, TF.js's own thread pool only got in its way: the stock
    // single-threaded build beside native matmuls on every core trained 10–30 % faster.
    const native = nativeMatMulAvailable();
    const threaded = !native && (await registerThreadedWasm(wasm, wasmThreads()));
    if (!(await tf.setBackend('wasm'))) return false;
    registerZeroCopyIdentity();
    registerHeapSlice();
    wasmThreadCount = native && registerNativeMatMul() ? nativeKernelThreads() : threaded ? wasm.getThreadsCount() : 1;
    return true;
  } catch {
    return false;
  }
}

async function tryBackend(name: BackendName): Promise<boolean> {
  switch (name) {
    case 'tensorflow-gpu':
      return tryNative('@tensorflow/tfjs-node-gpu');
    case 'tensorflow':
      return tryNative('@tensorflow/tfjs-node');
    case 'wasm':
      return tryWasm();
    case 'cpu':
      return tf.setBackend('cpu');
  }
}

let selected: BackendName | undefined;

/** The selected backend in words, for logs: e.g. `wasm (native AVX2/FMA matMul, 2 threads)`. */
export function describeBackend(): string {
  if (selected !== 'wasm') return selected ?? 'none selected';
  const kernel = nativeMatMulActive() ? 'native AVX2/FMA matMul' : 'XNNPACK matMul';
  return `wasm (${kernel}, ${wasmThreadCount} thread${wasmThreadCount > 1 ? 's' : ''})`;
}

/** The backend chosen by the last successful {@link selectBackend}, or undefined before it. */
export function currentBackend(): BackendName | undefined {
  return selected;
}

/**
 * Initialises TF.js on the best available backend and returns its name. With `forced`, only that
 * backend is tried and a failure is a {@link UserError}; with `auto` (default), the first of
 * {@link BACKEND_ORDER} that loads wins. Idempotent: a second call with the same wish is free.
 *
 * @example
 *   const name = await selectBackend('auto'); // 'wasm' on a machine without libtensorflow
 */
export async function selectBackend(forced: BackendName | 'auto' = 'auto'): Promise<BackendName> {
  if (selected !== undefined && (forced === 'auto' || forced === selected)) return selected;
  // Production mode: no debug checks, and no "install tfjs-node" banner from the cpu backend.
  tf.env().set('PROD', true);
  const order = forced === 'auto' ? BACKEND_ORDER : [forced];
  for (const name of order) {
    if (await tryBackend(name)) {
      await tf.ready();
      selected = name;
      return name;
    }
  }
  throw new UserError(`TF.js backend '${forced}' could not be loaded (available here: try --backend wasm or cpu)`);
}
