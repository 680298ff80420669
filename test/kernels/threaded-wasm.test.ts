import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { workerScriptPath } from '../../src/kernels/wasm/threaded-wasm.js';

function random(rows: number, cols: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length: rows * cols }, () => rng.next() - 0.5);
}

// The path of a machine where the native matMul addon was not built: TF.js's threaded wasm build.
process.env.CONTRAREC_NATIVE = '0';

describe('wasm backend on every core without the native kernel', () => {
  it("runs its matmuls on one thread per core and gives the plain CPU backend's products", async () => {
    const kernels = await selectBackend('wasm');
    expect(kernels.backend).toBe('wasm');
    expect(kernels.addon).toBeUndefined();
    expect(kernels.nativeMatMul).toBe(false);
    expect(kernels.paired.native).toBe(false);
    expect(kernels.describe()).toBe(`wasm (XNNPACK matMul, ${kernels.matMulThreads} thread${kernels.matMulThreads > 1 ? 's' : ''})`);
    expect(kernels.matMulThreads).toBe(Math.min(8, availableParallelism()));
    const a = random(300, 64, 1);
    const b = random(64, 200, 2);
    const onWasm = tf.matMul(tf.tensor2d(a, [300, 64]), tf.tensor2d(b, [64, 200])).dataSync();
    await tf.setBackend('cpu');
    const onCpu = tf.matMul(tf.tensor2d(a, [300, 64]), tf.tensor2d(b, [64, 200])).dataSync();
    onCpu.forEach((x, k) => expect(onWasm[k]).toBeCloseTo(x, 4));
  });
});

describe('workerScriptPath', () => {
  it("gives each checkout its own worker file, which requires that checkout's package", () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'contrarec-wasm-worker-'));
    try {
      const a = workerScriptPath('/clone-a/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out', '4.22.0', dir);
      const b = workerScriptPath('/clone-b/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out', '4.22.0', dir);
      expect(a).not.toBe(b);
      expect(readFileSync(a, 'utf8')).toContain('/clone-a/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out/tfjs-backend-wasm-threaded-simd.worker.js');
      expect(readFileSync(b, 'utf8')).toContain('/clone-b/node_modules/');
      // The same checkout finds its file again.
      expect(workerScriptPath('/clone-a/node_modules/@tensorflow/tfjs-backend-wasm/wasm-out', '4.22.0', dir)).toBe(a);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
