import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import type { DenseAdamStep } from './dense-adam-update.js';
import { nativeKernelThreads } from './thread-count.js';

const require = createRequire(import.meta.url);

/** Where node-gyp puts the addon built from `native/` (`npm install` builds it). */
const ADDON = path.join('build', 'Release', 'contrarec_native.node');

const fn = <T>() => z.custom<T>((f) => typeof f === 'function');

/** The addon's exports (`native/addon.cc`), validated on load. */
const addonSchema = z.object({
  supported: z.boolean(),
  gemm: fn<(a: Float32Array, b: Float32Array, c: Float32Array, m: number, n: number, k: number, transA: boolean, transB: boolean) => void>(),
  setThreads: fn<(n: number) => number>(),
  poolBags: fn<(weights: Float32Array, dim: number, offsets: Int32Array, rows: Int32Array, out: Float32Array, stride: number, offset: number) => void>(),
  scatterBagGradients:
    fn<
      (
        grad: Float32Array,
        stride: number,
        offset: number,
        offsets: Int32Array,
        rows: Int32Array,
        values: Float32Array,
        dim: number,
        isTouched: Uint8Array,
        touched: Int32Array,
        count: number,
      ) => number
    >(),
  lazyAdamRows:
    fn<
      (
        weights: Float32Array,
        m: Float32Array,
        v: Float32Array,
        grads: Float32Array,
        touched: Int32Array,
        count: number,
        dim: number,
        alpha: number,
        beta1: number,
        beta2: number,
        eps: number,
      ) => void
    >(),
  clearTouchedRows: fn<(values: Float32Array, dim: number, isTouched: Uint8Array, touched: Int32Array, count: number) => void>(),
  denseAdam: fn<DenseAdamStep>(),
  // Optional so that an addon built before it was added still gives training its kernels.
  trimHeap: fn<() => Promise<boolean>>().optional(),
});

/** contrarec's native kernels (`native/*.cc`): the GEMM and the embedding-table routines. */
export type NativeAddon = z.infer<typeof addonSchema>;

/** The package root's addon file: the nearest folder above this module that has one. */
function addonPath(): string | undefined {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 6; up++, dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, ADDON))) return path.join(dir, ADDON);
  }
  return undefined;
}

let loaded: NativeAddon | null | undefined;

/**
 * The native kernels, or undefined where they can't be used: the addon was not built (no C++
 * compiler at `npm install`), fails to load, the CPU lacks AVX2 and FMA, or `CONTRAREC_NATIVE=0`.
 * Loaded once per JS thread, set to split its work over `nativeKernelThreads()` cores. Callers
 * get it from `selectBackend` (`Kernels.addon`, `Kernels.paired`); every kernel has a
 * JavaScript/TF.js path for undefined.
 */
export function nativeAddon(): NativeAddon | undefined {
  if (loaded !== undefined) return loaded ?? undefined;
  loaded = null;
  const file = addonPath();
  if (file === undefined || process.env.CONTRAREC_NATIVE === '0') return undefined;
  // OpenMP's threads otherwise spin for a while after each product, taking the core from the
  // JS of the step (`bench:train` shows the step time with and without). libgomp reads
  // this once, when the addon loads it.
  process.env.OMP_WAIT_POLICY ??= 'passive';
  try {
    const addon = addonSchema.parse(require(file));
    if (addon.supported) {
      // Per JS thread in the addon: a gradient worker's 1 leaves the main thread's count alone.
      addon.setThreads(nativeKernelThreads());
      loaded = addon;
    }
  } catch {
    // An addon built for another Node ABI or platform: the portable paths.
  }
  return loaded ?? undefined;
}

/**
 * Hands the C library's free memory back to the system (glibc's `malloc_trim`, on libuv's thread
 * pool), for a caller that has just released a large structure: glibc otherwise keeps freed
 * memory in its arenas, so the process's resident size stays at its high-water mark. Resolves
 * whether anything was given back, and never rejects; false where the addon does not load (not
 * built, `CONTRAREC_NATIVE=0`, a CPU without AVX2 and FMA) or was built before it had this call,
 * and on C libraries other than glibc.
 */
export function trimNativeHeap(): Promise<boolean> {
  const trim = nativeAddon()?.trimHeap;
  return trim === undefined ? Promise.resolve(false) : trim();
}
