import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.js';
import { selectBackend } from '../../../src/kernels/select-backend.js';
import { compactBceCandidates, compactCandidates } from '../../../src/model/losses/compact-candidates.js';
import { computeLoss, type CompactLoss, type LossConfig } from '../../../src/model/losses/compute-loss.js';

const kernels = await selectBackend('cpu');

const BASE: LossConfig = {
  kind: 'infonce',
  temperature: 0.2,
  logQ: true,
  maskAccidentalHits: true,
  itemSslWeight: 0,
  userSslWeight: 0,
  sslTemperature: 0.5,
  truncationMaxRate: 0,
  truncationRampSteps: 0,
  rinceQ: 0,
  rinceLambda: 0.01,
  rinceRelative: false,
  agreementSharpness: 0,
  reweightBeta: 0,
};

describe('compactCandidates', () => {
  it('keeps each item once, labels rows by its first column, and folds repeats into the bias', () => {
    // candidates [7, 7, 9, 7], q [0.5, 0.5, 0.25, 0.1]; b = 2 (both rows' positive is item 7)
    // column 7: 1/0.5 + 1/0.5 + 1/0.1 = 14 → log 14; column 9: 1/0.25 = 4 → log 4
    // masking: each row keeps only its own occurrence of 7 → bias log(1/0.5) = log 2 there
    const c = compactCandidates(Int32Array.from([7, 7, 9, 7]), Float32Array.from([0.5, 0.5, 0.25, 0.1]), 2, { logQ: true, maskAccidentalHits: true });
    expect([...c.items]).toEqual([7, 9]);
    expect([...c.labels]).toEqual([0, 0]);
    // columns: [log 14, log 4]; each row's own 7 is shifted from log 14 down to log 2, by −log 7
    expect([...c.columnBias].map((x) => +x.toFixed(5))).toEqual([Math.log(14), Math.log(4)].map((x) => +x.toFixed(5)));
    expect([...c.labelShift].map((x) => +x.toFixed(5))).toEqual([-Math.log(7), -Math.log(7)].map((x) => +x.toFixed(5)));
    expect([...c.rowCorrection]).toEqual([0, 0]);
    // No masking, no logQ: column 7 counts 3 occurrences → log 3, the numerator one → correction log 3
    const plain = compactCandidates(Int32Array.from([7, 7, 9, 7]), Float32Array.from([0.5, 0.5, 0.25, 0.1]), 2, { logQ: false, maskAccidentalHits: false });
    expect([...plain.columnBias].map((x) => +x.toFixed(5))).toEqual([Math.log(3), 0].map((x) => +x.toFixed(5)));
    expect([...plain.labelShift]).toEqual([0, 0]);
    expect([...plain.rowCorrection].map((x) => +x.toFixed(5))).toEqual([Math.log(3), Math.log(3)].map((x) => +x.toFixed(5)));
  });

  for (const kind of ['infonce', 'bce', 'rince', 'relative rince', 'rce'] as const) {
    for (const [logQ, mask] of [
      [true, true],
      [true, false],
      [false, true],
      [false, false],
    ] as const) {
      it(`gives the same ${kind} value and gradients as the full list (logQ ${logQ}, masking ${mask})`, () => {
        const rng = createRng(3);
        const b = 6;
        const d = 4;
        // Positives with repeats (items 0..3) and negatives over items 0..5, so repeats cross both parts.
        const candidates = Int32Array.from([0, 1, 0, 2, 3, 1, 4, 0, 5, 2, 4]);
        const q = Float32Array.from(candidates, (item, k) => (k < b ? 0.05 * (item + 1) : 1 / 6));
        const table = Array.from({ length: 6 }, () => Array.from({ length: d }, () => rng.next() - 0.5));
        const users = tf.tensor2d(Array.from({ length: b }, () => Array.from({ length: d }, () => rng.next() - 0.5)));
        const config = {
          ...BASE,
          kind: kind === 'bce' ? kind : 'infonce',
          logQ,
          maskAccidentalHits: mask,
          rinceQ: kind.endsWith('rince') ? 0.5 : 0,
          rinceRelative: kind === 'relative rince',
          reweightBeta: kind === 'rce' ? 0.7 : 0,
        } as const;
        const full = tf.valueAndGrads(
          (u: tf.Tensor, t: tf.Tensor) =>
            computeLoss(
              kernels.matMuls,
              {
                users: u as tf.Tensor2D,
                candidates: t as tf.Tensor2D,
                candidateQ: tf.tensor1d(q),
                positiveIds: candidates.slice(0, b),
                candidateIds: candidates,
                step: 0,
              },
              config,
            ).total,
        )([users, tf.tensor2d([...candidates].map((item) => table[item]))]);
        const { items, ...rest } = kind === 'bce' ? compactBceCandidates(candidates, q, b, b, config) : compactCandidates(candidates, q, b, config);
        const compact = { kind: config.kind, ...rest } as CompactLoss;
        const rewritten = tf.valueAndGrads(
          (u: tf.Tensor, t: tf.Tensor) =>
            computeLoss(kernels.matMuls, { users: u as tf.Tensor2D, candidates: t as tf.Tensor2D, compact, step: 0 }, config).total,
        )([users, tf.tensor2d([...items].map((item) => table[item]))]);
        expect(rewritten.value.dataSync()[0]).toBeCloseTo(full.value.dataSync()[0], 5);
        const fullUserGrad = full.grads[0].dataSync();
        rewritten.grads[0].dataSync().forEach((g, k) => expect(g).toBeCloseTo(fullUserGrad[k], 5));
        // The full list's gradient per occurrence, summed per distinct item, is the compact one's.
        const perItem = new Map<number, number[]>();
        (full.grads[1].arraySync() as number[][]).forEach((row, k) =>
          perItem.set(
            candidates[k],
            (perItem.get(candidates[k]) ?? Array(d).fill(0)).map((x, e) => x + row[e]),
          ),
        );
        (rewritten.grads[1].arraySync() as number[][]).forEach((row, j) => row.forEach((g, e) => expect(g).toBeCloseTo(perItem.get(items[j])![e], 5)));
      });
    }
  }

  it("weighs a BCE negative by its count over G, zero where it is the row's own positive", () => {
    // candidates [7, 8 | 7, 9, 9], b = 2, G = 3: row 0 (positive 7) masks its 7 → [7: 0, 8: 0, 9: 2/3]
    const c = compactBceCandidates(Int32Array.from([7, 8, 7, 9, 9]), Float32Array.from([0.5, 0.5, 0.25, 0.25, 0.25]), 2, 2, {
      logQ: false,
      maskAccidentalHits: true,
    });
    expect([...c.items]).toEqual([7, 8, 9]);
    expect([...c.negativeWeight].map((x) => +x.toFixed(4))).toEqual([0, 0, 0.6667, 0.3333, 0, 0.6667]);
  });

  it('refuses a batch compacted for the other loss', () => {
    const { items: _, ...rest } = compactCandidates(Int32Array.from([0, 1]), Float32Array.from([0.5, 0.5]), 2, BASE);
    expect(() =>
      computeLoss(
        kernels.matMuls,
        { users: tf.eye(2) as tf.Tensor2D, candidates: tf.eye(2) as tf.Tensor2D, compact: { kind: 'infonce', ...rest }, step: 0 },
        { ...BASE, kind: 'bce' },
      ),
    ).toThrow("the batch's candidates are compacted for infonce but the loss is bce");
  });
});
