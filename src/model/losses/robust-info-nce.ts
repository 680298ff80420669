import * as tf from '@tensorflow/tfjs-core';

/**
 * Per-row Robust InfoNCE (RINCE; Chuang et al. 2022, "Robust Contrastive Learning against Noisy
 * Views", arXiv:2201.04309): with row i's positive logit s⁺ᵢ and Zᵢ = Σⱼ exp(sᵢⱼ) over every
 * column (the positive included),
 * ℓᵢ = −exp(q·s⁺ᵢ)/q + (λ·Zᵢ)^q/q, fused with its own gradient
 * ∂ℓᵢ/∂sᵢⱼ = (λZᵢ)^q · softmax(sᵢ)ⱼ − exp(q·s⁺ᵢ)·1[j = labelᵢ].
 * The logits are the main loss's, already ÷τ, logQ-corrected and masked, so RINCE sees exactly
 * what the softmax cross-entropy sees. q ∈ (0, 1]: as q → 0, ℓ → InfoNCE + log λ; at q = 1 the
 * positive term is linear in exp(s⁺), which no longer lets a hard (possibly noisy) positive
 * dominate the gradient the way the log does. Unlike InfoNCE, ℓ is not invariant to adding a
 * constant to a row, so its scale follows the logits' absolute level (logQ's −log q included).
 * λ sets the balance: the push on a row's negatives is (λ/p⁺)^q times the pull on its positive
 * (p⁺ its softmax probability), so with p⁺ well below λ the rows mostly push every item away
 * and users end up opposite their items, and with p⁺ well above λ everything is pulled together.
 * The paper's λ suits image views, whose positive takes a large share of the softmax; a
 * recommender's positive takes about its share of a catalogue, so λ must be far smaller there.
 *
 * With `relative`, λ is a share of the batch's typical positive instead: λ·p̄ with p̄ the geometric
 * mean of the rows' exp(s⁺ᵢ)/Zᵢ, and every row is divided by exp(q·s̄⁺) (s̄⁺ the mean positive
 * logit), both held constant in the gradient. Then adding a constant to every logit of the batch
 * changes nothing, so λ no longer follows the catalogue's size or the logits' level; the rows'
 * relative weights, which are what down-weight hard positives, are RINCE's own. As q → 0 this
 * tends to InfoNCE + a constant too. The batch is the rows given: a gradient worker's slice when
 * the batch is split, as the agreement weights are.
 *
 * Row i's label is column `labels[i]`; `positiveShift[i]` (default 0) is added to its positive
 * logit in the numerator term only (the compacted candidate list without masking, whose label
 * column holds every occurrence of the item while the positive is the row's own one).
 * Shapes: logits [B, C] → losses [B].
 */
export function robustInfoNce(logits: tf.Tensor2D, labels: Int32Array, q: number, lambda: number, positiveShift?: Float32Array, relative = false): tf.Tensor1D {
  if (!(q > 0 && q <= 1)) throw new RangeError(`robustInfoNce: q must be in (0, 1], got ${q}`);
  if (!(lambda > 0)) throw new RangeError(`robustInfoNce: lambda must be > 0, got ${lambda}`);
  const [b, c] = logits.shape;
  const flat = Int32Array.from(labels, (label, i) => i * c + label);
  const f = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor2D;
    const save = args[1] as tf.GradSaveFunc;
    const lse = tf.logSumExp(x, 1).dataSync();
    const positive = tf.gather(tf.reshape(x, [b * c]), tf.tensor1d(flat, 'int32')).dataSync();
    const { loss, negativeScale, positiveScale } = rinceRows(lse, positive, q, lambda, positiveShift, relative);
    save([tf.softmax(x)]);
    return {
      value: tf.tensor1d(loss),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const dyRows = dy.dataSync();
        const a = Float32Array.from(negativeScale, (s, i) => s * dyRows[i]);
        const target = new Float32Array(b * c);
        flat.forEach((k, i) => (target[k] = positiveScale[i] * dyRows[i]));
        return tf.sub(tf.mul(saved[0], tf.tensor2d(a, [b, 1])), tf.tensor2d(target, [b, c]));
      },
    };
  }) as unknown as (logits: tf.Tensor2D) => tf.Tensor1D;
  return f(logits);
}

/**
 * The per-row numbers of RINCE in float64 from log Zᵢ and s⁺ᵢ: the loss, (λZᵢ)^q (the softmax
 * factor of the gradient) and exp(q·s⁺ᵢ) (the label factor), each over exp(q·s̄⁺) when relative. A module-level loop, not one in the
 * customGrad closure, which is created afresh every step (see compactInfoNce).
 */
function rinceRows(
  lse: ArrayLike<number>,
  positive: ArrayLike<number>,
  q: number,
  lambda: number,
  positiveShift: Float32Array | undefined,
  relative: boolean,
): { loss: Float32Array; negativeScale: Float32Array; positiveScale: Float32Array } {
  const b = lse.length;
  const loss = new Float32Array(b);
  const negativeScale = new Float32Array(b);
  const positiveScale = new Float32Array(b);
  const numerator = Float64Array.from({ length: b }, (_, i) => positive[i] + (positiveShift?.[i] ?? 0));
  let meanLogP = 0;
  let meanPositive = 0;
  if (relative) {
    for (let i = 0; i < b; i++) {
      meanLogP += (numerator[i] - lse[i]) / b;
      meanPositive += numerator[i] / b;
    }
  }
  const logLambda = Math.log(lambda) + meanLogP;
  for (let i = 0; i < b; i++) {
    const a = Math.exp(q * (logLambda + lse[i] - meanPositive));
    const p = Math.exp(q * (numerator[i] - meanPositive));
    negativeScale[i] = a;
    positiveScale[i] = p;
    loss[i] = (a - p) / q;
  }
  return { loss, negativeScale, positiveScale };
}
