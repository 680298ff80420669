/**
 * Truncated loss for denoising implicit feedback (Wang et al. 2021, "Denoising Implicit Feedback for
 * Recommendation", T-CE): the positives with the largest loss are likely noise, so the
 * ⌊rate·B⌋ highest-loss rows get weight 0 and the rest 1, with rate(step) = maxRate · min(1, step/rampSteps).
 * Ties are broken by row index (the later row is dropped first). Shapes: losses [B] → weights [B].
 */
export function truncatedLossWeights(losses: Float32Array, step: number, maxRate: number, rampSteps: number): Float32Array {
  const rate = maxRate * Math.min(1, rampSteps <= 0 ? 1 : step / rampSteps);
  const drop = Math.floor(rate * losses.length);
  const weights = new Float32Array(losses.length).fill(1);
  const order = Array.from(losses.keys()).sort((a, b) => losses[b] - losses[a] || b - a);
  for (let r = 0; r < drop; r++) weights[order[r]] = 0;
  return weights;
}
