import { modelsDirFor } from '../common/paths.js';
import { resolveHistoryMode } from '../data/history-mode.js';
import { buildSnapshot, type Snapshot, type SnapshotOptions } from '../data/snapshot.js';
import { servingHistory } from '../data/serving-history.js';
import type { Kernels } from '../kernels/kernels.js';
import { selectBackend, type BackendName } from '../kernels/select-backend.js';
import { saveArtifact, type ArtifactInfo } from '../model/artifact/save-artifact.js';
import { publishArtifact } from '../model/artifact/publish-artifact.js';
import { defaultTableRows, resolveModelConfig, type ModelConfig } from '../model/model-config.js';
import type { TwoTowerModel } from '../model/two-tower-model.js';
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
    `towers: ${modelConfig.embeddingDim}-d feature embeddings, MLP ${modelConfig.hiddenSizes.join(' → ')} (${defaultTableRows(snapshot)} embedding-table rows; see --hidden for the default width)`,
  );
  log(
    `history: ${modelConfig.useHistory ? resolveHistoryMode(trainConfig.historyMode) : 'none'} (${(100 * timing.untimedShare).toFixed(1)} % untimed, ${(100 * timing.tiedShare).toFixed(1)} % tied times, order unknown for ${(100 * timing.unorderedShare).toFixed(1)} % of earlier-later pairs)`,
  );
}

/**
 * The train stage end to end: backend → store → snapshot (10% chronological hold-out for early
 * stopping) → train → artifact (temp dir, renamed; see {@link saveVersionArtifact}) → models table (`training`, then `ready` or
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
    try {
      if (options.tune === undefined) {
        result = await trainModelParallel(kernels, snapshot, trainConfig, modelConfig, options.observer, options.initialize);
      } else {
        const tuned = await tuneTraining(kernels, snapshot, trainConfig, modelConfig, {
          budgetSeconds: options.tune.budgetSeconds,
          log,
          observer: options.observer,
        });
        result = tuned.result;
        Object.assign(config, { train: { ...trainConfig, ...tuned.train }, model: { ...modelConfig, ...tuned.model } });
        await updateModel(store, version, { config: { ...config, tuning: { budgetSeconds: options.tune.budgetSeconds, trials: tuned.trials } } });
      }
      const { loss, ...best } = result.best;
      // history: per-epoch curves for the console and reports (GET /v1/models leaves it out of its list).
      // mostPop: the most-popular ranking on the same validation users, the floor the model must clear.
      const metrics = { ...best, loss, bestEpoch: result.bestEpoch, epochs: result.epochs.length, history: result.epochs };
      artifactDir = await saveVersionArtifact(store, kernels, modelsDirFor(options.dbPath), result.model, snapshot, {
        version,
        backend: kernels.backend,
        config,
        metrics,
        userHistory: servingHistory(interactionLog, snapshot),
      });
      await updateModel(store, version, { status: 'ready', metrics, artifactDir, finishedAt: Math.floor(Date.now() / 1000) });
    } catch (err) {
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
