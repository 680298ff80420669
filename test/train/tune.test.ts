import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/common/rng.js';
import { buildSnapshot } from '../../src/data/snapshot.js';
import { selectBackend } from '../../src/kernels/select-backend.js';
import { DEFAULT_MODEL_CONFIG } from '../../src/model/model-config.js';
import { disposeModel } from '../../src/model/two-tower-model.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from '../../src/train/train-config.js';
import { trainModel } from '../../src/train/train-model.js';
import { continuedResult, tuneTraining, type TuneResult } from '../../src/train/tune.js';
import { defaultChoice, describeCandidate, sampleCandidates } from '../../src/train/tune-space.js';
import { plantedLog } from './planted-log.js';

const kernels = await selectBackend('cpu');

/**
 * `tuneTraining` on a small planted log with a 14 s budget whose clock counts epochs (one second
 * each), so the search has one shape however loaded the machine.
 */
async function tuneOnEpochClock(trainOverrides: Partial<TrainConfig>): Promise<{ r: TuneResult; lines: string[] }> {
  const snapshot = buildSnapshot(plantedLog(6));
  let epochsTrained = 0;
  const lines: string[] = [];
  const r = await tuneTraining(
    kernels,
    snapshot,
    { batchSize: 64, sslBatchSize: 32, ...trainOverrides },
    { embeddingDim: 16, hiddenSizes: [32, 16] },
    {
      budgetSeconds: 14,
      firstRungEpochs: 1,
      log: (l) => lines.push(l),
      observer: { onEpochEnd: () => void epochsTrained++ },
      clock: () => epochsTrained,
    },
  );
  return { r, lines };
}

describe('tune space', () => {
  const start = defaultChoice(DEFAULT_TRAIN_CONFIG, DEFAULT_MODEL_CONFIG, 'not-after');

  it('starts from the defaults, draws distinct candidates, and is seeded', () => {
    const a = sampleCandidates(12, start, { untimedShare: 1, tiedShare: 0, unorderedShare: 1 }, createRng(1));
    expect(a).toHaveLength(12);
    expect(describeCandidate(a[0])).toBe('history not-after, τ 0.1, lr 0.002, emb-lr 0.01, ssl 0.1, G 1024, MLP none');
    expect(new Set(a.map(describeCandidate)).size).toBe(12);
    expect(sampleCandidates(12, start, { untimedShare: 1, tiedShare: 0, unorderedShare: 1 }, createRng(1))).toEqual(a);
  });

  it('tries the neighbours of the defaults (one setting changed) before random points', () => {
    const c = sampleCandidates(14, start, { untimedShare: 1, tiedShare: 0, unorderedShare: 1 }, createRng(3));
    // untimed: history none is the one history neighbour; 2 more values on each of 5 numeric axes;
    // one linear layer (64) and a hidden layer (128→64) are the shape neighbours: 13
    const changed = (k: number) =>
      ['temperature', 'learningRate', 'embeddingLearningRate', 'userSslWeight', 'globalNegatives'].filter(
        (a) => c[k].train[a as 'temperature'] !== DEFAULT_TRAIN_CONFIG[a as 'temperature'],
      ).length +
      (c[k].model.useHistory === false ? 1 : 0) +
      (c[k].model.hiddenSizes!.join() === DEFAULT_MODEL_CONFIG.hiddenSizes.join() ? 0 : 1);
    const neighbours = c.slice(1, 14);
    expect(neighbours.map((_, k) => changed(k + 1))).toEqual(Array(13).fill(1));
    expect(neighbours.some((n) => n.model.hiddenSizes!.join() === '128,64' && n.model.fieldCombiner === 'concat')).toBe(true);
    expect(neighbours.some((n) => n.model.hiddenSizes!.join() === '64' && n.model.fieldCombiner === 'concat' && describeCandidate(n).endsWith('MLP 64'))).toBe(
      true,
    );
    expect(describeCandidate(c[0]).endsWith('MLP none')).toBe(true);
    expect(changed(0)).toBe(0);
  });

  it('leaves time order out of the search on a log whose time orders nothing', () => {
    const untimed = sampleCandidates(60, start, { untimedShare: 1, tiedShare: 0, unorderedShare: 1 }, createRng(2));
    expect(untimed.some((c) => c.train.historyMode === 'time-ordered' || c.train.historyMode === 'leave-target-out')).toBe(false);
    expect(untimed.some((c) => c.model.useHistory === false)).toBe(true);
    const timed = sampleCandidates(60, start, { untimedShare: 0, tiedShare: 0, unorderedShare: 0 }, createRng(2));
    expect(timed.some((c) => c.train.historyMode === 'time-ordered')).toBe(true);
  });
});

describe('tuneTraining', () => {
  it('searches within its budget and returns a model no worse on validation than the defaults it started from', async () => {
    const snapshot = buildSnapshot(plantedLog(6));
    const train = { batchSize: 64, sslBatchSize: 32, epochs: 6 };
    const model = { embeddingDim: 16, hiddenSizes: [32, 16] };
    // The budget is sized by this machine's own epoch time (fits several candidates anywhere), so
    // the test does not depend on how fast or how loaded the machine is.
    const probe = trainModel(kernels, snapshot, { ...train, epochs: 1 }, model);
    disposeModel(probe.model);
    const budgetSeconds = Math.max(5, 16 * probe.epochs[0].seconds);
    const lines: string[] = [];
    const started = performance.now();
    const r = await tuneTraining(kernels, snapshot, train, model, { budgetSeconds, firstRungEpochs: 1, log: (l) => lines.push(l) });
    // the budget bounds the search: it may overrun by about an epoch, never by a whole search
    expect((performance.now() - started) / 1000).toBeLessThan(3 * budgetSeconds);
    const rung0 = r.trials.filter((t) => t.rung === 0);
    expect(rung0.length).toBeGreaterThan(1);
    expect(rung0[0].candidate).toContain('τ 0.1, lr 0.002');
    const best = Math.max(...r.trials.map((t) => t['recall@20']));
    expect(r.result.best['recall@20']).toBeCloseTo(best, 12);
    expect(best).toBeGreaterThanOrEqual(rung0[0]['recall@20']);
    expect(lines.at(-1)).toMatch(/^tune: chose history .*: valid recall@20 \d\.\d{4} in \d+ s$/);
    expect(r.train.temperature).toBeDefined();
    // The kept run's epochs count from initialisation, however many rungs it continued through:
    // the first to reach the best score is kept, and it started from scratch only in rung 0 or in
    // the final training.
    expect(r.result.best.epoch).toBe(r.result.bestEpoch);
    expect(r.result.epochs.map((e) => e.epoch)).toEqual(r.result.epochs.map((_, k) => r.result.epochs[0].epoch + k));
    const kept = lines.find((l) => l.startsWith('tune rung') && l.includes(`valid recall@20 ${best.toFixed(4)} after`))!;
    expect(r.result.epochs[0].epoch === 1).toBe(kept.startsWith('tune rung 0:') || kept.includes('from scratch'));
  });

  it("keeps a continued rung's epochs counted from initialisation, so that the refit trains as long as the kept weights did", async () => {
    // Slow embedding updates, so that the rung that continues the leader beats every one-epoch arm;
    // a budget for three candidates and an epoch cap the rungs reach, so no final run from scratch.
    // Three one-epoch arms, the leader continued for two, no final run.
    const { r, lines } = await tuneOnEpochClock({ epochs: 3, embeddingLearningRate: 1e-3 });
    expect(r.trials.map((t) => [t.rung, t.epochs])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [1, 3],
    ]);
    const best = Math.max(...r.trials.map((t) => t['recall@20']));
    const kept = lines.find((l) => l.startsWith('tune rung') && l.includes(`valid recall@20 ${best.toFixed(4)} after`))!;
    expect(kept).toMatch(/^tune rung 1: .* after 3 epochs \(/);
    // Its weights had one epoch behind them; the rung trained two more.
    expect(r.result.epochs.map((e) => e.epoch)).toEqual([2, 3]);
    expect([2, 3]).toContain(r.result.bestEpoch);
    expect(r.result.best.epoch).toBe(r.result.bestEpoch);
    // The rungs reached the epoch cap: the budget cut nothing short.
    expect(lines.filter((l) => l.startsWith('WARNING'))).toEqual([]);
  });

  it('warns when the budget stops the chosen setting before its epochs or early stopping end it', async () => {
    // No early stopping within the cap, so the final run trains as long as the budget lets it.
    const { r, lines } = await tuneOnEpochClock({ epochs: 40, patience: 40 });
    // One second an epoch: three one-epoch arms, the leader continued to 3 epochs (5 s in), then
    // the final run from scratch for the 9 epochs the 14 s budget has left.
    expect(r.trials.map((t) => [t.rung, t.epochs])).toEqual([
      [0, 1],
      [0, 1],
      [0, 1],
      [1, 3],
      [2, 9],
    ]);
    // 14 s spent, plus 31 more one-second epochs: 45 s, one minute.
    expect(lines.filter((l) => l.startsWith('WARNING'))).toEqual([
      'WARNING: tune: the budget gave the chosen setting 9 of its 40 epochs and early stopping had not ended it, so an untuned train may score higher; --budget 1m would fit them',
    ]);
  });
});

describe('continuedResult', () => {
  it("counts a continued run's epochs from initialisation; a run from scratch is unchanged", async () => {
    const snapshot = buildSnapshot(plantedLog(7));
    const r = trainModel(kernels, snapshot, { batchSize: 64, sslBatchSize: 32, epochs: 3, patience: 3 }, { embeddingDim: 16, hiddenSizes: [] });
    // Weights trained for 5 epochs, then 3 more: the run's epochs are the 6th, 7th and 8th.
    const c = continuedResult(r, 5);
    expect(c.epochs.map((e) => e.epoch)).toEqual([6, 7, 8]);
    expect(c.bestEpoch).toBe(r.bestEpoch + 5);
    expect(c.best.epoch).toBe(c.bestEpoch);
    expect(c.best['recall@20']).toBe(r.best['recall@20']);
    expect(c.model).toBe(r.model);
    expect(continuedResult(r, 0)).toBe(r);
    disposeModel(r.model);
  });
});
