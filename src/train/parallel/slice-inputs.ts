import type { GradientResult } from '../compute-gradients.js';
import type { StepInputs } from '../step-inputs.js';

/** Start/end of part k of n equal contiguous ranges of [0, total). */
function range(total: number, k: number, n: number): [number, number] {
  return [Math.floor((total * k) / n), Math.floor((total * (k + 1)) / n)];
}

function rows(x: Float32Array, width: number, from: number, to: number): Float32Array {
  return x.subarray(from * width, to * width);
}

function concat(parts: Float32Array[]): Float32Array {
  const out = new Float32Array(parts.reduce((s, p) => s + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function sliceCompact(compact: StepInputs['compact'], c: number, r0: number, r1: number): StepInputs['compact'] {
  const labels = compact.labels.slice(r0, r1);
  if (compact.kind === 'bce')
    return { ...compact, labels, positiveBias: compact.positiveBias.slice(r0, r1), negativeWeight: compact.negativeWeight.slice(r0 * c, r1 * c) };
  return { ...compact, labels, labelShift: compact.labelShift.slice(r0, r1), rowCorrection: compact.rowCorrection.slice(r0, r1) };
}

/**
 * Part k of n of a step for data-parallel workers: rows [r0, r1) of the batch's users (and the same
 * share of the SSL view pairs) against ALL candidates, so that the main loss, a mean over rows, is
 * exactly the sum of the parts' `scale`-weighted means (scale = (r1 − r0)/b). The SSL losses use the
 * part's own view pairs as negatives (s/n instead of s), an approximation.
 */
export function sliceStepInputs(inputs: StepInputs, k: number, n: number): { inputs: StepInputs; scale: number } {
  const { batchRows: b, userViewRows: s, itemViewRows: t, candidateRows: c, userWidth: uw, itemWidth: iw } = inputs;
  const [r0, r1] = range(b, k, n);
  const [s0, s1] = range(s, k, n);
  const [t0, t1] = range(t, k, n);
  const xu = concat([rows(inputs.userInput, uw, r0, r1), rows(inputs.userInput, uw, b + s0, b + s1), rows(inputs.userInput, uw, b + s + s0, b + s + s1)]);
  const xi = concat([rows(inputs.itemInput, iw, 0, c), rows(inputs.itemInput, iw, c + t0, c + t1), rows(inputs.itemInput, iw, c + t + t0, c + t + t1)]);
  return {
    inputs: {
      ...inputs,
      batchRows: r1 - r0,
      userViewRows: s1 - s0,
      itemViewRows: t1 - t0,
      userInput: xu,
      itemInput: xi,
      positives: inputs.positives.slice(r0, r1),
      positiveWeights: inputs.positiveWeights?.slice(r0, r1) ?? null,
      labelOffset: r0,
      globalStart: b,
      compact: sliceCompact(inputs.compact, c, r0, r1),
    },
    scale: (r1 - r0) / b,
  };
}

/**
 * Combines the parts' results back into the whole step's: loss parts weighted by each part's
 * scale, weight gradients summed (each part already scaled), user-row gradients put back in place,
 * candidate-row gradients summed and item-view rows put back. Fixed order, so deterministic.
 */
export function mergeGradientResults(inputs: StepInputs, parts: readonly GradientResult[], scales: readonly number[]): GradientResult {
  const { batchRows: b, userViewRows: s, itemViewRows: t, candidateRows: c, userWidth: uw, itemWidth: iw } = inputs;
  const n = parts.length;
  const gxu = new Float32Array(inputs.userInput.length);
  const gxi = new Float32Array(inputs.itemInput.length);
  const weightGrads = parts[0].weightGrads.map((g) => new Float32Array(g.length));
  let total = 0;
  let main = 0;
  let itemSsl = 0;
  let userSsl = 0;
  parts.forEach((p, k) => {
    const [r0, r1] = range(b, k, n);
    const [s0, s1] = range(s, k, n);
    const [t0, t1] = range(t, k, n);
    total += p.total * scales[k];
    main += p.main * scales[k];
    itemSsl += p.itemSsl * scales[k];
    userSsl += p.userSsl * scales[k];
    p.weightGrads.forEach((g, w) => {
      const out = weightGrads[w];
      for (let i = 0; i < g.length; i++) out[i] += g[i];
    });
    const bk = r1 - r0;
    const sk = s1 - s0;
    gxu.set(p.gxu.subarray(0, bk * uw), r0 * uw);
    gxu.set(p.gxu.subarray(bk * uw, (bk + sk) * uw), (b + s0) * uw);
    gxu.set(p.gxu.subarray((bk + sk) * uw, (bk + 2 * sk) * uw), (b + s + s0) * uw);
    for (let i = 0; i < c * iw; i++) gxi[i] += p.gxi[i];
    const tk = t1 - t0;
    gxi.set(p.gxi.subarray(c * iw, (c + tk) * iw), (c + t0) * iw);
    gxi.set(p.gxi.subarray((c + tk) * iw, (c + 2 * tk) * iw), (c + t + t0) * iw);
  });
  return { total, main, itemSsl, userSsl, weightGrads, gxu, gxi };
}
