import * as tf from '@tensorflow/tfjs-core';
import type { MatMuls } from '../../kernels/mat-muls.js';
import { accidentalHitMask, maskAccidentalHits } from './accidental-hits.js';
import { binaryCrossEntropy, compactBinaryCrossEntropy } from './binary-cross-entropy.js';
import { applyLogQCorrection } from './logq-correction.js';
import type { CompactBceCandidates, CompactCandidates } from './compact-candidates.js';
import { compactInfoNce } from './compact-info-nce.js';
import { diagonalSoftmaxCrossEntropy } from './softmax-cross-entropy.js';
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
   * `candidates` are distinct items and this carries the labels, logQ, masking and multiplicities
   * (see `compactCandidates` / `compactBceCandidates`); `candidateQ` and the ids are then not read.
   */
  readonly compact?: CompactLoss;
}

/** A compacted candidate list for the main loss: InfoNCE's or BCE's rewrite. */
export type CompactLoss =
  | ({ readonly kind: 'infonce' } & Pick<CompactCandidates, 'labels' | 'columnBias' | 'labelShift' | 'rowCorrection'>)
  | ({ readonly kind: 'bce' } & Omit<CompactBceCandidates, 'items'>);

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
  return config.kind === 'infonce' ? diagonalSoftmaxCrossEntropy(logits, offset) : binaryCrossEntropy(logits, negativeStart, offset);
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
  return tf.add(compactInfoNce(matMuls, users, batch.candidates, compact.columnBias, compact.labels, compact.labelShift), tf.tensor1d(compact.rowCorrection));
}

/**
 * The training loss, steps in a fixed order (TensorFlow Recommenders' retrieval task):
 * scores = U·Cᵀ → ÷τ → −log q (logQ) → accidental hits masked → per-row loss (InfoNCE or BCE)
 * → truncation weights (denoising) → mean over kept rows; then `+ α_item·SSL(item views) +
 * α_user·SSL(user views)`. Reduction: mean everywhere. Call inside tf.grads/tidy. With
 * `batch.compact` the steps up to the per-row loss are the same loss rewritten over distinct items.
 * The score matrices go through `matMuls` (the selected backend's wrappers, `Kernels.matMuls`).
 */
export function computeLoss(matMuls: MatMuls, batch: LossBatch, config: LossConfig): LossValue {
  const offset = batch.labelOffset ?? 0;
  const negativeStart = batch.globalStart ?? batch.users.shape[0];
  const perRow = batch.compact ? compactLoss(matMuls, batch, batch.compact, config) : fullListLoss(matMuls, batch, config, offset, negativeStart);
  const weights =
    config.truncationMaxRate > 0
      ? truncatedLossWeights(perRow.dataSync() as Float32Array, batch.step, config.truncationMaxRate, config.truncationRampSteps)
      : null;
  const main = weights
    ? (tf.div(
        tf.sum(tf.mul(perRow, tf.tensor1d(weights))),
        Math.max(
          1,
          weights.reduce((s, w) => s + w, 0),
        ),
      ) as tf.Scalar)
    : (tf.mean(perRow) as tf.Scalar);
  const itemViews = config.itemSslWeight > 0 ? need(batch.itemViews, 'itemSslWeight', 'itemViews') : null;
  const userViews = config.userSslWeight > 0 ? need(batch.userViews, 'userSslWeight', 'userViews') : null;
  const itemSsl = itemViews ? viewInfoNce(matMuls, itemViews[0], itemViews[1], config.sslTemperature) : null;
  const userSsl = userViews ? viewInfoNce(matMuls, userViews[0], userViews[1], config.sslTemperature) : null;
  let total: tf.Scalar = main;
  if (itemSsl) total = tf.add(total, tf.mul(itemSsl, config.itemSslWeight));
  if (userSsl) total = tf.add(total, tf.mul(userSsl, config.userSslWeight));
  return { total, main, itemSsl, userSsl };
}
