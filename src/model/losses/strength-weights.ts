import { scaledToMeanOne } from './mean-one.js';

/**
 * Row weights of the main loss from each positive's stored strength (play hours, counts, a
 * rating; `interactions.weight`): w̃ᵢ = 1 + ln(1 + max(sᵢ, 0)), then wᵢ = w̃ᵢ·B/Σw̃, mean 1 over
 * the B rows, so the loss keeps its scale and only the mix of positives changes.
 * The log because strengths are heavy-tailed (one user's thousand hours in a game would
 * otherwise outweigh a whole batch); the 1 + because a zero-strength interaction is still an
 * observed positive, and so that weights stay ≥ 1 before the mean, never dividing by ~0.
 * The weights are plain numbers from the log, no gradient flows through them.
 * Equal strengths give every row weight 1; a negative or non-finite strength counts as 0.
 * Shapes: strengths [B] → weights [B].
 */
export function strengthWeights(strengths: ArrayLike<number>): Float32Array {
  const raw = Float64Array.from({ length: strengths.length }, (_, i) => {
    const s = strengths[i];
    return 1 + Math.log1p(Number.isFinite(s) && s > 0 ? s : 0);
  });
  return scaledToMeanOne(raw);
}
