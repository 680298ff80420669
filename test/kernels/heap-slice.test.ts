import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/kernels/select-backend.js';

beforeAll(async () => {
  await selectBackend('wasm');
});

// x = [[0, 1, 2, 3], [10, 11, 12, 13], [20, …], [30, …], [40, …]]: entry (r, c) = 10r + c.
const x = () =>
  tf.tensor2d(
    Array.from({ length: 20 }, (_, k) => 10 * Math.floor(k / 4) + (k % 4)),
    [5, 4],
  );

describe('wasm heap-to-heap Slice', () => {
  it('slices whole rows, a column range and "to the end" (-1) as the definition says', () => {
    expect(tf.slice(x(), [1, 0], [2, -1]).arraySync()).toEqual([
      [10, 11, 12, 13],
      [20, 21, 22, 23],
    ]);
    expect(tf.slice(x(), [2, 1], [3, 2]).arraySync()).toEqual([
      [21, 22],
      [31, 32],
      [41, 42],
    ]);
    expect(tf.slice(x(), [4, 3], [-1, -1]).arraySync()).toEqual([[43]]);
    expect(tf.slice(x(), [0, 0], [0, 4]).shape).toEqual([0, 4]);
  });

  it('leaves other dtypes and ranks to the stock kernel', () => {
    expect(
      tf
        .slice(
          tf.tensor2d(
            [
              [1, 2],
              [3, 4],
            ],
            [2, 2],
            'int32',
          ),
          [1, 0],
          [1, 2],
        )
        .arraySync(),
    ).toEqual([[3, 4]]);
    expect(tf.slice(tf.tensor3d([1, 2, 3, 4, 5, 6, 7, 8], [2, 2, 2]), [1, 0, 1], [1, 2, 1]).arraySync()).toEqual([[[6], [8]]]);
  });

  it('keeps its gradient: d/dx Σ slice(x) is 1 on the slice, 0 elsewhere', () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(t as tf.Tensor2D, [1, 1], [2, 2])))(x());
    expect(g.arraySync()).toEqual([
      [0, 0, 0, 0],
      [0, 1, 1, 0],
      [0, 1, 1, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
  });
});
