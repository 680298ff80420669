import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { selectBackend } from '../../src/kernels/select-backend.js';

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
