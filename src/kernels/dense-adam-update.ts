/**
 * One Adam step on one variable's weights `w`, moments `m`, `s` and gradient `g`, in place; `c1`
 * and `c2` are the step's bias corrections. The signature both halves of the paired `denseAdam`
 * kernel share (the addon's `denseAdam` and {@link denseAdamUpdateInJs}).
 */
export type DenseAdamStep = (
  w: Float32Array,
  m: Float32Array,
  s: Float32Array,
  g: Float32Array,
  learningRate: number,
  beta1: number,
  beta2: number,
  epsilon: number,
  c1: number,
  c2: number,
) => void;

/** The JavaScript half of the paired `denseAdam` kernel ({@link DenseAdamStep}). */
export const denseAdamUpdateInJs: DenseAdamStep = (w, m, s, g, learningRate, beta1, beta2, epsilon, c1, c2) => {
  for (let j = 0; j < w.length; j++) {
    m[j] = beta1 * m[j] + (1 - beta1) * g[j];
    s[j] = beta2 * s[j] + (1 - beta2) * g[j] * g[j];
    w[j] -= (learningRate * (m[j] / c1)) / (Math.sqrt(s[j] / c2) + epsilon);
  }
};
