import * as tf from '@tensorflow/tfjs-core';
import { concatBatchBags, type BatchBags } from '../model/bag-pooling.js';
import { dropBagRows } from '../model/bag-row-dropout.js';
import { correlatedFeatureMask } from '../model/correlated-feature-mask.js';
import { applyFieldMask, featureDropoutMask } from '../model/feature-dropout.js';
import { computeLoss, type LossConfig } from '../model/losses/compute-loss.js';
import { mlpForward } from '../model/mlp.js';
import { clearSparseGradient } from '../model/sparse-gradient.js';
import { scatterTowerGradients, towerInput, type Tower } from '../model/tower.js';
import { itemBags, userBags } from '../model/two-tower-model.js';
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
    temperature: c.temperature,
    logQ: c.logQ,
    maskAccidentalHits: c.maskAccidentalHits,
    itemSslWeight: c.itemSslWeight,
    userSslWeight: c.userSslWeight,
    sslTemperature: c.sslTemperature,
    truncationMaxRate: c.truncationMaxRate,
    truncationRampSteps: c.truncationRampSteps,
  };
}

function stack(parts: readonly BatchBags[][]): BatchBags[] {
  return parts[0].map((_, f) => concatBatchBags(parts.map((p) => p[f])));
}

function itemView(ctx: TrainContext, bags: BatchBags[]): BatchBags[] {
  const n = bags[0].offsets.length - 1;
  const { featureDropoutRate: p } = ctx.config;
  const mask = ctx.itemFieldCorrelation
    ? correlatedFeatureMask(n, bags.length, ctx.itemFieldCorrelation, p, ctx.rng)
    : featureDropoutMask(n, bags.length, p, ctx.rng);
  return applyFieldMask(bags, mask);
}

function userView(ctx: TrainContext, bags: BatchBags[]): BatchBags[] {
  const n = bags[0].offsets.length - 1;
  const hasHistory = ctx.model.config.useHistory;
  const fields = hasHistory ? bags.slice(0, -1) : bags;
  const view = applyFieldMask(fields, featureDropoutMask(n, fields.length, ctx.config.featureDropoutRate, ctx.rng));
  if (hasHistory) view.push(dropBagRows(bags[bags.length - 1], ctx.config.historyDropoutRate, ctx.rng));
  return view;
}

/**
 * One optimisation step on the training examples `examples`: build both towers' inputs in plain JS
 * (positives, G global negatives, SSL views stacked so each tower runs one MLP pass), get the loss
 * and the gradients w.r.t. the MLP weights and the pooled inputs from TF.js, apply dense Adam to the
 * MLP and scatter the input gradients into sparse row-wise updates of the embedding tables.
 */
export function trainStep(ctx: TrainContext, examples: Int32Array): StepLosses {
  const { snapshot, model, config, rng } = ctx;
  const b = examples.length;
  const users = examples.map((k) => snapshot.train.user[k]);
  const ends = examples.map((k) => snapshot.train.historyEnd[k]);
  const positives = examples.map((k) => snapshot.train.item[k]);
  const negatives = ctx.sampler.sample(config.loss === 'bce' ? Math.max(1, config.globalNegatives) : config.globalNegatives, rng);
  const candidates = new Int32Array(b + negatives.length);
  candidates.set(positives);
  candidates.set(negatives, b);
  const q = Float32Array.from(candidates, (item, j) => (j < b ? snapshot.itemFrequency[item] : ctx.sampler.probability[item]));

  const uParts: BatchBags[][] = [userBags(snapshot, model.config, users, ends)];
  const iParts: BatchBags[][] = [itemBags(snapshot, candidates)];
  const s = Math.min(config.sslBatchSize, b);
  if (config.userSslWeight > 0) {
    const base = userBags(snapshot, model.config, users.subarray(0, s), ends.subarray(0, s));
    uParts.push(userView(ctx, base), userView(ctx, base));
  }
  if (config.itemSslWeight > 0) {
    const base = itemBags(snapshot, Int32Array.from({ length: s }, () => rng.int(snapshot.items.externalIds.length)));
    iParts.push(itemView(ctx, base), itemView(ctx, base));
  }
  const uBags = stack(uParts);
  const iBags = stack(iParts);
  const nu = uBags[0].offsets.length - 1;
  const ni = iBags[0].offsets.length - 1;
  const xu = tf.tensor2d(towerInput(model.user, uBags), [nu, model.user.mlp.inputSize]);
  const xi = tf.tensor2d(towerInput(model.item, iBags), [ni, model.item.mlp.inputSize]);
  const uw = model.user.mlp.weights;
  const iw = model.item.mlp.weights;
  const lossConfig = lossConfigOf(ctx);
  const c = candidates.length;
  let parts: tf.Scalar[] = [];
  const f = (...args: tf.Tensor[]): tf.Scalar => {
    const ue = mlpForward(args[0] as tf.Tensor2D, args.slice(2, 2 + uw.length));
    const ie = mlpForward(args[1] as tf.Tensor2D, args.slice(2 + uw.length));
    const loss = computeLoss(
      {
        users: tf.slice(ue, [0, 0], [b, -1]),
        candidates: tf.slice(ie, [0, 0], [c, -1]),
        candidateQ: tf.tensor1d(q),
        positiveIds: positives,
        candidateIds: candidates,
        userViews: config.userSslWeight > 0 ? [tf.slice(ue, [b, 0], [s, -1]), tf.slice(ue, [b + s, 0], [s, -1])] : undefined,
        itemViews: config.itemSslWeight > 0 ? [tf.slice(ie, [c, 0], [s, -1]), tf.slice(ie, [c + s, 0], [s, -1])] : undefined,
        step: ctx.step,
      },
      lossConfig,
    );
    parts = [loss.main, loss.itemSsl ?? tf.scalar(0), loss.userSsl ?? tf.scalar(0)].map((t) => tf.keep(t));
    return loss.total;
  };
  const { value, grads } = tf.valueAndGrads(f)([xu, xi, ...uw, ...iw]);
  const named: tf.NamedTensorMap = {};
  [...uw, ...iw].forEach((v, k) => (named[v.name] = grads[2 + k]));
  ctx.denseOptimizer.applyGradients(named);
  applySparse(model.user, grads[0].dataSync() as Float32Array, uBags, ctx.userGrads, ctx.userOptimizers);
  applySparse(model.item, grads[1].dataSync() as Float32Array, iBags, ctx.itemGrads, ctx.itemOptimizers);
  const [total, main, itemSsl, userSsl] = [value, ...parts].map((t) => t.dataSync()[0]);
  tf.dispose([xu, xi, value, ...grads, ...parts]);
  ctx.step++;
  return { total, main, itemSsl, userSsl };
}

function applySparse(tower: Tower, grad: Float32Array, bags: BatchBags[], grads: TrainContext['userGrads'], optimizers: TrainContext['userOptimizers']): void {
  scatterTowerGradients(tower, grad, bags, grads);
  grads.forEach((g, f) => {
    optimizers[f].step(g);
    clearSparseGradient(g);
  });
}
