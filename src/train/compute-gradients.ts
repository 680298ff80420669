import * as tf from '@tensorflow/tfjs-core';
import type { MatMuls } from '../kernels/mat-muls.js';
import { computeLoss, type LossConfig } from '../model/losses/compute-loss.js';
import { mlpForward } from '../model/mlp.js';
import type { StepInputs } from './step-inputs.js';

/** A step's loss parts (means over the rows given) and gradients, as plain arrays. */
export interface GradientResult {
  readonly total: number;
  readonly main: number;
  readonly itemSsl: number;
  readonly userSsl: number;
  /** Gradients of `scale · total` w.r.t. the user MLP weights then the item MLP weights. */
  readonly weightGrads: Float32Array[];
  /** Gradient w.r.t. the pooled inputs xu [rows, userWidth] and xi [rows, itemWidth]. */
  readonly gxu: Float32Array;
  readonly gxi: Float32Array;
}

/**
 * The TF.js part of a step: both MLPs forward on the pooled inputs, `computeLoss`, and the gradients
 * of `scale · total` w.r.t. the MLP weights and the pooled inputs (one `tf.valueAndGrads`). Pure
 * given its arguments, so a worker thread can run it on a slice of the batch (`scale` = its share),
 * with its own `matMuls` (`Kernels.matMuls` of the thread's backend).
 */
export function computeGradients(
  matMuls: MatMuls,
  inputs: StepInputs,
  userWeights: readonly tf.Tensor[],
  itemWeights: readonly tf.Tensor[],
  lossConfig: LossConfig,
  scale = 1,
): GradientResult {
  const { batchRows: b, userViewRows: s, itemViewRows: t, candidateRows: c } = inputs;
  const xu = tf.tensor2d(inputs.userInput, [b + 2 * s, inputs.userWidth]);
  const xi = tf.tensor2d(inputs.itemInput, [c + 2 * t, inputs.itemWidth]);
  let parts: tf.Scalar[] = [];
  const f = (...args: tf.Tensor[]): tf.Scalar => {
    const ue = mlpForward(matMuls, args[0] as tf.Tensor2D, args.slice(2, 2 + userWeights.length));
    const ie = mlpForward(matMuls, args[1] as tf.Tensor2D, args.slice(2 + userWeights.length));
    const loss = computeLoss(
      matMuls,
      {
        users: tf.slice(ue, [0, 0], [b, -1]),
        candidates: tf.slice(ie, [0, 0], [c, -1]),
        candidateQ: tf.tensor1d(inputs.candidateQ),
        positiveIds: inputs.positives,
        candidateIds: inputs.candidates,
        userViews: s > 0 ? [tf.slice(ue, [b, 0], [s, -1]), tf.slice(ue, [b + s, 0], [s, -1])] : undefined,
        itemViews: t > 0 ? [tf.slice(ie, [c, 0], [t, -1]), tf.slice(ie, [c + t, 0], [t, -1])] : undefined,
        labelOffset: inputs.labelOffset,
        globalStart: inputs.globalStart,
        step: inputs.step,
        positiveWeights: inputs.positiveWeights ?? undefined,
        compact: inputs.compact,
      },
      lossConfig,
    );
    parts = [loss.total, loss.main, loss.itemSsl ?? tf.scalar(0), loss.userSsl ?? tf.scalar(0)].map((x) => tf.keep(x));
    return scale === 1 ? loss.total : tf.mul(loss.total, scale);
  };
  const { value, grads } = tf.valueAndGrads(f)([xu, xi, ...userWeights, ...itemWeights]);
  const [total, main, itemSsl, userSsl] = parts.map((x) => x.dataSync()[0]);
  const result: GradientResult = {
    total,
    main,
    itemSsl,
    userSsl,
    weightGrads: grads.slice(2).map((g) => g.dataSync() as Float32Array),
    gxu: grads[0].dataSync() as Float32Array,
    gxi: grads[1].dataSync() as Float32Array,
  };
  tf.dispose([xu, xi, value, ...grads, ...parts]);
  return result;
}
