import os from 'node:os';
import { InvalidArgumentError, type Command } from 'commander';
import { parseDuration } from '../common/duration.js';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';
import { UserError } from '../common/user-error.js';
import { formatDifference } from '../retrain/gate-decision.js';
import { DEFAULT_RETRAIN_CONFIG, RetrainConfigSchema, type RetrainConfig } from '../retrain/retrain-config.js';
import type { RetrainOutcome } from '../retrain/run-retrain.js';
import { positiveInt } from './flag-parsers.js';
import { wasmThreads } from '../kernels/thread-count.js';
import { trainConfigFromFlags } from './train.js';

interface RetrainFlags {
  db?: string;
  tolerance?: number;
  k?: number;
  gateSampleUsers?: number;
  trainThreads?: number;
  normalPriority?: boolean;
  maxAlignmentRatio?: number;
  maxUniformity?: number;
  warmStart: boolean;
  refit: boolean;
  keep?: number;
  leaseTtl?: number;
  dryRun?: boolean;
  json?: boolean;
  epochs?: string;
  batchSize?: string;
  learningRate?: string;
  embeddingLearningRate?: string;
  globalNegatives?: string;
  embeddingDim?: string;
  fieldCombiner?: string;
  hidden?: string;
  patience?: string;
  seed?: string;
  backend?: string;
  tune?: boolean;
  budget?: string;
}

function finite(value: string): number {
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new InvalidArgumentError('must be a number.');
  return x;
}

const f4 = (x: number | undefined): string => (x === undefined ? '-' : x.toFixed(4));

/** The one-line summary `contrarec retrain` prints. */
export function formatRetrainOutcome(o: RetrainOutcome, k: number): string {
  const vs =
    o.active && o.previousVersion
      ? ` vs ${f4(o.active.recall)} of ${o.previousVersion}${o.versusActive ? ` (${formatDifference(o.versusActive)})` : ''}`
      : o.mostPop && o.versusMostPop
        ? ` vs most-popular ${f4(o.mostPop.recall)} (${formatDifference(o.versusMostPop)})`
        : '';
  const scores = o.candidate ? ` recall@${k} ${f4(o.candidate.recall)}${vs};` : '';
  if (o.status === 'failed')
    return `retrain failed: ${o.version ?? '(no model)'}${scores} ${o.reason}; ${o.previousVersion ?? 'no model'} stays active (${o.seconds.toFixed(1)} s)`;
  const removed = o.removed.length > 0 ? `; artifacts removed: ${o.removed.join(', ')}` : '';
  return `retrained ${o.version}: ${o.status === 'active' ? 'active' : 'ready (dry run, not promoted)'};${scores} ${o.seconds.toFixed(1)} s${o.warmStart ? ', warm start' : ', cold start'}${removed}`;
}

/** The retrain flags as a partial RetrainConfig, checked by its schema. */
function retrainConfigFromFlags(o: RetrainFlags): Partial<RetrainConfig> {
  const raw: Partial<Record<keyof RetrainConfig, unknown>> = {
    tolerance: o.tolerance,
    k: o.k,
    gateSampleUsers: o.gateSampleUsers,
    maxAlignmentRatio: o.maxAlignmentRatio,
    maxItemUniformity: o.maxUniformity,
    warmStart: o.warmStart,
    keepArtifacts: o.keep,
    leaseTtlSeconds: o.leaseTtl,
    dryRun: o.dryRun,
  };
  const parsed = RetrainConfigSchema.partial().safeParse(Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined)));
  if (!parsed.success) throw new UserError(`bad retrain option: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/**
 * A retrain shares its machine with a serving process more often than not (`serve
 * --retrain-cron`, or system cron beside `serve`): at the lowest CPU priority the scheduler gives
 * the server's requests a core first whenever both want one, and `--train-threads` leaves cores
 * free outright. Set before the backend loads, which reads the thread count once.
 */
function yieldToServing(o: Pick<RetrainFlags, 'trainThreads' | 'normalPriority'>): void {
  if (o.trainThreads !== undefined) process.env.CONTRAREC_WASM_THREADS = String(o.trainThreads);
  if (o.normalPriority !== true) os.setPriority(os.constants.priority.PRIORITY_LOW);
  process.stderr.write(`retrain: CPU priority ${os.getPriority()} (nice), ${wasmThreads()} training thread(s)\n`);
}

/**
 * `contrarec retrain`: one retrain, end to end (snapshot → train → gate → index → promote), safe to
 * run from system cron: a second one while the first runs exits 3 with "a retrain is in progress".
 * Exit 0 when promoted (or passed, with --dry-run), 1 when training or the gate failed (the active
 * model keeps serving); a model that ranks below most-popular on the hold-out sample
 * always fails, so a first model, which has no active one to be compared with, cannot go live
 * worse than a chart.
 *
 * @example
 *   contrarec retrain --db data/contrarec.db --tolerance 0.02
 *   0 3 * * *  contrarec retrain --db /srv/contrarec.db     # crontab line
 */
export function registerRetrainCommand(program: Command): void {
  const d = DEFAULT_RETRAIN_CONFIG;
  program
    .command('retrain')
    .description(
      "retrain on everything up to now (with the active model's configuration unless a flag overrides it); promote the new model only if it passes the gate (no divergence or collapse; on the same sample of hold-out users, recall@K ≥ the active model's − max(tolerance, 2 × SE) and ≥ the most-popular ranking's, SE the standard error of the per-user paired difference)",
    )
    .option('--db <path>', DB_OPTION_HELP)
    .option('--tolerance <x>', `gate: new recall@K ≥ active's − max(x, 2 × SE) (default ${d.tolerance})`, finite)
    .option('--k <n>', `K of the gate's recall (default ${d.k})`, positiveInt)
    .option(
      '--gate-sample-users <n>',
      `hold-out users the gate ranks exactly against the whole catalogue, a fixed seeded sample (default ${d.gateSampleUsers}); more: a smaller SE, a slower gate`,
      positiveInt,
    )
    .option('--max-alignment-ratio <x>', `gate: held-out alignment ≤ x × that of random pairs (default ${d.maxAlignmentRatio})`, finite)
    .option('--max-uniformity <x>', `gate: collapse bound on item uniformity (default ${d.maxItemUniformity})`, finite)
    .option('--no-warm-start', 'train from scratch instead of from the active model')
    .option('--keep <n>', `newest artifacts kept; the active and previous ones always are (default ${d.keepArtifacts})`, positiveInt)
    .option('--lease-ttl <s>', `seconds a silent retrain keeps the lease (default ${d.leaseTtlSeconds})`, positiveInt)
    .option('--dry-run', 'train and gate, but do not promote')
    .option('--train-threads <n>', 'threads of the training kernels (default: every core; serve --retrain-cron passes cores − 1)', positiveInt)
    .option('--normal-priority', 'run at normal CPU priority instead of the lowest (nice 19)')
    .option('--json', 'print the outcome as JSON')
    // Training flags: unset ones keep the active model's recorded configuration (warm start needs its shape).
    .option('--epochs <n>', 'maximum epochs')
    .option('--batch-size <B>', 'batch size')
    .option('--learning-rate <lr>', 'Adam learning rate of the MLPs')
    .option('--embedding-learning-rate <lr>', 'learning rate of the embedding tables')
    .option('--global-negatives <G>', 'global negatives per batch')
    .option('--embedding-dim <n>', 'feature embedding width')
    .option('--field-combiner <how>', 'concat | sum')
    .option('--hidden <sizes>', 'MLP sizes, comma-separated')
    .option('--patience <n>', 'early-stopping patience in epochs')
    .option('--no-refit', "promote the hold-out run's model instead of training it again on every interaction (as train --no-refit)")
    .option('--seed <n>', 'seed')
    .option('--backend <name>', 'TF.js backend (auto by default)')
    .option('--tune', "re-search the decisive settings on validation (as train --tune) instead of reusing the active model's; no warm start")
    .option('--budget <duration>', 'wall-clock budget of --tune, e.g. 90s, 20m, 1h', '20m')
    .action(async (o: RetrainFlags) => {
      yieldToServing(o);
      const { runRetrain } = await import('../retrain/run-retrain.js');
      const { progressObserver } = await import('../train/progress-observer.js');
      const { train, model, backend } = trainConfigFromFlags({ ...o, logq: true, history: true });
      const config = retrainConfigFromFlags(o);
      const tune = o.tune === true ? { budgetSeconds: parseDuration('budget', o.budget ?? '20m') } : undefined;
      const outcome = await runRetrain({ dbPath: resolveDbPath(o.db), config, train, model, backend, observer: progressObserver(), tune });
      process.stdout.write(o.json === true ? `${JSON.stringify(outcome, null, 2)}\n` : `${formatRetrainOutcome(outcome, config.k ?? d.k)}\n`);
      if (outcome.status === 'failed') process.exitCode = 1;
    });
}
