import type { LossConfig } from '../model/losses/compute-loss.js';
import { scatterTowerGradients } from '../model/tower.js';
import { computeGradients, type GradientResult } from './compute-gradients.js';
import { prepareStep, type PreparedStep } from './step-inputs.js';
import type { TrainContext } from './train-context.js';

/** Loss parts of one step (plain numbers, already read back). */
export interface StepLosses {
  readonly total: number;
  readonly main: number;
  readonly itemSsl: number;
  readonly userSsl: number;
}

/** The loss flags of a training config. */
export function lossConfigOf(ctx: TrainContext): LossConfig {
  const c = ctx.config;
  return {
    kind: c.loss,
    temperature: ctx.temperature,
    logQ: c.logQ,
    maskAccidentalHits: c.maskAccidentalHits,
    itemSslWeight: c.itemSslWeight,
    userSslWeight: c.userSslWeight,
    sslTemperature: c.sslTemperature,
    truncationMaxRate: c.truncationMaxRate,
    truncationRampSteps: c.truncationRampSteps,
    rinceQ: c.rinceQ,
    rinceLambda: c.rinceLambda,
    rinceRelative: c.rinceRelative,
    agreementSharpness: c.agreementSharpness,
    reweightBeta: c.reweightBeta,
  };
}

/**
 * Applies a step's gradients: Adam on the MLP weights (`createDenseAdam`), and the pooled-input
 * gradients scattered into sparse row-wise updates of the embedding tables. Advances the step counter.
 */
export function applyStepGradients(ctx: TrainContext, prepared: PreparedStep, result: GradientResult): StepLosses {
  const { model, kernels } = ctx;
  ctx.denseAdam.step(result.weightGrads);
  scatterTowerGradients(kernels.paired, model.user, result.gxu, prepared.userBags, ctx.userGrads);
  scatterTowerGradients(kernels.paired, model.item, result.gxi, prepared.itemBags, ctx.itemGrads);
  for (const { grad, optimizer } of ctx.sparseUpdates) {
    optimizer.step(grad);
    kernels.paired.clearSparseGradient(grad);
  }
  ctx.step++;
  return { total: result.total, main: result.main, itemSsl: result.itemSsl, userSsl: result.userSsl };
}

/**
 * One optimisation step on the training examples `examples`, on this thread: inputs pooled in plain
 * JS (`prepareStep`), loss and gradients from TF.js (`computeGradients`), dense Adam for the MLPs
 * and sparse row-wise updates for the tables (`applyStepGradients`).
 */
export function trainStep(ctx: TrainContext, examples: Int32Array): StepLosses {
  const prepared = prepareStep(ctx, examples);
  const result = computeGradients(ctx.kernels.matMuls, prepared.inputs, ctx.model.user.mlp.weights, ctx.model.item.mlp.weights, lossConfigOf(ctx));
  return applyStepGradients(ctx, prepared, result);
}
