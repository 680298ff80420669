import * as tf from '@tensorflow/tfjs-core';
import type { MatMuls } from '../../kernels/mat-muls.js';
import { accidentalHitMask, maskAccidentalHits } from './accidental-hits.js';
import { binaryCrossEntropy, compactBinaryCrossEntropy } from './binary-cross-entropy.js';
import { applyLogQCorrection } from './logq-correction.js';
import type { CompactBceCandidates, CompactCandidates } from './compact-candidates.js';
import { compactInfoNce } from './compact-info-nce.js';
import { diagonalSoftmaxCrossEntropy } from './softmax-cross-entropy.js';
import { agreementWeights } from './agreement-weights.js';
import { reweightedLossWeights } from './reweighted-loss.js';
import { robustInfoNce } from './robust-info-nce.js';
import { truncatedLossWeights } from './truncated-loss.js';
import { viewInfoNce } from './view-info-nce.js';

/** Which corrections and auxiliary terms the loss applies; each is one flag. */
export interface LossConfig {
  /** 'infonce': softmax over all candidates; 'bce': pointwise on the sampled negatives. */
  readonly kind: 'infonce' | 'bce';
  /** τ: scores (cosines) are divided by it. */
  readonly temperature: number;
  /** Subtract log q of each candidate (needs `candidateQ`). */
  readonly logQ: boolean;
  /** Mask a row's positive item appearing as another candidate (needs the ids). */
  readonly maskAccidentalHits: boolean;
  /** α for the item-view SSL term (needs `itemViews` when > 0). */
  readonly itemSslWeight: number;
  /** α for the user-view SSL term (needs `userViews` when > 0). */
  readonly userSslWeight: number;
  /** τ of the SSL InfoNCE. */
  readonly sslTemperature: number;
  /** Truncated-loss denoising: max dropped fraction of positives (0 = off) and ramp length. */
  readonly truncationMaxRate: number;
  readonly truncationRampSteps: number;
  /** Robust InfoNCE: q (0 = plain InfoNCE) and λ (see `robustInfoNce`); InfoNCE only. */
  readonly rinceQ: number;
  readonly rinceLambda: number;
  /** λ as a share of the batch's typical positive probability, not an absolute level (see `robustInfoNce`). */
  readonly rinceRelative: boolean;
  /** k of the positive re-weighting by user-view agreement (0 = off; needs `userViews` of every row). */
  readonly agreementSharpness: number;
  /** β of the reweighted loss (R-CE): rows weighted by their positive's probability^β (0 = off; plain InfoNCE only). */
  readonly reweightBeta: number;
}

/** One batch's embeddings and ids; the first B candidates are the rows' positives, then G negatives. */
export interface LossBatch {
  readonly users: tf.Tensor2D;
  readonly candidates: tf.Tensor2D;
  readonly candidateQ?: tf.Tensor1D;
  readonly positiveIds?: Int32Array;
  readonly candidateIds?: Int32Array;
  readonly itemViews?: readonly [tf.Tensor2D, tf.Tensor2D];
  readonly userViews?: readonly [tf.Tensor2D, tf.Tensor2D];
  /** Row i's positive is candidate i + labelOffset (a worker's slice of a batch); default 0. */
  readonly labelOffset?: number;
  /** Index of the first global negative among the candidates (BCE); default the number of users. */
  readonly globalStart?: number;
  /** Global step, for the truncation ramp. */
  readonly step: number;
  /**
   * Row i's weight from its positive's strength (`strengthWeights`), mean 1 over the whole batch
   * (not over a worker's slice, so the parts still add up to the batch's loss); absent = 1.
   */
  readonly positiveWeights?: Float32Array;
  /**
   * `candidates` are distinct items and this carries the labels, logQ, masking and multiplicities
   * (see `compactCandidates` / `compactBceCandidates`); `candidateQ` and the ids are then not read.
   */
  readonly compact?: CompactLoss;
}

/** A compacted candidate list for the main loss: InfoNCE's or BCE's rewrite. */
export type CompactLoss = CompactInfoNceLoss | ({ readonly kind: 'bce' } & Omit<CompactBceCandidates, 'items'>);

/** InfoNCE's compacted candidate list (see `compactCandidates`). */
export type CompactInfoNceLoss = { readonly kind: 'infonce' } & Pick<CompactCandidates, 'labels' | 'columnBias' | 'labelShift' | 'rowCorrection'>;

/** The total and its parts (scalars); `main` is mean-reduced over the kept positives. */
export interface LossValue {
  readonly total: tf.Scalar;
  readonly main: tf.Scalar;
  readonly itemSsl: tf.Scalar | null;
  readonly userSsl: tf.Scalar | null;
}

/** A loss flag is on but the batch lacks what it needs. */
export class MissingLossInputError extends Error {
  constructor(flag: string, input: string) {
    super(`loss flag '${flag}' is on but the batch has no '${input}'`);
    this.name = 'MissingLossInputError';
  }
}

function need<T>(value: T | undefined, flag: string, input: string): T {
  if (value === undefined) throw new MissingLossInputError(flag, input);
  return value;
}

function fullListLoss(matMuls: MatMuls, batch: LossBatch, config: LossConfig, offset: number, negativeStart: number): tf.Tensor1D {
  // ÷τ applied to the [B, d] users rather than the [B, C] scores: the same logits, one small pass.
  let logits = matMuls.scoresMatMul(tf.mul(batch.users, 1 / config.temperature), batch.candidates);
  if (config.logQ) logits = applyLogQCorrection(logits, need(batch.candidateQ, 'logQ', 'candidateQ'));
  if (config.maskAccidentalHits)
    logits = maskAccidentalHits(
      logits,
      accidentalHitMask(need(batch.positiveIds, 'maskAccidentalHits', 'positiveIds'), need(batch.candidateIds, 'maskAccidentalHits', 'candidateIds'), offset),
    );
  if (config.kind === 'bce') return binaryCrossEntropy(logits, negativeStart, offset);
  if (config.rinceQ > 0)
    return robustInfoNce(
      logits,
      Int32Array.from({ length: logits.shape[0] }, (_, i) => i + offset),
      config.rinceQ,
      config.rinceLambda,
      undefined,
      config.rinceRelative,
    );
  return diagonalSoftmaxCrossEntropy(logits, offset);
}

/**
 * RINCE over a compacted candidate list: the fused InfoNCE op hides its logits, so they are built
 * here, the same ones (column bias, the label shift of masking), and give RINCE's partition
 * function exactly as the full list's. The numerator's positive is the row's plain score uᵢ·cₗ/τ,
 * its logit less the column bias and label shift: logQ corrects the sampled partition function,
 * not how plausible the positive is, and RINCE, unlike the softmax, is not blind to a row's level,
 * so a positive's −log q left in would weigh rows by q^(−q), rare positives up to 10⁶^q times
 * more.
 */
function compactRince(matMuls: MatMuls, users: tf.Tensor2D, candidates: tf.Tensor2D, compact: CompactInfoNceLoss, config: LossConfig): tf.Tensor1D {
  const [b] = users.shape;
  const c = candidates.shape[0];
  let logits = tf.add(matMuls.scoresMatMul(users, candidates), tf.tensor2d(compact.columnBias, [1, c])) as tf.Tensor2D;
  if (compact.labelShift.some((x) => x !== 0)) {
    const shift = new Float32Array(b * c);
    compact.labels.forEach((label, i) => (shift[i * c + label] = compact.labelShift[i]));
    logits = tf.add(logits, tf.tensor2d(shift, [b, c]));
  }
  return robustInfoNce(
    logits,
    compact.labels,
    config.rinceQ,
    config.rinceLambda,
    compact.rowCorrection.map((x) => -x),
    config.rinceRelative,
  );
}

function compactLoss(matMuls: MatMuls, batch: LossBatch, compact: CompactLoss, config: LossConfig): tf.Tensor1D {
  if (compact.kind !== config.kind) throw new Error(`the batch's candidates are compacted for ${compact.kind} but the loss is ${config.kind}`);
  const users = tf.mul(batch.users, 1 / config.temperature) as tf.Tensor2D;
  if (compact.kind === 'bce')
    return compactBinaryCrossEntropy(
      matMuls.scoresMatMul(users, batch.candidates),
      compact.labels,
      compact.positiveBias,
      compact.negativeBias,
      compact.negativeWeight,
    );
  if (config.rinceQ > 0) return compactRince(matMuls, users, batch.candidates, compact, config);
  return tf.add(compactInfoNce(matMuls, users, batch.candidates, compact.columnBias, compact.labels, compact.labelShift), tf.tensor1d(compact.rowCorrection));
}

/**
 * The agreement weights of the batch's rows (`agreementWeights`), from the values of the two user
 * views and each row's positive: read back, so that no gradient flows through them.
 */
function agreementOf(batch: LossBatch, config: LossConfig, offset: number): Float32Array {
  const views = need(batch.userViews, 'agreementSharpness', 'userViews');
  const [b, d] = batch.users.shape;
  if (views[0].shape[0] !== b) throw new Error(`agreement weighting needs both user views of all ${b} rows, got ${views[0].shape[0]}`);
  const candidates = batch.candidates.dataSync();
  const positives = new Float32Array(b * d);
  for (let i = 0; i < b; i++) {
    const row = batch.compact ? batch.compact.labels[i] : i + offset;
    positives.set(candidates.subarray(row * d, (row + 1) * d), i * d);
  }
  return agreementWeights(views[0].dataSync(), views[1].dataSync(), positives, d, config.agreementSharpness);
}

/**
 * Row weights of the main loss (truncation × reweighting × agreement × strength) and what their
 * weighted sum is divided by; null = a plain mean.
 */
function mainWeights(perRow: tf.Tensor1D, batch: LossBatch, config: LossConfig, offset: number): { weights: Float32Array; divisor: number } | null {
  // Read back once, only when a weighting needs the rows' losses.
  const losses = config.truncationMaxRate > 0 || config.reweightBeta > 0 ? (perRow.dataSync() as Float32Array) : null;
  const truncation =
    losses && config.truncationMaxRate > 0 ? truncatedLossWeights(losses, batch.step, config.truncationMaxRate, config.truncationRampSteps) : null;
  const reweighting = losses && config.reweightBeta > 0 ? reweightedLossWeights(losses, config.reweightBeta) : null;
  const agreement = config.agreementSharpness > 0 ? agreementOf(batch, config, offset) : null;
  const strength = batch.positiveWeights ?? null;
  if (strength && strength.length !== perRow.shape[0]) throw new Error(`${strength.length} positive weights for ${perRow.shape[0]} rows`);
  // Truncation divides by the kept rows, as it always has; the other weights already average 1.
  const divisor = truncation
    ? Math.max(
        1,
        truncation.reduce((s, w) => s + w, 0),
      )
    : perRow.shape[0];
  const factors = [truncation, reweighting, agreement, strength].filter((w): w is Float32Array => w !== null);
  if (factors.length === 0) return null;
  return { weights: factors.reduce((product, f) => product.map((w, i) => w * f[i])), divisor };
}

/**
 * The training loss, steps in a fixed order (TensorFlow Recommenders' retrieval task):
 * scores = U·Cᵀ → ÷τ → −log q (logQ) → accidental hits masked → per-row loss (InfoNCE, RINCE or
 * BCE) → truncation weights (denoising) × reweighting (R-CE) × agreement weights × strength weights → mean over kept rows; then `+ α_item·SSL(item views) +
 * α_user·SSL(user views)`. Reduction: mean everywhere. Call inside tf.grads/tidy. With
 * `batch.compact` the steps up to the per-row loss are the same loss rewritten over distinct items.
 * The score matrices go through `matMuls` (the selected backend's wrappers, `Kernels.matMuls`).
 */
export function computeLoss(matMuls: MatMuls, batch: LossBatch, config: LossConfig): LossValue {
  const offset = batch.labelOffset ?? 0;
  const negativeStart = batch.globalStart ?? batch.users.shape[0];
  if (config.rinceQ > 0 && config.kind !== 'infonce')
    throw new Error(`RINCE (rinceQ ${config.rinceQ}) replaces the softmax loss: it needs kind infonce, not ${config.kind}`);
  if (config.reweightBeta > 0 && (config.kind !== 'infonce' || config.rinceQ > 0))
    throw new Error(
      `the reweighted loss (reweightBeta ${config.reweightBeta}) weighs rows by their softmax probability: it needs plain InfoNCE, not ${config.rinceQ > 0 ? 'RINCE' : config.kind}`,
    );
  const perRow = batch.compact ? compactLoss(matMuls, batch, batch.compact, config) : fullListLoss(matMuls, batch, config, offset, negativeStart);
  const weighting = mainWeights(perRow, batch, config, offset);
  const main = weighting ? (tf.div(tf.sum(tf.mul(perRow, tf.tensor1d(weighting.weights))), weighting.divisor) as tf.Scalar) : (tf.mean(perRow) as tf.Scalar);
  const itemViews = config.itemSslWeight > 0 ? need(batch.itemViews, 'itemSslWeight', 'itemViews') : null;
  const userViews = config.userSslWeight > 0 ? need(batch.userViews, 'userSslWeight', 'userViews') : null;
  const itemSsl = itemViews ? viewInfoNce(matMuls, itemViews[0], itemViews[1], config.sslTemperature) : null;
  const userSsl = userViews ? viewInfoNce(matMuls, userViews[0], userViews[1], config.sslTemperature) : null;
  let total: tf.Scalar = main;
  if (itemSsl) total = tf.add(total, tf.mul(itemSsl, config.itemSslWeight));
  if (userSsl) total = tf.add(total, tf.mul(userSsl, config.userSslWeight));
  return { total, main, itemSsl, userSsl };
}
