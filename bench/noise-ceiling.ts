/**
 * `npm run build && npm run bench:noise-ceiling`: where injected noise costs the default model its
 * recall, on ml-100k's validation split (with its user and item features, as the experiment's
 * screens). Per seed and noise level, the default trainer (best validation epoch of at most 8, as
 * in `contrarec experiment`) on:
 *
 *   - the clean log;
 *   - the noisy log (what `contrarec experiment` measures);
 *   - the noisy log with only its clean pairs as positives: the stray pairs stay in every user's
 *     history bag, in training and in the ranking, but the loss never pulls a user towards them.
 *     What a perfect denoiser of the positives would reach: the ceiling of any robust loss or
 *     positive weighting;
 *   - no training: the clean run's model, ranking from the noisy history bags (the cost of the
 *     stray items at inference alone; users only, so not with `bots`, whose users are new);
 *   - with `--detector-auc 0.85,0.95`: the noisy log less, as positives, the pairs that a detector
 *     of that AUC scores lowest (`bench/synthetic-detector.ts`), as many as there are stray pairs
 *     (a detector that knows the noise rate); and the clean log less a random share of that size
 *     as positives (what dropping so many real pairs costs when it picks them blindly).
 *
 * Which pairs are stray is read off the clean log (a noisy pair that is not a clean one), so the
 * published `train_noiseR.tsv` files and injected noise are handled alike.
 * Flags: `--seeds 3`, `--noise 0.1,0.2`, `--noise-kind uniform|popularity|bots`, `--epochs 8`,
 * `--detector-auc A[,A]` (none by default).
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createRng } from '../src/common/rng.js';
import { NOISE_MODES, type NoiseMode } from '../src/data/noise.js';
import { buildSnapshot, type Snapshot } from '../src/data/snapshot.js';
import { OOV_ROW } from '../src/data/vocabulary.js';
import { loadExperimentData } from '../src/eval/experiment-data.js';
import { buildRunTrainingLog } from '../src/eval/run-training-log.js';
import { selectBackend } from '../src/kernels/select-backend.js';
import { disposeModel, type TwoTowerModel } from '../src/model/two-tower-model.js';
import { evaluateModel } from '../src/train/evaluate-model.js';
import { DEFAULT_TRAIN_CONFIG } from '../src/train/train-config.js';
import { evalUsersOf, trainModel } from '../src/train/train-model.js';
import { reportBenchTable, type BenchCell } from './bench-results.js';
import { ML100K_DATASET_DIR, ML100K_SPLIT_DIR } from './ml100k-store.js';
import { lowestScoredMask, syntheticDetectorScores } from './synthetic-detector.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '3' },
    noise: { type: 'string', default: '0.1,0.2' },
    'noise-kind': { type: 'string', default: 'uniform' },
    epochs: { type: 'string', default: '8' },
    'detector-auc': { type: 'string', default: '' },
  },
});
const kind = values['noise-kind'] as NoiseMode;
if (!NOISE_MODES.includes(kind)) throw new Error(`--noise-kind: '${kind}' is not one of ${NOISE_MODES.join(', ')}`);
function positiveInteger(flag: string, text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${flag}: '${text}' is not a whole number of at least 1`);
  return n;
}
const seeds = Array.from({ length: positiveInteger('seeds', values.seeds) }, (_, s) => s + 1);
const levels = values.noise.split(',').map(Number);
const badLevel = values.noise.split(',').find((_, k) => !(levels[k] > 0 && levels[k] <= 1));
if (badLevel !== undefined) throw new Error(`--noise: '${badLevel}' is not a noise level above 0 and at most 1 (e.g. 0.1 for +10 %)`);
const epochs = positiveInteger('epochs', values.epochs);
const detectorAucs = values['detector-auc'] === '' ? [] : values['detector-auc'].split(',').map(Number);
const badAuc = values['detector-auc'].split(',').find((_, k) => !(detectorAucs[k] >= 0.5 && detectorAucs[k] < 1));
if (detectorAucs.length > 0 && badAuc !== undefined) throw new Error(`--detector-auc: '${badAuc}' is not an AUC in [0.5, 1) (e.g. 0.95)`);
if (!existsSync(ML100K_SPLIT_DIR)) {
  console.log(`bench:noise-ceiling skipped: ${ML100K_SPLIT_DIR} is absent`);
  process.exit(0);
}

const kernels = await selectBackend('auto');
const data = await loadExperimentData(ML100K_SPLIT_DIR, {
  users: path.join(ML100K_DATASET_DIR, 'ml-100k.user'),
  items: path.join(ML100K_DATASET_DIR, 'ml-100k.item'),
});
const numItems = data.log.items.length;

function snapshotOf(noise: number, seed: number): Snapshot {
  const run = buildRunTrainingLog(data, noise, kind, seed);
  return buildSnapshot(run.log, { split: { kind: 'explicit', validation: run.validation } });
}

/** The snapshot with only the training examples k for which `keep(k)`; history bags unchanged. */
function positivesKept(snapshot: Snapshot, keep: (k: number) => boolean): Snapshot {
  const kept: number[] = [];
  snapshot.train.user.forEach((_, k) => keep(k) && kept.push(k));
  const t = snapshot.train;
  const pick = (a: Int32Array): Int32Array => Int32Array.from(kept, (k) => a[k]);
  const weight = t.weight && Float32Array.from(kept, (k) => t.weight![k]);
  return { ...snapshot, train: { user: pick(t.user), item: pick(t.item), historyEnd: pick(t.historyEnd), tieEnd: pick(t.tieEnd), self: pick(t.self), weight } };
}

/** 1 for each training example of `noisy` whose (user, item) pair is one of `clean`'s, 0 for a stray one. */
function realPairs(noisy: Snapshot, clean: Snapshot): Uint8Array {
  const pairs = new Set<number>();
  clean.train.user.forEach((u, k) => pairs.add(u * numItems + clean.train.item[k]));
  return Uint8Array.from(noisy.train.user, (u, k) => (pairs.has(u * numItems + noisy.train.item[k]) ? 1 : 0));
}

/** `clean` with the history bags of `noisy` (its items mapped to `clean`'s id rows; bot users dropped). */
function withNoisyHistory(clean: Snapshot, noisy: Snapshot): Snapshot {
  const idRow = clean.items.columns[0].rows;
  const offsets = noisy.trainItems.offsets.slice(0, clean.users.externalIds.length + 1);
  const rows = Int32Array.from(noisy.trainItems.rows.subarray(0, offsets.at(-1)), (i) => idRow[i] ?? OOV_ROW);
  return { ...clean, userHistory: { offsets, rows } };
}

/** The default trainer's run on `snapshot`: its model and best validation Recall@20. */
function trainAndScore(snapshot: Snapshot, seed: number): { readonly model: TwoTowerModel; readonly recall: number } {
  const r = trainModel(kernels, snapshot, { seed, epochs });
  return { model: r.model, recall: r.best['recall@20'] ?? Number.NaN };
}

const rows = new Map<string, number[]>();
const add = (row: string, value: number): void => void rows.set(row, [...(rows.get(row) ?? []), value]);
for (const seed of seeds) {
  const clean = snapshotOf(0, seed);
  const trained = trainAndScore(clean, seed);
  add('clean log', trained.recall);
  for (const noise of levels) {
    const noisy = snapshotOf(noise, seed);
    const level = `${Math.round(noise * 100)} % ${kind}`;
    const real = realPairs(noisy, clean);
    const strays = real.length - real.reduce((s, r) => s + r, 0);
    const detectorRuns: (readonly [string, Snapshot])[] = detectorAucs.map((auc) => {
      const doubted = lowestScoredMask(syntheticDetectorScores(real, auc, createRng(seed * 1009 + Math.round(auc * 1000))), strays);
      return [`detector AUC ${auc} drops as many as are stray`, positivesKept(noisy, (k) => doubted[k] === 0)];
    });
    if (detectorAucs.length > 0) {
      const blind = lowestScoredMask(Float64Array.from(clean.train.user, createRng(seed).next), strays);
      detectorRuns.push(['clean log less as many pairs at random', positivesKept(clean, (k) => blind[k] === 0)]);
    }
    for (const [row, snapshot] of [['noisy log', noisy], ['clean positives only', positivesKept(noisy, (k) => real[k] === 1)], ...detectorRuns] as const) {
      const run = trainAndScore(snapshot, seed);
      add(`${level}: ${row}`, run.recall);
      disposeModel(run.model);
    }
    if (kind !== 'bots') {
      const s = withNoisyHistory(clean, noisy);
      add(
        `${level}: clean model, noisy history`,
        evaluateModel(kernels, trained.model, s, evalUsersOf(s, DEFAULT_TRAIN_CONFIG.maxEvalUsers, seed), createRng(1))['recall@20'] ?? Number.NaN,
      );
    }
    console.log(`seed ${seed}, ${level}: done`);
  }
  disposeModel(trained.model);
}

const mean = (xs: readonly number[]): number => xs.reduce((s, x) => s + x, 0) / xs.length;
const base = mean(rows.get('clean log')!);
const table: BenchCell[][] = [...rows].map(([row, xs]) => [
  row,
  Number(mean(xs).toFixed(4)),
  `${(100 * (1 - mean(xs) / base)).toFixed(1)} %`,
  xs.map((x) => x.toFixed(4)).join(', '),
]);
reportBenchTable('noise-ceiling', {
  title: `Where ${kind} noise costs the default its validation Recall@20 (ml-100k, ${seeds.length} seeds, best of ≤ ${epochs} epochs)`,
  columns: ['training log', 'valid R@20 (mean)', 'drop from clean', 'per seed'],
  rows: table,
  notes: [
    'clean positives only: the stray pairs kept in the history bags but never a positive (a perfect denoiser of the loss)',
    ...(detectorAucs.length > 0
      ? [
          'detector AUC A: the noisy log less, as positives, the pairs a detector of that AUC scores lowest, as many as are stray; the last row drops as many real pairs at random',
        ]
      : []),
  ],
});
