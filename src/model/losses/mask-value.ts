/**
 * The one additive mask for logits that must not count: float32's lowest value ÷ 100. Large enough
 * that exp() of it is 0 after the softmax's max-subtraction, finite so that masking never produces
 * `-Infinity − (-Infinity) = NaN` (TensorFlow Recommenders uses the same constant).
 */
export const MASK_VALUE = -3.4028234663852886e38 / 100;
