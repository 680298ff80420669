import { rmSync } from 'node:fs';
import { modelsDirFor } from '../common/paths.js';
import { resolveHistoryMode } from '../data/history-mode.js';
import { buildSnapshot, type Snapshot, type SnapshotOptions } from '../data/snapshot.js';
import { servingHistory } from '../data/serving-history.js';
import type { Kernels } from '../kernels/kernels.js';
import { selectBackend, type BackendName } from '../kernels/select-backend.js';
import { saveArtifact, stageHeldOutModel, type ArtifactInfo } from '../model/artifact/save-artifact.js';
import { publishArtifact } from '../model/artifact/publish-artifact.js';
import { defaultTableRows, resolveModelConfig, type ModelConfig } from '../model/model-config.js';
import { disposeModel, type TwoTowerModel } from '../model/two-tower-model.js';
import {
  activateModel,
  getActiveModel,
  insertModel,
  openStore,
  readInteractionLog,
  updateModel,
  type InteractionLog,
  type ModelRecord,
  type Store,
} from '../store/index.js';
import { popularityFloorWarning } from './popularity-floor-warning.js';
import { DEFAULT_TRAIN_CONFIG, type TrainConfig } from './train-config.js';
import { trainModelParallel, type ModelInitializer, type TrainObserver, type TrainResult } from './train-model.js';
import { tuneTraining } from './tune.js';

/** What `contrarec train` (and the retrain pipeline) asks for. */
export interface RunTrainingOptions {
  readonly dbPath: string;
  readonly train?: Partial<TrainConfig>;
  readonly model?: Partial<ModelConfig>;
  readonly snapshot?: Partial<SnapshotOptions>;
  readonly backend?: BackendName | 'auto';
  /** Make the new model active even when another one is; when absent, the first model becomes active; `false`: never. */
  readonly activate?: boolean;
  /** Sets the new model's initial weights before training (warm start). */
  readonly initialize?: ModelInitializer;
  /** The same for the refit on every interaction (`TrainConfig.refit`), when it must differ (retrain: the active model's refit weights, not its hold-out run's). */
  readonly initializeRefit?: ModelInitializer;
  /** Only interactions before this unix time (retraining "as of"). */
  readonly until?: number;
  readonly observer?: TrainObserver;
  /** Where progress lines go (default: stderr). */
  readonly log?: (line: string) => void;
  /** Search the decisive settings on validation within this budget (`--tune`) instead of training the given ones once. */
  readonly tune?: { readonly budgetSeconds: number };
}

/** The registered model, where its files are, and the training history. */
export interface RunTrainingResult {
  readonly record: ModelRecord;
  readonly artifactDir: string;
  readonly result: TrainResult;
  /** The runtime it trained on (its backend is recorded in the artifact's manifest). */
  readonly kernels: Kernels;
}

function newVersion(): string {
  return new Date()
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.(\d+)Z$/, '$1Z');
}

/**
 * Writes the version's artifact folder and stores it in a database that keeps artifacts
 * (PostgreSQL) before the version is marked `ready`, so that no machine finds a ready model it
 * cannot load. Returns the folder.
 */
async function saveVersionArtifact(
  store: Store,
  kernels: Kernels,
  modelsDir: string,
  model: TwoTowerModel,
  snapshot: Snapshot,
  info: ArtifactInfo,
): Promise<string> {
  const dir = saveArtifact(kernels, modelsDir, model, snapshot, info);
  await publishArtifact(store, info.version, dir);
  return dir;
}

/** Prints what a run trains on and with which towers and history bag. */
function describeRun(
  log: (line: string) => void,
  interactionLog: InteractionLog,
  snapshot: Snapshot,
  modelConfig: ModelConfig,
  trainConfig: TrainConfig,
): void {
  const { timing } = snapshot;
  log(
    `snapshot: ${interactionLog.users.length} users, ${interactionLog.items.length} items, ${snapshot.train.user.length} training and ${snapshot.validation.rows.length} validation interactions`,
  );
  log(
    `towers: ${modelConfig.embeddingDim}-d feature embeddings, MLP ${modelConfig.hiddenSizes.length === 0 ? `none (${modelConfig.fieldCombiner} of the fields)` : modelConfig.hiddenSizes.join(' → ')} (${defaultTableRows(snapshot, modelConfig.shareHistoryTable)} embedding-table rows; see --hidden for the default width)`,
  );
  log(
    `history: ${modelConfig.useHistory ? resolveHistoryMode(trainConfig.historyMode) : 'none'} (${(100 * timing.untimedShare).toFixed(1)} % untimed, ${(100 * timing.tiedShare).toFixed(1)} % tied times, order unknown for ${(100 * timing.unorderedShare).toFixed(1)} % of earlier-later pairs)`,
  );
}

/**
 * The hold-out run: the given settings trained once, or with `options.tune` searched on validation,
 * the choice written into `config` and recorded with the version.
 */
async function trainOrTune(
  store: Store,
  kernels: Kernels,
  snapshot: Snapshot,
  options: RunTrainingOptions,
  version: string,
  config: { train: TrainConfig; model: ModelConfig; snapshot: Partial<SnapshotOptions> },
  log: (line: string) => void,
): Promise<TrainResult> {
  if (options.tune === undefined) return trainModelParallel(kernels, snapshot, config.train, config.model, options.observer, options.initialize);
  const tuned = await tuneTraining(kernels, snapshot, config.train, config.model, {
    budgetSeconds: options.tune.budgetSeconds,
    log,
    observer: options.observer,
  });
  Object.assign(config, { train: { ...config.train, ...tuned.train }, model: { ...config.model, ...tuned.model } });
  await updateModel(store, version, { config: { ...config, tuning: { budgetSeconds: options.tune.budgetSeconds, trials: tuned.trials } } });
  return tuned.result;
}

/**
 * The refit (`TrainConfig.refit`): the run's configuration trained again from the start, on a
 * snapshot without a hold-out (every interaction), for `epochs`, the hold-out run's best; the
 * hold-out run's initializer again unless the caller gives the refit its own.
 */
async function refitOnEverything(
  kernels: Kernels,
  interactionLog: InteractionLog,
  options: RunTrainingOptions,
  config: { readonly train: TrainConfig; readonly model: ModelConfig },
  epochs: number,
  log: (line: string) => void,
): Promise<{ model: TwoTowerModel; snapshot: Snapshot }> {
  const snapshot = buildSnapshot(interactionLog, { ...options.snapshot, split: { kind: 'none' } });
  log(
    `refit: ${epochs} epochs (the hold-out run's best) on all ${snapshot.train.user.length} interactions, the hold-out's included (--no-refit serves the hold-out run's model)`,
  );
  const refit = await trainModelParallel(
    kernels,
    snapshot,
    { ...config.train, epochs },
    config.model,
    options.observer,
    options.initializeRefit ?? options.initialize,
  );
  return { model: refit.model, snapshot };
}

/**
 * The train stage end to end: backend → store → snapshot (10% chronological hold-out for early
 * stopping) → train → with `refit` (the default), the same configuration again on every
 * interaction for the best epoch's count, the hold-out run's model kept beside it for the gate
 * ({@link refitOnEverything}) → artifact (temp dir, renamed; see {@link saveVersionArtifact}) → models table (`training`, then `ready` or
 * `failed` with the reason; activated when `activate` or when no model is active yet). A model
 * that ranks worse than the most-popular ranking on validation is still registered, under a loud
 * warning: `contrarec retrain`'s gate is what refuses it.
 *
 * @example
 *   const { record } = await runTraining({ dbPath: './data/contrarec.db', train: { epochs: 10 } });
 */
export async function runTraining(options: RunTrainingOptions): Promise<RunTrainingResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const kernels = await selectBackend(options.backend ?? 'auto');
  log(`backend: ${kernels.describe()}`);
  const trainConfig: TrainConfig = { ...DEFAULT_TRAIN_CONFIG, ...options.train };
  const store = await openStore(options.dbPath);
  try {
    const interactionLog = await readInteractionLog(store, { until: options.until });
    const snapshot = buildSnapshot(interactionLog, options.snapshot);
    const modelConfig: ModelConfig = resolveModelConfig(snapshot, options.model ?? {});
    const version = newVersion();
    describeRun(log, interactionLog, snapshot, modelConfig, trainConfig);
    const ts = interactionLog.interactions.ts;
    const config = { train: trainConfig, model: modelConfig, snapshot: options.snapshot ?? {} };
    // Untimed interactions (NaN) sort first: the timed range is from the first number to the last.
    const firstTimed = ts.findIndex((t) => !Number.isNaN(t));
    await insertModel(store, { version, config, dataFrom: firstTimed >= 0 ? ts[firstTimed] : null, dataTo: firstTimed >= 0 ? ts[ts.length - 1] : null });
    let result: TrainResult;
    let artifactDir: string;
    let heldOutDir: string | undefined;
    try {
      result = await trainOrTune(store, kernels, snapshot, options, version, config, log);
      const { loss, ...best } = result.best;
      // history: per-epoch curves for the console and reports (GET /v1/models leaves it out of its list).
      // mostPop: the most-popular ranking on the same validation users, the floor the model must clear.
      const metrics: Record<string, unknown> = { ...best, loss, bestEpoch: result.bestEpoch, epochs: result.epochs.length, history: result.epochs };
      const modelsDir = modelsDirFor(options.dbPath);
      const info = { version, backend: kernels.backend, config, metrics };
      let served: { model: TwoTowerModel; snapshot: Snapshot } = { model: result.model, snapshot };
      if (config.train.refit && result.best['recall@20'] !== null) {
        heldOutDir = stageHeldOutModel(kernels, modelsDir, { model: result.model, snapshot, userHistory: servingHistory(interactionLog, snapshot) }, info);
        disposeModel(result.model);
        served = await refitOnEverything(kernels, interactionLog, options, config, result.bestEpoch, log);
        metrics.refit = { epochs: result.bestEpoch, interactions: served.snapshot.train.user.length };
        result = { ...result, model: served.model };
      }
      artifactDir = await saveVersionArtifact(store, kernels, modelsDir, served.model, served.snapshot, {
        ...info,
        userHistory: servingHistory(interactionLog, served.snapshot),
        heldOutDir,
      });
      await updateModel(store, version, { status: 'ready', metrics, artifactDir, finishedAt: Math.floor(Date.now() / 1000) });
    } catch (err) {
      if (heldOutDir !== undefined) rmSync(heldOutDir, { recursive: true, force: true });
      await updateModel(store, version, { status: 'failed', reason: (err as Error).message, finishedAt: Math.floor(Date.now() / 1000) });
      throw err;
    }
    const record =
      (options.activate ?? (await getActiveModel(store)) === undefined) ? await activateModel(store, version) : await updateModel(store, version, {});
    log(`model ${version}: ${record.status}, ${artifactDir}`);
    popularityFloorWarning(result.best)?.forEach((line) => log(line));
    return { record, artifactDir, result, kernels };
  } finally {
    store.close();
  }
}
