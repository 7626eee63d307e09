/**
 * The two supernet kernels a tfjs engine may swap (convolution and train-mode BatchNorm): stock tfjs autodiff, or the
 * engine's exact and faster custom-gradient kernels (the default). Zero-shot proxies add their own (second order,
 * masked).
 */
import * as tf from './tfjs.js';
import { batchNormTrain } from './batchnorm.js';
import { conv2d as engineConv2d } from './conv.js';
import { BN_EPSILON } from './engine.js';

export interface SupernetKernels {
  /**
   * Convolution with stride 1 or 2 and symmetric zero padding `pad`. `inputGrad` is false only for the stem, whose
   * input is the images: a kernel may then skip the input gradient.
   */
  conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number, inputGrad?: boolean): tf.Tensor4D;
  /** Batch normalisation with the batch's statistics over N, H, W; affine when gamma and beta are given. */
  batchNorm(x: tf.Tensor4D, gamma?: tf.Tensor1D, beta?: tf.Tensor1D): tf.Tensor4D;
  /** Mean softmax cross-entropy against one-hot labels (default: tf.losses.softmaxCrossEntropy). */
  crossEntropy?(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar;
}

export { BN_EPSILON };

/** The stock tfjs kernels (autodiff through tfjs's own gradients; no filter gradient on wasm). */
export const STOCK_KERNELS: SupernetKernels = {
  conv2d: (x, w, stride, pad) =>
    tf.conv2d(
      x,
      w,
      stride,
      pad === 0
        ? 'valid'
        : [
            [0, 0],
            [pad, pad],
            [pad, pad],
            [0, 0],
          ],
    ),
  batchNorm: (x, gamma, beta) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPSILON))) as tf.Tensor4D;
    return gamma && beta ? (tf.add(tf.mul(y, gamma), beta) as tf.Tensor4D) : y;
  },
};

/**
 * The engine's kernels (the default): convolution gradients as forward convolutions and a closed-form BatchNorm
 * gradient, exact on every backend and what makes training possible (and 2–3× faster than stock) on wasm.
 */
export const ENGINE_KERNELS: SupernetKernels = {
  conv2d: (x, w, stride, pad, inputGrad = true) => engineConv2d(x, w, stride, pad, { inputGrad }),
  batchNorm: (x, gamma, beta) => batchNormTrain(x, gamma, beta, BN_EPSILON).y,
};
