import { concatBatchBags, type BatchBags } from '../model/batch-bags.js';
import { compactBceCandidates, compactCandidates } from '../model/losses/compact-candidates.js';
import type { CompactLoss } from '../model/losses/compute-loss.js';
import { dropBagRows } from '../model/bag-row-dropout.js';
import { insertBagRows } from '../model/bag-row-insertion.js';
import { dropHistoryEdges } from '../model/edge-dropout.js';
import { strengthWeights } from '../model/losses/strength-weights.js';
import { correlatedFeatureMask } from '../model/correlated-feature-mask.js';
import { applyFieldMask, featureDropoutMask } from '../model/feature-dropout.js';
import { towerInput } from '../model/tower.js';
import { historyBag, itemBags, userBags, type HistoryWindow } from '../model/two-tower-model.js';
import type { TrainContext } from './train-context.js';

/**
 * One step's tower inputs as plain arrays (so they can be sent to a worker): the pooled user rows
 * `[batchRows users; userViewRows view-A; userViewRows view-B]` and item rows
 * `[candidateRows candidates; itemViewRows view-A; itemViewRows view-B]`, where the candidates are
 * the batch's positives then the G global negatives; `candidateQ` and ids for logQ / accidental hits.
 */
export interface StepInputs {
  /** Users (examples) in the batch: the main loss's rows. */
  readonly batchRows: number;
  /** Users in each of the two user views (0 without user SSL or agreement weighting). */
  readonly userViewRows: number;
  /** Items in each of the two item-SSL views (0 without item SSL). */
  readonly itemViewRows: number;
  /** Distinct candidate items (positives, then global negatives) after compaction. */
  readonly candidateRows: number;
  readonly userWidth: number;
  readonly itemWidth: number;
  /** The user tower's pooled input, `[batchRows + 2·userViewRows, userWidth]` row-major. */
  readonly userInput: Float32Array;
  /** The item tower's pooled input, `[candidateRows + 2·itemViewRows, itemWidth]` row-major. */
  readonly itemInput: Float32Array;
  /** Each candidate's sampling probability, for the logQ correction. */
  readonly candidateQ: Float32Array;
  readonly positives: Int32Array;
  readonly candidates: Int32Array;
  /** Row i's positive is candidate i + labelOffset (non-zero in a worker's slice). */
  readonly labelOffset: number;
  /** Number of in-batch candidates before the global negatives. */
  readonly globalStart: number;
  readonly step: number;
  /** Row i's strength weight, mean 1 over the batch (`strengthWeights`); null: every row weighs 1. */
  readonly positiveWeights: Float32Array | null;
  /**
   * The candidate rows of `xi` are the batch's distinct items, and this carries the labels, logQ,
   * masking and multiplicities of the main loss (`compactCandidates`, `compactBceCandidates`).
   */
  readonly compact: CompactLoss;
}

/** The inputs plus the bags they were pooled from (needed to scatter the gradients back). */
export interface PreparedStep {
  readonly inputs: StepInputs;
  readonly userBags: BatchBags[];
  readonly itemBags: BatchBags[];
}

function stack(parts: readonly BatchBags[][]): BatchBags[] {
  return parts[0].map((_, f) => concatBatchBags(parts.map((p) => p[f])));
}

function itemView(ctx: TrainContext, bags: BatchBags[]): BatchBags[] {
  const n = bags[0].offsets.length - 1;
  const p = ctx.config.featureDropoutRate;
  const mask = ctx.itemFieldCorrelation
    ? correlatedFeatureMask(n, bags.length, ctx.itemFieldCorrelation, p, ctx.rng)
    : featureDropoutMask(n, bags.length, p, ctx.rng);
  return applyFieldMask(bags, mask);
}

/**
 * One user view of `users` (whose unperturbed bags are `bags`, their history in `window`): feature
 * dropout on the user's own fields, and the history thinned at `historyDropoutRate`, either as
 * rows of the windowed bag or as the interactions the bag is formed from (`historyViewDropout`),
 * then grown by stray items at `historyInsertRate`.
 */
function userView(ctx: TrainContext, users: Int32Array, window: HistoryWindow, bags: BatchBags[]): BatchBags[] {
  const n = users.length;
  const { config, model } = ctx;
  const hasHistory = model.config.useHistory;
  const fields = hasHistory ? bags.slice(0, -1) : bags;
  const view = applyFieldMask(fields, featureDropoutMask(n, fields.length, config.featureDropoutRate, ctx.rng));
  if (!hasHistory) return view;
  let history: BatchBags;
  if (config.historyViewDropout === 'bag-rows') {
    history = dropBagRows(bags[bags.length - 1], config.historyDropoutRate, ctx.rng);
  } else {
    const thinned = dropHistoryEdges(ctx.snapshot.userHistory, users, window, config.historyDropoutRate, ctx.rng);
    history = historyBag(
      thinned.history,
      Int32Array.from({ length: n }, (_, b) => b),
      thinned.window,
      model.config.historyMaxLength,
    );
  }
  view.push(config.historyInsertRate > 0 ? insertBagRows(history, config.historyInsertRate, ctx.snapshot.userHistory.rows, ctx.rng) : history);
  return view;
}

/** The examples' history windows in the run's history mode (history-mode.ts). */
function historyWindow(ctx: TrainContext, examples: Int32Array): HistoryWindow {
  const { train } = ctx.snapshot;
  if (ctx.historyMode === 'time-ordered') return { kind: 'before', ends: examples.map((k) => train.historyEnd[k]) };
  const self = examples.map((k) => train.self[k]);
  return ctx.historyMode === 'leave-target-out'
    ? { kind: 'all-but', self, rng: ctx.rng }
    : { kind: 'all-but', self, rng: ctx.rng, ends: examples.map((k) => train.tieEnd[k]) };
}

/** The window of the first `s` examples (the users whose views the SSL loss compares). */
function firstOf(window: HistoryWindow, s: number): HistoryWindow {
  return window.kind === 'before'
    ? { kind: 'before', ends: window.ends.subarray(0, s) }
    : { ...window, self: window.self.subarray(0, s), ends: window.ends?.subarray(0, s) };
}

/**
 * The batch's strength weights, or null when weighting is off or the log's strengths are all
 * equal (every weight would be 1): then nothing is allocated. Normalised over the whole batch
 * here, before any worker's slice, so that the slices' losses add up to the batch's.
 */
function positiveWeightsOf(ctx: TrainContext, examples: Int32Array): Float32Array | null {
  const strength = ctx.snapshot.train.weight;
  if (ctx.config.positiveWeighting === 'none' || strength === null) return null;
  return strengthWeights(Float32Array.from(examples, (k) => strength[k]));
}

/**
 * Builds a step's inputs in plain JS: the batch's users (history bags in the run's history mode), the
 * positives plus G global negatives (each distinct item once), and the SSL views (users: the
 * first s of the batch, the whole batch with agreement weighting; items: s drawn uniformly from
 * the catalogue), all mean-pooled from the embedding tables.
 */
export function prepareStep(ctx: TrainContext, examples: Int32Array): PreparedStep {
  const { snapshot, model, config, rng } = ctx;
  const b = examples.length;
  const users = examples.map((k) => snapshot.train.user[k]);
  const window = historyWindow(ctx, examples);
  const positives = examples.map((k) => snapshot.train.item[k]);
  const negatives = ctx.sampler.sample(config.loss === 'bce' ? Math.max(1, config.globalNegatives) : config.globalNegatives, rng);
  const candidates = new Int32Array(b + negatives.length);
  candidates.set(positives);
  candidates.set(negatives, b);
  const q = new Float32Array(candidates.length);
  for (let j = 0; j < candidates.length; j++) q[j] = j < b ? snapshot.itemFrequency[candidates[j]] : ctx.sampler.probability[candidates[j]];
  const { items: candidateRows, ...compact }: { items: Int32Array } & CompactLoss =
    config.loss === 'infonce'
      ? { kind: 'infonce', ...compactCandidates(candidates, q, b, config) }
      : { kind: 'bce', ...compactBceCandidates(candidates, q, b, b, config) };
  const uParts: BatchBags[][] = [userBags(snapshot, model.config, users, window)];
  const iParts: BatchBags[][] = [itemBags(snapshot, candidateRows)];
  const views = Math.min(config.sslBatchSize, b);
  // The agreement weights need both views of every row the main loss weighs.
  const s = config.agreementSharpness > 0 ? b : config.userSslWeight > 0 ? views : 0;
  const t = config.itemSslWeight > 0 ? views : 0;
  if (s > 0) {
    const viewUsers = users.subarray(0, s);
    const viewWindow = firstOf(window, s);
    const base = userBags(snapshot, model.config, viewUsers, viewWindow);
    uParts.push(userView(ctx, viewUsers, viewWindow, base), userView(ctx, viewUsers, viewWindow, base));
  }
  if (t > 0) {
    const base = itemBags(
      snapshot,
      Int32Array.from({ length: t }, () => rng.int(snapshot.items.externalIds.length)),
    );
    iParts.push(itemView(ctx, base), itemView(ctx, base));
  }
  const uBags = stack(uParts);
  const iBags = stack(iParts);
  return {
    inputs: {
      batchRows: b,
      userViewRows: s,
      itemViewRows: t,
      candidateRows: candidateRows.length,
      userWidth: model.user.mlp.inputSize,
      itemWidth: model.item.mlp.inputSize,
      userInput: towerInput(ctx.kernels.paired, model.user, uBags),
      itemInput: towerInput(ctx.kernels.paired, model.item, iBags),
      candidateQ: q,
      positives,
      candidates,
      labelOffset: 0,
      globalStart: b,
      step: ctx.step,
      positiveWeights: positiveWeightsOf(ctx, examples),
      compact,
    },
    userBags: uBags,
    itemBags: iBags,
  };
}
