import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { nativeAddon } from '../../src/kernels/native-addon.js';
import { scoresGemmOf } from '../../src/kernels/scores-gemm.js';
import { evaluateFullRanking } from '../../src/metrics/evaluate-full-ranking.js';
import { randomUserItemLists } from '../metrics/random-user-item-lists.js';
import { skipWithout } from '../missing-dependency.js';

const addonBuilt = existsSync(path.join(import.meta.dirname, '..', '..', 'build', 'Release', 'contrarec_native.node'));

function random(length: number, seed: number): Float32Array {
  const rng = createRng(seed);
  return Float32Array.from({ length }, () => rng.normal());
}

describe.skipIf(skipWithout('build/Release/contrarec_native.node', !addonBuilt, 'run `npm run build:native`'))(
  'the native GEMM as the full-ranking score product',
  () => {
    it('is there with the addon and absent without it', () => {
      expect(scoresGemmOf({ addon: nativeAddon() })).toBeDefined();
      expect(scoresGemmOf({ addon: undefined })).toBeUndefined();
    });

    it('computes A · Bᵀ (queries [m, d] against candidates [n, d]) on subarray views', () => {
      const gemm = scoresGemmOf({ addon: nativeAddon() })!;
      const [m, n, d] = [7, 37, 13];
      const a = random((m + 2) * d, 1).subarray(2 * d); // a view that does not start at its buffer's start
      const b = random(n * d, 2);
      const c = new Float32Array(m * n);
      gemm(a, b, c, m, n, d);
      let worst = 0;
      for (let i = 0; i < m; i++)
        for (let j = 0; j < n; j++) {
          let s = 0;
          for (let k = 0; k < d; k++) s += a[i * d + k] * b[j * d + k];
          worst = Math.max(worst, Math.abs(c[i * n + j] - s));
        }
      expect(worst).toBeLessThan(1e-4);
    });

    it('gives evaluateFullRanking the figures of its float64 loops (users and items across several tiles)', () => {
      const rng = createRng(3);
      const [numUsers, numItems, dim] = [300, 5000, 32];
      const exclude = randomUserItemLists(rng, numUsers, numItems, 40);
      const truth = randomUserItemLists(rng, numUsers, numItems, 5);
      const input = {
        userEmbeddings: random(numUsers * dim, 4),
        itemEmbeddings: random(numItems * dim, 5),
        dim,
        users: Int32Array.from({ length: numUsers }, (_, u) => u),
        exclude,
        truth,
        ks: [10, 50, 200],
        perUser: true,
      };
      const portable = evaluateFullRanking(input);
      const native = evaluateFullRanking({ ...input, matMul: scoresGemmOf({ addon: nativeAddon() }) });
      // Float32 scores differ from float64 ones in the last bits only; no pair of these items is that close.
      expect(native).toEqual(portable);
      expect(portable.atK[2].recall).toBeGreaterThan(0);
    });
  },
);
