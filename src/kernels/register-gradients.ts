import * as tf from '@tensorflow/tfjs-core';

/*
 * tfjs-core's Node bundle (tf-core.node.js) ships no gradient configs: they live in
 * `dist/register_all_gradients.js`, an extension-less ESM tree Node cannot load. The trainer
 * needs gradients for only a dozen element-wise/reduction kernels (matMul and the fused softmax
 * have their own customGrad), so they are registered here, mirroring tfjs-core's own configs.
 */

const { getReductionAxes, assertAndGetBroadcastShape } = tf.backend_util;

/** Sums `dy` over the axes along which `shape` was broadcast, back to `shape`. */
function unbroadcast(dy: tf.Tensor, shape: number[], outShape: number[]): tf.Tensor {
  const axes = getReductionAxes(shape, outShape);
  return tf.reshape(axes.length > 0 ? tf.sum(dy, axes) : dy, shape);
}

function binary(
  kernelName: string,
  da: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
  db: (dy: tf.Tensor, a: tf.Tensor, b: tf.Tensor) => tf.Tensor,
): tf.GradConfig {
  return {
    kernelName,
    inputsToSave: ['a', 'b'],
    gradFunc: (dy, saved) => {
      const [a, b] = saved;
      const out = assertAndGetBroadcastShape(a.shape, b.shape);
      return { a: () => unbroadcast(da(dy as tf.Tensor, a, b), a.shape, out), b: () => unbroadcast(db(dy as tf.Tensor, a, b), b.shape, out) };
    },
  };
}

function unary(kernelName: string, dx: (dy: tf.Tensor, x: tf.Tensor, attrs: tf.NamedAttrMap) => tf.Tensor): tf.GradConfig {
  return { kernelName, inputsToSave: ['x'], gradFunc: (dy, saved, attrs) => ({ x: () => dx(dy as tf.Tensor, saved[0], attrs) }) };
}

function reductionShape(x: tf.Tensor, attrs: tf.NamedAttrMap): number[] {
  const shape = x.shape.slice();
  for (const axis of tf.util.parseAxisParam(attrs.axis as number | number[], x.shape)) shape[axis] = 1;
  return shape;
}

const CONFIGS: tf.GradConfig[] = [
  binary(
    'Add',
    (dy) => dy,
    (dy) => dy,
  ),
  binary(
    'Sub',
    (dy) => dy,
    (dy) => tf.neg(dy),
  ),
  binary(
    'Multiply',
    (dy, _a, b) => tf.mul(dy, b),
    (dy, a) => tf.mul(dy, a),
  ),
  binary(
    'RealDiv',
    (dy, _a, b) => tf.div(dy, b),
    (dy, a, b) => tf.neg(tf.div(tf.mul(dy, a), tf.square(b))),
  ),
  unary('Relu', (dy, x) => tf.mul(dy, tf.step(x))),
  unary('Square', (dy, x) => tf.mul(dy, tf.mul(x, 2))),
  unary('Rsqrt', (dy, x) => tf.neg(tf.div(dy, tf.mul(tf.pow(x, 1.5), 2)))),
  unary('Neg', (dy) => tf.neg(dy)),
  unary('Softplus', (dy, x) => tf.mul(dy, tf.sigmoid(x))),
  unary('Sum', (dy, x, attrs) => tf.mul(tf.reshape(dy, reductionShape(x, attrs)), tf.onesLike(x))),
  unary('Mean', (dy, x, attrs) => {
    const shape = reductionShape(x, attrs);
    const n = x.size / shape.reduce((p, s) => p * s, 1);
    return tf.div(tf.mul(tf.reshape(dy, shape), tf.onesLike(x)), n);
  }),
  unary('Transpose', (dy, _x, attrs) => {
    const perm = attrs.perm as number[];
    const inverse = perm.map((_, i) => perm.indexOf(i));
    return tf.transpose(dy, inverse);
  }),
  unary('Slice', (dy, x, attrs) => {
    const [begin, size] = tf.slice_util.parseSliceParams(x, attrs.begin as number[], attrs.size as number[]);
    return tf.pad(
      dy,
      x.shape.map((s, i) => [begin[i], s - begin[i] - size[i]] as [number, number]),
    );
  }),
  unary('Reshape', (dy, x) => tf.reshape(dy, x.shape)),
  unary('Identity', (dy) => dy),
  unary('Cast', (dy) => tf.clone(dy)),
];

let registered = false;

/**
 * Registers the gradients above once (idempotent). `selectBackend` calls it: TF.js's gradient
 * registry is global, so this is the one piece of state kept here, and it is set before any
 * caller can ask for a gradient.
 */
export function registerGradients(): void {
  if (registered) return;
  registered = true;
  for (const config of CONFIGS) if (tf.getGradient(config.kernelName) === undefined) tf.registerGradient(config);
}
