import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { existsSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMainThread } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
// Types only: importing the package registers its backend, which select-backend does on demand.
import type * as WasmBackend from '@tensorflow/tfjs-backend-wasm';
import { writeFileAtomicallySync } from '../../common/atomic-write.js';

const require = createRequire(import.meta.url);

/** How long the pthread pool may take to start before we fall back to one thread. */
const START_TIMEOUT_MS = 20_000;

/** The Emscripten module of TF.js's threaded-SIMD build, as far as the backend uses it. */
interface EmscriptenModule {
  cwrap(name: string, returns: string | null, args: string[]): (...args: number[]) => number;
  tfjs?: Record<string, (...args: number[]) => number>;
  PThread?: { runningWorkers: { unref(): void }[]; unusedWorkers: { unref(): void }[] };
}

type ModuleFactory = (config: Record<string, unknown>) => Promise<EmscriptenModule>;

/**
 * The pthread worker script. TF.js ships it only as a string meant for a browser Blob URL, which
 * Node's Worker cannot load, so it is written once to a file (written to a temporary name and
 * renamed into place so concurrent starts never see half a file). The file requires the package
 * by its absolute path, so its name carries a hash of its text: checkouts that share the temporary
 * folder each get their own, and deleting one checkout never breaks another's.
 */
export function workerScriptPath(wasmOut: string, version: string, dir = path.join(os.tmpdir(), 'contrarec')): string {
  const source =
    `// Written by contrarec: TF.js ${version}'s wasm pthread worker, loadable by Node's Worker.\n` +
    `eval(require(${JSON.stringify(path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.worker.js'))}).wasmWorkerContents.replace(/\\n/g, '\\\\n'));\n`;
  const hash = createHash('sha256').update(source).digest('hex').slice(0, 16);
  const file = path.join(dir, `tfjs-wasm-pthread-worker-${version}-${hash}.cjs`);
  if (existsSync(file)) return file;
  mkdirSync(dir, { recursive: true });
  writeFileAtomicallySync(file, source);
  return file;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    timer.unref();
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}

/**
 * Registers TF.js's multi-threaded wasm build (of the loaded package `wasm`) as the `wasm` backend, so that XNNPACK's matmuls run
 * on `threads` cores (`CONTRAREC_NATIVE=0 npm run bench:train`). TF.js 4.22 never does this in Node: its
 * feature check returns false there, its worker is a browser Blob URL, and it sizes the thread pool
 * as half the logical cores (assuming hyper-threads), i.e. 1 on a 2-core machine. This loads the
 * same build with a worker file Node can start, and reports `2 × threads` logical cores to the
 * module while it initialises (its pool size is read once, then `os.cpus` is restored).
 * Returns false, leaving the stock single-threaded `wasm` backend in place, when threads ≤ 1, off
 * the main thread (gradient workers), or when the pool does not start.
 */
export async function registerThreadedWasm(wasm: typeof WasmBackend, threads: number): Promise<boolean> {
  if (threads <= 1 || !isMainThread || typeof SharedArrayBuffer === 'undefined') return false;
  const packageDir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const wasmOut = path.join(packageDir, 'wasm-out');
  const version = (require(path.join(packageDir, 'package.json')) as { version: string }).version;
  const mainScript = path.join(wasmOut, 'tfjs-backend-wasm-threaded-simd.js');
  const factory = require(mainScript) as ModuleFactory;
  const worker = workerScriptPath(wasmOut, version);
  const cpus = os.cpus;
  let module: EmscriptenModule;
  try {
    os.cpus = () => Array.from({ length: 2 * threads }, () => cpus()[0]);
    module = await withTimeout(
      factory({ locateFile: (file: string) => (file.endsWith('.worker.js') ? worker : path.join(wasmOut, file)), mainScriptUrlOrBlob: mainScript }),
      START_TIMEOUT_MS,
    );
  } catch {
    return false;
  } finally {
    os.cpus = cpus;
  }
  // The same C entry points TF.js's own loader wraps (tfjs-backend-wasm's backend_wasm.ts).
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  wasm.setThreadsCount(threads);
  tf.removeBackend('wasm');
  tf.registerBackend(
    'wasm',
    () => {
      const backend = new wasm.BackendWasm(module as unknown as ConstructorParameters<typeof wasm.BackendWasm>[0]);
      // The pool's threads run for the life of the process; unreferenced, they don't keep it alive.
      for (const w of [...(module.PThread?.runningWorkers ?? []), ...(module.PThread?.unusedWorkers ?? [])]) w.unref();
      return backend;
    },
    2,
  );
  return true;
}
