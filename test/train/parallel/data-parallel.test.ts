import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/common/rng.js';
import { buildSnapshot } from '../../../src/data/snapshot.js';
import { selectBackend } from '../../../src/kernels/select-backend.js';
import { createTwoTowerModel, type TwoTowerModel } from '../../../src/model/two-tower-model.js';
import type { LossConfig } from '../../../src/model/losses/compute-loss.js';
import { DEFAULT_MODEL_CONFIG } from '../../../src/model/model-config.js';
import { computeGradients, type GradientResult } from '../../../src/train/compute-gradients.js';
import { mergeGradientResults, sliceStepInputs } from '../../../src/train/parallel/slice-inputs.js';
import { prepareStep, type StepInputs } from '../../../src/train/step-inputs.js';
import { DEFAULT_TRAIN_CONFIG } from '../../../src/train/train-config.js';
import { createTrainContext } from '../../../src/train/train-context.js';
import { trainModelParallel } from '../../../src/train/train-model.js';
import { lossConfigOf } from '../../../src/train/train-step.js';
import { plantedLog } from '../planted-log.js';

const kernels = await selectBackend('cpu');

const MODEL = { ...DEFAULT_MODEL_CONFIG, embeddingDim: 8, hiddenSizes: [16, 8] };

/** The step's gradients computed over three slices of its batch (as three workers would), merged. */
function overThreeSlices(inputs: StepInputs, model: TwoTowerModel, lc: LossConfig): GradientResult {
  const slices = [0, 1, 2].map((k) => sliceStepInputs(inputs, k, 3));
  const parts = slices.map((p) => computeGradients(kernels.matMuls, p.inputs, model.user.mlp.weights, model.item.mlp.weights, lc, p.scale));
  return mergeGradientResults(
    inputs,
    parts,
    slices.map((p) => p.scale),
  );
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('data-parallel gradients', () => {
  it('slices merged back equal the whole batch (main loss, logQ, accidental hits, BCE, RINCE)', () => {
    for (const [loss, rinceQ] of [
      ['infonce', 0],
      ['bce', 0],
      ['infonce', 0.5],
    ] as const) {
      const snapshot = buildSnapshot(plantedLog(8));
      const config = { ...DEFAULT_TRAIN_CONFIG, loss, rinceQ, batchSize: 40, globalNegatives: 12, userSslWeight: 0 };
      const model = createTwoTowerModel(snapshot, { ...MODEL, useHistory: true, historyMaxLength: 0, initScale: 0.1 }, createRng(1));
      const ctx = createTrainContext(kernels, snapshot, model, config, createRng(2));
      // a batch with repeated items, so accidental hits occur across slices
      const examples = Int32Array.from({ length: 40 }, (_, k) => (k * 13) % snapshot.train.user.length);
      const { inputs } = prepareStep(ctx, examples);
      const lc = lossConfigOf(ctx);
      const whole = computeGradients(kernels.matMuls, inputs, model.user.mlp.weights, model.item.mlp.weights, lc);
      const merged = overThreeSlices(inputs, model, lc);
      // RINCE's gradients scale with exp(q·s⁺), so its float32 rounding is relative to their size.
      const size = (x: Float32Array) => Math.max(1, ...x.map(Math.abs));
      expect(merged.main).toBeCloseTo(whole.main, 5);
      expect(maxAbsDiff(merged.gxu, whole.gxu)).toBeLessThan(1e-6 * size(whole.gxu));
      expect(maxAbsDiff(merged.gxi, whole.gxi)).toBeLessThan(1e-6 * size(whole.gxi));
      merged.weightGrads.forEach((g, k) => expect(maxAbsDiff(g, whole.weightGrads[k])).toBeLessThan(1e-5 * size(whole.weightGrads[k])));
    }
  });

  it('strength weights are normalised over the whole batch, so the slices still add up to it', () => {
    const log = plantedLog(9);
    const weight = Float32Array.from(log.interactions.user, (_, k) => k % 7);
    const snapshot = buildSnapshot({ ...log, interactions: { ...log.interactions, weight } });
    const config = { ...DEFAULT_TRAIN_CONFIG, batchSize: 40, globalNegatives: 12, userSslWeight: 0, positiveWeighting: 'log' as const };
    const model = createTwoTowerModel(snapshot, { ...MODEL, useHistory: true, historyMaxLength: 0, initScale: 0.1 }, createRng(1));
    const examples = Int32Array.from({ length: 40 }, (_, k) => (k * 13) % snapshot.train.user.length);
    const { inputs } = prepareStep(createTrainContext(kernels, snapshot, model, config, createRng(2)), examples);
    expect(inputs.positiveWeights).toHaveLength(40);
    expect(inputs.positiveWeights!.reduce((a, b) => a + b, 0)).toBeCloseTo(40, 3);
    const off = prepareStep(createTrainContext(kernels, snapshot, model, { ...config, positiveWeighting: 'none' }, createRng(2)), examples);
    expect(off.inputs.positiveWeights).toBeNull();
    const lc = lossConfigOf(createTrainContext(kernels, snapshot, model, config, createRng(2)));
    const whole = computeGradients(kernels.matMuls, inputs, model.user.mlp.weights, model.item.mlp.weights, lc);
    const unweighted = computeGradients(kernels.matMuls, off.inputs, model.user.mlp.weights, model.item.mlp.weights, lc);
    expect(whole.main).not.toBeCloseTo(unweighted.main, 5);
    const merged = overThreeSlices(inputs, model, lc);
    expect(merged.main).toBeCloseTo(whole.main, 5);
    expect(maxAbsDiff(merged.gxu, whole.gxu)).toBeLessThan(1e-6 * Math.max(1, ...whole.gxu.map(Math.abs)));
  });

  it('two worker threads train the planted structure, deterministically', async () => {
    const snapshot = buildSnapshot(plantedLog(1));
    const cfg = { epochs: 1, batchSize: 64, globalNegatives: 32, sslBatchSize: 32, learningRate: 5e-3, embeddingLearningRate: 2e-2, workers: 2 };
    const a = await trainModelParallel(kernels, snapshot, cfg, { embeddingDim: 16, hiddenSizes: [32, 16] });
    const b = await trainModelParallel(kernels, snapshot, cfg, { embeddingDim: 16, hiddenSizes: [32, 16] });
    expect(a.best['recall@20']!).toBeGreaterThan(0.6);
    expect(b.epochs.map((e) => e['recall@20'])).toEqual(a.epochs.map((e) => e['recall@20']));
    expect(b.epochs.map((e) => e.loss)).toEqual(a.epochs.map((e) => e.loss));
  });
});
