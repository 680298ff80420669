/**
 * Row weights scaled to mean 1 over their B rows (wᵢ = w̃ᵢ·B/Σw̃): the main loss keeps its scale
 * and only the mix of positives changes. Shared by every weighting of the main loss's rows.
 * Shapes: raw [B] (positive) → weights [B].
 */
export function scaledToMeanOne(raw: Float64Array): Float32Array {
  const b = raw.length;
  const sum = raw.reduce((s, w) => s + w, 0);
  return Float32Array.from(raw, (w) => (w * b) / sum);
}
