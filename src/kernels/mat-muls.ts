import { createMatMulOf, type MatMulOf } from './mat-mul-of.js';
import { createPlainMatMul, type PlainMatMul } from './plain-mat-mul.js';
import { createScoresMatMul, type ScoresMatMul } from './scores-mat-mul.js';

/**
 * The matrix products the towers and losses make, each with the gradient that is fastest on the
 * selected backend: whether transpose flags are free depends on which BatchMatMul kernel is
 * registered, so the wrappers are made for it rather than asking a global at each call.
 */
export interface MatMuls {
  /** op(a) · op(b) (see `createMatMulOf`). */
  readonly matMulOf: MatMulOf;
  /** `a · b` with a gradient through `matMulOf` (the MLP layers). */
  readonly plainMatMul: PlainMatMul;
  /** `U · Cᵀ` with a gradient through `matMulOf` (the loss's score matrix). */
  readonly scoresMatMul: ScoresMatMul;
}

/** The wrappers for a backend whose BatchMatMul takes transpose flags for free, or not. */
export function createMatMuls(flagsAreFree: boolean): MatMuls {
  const matMulOf = createMatMulOf(flagsAreFree);
  return { matMulOf, plainMatMul: createPlainMatMul(matMulOf), scoresMatMul: createScoresMatMul(matMulOf) };
}
