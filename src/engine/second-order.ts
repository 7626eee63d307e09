/**
 * Exact Hessian-vector products of the supernet's cross-entropy (grasp's H·g), by differentiating the gradient
 * once more with tfjs's autodiff: H·v = ∇_W (∇_W L(W) · v) with v held constant.
 *
 * tfjs only gets this right when every op on the path has a gradient that is itself differentiable, and four
 * things on the first-order path are not:
 * - custom ops that save tensors computed inside their forward (the engine's BatchNorm saves x − μ and 1/σ): the
 *   saved copies are not on the tape, so the second derivative treats them as constants. The stock BatchNorm
 *   (`tf.moments`, arithmetic) is used instead.
 * - kernels whose gradient reads their saved OUTPUT (Exp, Max, Softmax, LogSoftmax, …): tfjs records the copy of
 *   the output on the tape before the op that makes it, so the path through it is pruned and the second
 *   derivative silently loses a term (for softmax cross-entropy it even turns gᵀHg negative). The cross-entropy
 *   here uses an exp whose gradient recomputes exp from the saved input, and a row maximum read as a constant.
 * - `tf.avgPool`, whose gradient kernel has no gradient: the supernet's pools are the engine's
 *   (engine/avg-pool.ts), whose gradients are differentiable.
 * - the convolution's gradients. The wasm backend has no `Conv2DBackpropFilter`, and differentiating the engine's
 *   gradients as tfjs ops would run convolutions with image-sized filters. Instead a convolution, its input
 *   gradient and its filter gradient are three bilinear custom ops whose gradients are each other (below), so
 *   every derivative of any order is one of the engine's fast convolutions.
 */
import * as tf from './tfjs.js';
import { conv2dFilterGrad, conv2dInputGrad, explicitPad } from './conv.js';
import { customOp } from './custom-op.js';
import { STOCK_KERNELS, type SupernetKernels } from './tfjs-kernels.js';

interface ConvSpec {
  stride: number;
  pad: number;
  xShape: readonly number[];
  wShape: readonly number[];
}

type T4 = tf.Tensor4D;

/**
 * A bilinear op f(a, b) whose gradient with respect to a and b, given the output's gradient d, is `grads(d, a, b)`:
 * the inputs are saved (tfjs keeps their copies on the tape), so the gradient can be differentiated again.
 */
function bilinear(value: (a: T4, b: T4) => T4, grads: (d: T4, a: T4, b: T4) => [T4, T4]) {
  return (a: T4, b: T4): T4 =>
    customOp(([ai, bi], save) => {
      save([ai, bi]);
      return {
        value: value(ai as T4, bi as T4),
        gradFunc: (d, [sa, sb]) => grads(d as T4, sa as T4, sb as T4),
      };
    })(a, b) as T4;
}

// y = conv(x, W), dx = convᵀ(dy, W) and dW = corr(x, dy) are bilinear; with ⟨·,·⟩ the elementwise inner product,
// ⟨dy, conv(x, W)⟩ = ⟨convᵀ(dy, W), x⟩ = ⟨corr(x, dy), W⟩, which gives every op's two gradients in terms of the
// other two ops.
function conv(x: T4, w: T4, c: ConvSpec): T4 {
  return bilinear(
    (xi, wi) => tf.conv2d(xi, wi, c.stride, explicitPad(c.pad)),
    (dy, sx, sw) => [convInput(dy, sw, c), convFilter(sx, dy, c)],
  )(x, w);
}

/** convᵀ(dy, W): the input gradient of {@link conv}. */
function convInput(dy: T4, w: T4, c: ConvSpec): T4 {
  return bilinear(
    (dyi, wi) => conv2dInputGrad(dyi, wi, c.xShape, c.stride, c.pad),
    (dx, sdy, sw) => [conv(dx, sw, c), convFilter(dx, sdy, c)],
  )(dy, w);
}

/** corr(x, dy): the filter gradient of {@link conv}. */
function convFilter(x: T4, dy: T4, c: ConvSpec): T4 {
  return bilinear(
    (xi, dyi) => conv2dFilterGrad(xi, dyi, c.wShape, c.stride, c.pad),
    (dw, sx, sdy) => [convInput(sdy, dw, c), conv(sx, dw, c)],
  )(x, dy);
}

/** Kernels whose gradients can be differentiated again (see the module comment). */
export const SECOND_ORDER_KERNELS: SupernetKernels = {
  conv2d: (x, w, stride, pad) => conv(x, w, { stride, pad, xShape: x.shape, wShape: w.shape }),
  batchNorm: STOCK_KERNELS.batchNorm,
  crossEntropy: (logits, oneHot) => crossEntropyTwice(logits, oneHot),
};

/** exp whose gradient is dy·exp(x) from the saved input (tfjs's reads the saved output; see the module comment). */
const expFromInput = customOp(([x], save) => {
  save([x]);
  return { value: tf.exp(x), gradFunc: (dy, [sx]) => [tf.mul(dy, tf.exp(sx))] };
});

/** Mean softmax cross-entropy of logits [B, K] against one-hot labels, twice differentiable. */
export function crossEntropyTwice(logits: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
  const [b, k] = logits.shape;
  const v = logits.dataSync();
  const max = new Float32Array(b);
  for (let i = 0; i < b; i++) {
    let m = -Infinity;
    for (let j = 0; j < k; j++) m = Math.max(m, v[i * k + j]);
    max[i] = m;
  }
  // log Σ exp(z) = m + log Σ exp(z − m) for any constant m: the row maximum keeps exp in range.
  const m = tf.tensor2d(max, [b, 1]);
  const logSumExp = tf.add(tf.reshape(m, [b]), tf.log(tf.sum(expFromInput(tf.sub(logits, m)), 1)));
  return tf.mean(tf.sub(logSumExp, tf.sum(tf.mul(oneHot, logits), 1))) as tf.Scalar;
}

/**
 * H·v for the Hessian H of `loss` at `weights`: the gradient of ∇loss · v. `loss` must be built from twice
 * differentiable ops ({@link SECOND_ORDER_KERNELS}, {@link crossEntropyTwice}). Returns one tensor per weight.
 */
export function hessianVectorProduct(
  loss: (weights: tf.Tensor[]) => tf.Scalar,
  weights: readonly tf.Tensor[],
  v: readonly tf.Tensor[],
): tf.Tensor[] {
  if (weights.length !== v.length) {
    throw new Error(`hessianVectorProduct: ${weights.length} weights but ${v.length} directions`);
  }
  // v is held constant: copies, so that a direction that is one of the weights is not differentiated too.
  const constant = v.map((t) => tf.tensor(t.dataSync(), t.shape, t.dtype));
  try {
    return tf.grads((...ws: tf.Tensor[]) => {
      const g = tf.grads((...inner: tf.Tensor[]) => loss(inner))(ws);
      return tf.addN(g.map((gi, i) => tf.sum(tf.mul(gi, constant[i])))) as tf.Scalar;
    })([...weights]);
  } finally {
    tf.dispose(constant);
  }
}
