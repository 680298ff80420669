import { scaledToMeanOne } from './mean-one.js';

/**
 * Positive weights from the model's own agreement across two views of each user: row i's positive
 * vᵢ is trusted as far as the less convinced of the user's two views uᵢ¹, uᵢ² endorses it,
 * aᵢ = min(cos(uᵢ¹, vᵢ), cos(uᵢ², vᵢ)) = ½(cos¹ + cos²) − ½|cos¹ − cos²|, so a positive is
 * down-weighted both when the user's history, however it is thinned, does not point at it (the
 * mark of an injected random interaction) and when the two thinned histories disagree about it
 * (a positive that only one or two history items vouch for). w̃ᵢ = σ(k·aᵢ), then wᵢ = w̃ᵢ·B/Σw̃,
 * mean 1 over the B rows, so the loss keeps its scale and only the mix of positives changes.
 * The weights are plain numbers read from the embeddings: no gradient flows through them
 * (stop-gradient), so the model cannot lower its loss by moving its own weights.
 * k = 0 gives every row weight 1. A zero vector has cosine 0 with everything.
 * Shapes: view1, view2, positives [B·d] row-major → weights [B].
 */
export function agreementWeights(
  view1: ArrayLike<number>,
  view2: ArrayLike<number>,
  positives: ArrayLike<number>,
  dim: number,
  sharpness: number,
): Float32Array {
  const b = positives.length / dim;
  if (!Number.isInteger(b) || view1.length !== positives.length || view2.length !== positives.length)
    throw new RangeError(`agreementWeights: views [${view1.length}], [${view2.length}] and positives [${positives.length}] must all be B·${dim}`);
  const raw = Float64Array.from({ length: b }, (_, i) => {
    const agreement = Math.min(cosine(view1, positives, i * dim, dim), cosine(view2, positives, i * dim, dim));
    return 1 / (1 + Math.exp(-sharpness * agreement));
  });
  return scaledToMeanOne(raw);
}

function cosine(x: ArrayLike<number>, y: ArrayLike<number>, at: number, dim: number): number {
  let xy = 0;
  let xx = 0;
  let yy = 0;
  for (let k = at; k < at + dim; k++) {
    xy += x[k] * y[k];
    xx += x[k] * x[k];
    yy += y[k] * y[k];
  }
  return xx === 0 || yy === 0 ? 0 : xy / Math.sqrt(xx * yy);
}
