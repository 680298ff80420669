import { scaledToMeanOne } from './mean-one.js';

/**
 * Reweighted loss for denoising implicit feedback (Wang et al. 2021, "Denoising Implicit Feedback
 * for Recommendation", R-CE), on the softmax: a positive the model finds implausible is more
 * likely noise, so row i is weighted by its positive's own probability to the power β,
 * w̃ᵢ = p̂ᵢ^β = exp(−β·ℓᵢ) with ℓᵢ = −log p̂ᵢ the row's InfoNCE loss, then wᵢ = w̃ᵢ·B/Σw̃ (mean 1
 * over the B rows, so the loss keeps its scale beside the SSL term and only the mix of positives
 * changes). Unlike RINCE's λ, nothing here depends on the logits' absolute level: adding a
 * constant to every loss of a batch leaves the weights as they are. The soft form of T-CE
 * (truncated-loss.ts): no row is dropped, every hard one counts for less. The weights are plain
 * numbers (stop-gradient), so the model cannot raise its own weights. β = 0 gives every row 1.
 * Shapes: losses [B] → weights [B].
 */
export function reweightedLossWeights(losses: ArrayLike<number>, beta: number): Float32Array {
  if (!(beta >= 0)) throw new RangeError(`reweightedLossWeights: beta must be ≥ 0, got ${beta}`);
  const b = losses.length;
  let smallest = Infinity;
  for (let i = 0; i < b; i++) smallest = Math.min(smallest, losses[i]);
  // Shifted by the smallest loss so that the largest weight is exp(0): the normalisation cancels the shift.
  return scaledToMeanOne(Float64Array.from({ length: b }, (_, i) => Math.exp(-beta * (losses[i] - smallest))));
}
