import type { Rng } from '../common/rng.js';
import type { ResolvedHistoryMode } from '../data/history-mode.js';
import { timeOrdersHistories, type TimingSummary } from '../data/time-order.js';
import { towerOutputDim, withHiddenLayer, type ModelConfig } from '../model/model-config.js';
import type { TrainConfig } from './train-config.js';

/** One point of the search: what it changes in the training and model configurations. */
export interface TuneCandidate {
  readonly train: Partial<TrainConfig>;
  readonly model: Partial<ModelConfig>;
}

/**
 * The settings that decided quality across the suite's logs, each with the values searched.
 * `history` is the history mode, `none` meaning no history bag (the model's `useHistory`).
 */
export const TUNE_AXES = {
  history: ['time-ordered', 'not-after', 'leave-target-out', 'none'],
  temperature: [0.05, 0.1, 0.2],
  learningRate: [1e-3, 2e-3, 5e-3],
  embeddingLearningRate: [1e-3, 3e-3, 1e-2],
  userSslWeight: [0, 0.1, 0.3],
  globalNegatives: [256, 1024, 4096],
} as const;

/**
 * The towers' MLP, searched as its depth at the defaults' output width: no layers (the fields'
 * vectors added), one linear layer, or a hidden ReLU layer twice as wide before it. The output
 * width stays, so the index and serving cost do not change with the choice.
 */
export function towerShapes(outputDim: number): readonly (readonly number[])[] {
  return [[], [outputDim], withHiddenLayer(outputDim)];
}

type Axis = keyof typeof TUNE_AXES | 'hiddenSizes';

/** One value per axis (the defaults may lie off the grid when the user set them). */
export interface Choice {
  readonly history: 'time-ordered' | 'not-after' | 'leave-target-out' | 'none';
  readonly temperature: number;
  readonly learningRate: number;
  readonly embeddingLearningRate: number;
  readonly userSslWeight: number;
  readonly globalNegatives: number;
  readonly hiddenSizes: readonly number[];
  /** The output width every tower shape keeps. */
  readonly outputDim: number;
}

function candidateOf(c: Choice): TuneCandidate {
  const history = c.history === 'none' ? { model: { useHistory: false } } : { model: { useHistory: true }, historyMode: c.history };
  return {
    train: {
      ...('historyMode' in history ? { historyMode: history.historyMode } : {}),
      temperature: c.temperature,
      learningRate: c.learningRate,
      embeddingLearningRate: c.embeddingLearningRate,
      userSslWeight: c.userSslWeight,
      globalNegatives: c.globalNegatives,
    },
    // A shape without layers adds the fields; layers take them concatenated (the defaults' pairing).
    model: { ...history.model, hiddenSizes: [...c.hiddenSizes], fieldCombiner: c.hiddenSizes.length === 0 ? 'sum' : 'concat' },
  };
}

/** A short label of a candidate for logs and the stored trial table. */
export function describeCandidate(c: TuneCandidate): string {
  const t = c.train;
  const history = c.model.useHistory === false ? 'none' : (t.historyMode ?? 'auto');
  const layers = c.model.hiddenSizes;
  const tower = layers === undefined ? '' : `, MLP ${layers.length === 0 ? 'none' : layers.join('→')}`;
  return `history ${history}, τ ${t.temperature}, lr ${t.learningRate}, emb-lr ${t.embeddingLearningRate}, ssl ${t.userSslWeight}, G ${t.globalNegatives}${tower}`;
}

/**
 * `count` distinct candidates from {@link TUNE_AXES}: first `start` (the untuned defaults, so the
 * search can only keep or beat them), then its neighbours (one axis changed) in a seeded random
 * order, then random points. Defaults chosen on a suite of logs are a good centre, and a budget
 * for a large log buys only a handful of candidates: neighbours first spend them where a gain is
 * likeliest. Without usable time the history axis is not-after (there the same as
 * leave-target-out) or none.
 */
export function sampleCandidates(count: number, start: Choice, timing: TimingSummary, rng: Rng): TuneCandidate[] {
  const ordered = timeOrdersHistories(timing);
  // Without usable time, time-ordered bags are empty and not-after is leave-target-out: keep one.
  const axes = {
    ...TUNE_AXES,
    history: ordered ? TUNE_AXES.history : TUNE_AXES.history.filter((h) => h !== 'time-ordered' && h !== 'leave-target-out'),
    hiddenSizes: towerShapes(start.outputDim),
  };
  const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const total = Object.values(axes).reduce((n, values) => n * values.length, 1);
  const seen = new Set<string>();
  const out: TuneCandidate[] = [];
  const add = (c: Choice): void => {
    const key = JSON.stringify(c);
    if (seen.has(key)) return;
    seen.add(key);
    out.push(candidateOf(c));
  };
  add(start);
  const neighbours = (Object.keys(axes) as Axis[]).flatMap((a) =>
    (axes[a] as readonly unknown[]).filter((v) => !same(v, start[a])).map((v): Choice => ({ ...start, [a]: v })),
  );
  for (let i = neighbours.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [neighbours[i], neighbours[j]] = [neighbours[j], neighbours[i]];
  }
  for (const c of neighbours) if (out.length < count) add(c);
  while (out.length < Math.min(count, total)) {
    const pick = <A extends Axis>(a: A): (typeof axes)[A][number] => axes[a][rng.int(axes[a].length)];
    add({
      history: pick('history'),
      temperature: pick('temperature'),
      learningRate: pick('learningRate'),
      embeddingLearningRate: pick('embeddingLearningRate'),
      userSslWeight: pick('userSslWeight'),
      globalNegatives: pick('globalNegatives'),
      hiddenSizes: pick('hiddenSizes'),
      outputDim: start.outputDim,
    });
  }
  return out;
}

/** The defaults as a point of {@link TUNE_AXES} (the history as `auto` resolves it for the log). */
export function defaultChoice(train: TrainConfig, model: ModelConfig, resolvedHistory: ResolvedHistoryMode): Choice {
  return {
    history: model.useHistory ? resolvedHistory : 'none',
    temperature: train.temperature,
    learningRate: train.learningRate,
    embeddingLearningRate: train.embeddingLearningRate,
    userSslWeight: train.userSslWeight,
    globalNegatives: train.globalNegatives,
    hiddenSizes: model.hiddenSizes,
    outputDim: towerOutputDim(model),
  };
}
