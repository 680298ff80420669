import { createRng, type Rng } from '../common/rng.js';
import type { Kernels } from '../kernels/kernels.js';
import type { Snapshot } from '../data/snapshot.js';
import { resolveModelConfig, towerOutputDim, type ModelConfig } from '../model/model-config.js';
import { createTwoTowerModel, embedAllItems, embedAllUsers, type TwoTowerModel } from '../model/two-tower-model.js';
import { adaptiveTemperature, scoreStatistics } from './adaptive-temperature.js';
import { evaluateModel, evaluateMostPopularOnValidation, type EpochMetrics, type MostPopularMetrics } from './evaluate-model.js';
import { copyWeights, restoreWeights } from './model-weights.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './train-config.js';
import { createTrainContext, type TrainContext } from './train-context.js';
import { applyStepGradients, lossConfigOf, trainStep, type StepLosses } from './train-step.js';
import { prepareStep } from './step-inputs.js';
import { startGradientWorkers } from './parallel/gradient-workers.js';
import { TrainingStoppedError } from './training-stopped-error.js';

/** One epoch's record: mean loss parts, validation metrics, seconds and examples/s. */
export interface EpochLog extends EpochMetrics {
  /** The most-popular ranking on the same validation users (the same every epoch); null without validation. */
  readonly mostPop: MostPopularMetrics | null;
  readonly epoch: number;
  /** τ of the main loss this epoch trained at (it varies with `adaptiveTemperature`). */
  readonly temperature: number;
  readonly loss: StepLosses;
  readonly seconds: number;
  readonly examplesPerSecond: number;
}

/** Hooks for progress display; all optional. */
export interface TrainObserver {
  onEpochStart?(epoch: number, steps: number): void;
  onStep?(step: number, loss: StepLosses): void;
  onEpochEnd?(log: EpochLog): void;
}

/**
 * Sets a freshly created model's weights before the first step (e.g. a warm start from the active
 * model); `kernels` is the runtime the model trains on, for loading another model's tensors.
 */
export type ModelInitializer = (model: TwoTowerModel, kernels: Kernels) => void;

/** A trained model with its history; `bestEpoch` is the epoch whose weights the model holds. */
export interface TrainResult {
  readonly model: TwoTowerModel;
  readonly epochs: readonly EpochLog[];
  readonly bestEpoch: number;
  readonly best: EpochLog;
}

function shuffled(n: number, rng: Rng): Int32Array {
  const order = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    const t = order[i];
    order[i] = order[j];
    order[j] = t;
  }
  return order;
}

/** The users the trainer validates on: those with validation rows, a seeded sample of `max` above that. */
export function evalUsersOf(snapshot: Snapshot, max: number, seed: number): Int32Array {
  const users: number[] = [];
  for (let u = 0; u + 1 < snapshot.validation.offsets.length; u++) if (snapshot.validation.offsets[u + 1] > snapshot.validation.offsets[u]) users.push(u);
  if (users.length <= max) return Int32Array.from(users);
  return Int32Array.from(shuffled(users.length, createRng(seed)).subarray(0, max), (k) => users[k]).sort();
}

interface LoopState {
  readonly ctx: TrainContext;
  readonly observer: TrainObserver;
  readonly evalUsers: Int32Array;
  readonly mostPop: MostPopularMetrics | null;
  readonly evalRng: Rng;
  readonly shuffleRng: Rng;
}

/** The epoch loop as a generator: it yields each batch's examples and is sent back their step's losses. */
type Loop = Generator<Int32Array, TrainResult, StepLosses>;

/**
 * Bounds of the adaptive τ: the rule reads one epoch's scores, and an early model's margin can be
 * small enough to ask for a softmax sharp enough to diverge, or large enough to flatten it.
 */
const ADAPTIVE_TEMPERATURE_MIN = 0.03;
const ADAPTIVE_TEMPERATURE_MAX = 0.5;

/**
 * τ for the next epoch from the model's scores over the training pairs (users embedded from their
 * whole training history, as served); the current τ where the rule has none.
 */
function nextTemperature(ctx: TrainContext): number {
  const { kernels, model, snapshot } = ctx;
  const stats = scoreStatistics(
    embedAllUsers(kernels, model, snapshot),
    embedAllItems(kernels, model, snapshot),
    towerOutputDim(model.config),
    snapshot.train.user,
    snapshot.train.item,
  );
  return adaptiveTemperature(stats, ADAPTIVE_TEMPERATURE_MIN, ADAPTIVE_TEMPERATURE_MAX) ?? ctx.temperature;
}

function* runEpoch(state: LoopState, epoch: number): Generator<Int32Array, EpochLog, StepLosses> {
  const { ctx, observer } = state;
  const { snapshot, config } = ctx;
  const n = snapshot.train.user.length;
  const steps = Math.ceil(n / config.batchSize);
  observer.onEpochStart?.(epoch, steps);
  const started = performance.now();
  const order = shuffled(n, state.shuffleRng);
  const sum = { total: 0, main: 0, itemSsl: 0, userSsl: 0 };
  for (let s = 0; s < steps; s++) {
    const loss = yield order.subarray(s * config.batchSize, (s + 1) * config.batchSize);
    if (!Number.isFinite(loss.total)) {
      throw new TrainingStoppedError(
        `training diverged: the loss is ${loss.total} at epoch ${epoch}, step ${s + 1}; lower --learning-rate or raise --temperature`,
      );
    }
    for (const key of ['total', 'main', 'itemSsl', 'userSsl'] as const) sum[key] += loss[key] / steps;
    observer.onStep?.(s + 1, loss);
  }
  const seconds = (performance.now() - started) / 1000;
  const metrics = evaluateModel(ctx.kernels, ctx.model, snapshot, state.evalUsers, state.evalRng);
  const log: EpochLog = { epoch, temperature: ctx.temperature, loss: sum, seconds, examplesPerSecond: n / seconds, ...metrics, mostPop: state.mostPop };
  observer.onEpochEnd?.(log);
  if (metrics.spread < config.minSpread) {
    throw new TrainingStoppedError(
      `training collapsed at epoch ${epoch}: item embedding spread ${metrics.spread.toExponential(2)} < ${config.minSpread} (all items map to nearly the same vector); lower --learning-rate or raise --temperature`,
    );
  }
  if (config.adaptiveTemperature) ctx.temperature = nextTemperature(ctx);
  return log;
}

function* runEpochs(state: LoopState): Loop {
  const { model, config } = state.ctx;
  const epochs: EpochLog[] = [];
  let best: EpochLog | undefined;
  let bestWeights = copyWeights(model);
  for (let epoch = 1; epoch <= config.epochs; epoch++) {
    const log = yield* runEpoch(state, epoch);
    epochs.push(log);
    const score = log['recall@20'] ?? epoch; // without validation the latest epoch counts as the best
    if (best === undefined || score > (best['recall@20'] ?? best.epoch)) {
      best = log;
      bestWeights = copyWeights(model);
    } else if (log['recall@20'] !== null && epoch - best.epoch >= config.patience) {
      break;
    }
  }
  restoreWeights(model, bestWeights);
  return { model, epochs, bestEpoch: best!.epoch, best: best! };
}

function setUp(
  kernels: Kernels,
  snapshot: Snapshot,
  trainConfig: Partial<TrainConfig>,
  modelConfig: Partial<ModelConfig>,
  observer: TrainObserver,
  initialize?: ModelInitializer,
): LoopState {
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...trainConfig };
  if (snapshot.train.user.length === 0) throw new TrainingStoppedError('no training interactions: the snapshot is empty');
  const rng = createRng(config.seed);
  const model = createTwoTowerModel(snapshot, resolveModelConfig(snapshot, modelConfig), rng.fork());
  initialize?.(model, kernels);
  const ctx = createTrainContext(kernels, snapshot, model, config, rng.fork());
  const evalRng = rng.fork();
  const shuffleRng = rng.fork();
  const evalUsers = evalUsersOf(snapshot, config.maxEvalUsers, config.seed);
  return { ctx, observer, evalUsers, mostPop: evaluateMostPopularOnValidation(snapshot, evalUsers), evalRng, shuffleRng };
}

/**
 * Trains a two-tower model on a snapshot, on this thread: shuffled mini-batches, one step each,
 * then per epoch validation (Recall@20/NDCG@20 beside the most-popular ranking's, alignment,
 * uniformity, spread). Early stopping on validation Recall@20 with `patience`, keeping the best
 * epoch's weights; without validation data every epoch runs and the last is kept. Throws
 * {@link TrainingStoppedError} on a NaN/Inf loss or a collapse. Runs on `kernels` (from
 * `selectBackend`). Deterministic for a given seed and backend. `workers` must be 1 here; see
 * {@link trainModelParallel}.
 *
 * @example
 *   const { model, best } = trainModel(await selectBackend(), buildSnapshot(log), { epochs: 20 });
 */
export function trainModel(
  kernels: Kernels,
  snapshot: Snapshot,
  trainConfig: Partial<TrainConfig> = {},
  modelConfig: Partial<ModelConfig> = {},
  observer: TrainObserver = {},
  initialize?: ModelInitializer,
): TrainResult {
  const state = setUp(kernels, snapshot, trainConfig, modelConfig, observer, initialize);
  if (state.ctx.config.workers > 1) throw new Error('trainModel runs on one thread: use trainModelParallel for workers > 1');
  const loop = runEpochs(state);
  let r = loop.next();
  while (!r.done) r = loop.next(trainStep(state.ctx, r.value));
  return r.value;
}

/**
 * {@link trainModel} with the TF.js part of each step data-parallel over `workers` worker threads
 * (exact main loss; needs the compiled dist/ build); with `workers` 1 it is trainModel. Deterministic
 * for a given seed, backend and worker count. The workers select `kernels.backend` for themselves.
 */
export async function trainModelParallel(
  kernels: Kernels,
  snapshot: Snapshot,
  trainConfig: Partial<TrainConfig> = {},
  modelConfig: Partial<ModelConfig> = {},
  observer: TrainObserver = {},
  initialize?: ModelInitializer,
): Promise<TrainResult> {
  const config: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...trainConfig };
  if (config.workers <= 1) return trainModel(kernels, snapshot, trainConfig, modelConfig, observer, initialize);
  const state = setUp(kernels, snapshot, trainConfig, modelConfig, observer, initialize);
  const { ctx } = state;
  const pool = await startGradientWorkers(ctx.config.workers, kernels.backend);
  try {
    const loop = runEpochs(state);
    let r = loop.next();
    while (!r.done) {
      const prepared = prepareStep(ctx, r.value);
      r = loop.next(applyStepGradients(ctx, prepared, await pool.compute(prepared.inputs, ctx.model.user.mlp, ctx.model.item.mlp, lossConfigOf(ctx))));
    }
    return r.value;
  } finally {
    await pool.close();
  }
}
