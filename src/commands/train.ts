import type { Command } from 'commander';
import { z } from 'zod';
import { parseDuration } from '../common/duration.js';
import { DB_OPTION_HELP, resolveDbPath } from '../common/paths.js';
import { UserError } from '../common/user-error.js';
import { BACKEND_ORDER, type BackendName } from '../kernels/backend-order.js';
import {
  DEFAULT_MODEL_CONFIG,
  DEFAULT_TABLE_BUDGET_BYTES,
  DEFAULT_WIDTHS,
  FieldCombinerSchema,
  ModelConfigSchema,
  type FieldCombiner,
  type ModelConfig,
} from '../model/model-config.js';
import { DEFAULT_TRAIN_CONFIG, TrainConfigSchema, type TrainConfig } from '../train/train-config.js';

interface TrainFlags {
  db?: string;
  loss?: string;
  sslWeight?: string;
  itemSslWeight?: string;
  userSslWeight?: string;
  temperature?: string;
  adaptiveTemperature?: boolean;
  globalNegatives?: string;
  sampler?: string;
  epochs?: string;
  batchSize?: string;
  learningRate?: string;
  embeddingLearningRate?: string;
  seed?: string;
  backend?: string;
  logq: boolean;
  refit: boolean;
  history: boolean;
  historyMode?: string;
  tune?: boolean;
  budget?: string;
  denoise?: string;
  rinceQ?: string;
  rinceLambda?: string;
  rinceRelative?: boolean;
  historyDropout?: string;
  historyViewDropout?: string;
  historyInsert?: string;
  agreementSharpness?: string;
  reweightBeta?: string;
  positiveWeight?: string;
  featureDropout?: string;
  patience?: string;
  embeddingDim?: string;
  fieldCombiner?: string;
  hidden?: string;
  shareHistoryTable?: boolean;
  activate?: boolean;
  json?: boolean;
  report?: string;
}

function num(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const x = Number(value);
  if (value.trim() === '' || !Number.isFinite(x)) throw new UserError(`--${flag}: expected a number, got '${value}'`);
  return x;
}

function fieldCombiner(value: string | undefined): FieldCombiner | undefined {
  if (value === undefined) return undefined;
  const r = FieldCombinerSchema.safeParse(value);
  if (!r.success) throw new UserError(`--field-combiner: expected one of ${FieldCombinerSchema.options.join(', ')}, got '${value}'`);
  return r.data;
}

function parse<T>(schema: z.ZodType<T>, raw: Record<string, unknown>): T {
  const defined = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined));
  const r = schema.safeParse(defined);
  if (!r.success) throw new UserError(`bad training option: ${r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return r.data;
}

/** Turns CLI flags into validated partial configs (exported for tests). */
export function trainConfigFromFlags(o: TrainFlags): { train: Partial<TrainConfig>; model: Partial<ModelConfig>; backend: BackendName | 'auto' } {
  const ssl = num('ssl-weight', o.sslWeight);
  const train = parse(TrainConfigSchema.partial(), {
    loss: o.loss,
    itemSslWeight: num('item-ssl-weight', o.itemSslWeight) ?? ssl,
    userSslWeight: num('user-ssl-weight', o.userSslWeight) ?? ssl,
    temperature: num('temperature', o.temperature),
    adaptiveTemperature: o.adaptiveTemperature,
    globalNegatives: num('global-negatives', o.globalNegatives),
    negativeSampler: o.sampler,
    epochs: num('epochs', o.epochs),
    batchSize: num('batch-size', o.batchSize),
    learningRate: num('learning-rate', o.learningRate),
    embeddingLearningRate: num('embedding-learning-rate', o.embeddingLearningRate),
    seed: num('seed', o.seed),
    logQ: o.logq ? undefined : false,
    refit: o.refit ? undefined : false,
    truncationMaxRate: num('denoise', o.denoise),
    rinceQ: num('rince-q', o.rinceQ),
    rinceLambda: num('rince-lambda', o.rinceLambda),
    rinceRelative: o.rinceRelative,
    historyDropoutRate: num('history-dropout', o.historyDropout),
    historyViewDropout: o.historyViewDropout,
    historyInsertRate: num('history-insert', o.historyInsert),
    agreementSharpness: num('agreement-sharpness', o.agreementSharpness),
    reweightBeta: num('reweight-beta', o.reweightBeta),
    positiveWeighting: o.positiveWeight,
    featureDropoutRate: num('feature-dropout', o.featureDropout),
    patience: num('patience', o.patience),
    historyMode: o.historyMode === 'none' ? undefined : o.historyMode,
  });
  if ((train.rinceQ ?? 0) > 0 && train.loss === 'bce') throw new UserError('--rince-q: RINCE replaces the softmax loss; it cannot be used with --loss bce');
  if (train.rinceRelative && !((train.rinceQ ?? DEFAULT_TRAIN_CONFIG.rinceQ) > 0))
    throw new UserError('--rince-relative: it changes RINCE, which is on only with --rince-q above 0');
  if ((train.reweightBeta ?? 0) > 0 && (train.loss === 'bce' || (train.rinceQ ?? 0) > 0))
    throw new UserError(
      `--reweight-beta: the reweighted loss weighs rows by their softmax probability; it cannot be used with ${train.loss === 'bce' ? '--loss bce' : '--rince-q'}`,
    );
  const model = parse(ModelConfigSchema.partial(), {
    useHistory: o.history && o.historyMode !== 'none' ? undefined : false,
    embeddingDim: num('embedding-dim', o.embeddingDim),
    fieldCombiner: fieldCombiner(o.fieldCombiner),
    hiddenSizes: o.hidden === 'none' ? [] : o.hidden?.split(',').map((s) => num('hidden', s)),
    shareHistoryTable: o.shareHistoryTable,
  });
  const backend = o.backend ?? 'auto';
  if (backend !== 'auto' && !BACKEND_ORDER.includes(backend as BackendName))
    throw new UserError(`--backend: expected one of auto, ${BACKEND_ORDER.join(', ')}, got '${backend}'`);
  return { train, model, backend: backend as BackendName | 'auto' };
}

/** The options of `train` that weigh or drop positives: truncation, RINCE, the user views, agreement, reweighting and strength weighting. */
function robustTrainingOptions(command: Command): Command {
  const d = DEFAULT_TRAIN_CONFIG;
  return command
    .option('--denoise <rate>', 'truncated-loss denoising (T-CE): max fraction of positives dropped (default 0)')
    .option('--rince-q <q>', `Robust InfoNCE (RINCE) exponent in (0, 1]; 0 = plain InfoNCE (default ${d.rinceQ})`)
    .option('--rince-lambda <lambda>', `RINCE's weight of the partition-function term (default ${d.rinceLambda})`)
    .option('--rince-relative', "read --rince-lambda as a share of the batch's typical positive probability, not an absolute level")
    .option('--history-dropout <p>', `share of the history a user view drops (default ${d.historyDropoutRate})`)
    .option(
      '--history-view-dropout <kind>',
      `bag-rows (rows of the windowed history bag) | edges (SGL edge dropout: the user's interactions, before the bag is formed) (default ${d.historyViewDropout})`,
    )
    .option(
      '--history-insert <p>',
      `per history item of a user view, the chance of adding a stray item drawn from the log's interactions (default ${d.historyInsertRate})`,
    )
    .option(
      '--agreement-sharpness <k>',
      `down-weight positives the user's two views do not both endorse, weight σ(k·min cosine), mean 1 (default ${d.agreementSharpness}: off)`,
    )
    .option(
      '--reweight-beta <beta>',
      `reweighted loss (R-CE): weigh each positive by its softmax probability^β, mean 1; plain InfoNCE only (default ${d.reweightBeta}: off)`,
    )
    .option(
      '--positive-weight <kind>',
      `none | log: weigh each positive by its stored strength (--weight-col at ingest, else the rating), 1 + ln(1 + strength), mean 1 (default ${d.positiveWeighting})`,
    );
}

/** The options of `train` about when it stops and which run's model it keeps. */
function stoppingOptions(command: Command): Command {
  return command
    .option('--patience <n>', `early-stopping patience in epochs (default ${DEFAULT_TRAIN_CONFIG.patience})`)
    .option(
      '--no-refit',
      "serve the model of the run that early stopping chose, trained without the validation hold-out (default: train it again on every interaction for the best epoch's count, about twice the time; the hold-out run is kept for the gate and eval)",
    );
}

const HIDDEN_HELP = `tower layers, comma-separated, the last the embedding width, or none (the fields' vectors added, no layers) (default: none, at width W: the widest of ${DEFAULT_WIDTHS.join(', ')} whose embedding tables train in ${DEFAULT_TABLE_BUDGET_BYTES / 2 ** 20} MiB; train prints it)`;

/** The options of `train` that shape the towers: their width, layers and tables. */
function towerOptions(command: Command): Command {
  return command
    .option('--embedding-dim <n>', 'feature embedding width (default: the last of --hidden when it is set, else W as for --hidden)')
    .option(
      '--field-combiner <how>',
      `concat | sum: how each tower joins its feature vectors before the MLP (default ${DEFAULT_MODEL_CONFIG.fieldCombiner} without layers, concat with --hidden layers)`,
    )
    .option('--hidden <sizes>', HIDDEN_HELP)
    .option('--share-history-table', "the history bag pools the item tower's id table instead of its own (one vector per item, from targets and histories)");
}

/**
 * `contrarec train`: snapshot the store, train the two-tower model, write the artifact and register
 * it in the models table (active when `--activate` or when it is the first model).
 *
 * @example
 *   contrarec train --epochs 20 --temperature 0.1 --ssl-weight 0.1 --seed 7
 *   contrarec train --loss bce --ssl-weight 0 --no-logq      # the non-contrastive baseline
 *   contrarec train --tune --budget 20m                      # search the decisive settings on validation
 */
export function registerTrainCommand(program: Command): void {
  const d = DEFAULT_TRAIN_CONFIG;
  const command = program
    .command('train')
    .description('train the contrastive two-tower model on the store and register it')
    .option('--db <path>', DB_OPTION_HELP)
    .option('--loss <kind>', `infonce | bce (default ${d.loss})`)
    .option('--ssl-weight <alpha>', 'α of the self-supervised view loss, items and users')
    .option('--item-ssl-weight <alpha>', `α for item views (default ${d.itemSslWeight})`)
    .option('--user-ssl-weight <alpha>', `α for user views (default ${d.userSslWeight})`)
    .option('--temperature <tau>', `τ of the main loss (default ${d.temperature})`)
    .option(
      '--adaptive-temperature',
      "set τ before each epoch after the first from the model's own scores over the training log (Adap-τ's rule; --temperature is the first epoch's)",
    )
    .option('--global-negatives <G>', `negatives sampled from the catalogue per batch (default ${d.globalNegatives})`)
    .option('--sampler <kind>', `uniform | popularity (default ${d.negativeSampler})`)
    .option('--epochs <n>', `maximum epochs (default ${d.epochs})`)
    .option('--batch-size <B>', `default ${d.batchSize}`)
    .option('--learning-rate <lr>', `Adam learning rate of the MLPs (default ${d.learningRate})`)
    .option('--embedding-learning-rate <lr>', `learning rate of the sparse embedding-table updates (default ${d.embeddingLearningRate})`)
    .option('--seed <n>', `default ${d.seed}`)
    .option('--backend <name>', `auto | ${BACKEND_ORDER.join(' | ')}`)
    .option('--no-logq', 'disable the logQ correction')
    .option(
      '--history-mode <mode>',
      `auto | time-ordered | not-after | leave-target-out | none: which of the user's items a training example's history bag holds (default ${d.historyMode}: time-ordered when the log's times order it, else leave-target-out)`,
    )
    .option('--no-history', 'no history bag in the user tower (same as --history-mode none)');
  towerOptions(stoppingOptions(robustTrainingOptions(command)))
    .option('--feature-dropout <p>', `view feature-dropout rate (default ${d.featureDropoutRate})`)
    .option(
      '--tune',
      'search the history mode, temperature, learning rates, SSL weight and global negatives on validation (successive halving) and keep the best; the choice is stored with the version and reused by retrain',
    )
    .option('--budget <duration>', 'wall-clock budget of --tune, e.g. 90s, 20m, 1h', '20m')
    .option('--activate', 'make the new model active')
    .option('--json', 'print the registered model as JSON')
    .option('--report <file>', 'also write a self-contained HTML report of the run (curves, alignment/uniformity, head/tail)')
    .action(async (o: TrainFlags) => {
      const { progressObserver } = await import('../train/progress-observer.js');
      const { runTraining } = await import('../train/run-training.js');
      const { train, model, backend } = trainConfigFromFlags(o);
      const tune = o.tune === true ? { budgetSeconds: parseDuration('budget', o.budget ?? '20m') } : undefined;
      const r = await runTraining({ dbPath: resolveDbPath(o.db), train, model, backend, activate: o.activate, observer: progressObserver(), tune });
      const best = r.result.best;
      if (o.report !== undefined) {
        const { writeTrainingReport } = await import('../eval/write-training-report.js');
        await writeTrainingReport(o.report, resolveDbPath(o.db), r.record.version, r.result);
        process.stderr.write(`report: ${o.report}\n`);
      }
      process.stdout.write(
        o.json === true
          ? `${JSON.stringify(r.record, null, 2)}\n`
          : `model ${r.record.version} (${r.record.status}) best epoch ${r.result.bestEpoch}: valid recall@20 ${best['recall@20']?.toFixed(4) ?? '-'}${best.mostPop ? ` (most-popular ${best.mostPop['recall@20'].toFixed(4)})` : ''}, ndcg@20 ${best['ndcg@20']?.toFixed(4) ?? '-'}\n${r.artifactDir}\n`,
      );
    });
}
