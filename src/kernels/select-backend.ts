import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { UserError } from '../common/user-error.js';
import { BACKEND_ORDER, type BackendName } from './backend-order.js';
import type { Kernels } from './kernels.js';
import { createMatMuls } from './mat-muls.js';
import { nativeAddon, type NativeAddon } from './native-addon.js';
import { pairedKernelsFor } from './paired-kernels.js';
import { registerGradients } from './register-gradients.js';
import { nativeKernelThreads, wasmThreads } from './thread-count.js';
import { registerHeapSlice } from './wasm/heap-slice.js';
import { registerNativeMatMul } from './wasm/native-mat-mul.js';
import { registerThreadedWasm } from './wasm/threaded-wasm.js';
import { registerZeroCopyIdentity } from './wasm/zero-copy-identity.js';

// Declared in a file of their own so that the CLI can list them without loading TF.js.
export { BACKEND_ORDER, type BackendName } from './backend-order.js';

const require = createRequire(import.meta.url);

/** What a backend that loaded says about its matMul kernel. */
interface MatMulSetup {
  readonly nativeMatMul: boolean;
  readonly threads: number;
}

const PLAIN: MatMulSetup = { nativeMatMul: false, threads: 1 };

async function tryNative(pkg: string): Promise<MatMulSetup | undefined> {
  try {
    // The native packages are optional peers: absent, or present without libtensorflow (blocked install script).
    await import(pkg);
    return tf.findBackend('tensorflow') !== undefined && (await tf.setBackend('tensorflow')) ? PLAIN : undefined;
  } catch {
    return undefined;
  }
}

async function tryWasm(addon: NativeAddon | undefined): Promise<MatMulSetup | undefined> {
  try {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
    wasm.setWasmPaths(dist);
    // With the native matMul kernel, TF.js's own thread pool only got in its way: the stock
    // single-threaded build beside native matmuls on every core trained faster (bench:train-ab).
    const threaded = addon === undefined && (await registerThreadedWasm(wasm, wasmThreads()));
    if (!(await tf.setBackend('wasm'))) return undefined;
    registerZeroCopyIdentity();
    registerHeapSlice();
    if (addon !== undefined && registerNativeMatMul(addon)) return { nativeMatMul: true, threads: nativeKernelThreads() };
    return { nativeMatMul: false, threads: threaded ? wasm.getThreadsCount() : 1 };
  } catch {
    return undefined;
  }
}

async function tryBackend(name: BackendName, addon: NativeAddon | undefined): Promise<MatMulSetup | undefined> {
  switch (name) {
    case 'tensorflow-gpu':
      return tryNative('@tensorflow/tfjs-node-gpu');
    case 'tensorflow':
      return tryNative('@tensorflow/tfjs-node');
    case 'wasm':
      return tryWasm(addon);
    case 'cpu':
      return (await tf.setBackend('cpu')) ? PLAIN : undefined;
  }
}

function describe(backend: BackendName, setup: MatMulSetup): string {
  if (backend !== 'wasm') return backend;
  const kernel = setup.nativeMatMul ? 'native AVX2/FMA matMul' : 'XNNPACK matMul';
  return `wasm (${kernel}, ${setup.threads} thread${setup.threads > 1 ? 's' : ''})`;
}

function kernelsOf(backend: BackendName, setup: MatMulSetup, addon: NativeAddon | undefined): Kernels {
  const text = describe(backend, setup);
  return {
    backend,
    describe: () => text,
    addon,
    nativeMatMul: setup.nativeMatMul,
    matMulThreads: setup.threads,
    matMuls: createMatMuls(setup.nativeMatMul),
    paired: pairedKernelsFor(addon),
  };
}

// TF.js's backend and kernel registries are global to the thread, so the runtime they make up is
// too: kept here only so that a second call is free, and handed to callers as the return value.
let selected: Kernels | undefined;

/**
 * Initialises TF.js on the best available backend, registers the gradients the trainer needs,
 * loads the native addon where it can, and returns the runtime as one {@link Kernels} object for
 * the caller to pass to whatever trains or embeds. With `forced`, only that backend is tried and
 * a failure is a {@link UserError}; with `auto` (default), the first of {@link BACKEND_ORDER} that
 * loads wins. `tensorflow-gpu` and `tensorflow` load only where the user installed the optional
 * peer dependency `@tensorflow/tfjs-node-gpu` or `@tensorflow/tfjs-node` (with its libtensorflow);
 * elsewhere `auto` goes on to wasm. Idempotent: a second call with the same wish returns the same
 * object.
 *
 * @example
 *   const kernels = await selectBackend('auto'); // kernels.backend is 'wasm' without libtensorflow
 *   trainModel(kernels, snapshot, { epochs: 20 });
 */
export async function selectBackend(forced: BackendName | 'auto' = 'auto'): Promise<Kernels> {
  if (selected !== undefined && (forced === 'auto' || forced === selected.backend)) return selected;
  // Production mode: no debug checks, and no "install tfjs-node" banner from the cpu backend.
  tf.env().set('PROD', true);
  registerGradients();
  const addon = nativeAddon();
  const order = forced === 'auto' ? BACKEND_ORDER : [forced];
  for (const name of order) {
    const setup = await tryBackend(name, addon);
    if (setup !== undefined) {
      await tf.ready();
      selected = kernelsOf(name, setup, addon);
      return selected;
    }
  }
  throw new UserError(`TF.js backend '${forced}' could not be loaded (available here: try --backend wasm or cpu)`);
}
