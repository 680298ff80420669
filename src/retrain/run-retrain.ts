import { z } from 'zod';
import { buildSnapshot } from '../data/snapshot.js';
import { buildIndexFromArtifact } from '../index/index.js';
import { ensureLocalArtifact } from '../model/artifact/ensure-local-artifact.js';
import { INDEX_ARTIFACT_FILES, publishArtifact } from '../model/artifact/publish-artifact.js';
import { loadArtifact } from '../model/artifact/load-artifact.js';
import { heldOutDirOf } from '../model/artifact/artifact-layout.js';
import type { BackendName } from '../kernels/backend-order.js';
import { ModelConfigSchema, type ModelConfig } from '../model/model-config.js';
import { disposeModel } from '../model/two-tower-model.js';
import { pairedDifference, type PairedDifference } from '../metrics/paired-difference.js';
import { warmStartModel, type WarmStartReport } from '../model/warm-start.js';
import { activateModel, getActiveModel, getModel, openStore, readInteractionLog, updateModel, type ModelRecord } from '../store/index.js';
import { runTraining } from '../train/run-training.js';
import { TrainConfigSchema, type TrainConfig } from '../train/train-config.js';
import type { ModelInitializer, TrainObserver } from '../train/train-model.js';
import { applyRetention } from './apply-retention.js';
import { formatDifference, gateDecision, type HoldoutScore, type PopularityFloor } from './gate-decision.js';
import { pausePoint } from './pause-point.js';
import { DEFAULT_RETRAIN_CONFIG, type RetrainConfig } from './retrain-config.js';
import { holdRetrainLease, type HeldLease } from './retrain-lease.js';
import { GATE_SAMPLE_SEED, gateSample, scoreMostPopularOnHoldout, scoreOnHoldout, type ScoredHoldout } from './score-on-holdout.js';

/** What one retrain is asked for. */
export interface RetrainOptions {
  readonly dbPath: string;
  readonly config?: Partial<RetrainConfig>;
  readonly train?: Partial<TrainConfig>;
  readonly model?: Partial<ModelConfig>;
  readonly backend?: BackendName | 'auto';
  readonly observer?: TrainObserver;
  /** Where progress lines go (default: stderr). */
  readonly log?: (line: string) => void;
  /** Re-search the configuration (`retrain --tune`) instead of reusing the active one's; no warm start then. */
  readonly tune?: { readonly budgetSeconds: number };
}

/** What happened: the new version's fate, both models' hold-out scores, and what was cleaned up. */
export interface RetrainOutcome {
  /** Undefined when training failed before a version was registered (e.g. an empty store). */
  readonly version: string | undefined;
  /** `active`: promoted; `ready`: passed the gate in a dry run; `failed`: see `reason`. */
  readonly status: 'active' | 'ready' | 'failed';
  readonly reason: string | undefined;
  readonly previousVersion: string | undefined;
  readonly candidate: HoldoutScore | undefined;
  readonly active: HoldoutScore | undefined;
  /** The most-popular ranking on the same hold-out (the floor the candidate had to reach). */
  readonly mostPop: PopularityFloor | undefined;
  /** Candidate − active Recall@K over the sampled users, with its standard error; undefined without both scores. */
  readonly versusActive: PairedDifference | undefined;
  /** Candidate − most-popular Recall@K over the sampled users, with its standard error. */
  readonly versusMostPop: PairedDifference | undefined;
  readonly warmStart: WarmStartReport | undefined;
  readonly seconds: number;
  /** Versions whose artifacts retention removed. */
  readonly removed: readonly string[];
  /** Versions a dead earlier retrain left behind, now failed. */
  readonly abandoned: readonly string[];
}

const RecordedConfig = z.object({ train: TrainConfigSchema.partial().optional(), model: ModelConfigSchema.partial().optional() });

/**
 * The configuration a retrain trains with: the active model's recorded one (so that a nightly run
 * keeps the served model's shape, which warm start needs), overridden by what the caller gives.
 */
function configsOf(active: ModelRecord | undefined, options: RetrainOptions): { train: Partial<TrainConfig>; model: Partial<ModelConfig> } {
  const recorded = RecordedConfig.safeParse(active?.config ?? {});
  const base = recorded.success ? recorded.data : {};
  return { train: { ...base.train, ...options.train }, model: { ...base.model, ...options.model } };
}

function warmStarter(
  active: ModelRecord | undefined,
  dir: string | undefined,
  log: (line: string) => void,
  onReport: (r: WarmStartReport) => void,
): ModelInitializer | undefined {
  if (active === undefined || dir === undefined) return undefined;
  return (model, kernels) => {
    const previous = loadArtifact(kernels, dir).model;
    const report = warmStartModel(model, previous);
    disposeModel(previous);
    log(`warm start from ${active.version}: ${report.copiedRows} of ${report.totalRows} embedding rows, MLPs: ${report.copiedMlps.join(', ') || 'none'}`);
    onReport(report);
  };
}

function scoreActive(
  active: ModelRecord | undefined,
  dir: string | undefined,
  score: (dir: string) => ScoredHoldout,
  log: (line: string) => void,
): ScoredHoldout | undefined {
  if (active === undefined || dir === undefined) return undefined;
  try {
    return score(dir);
  } catch (err) {
    log(`retrain: the active model ${active.version} cannot be scored (${(err as Error).message}); gating on health only`);
    return undefined;
  }
}

/**
 * One retrain, end to end: lease (one retrain at a time, across processes) → snapshot of the store
 * up to now → train (with the active model's configuration unless overridden, warm-started from
 * its weights when configured) → score the new and the active model, and the most-popular
 * ranking, on the same seeded sample of the hold-out users (the newest interactions of each user;
 * `gateSampleUsers`), each user ranked exactly against the whole catalogue, with the standard
 * errors of the paired recall differences → gate → build the HNSW
 * index → activate → retention. A failed gate or training leaves the active model serving and the
 * new version `failed` with the reason. Throws only when the lease is held by a live retrain
 * (`UserError`, exit code 3) or on an unexpected error.
 *
 * @example
 *   const r = await runRetrain({ dbPath: 'data/contrarec.db', config: { tolerance: 0.02 } });
 *   if (r.status === 'failed') console.error(r.reason);
 */
// eslint-disable-next-line max-lines-per-function -- the pipeline's steps in order (lease, train, score, gate, index, promote), each one call with its log line
export async function runRetrain(options: RetrainOptions): Promise<RetrainOutcome> {
  const started = performance.now();
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const config: RetrainConfig = { ...DEFAULT_RETRAIN_CONFIG, ...options.config };
  const store = await openStore(options.dbPath);
  let held: HeldLease | undefined;
  let timer: NodeJS.Timeout | undefined;
  try {
    held = await holdRetrainLease(store, config.leaseTtlSeconds);
    const lease = held;
    if (lease.abandoned.length > 0) log(`retrain: marked failed, left by a dead retrain: ${lease.abandoned.join(', ')}`);
    timer = setInterval(() => {
      try {
        lease.heartbeat();
      } catch (err) {
        log(`retrain: ${(err as Error).message}`);
      }
    }, 1000);
    timer.unref();
    const until = Math.floor(Date.now() / 1000) + 1;
    const active = await getActiveModel(store);
    // The active version's folder on this machine (downloaded from a PostgreSQL store if need be), for warm start and scoring.
    const activeDir = active && (await ensureLocalArtifact(store, active));
    let warmStart: WarmStartReport | undefined;
    const warm = config.warmStart && options.tune === undefined;
    // The hold-out run starts from the active version's hold-out run, so that neither the gate's
    // candidate nor the model it is compared with has trained on the hold-out; the refit from the served weights.
    const initialize = warm ? warmStarter(active, activeDir && heldOutDirOf(activeDir), log, (r) => (warmStart = r)) : undefined;
    const initializeRefit = warm ? warmStarter(active, activeDir, log, () => undefined) : undefined;
    const observer: TrainObserver = {
      onEpochStart: (e, s) => (lease.heartbeat(), options.observer?.onEpochStart?.(e, s)),
      onStep: (s, l) => (lease.heartbeat(), options.observer?.onStep?.(s, l)),
      onEpochEnd: (e) => (lease.heartbeat(), options.observer?.onEpochEnd?.(e), e.epoch === 1 && pausePoint('training', log)),
    };
    const base = { previousVersion: active?.version, removed: [] as string[], abandoned: lease.abandoned };
    const done = (o: Omit<RetrainOutcome, 'seconds' | 'warmStart' | keyof typeof base>): RetrainOutcome => ({
      ...base,
      warmStart,
      ...o,
      seconds: (performance.now() - started) / 1000,
    });
    let trained;
    try {
      const { train, model } = configsOf(active, options);
      trained = await runTraining({
        dbPath: options.dbPath,
        train,
        model,
        backend: options.backend,
        activate: false,
        until,
        observer,
        initialize,
        initializeRefit,
        log,
        tune: options.tune,
      });
    } catch (err) {
      // runTraining has already marked its version failed with this message, if it registered one.
      return done({
        version: undefined,
        status: 'failed',
        reason: `training: ${(err as Error).message}`,
        candidate: undefined,
        active: undefined,
        mostPop: undefined,
        versusActive: undefined,
        versusMostPop: undefined,
      });
    }
    const version = trained.record.version;
    const { kernels } = trained;
    try {
      const interactionLog = await readInteractionLog(store, { until });
      const sample = gateSample(buildSnapshot(interactionLog), config.gateSampleUsers);
      // A refit version is judged by its hold-out run (artifact-layout.ts, HELD_OUT_DIR): the served weights trained on the hold-out.
      const score = (dir: string): ScoredHoldout => {
        const artifact = loadArtifact(kernels, heldOutDirOf(dir));
        try {
          return scoreOnHoldout(kernels, artifact, interactionLog, sample, config.k);
        } finally {
          disposeModel(artifact.model);
        }
      };
      // Scoring a large catalogue holds the thread, and the heartbeat timer with it, for a while.
      const scored = score(trained.artifactDir);
      lease.heartbeat();
      const activeScored = scoreActive(active, activeDir, score, log);
      lease.heartbeat();
      const floor = scoreMostPopularOnHoldout(sample, config.k);
      const candidate = scored.score;
      const activeScore = activeScored?.score;
      const mostPop = floor.floor;
      const versusActive = activeScored && pairedDifference(scored.recall, activeScored.recall);
      const versusMostPop = pairedDifference(scored.recall, floor.recall);
      const decision = gateDecision(candidate, activeScore, mostPop, config, {
        versusActive: versusActive?.standardError ?? 0,
        versusMostPop: versusMostPop.standardError,
      });
      const gate = {
        k: config.k,
        sample: { users: sample.users.length, holdoutUsers: sample.input.users.length, seed: GATE_SAMPLE_SEED },
        candidate,
        active: activeScore && { version: active!.version, ...activeScore },
        mostPop,
        versusActive,
        versusMostPop,
        tolerance: config.tolerance,
        pass: decision.pass,
      };
      const metrics = { ...(trained.record.metrics as Record<string, unknown>), gate };
      log(
        `retrain: ${version} recall@${config.k} ${candidate.recall.toFixed(4)}${activeScore ? ` vs active ${active!.version} ${activeScore.recall.toFixed(4)} (${formatDifference(versusActive!)})` : ''}, most-popular ${mostPop.recall.toFixed(4)} (${formatDifference(versusMostPop)}; ${sample.users.length} of ${sample.input.users.length} hold-out users sampled): gate ${decision.pass ? 'passed' : `failed (${decision.reason})`}`,
      );
      const scores = { candidate, active: activeScore, mostPop, versusActive, versusMostPop };
      if (!decision.pass) {
        await updateModel(store, version, { status: 'failed', reason: `gate: ${decision.reason}`, metrics });
        const removed = await applyRetention(store, config.keepArtifacts);
        return { ...done({ version, status: 'failed', reason: `gate: ${decision.reason}`, ...scores }), removed };
      }
      await updateModel(store, version, { metrics });
      if (config.dryRun) return done({ version, status: 'ready', reason: 'dry run: not promoted', ...scores });
      await buildIndexFromArtifact(trained.artifactDir);
      await publishArtifact(store, version, trained.artifactDir, INDEX_ARTIFACT_FILES);
      lease.heartbeat();
      pausePoint('promote', log);
      await activateModel(store, version);
      const removed = await applyRetention(store, config.keepArtifacts);
      log(`retrain: ${version} is active${removed.length > 0 ? `; retention removed ${removed.join(', ')}` : ''}`);
      return { ...done({ version, status: 'active', reason: undefined, ...scores }), removed };
    } catch (err) {
      // Never leave a trained but unjudged model `ready`: it could be mistaken for a good one.
      if ((await getModel(store, version))?.status === 'ready')
        await updateModel(store, version, { status: 'failed', reason: `retrain: ${(err as Error).message}` });
      throw err;
    }
  } finally {
    if (timer !== undefined) clearInterval(timer);
    await held?.release();
    store.close();
  }
}
