/**
 * Train-mode batch normalisation with a closed-form gradient.
 *
 * Statistics are per channel (the last axis) over every other axis (N, H, W for NHWC), with the biased batch
 * variance, as PyTorch's BatchNorm in train mode normalises. Autodiff of the plain formula on the wasm backend
 * goes through broadcast gradients (Tile, Sum over leading axes with transposes); the analytic backward
 *   dx = γ/σ · (dy − mean(dy) − x̂ · mean(dy · x̂)),  dγ = Σ dy · x̂,  dβ = Σ dy
 * needs two per-channel means and a few elementwise passes.
 *
 * wasm speed notes (tfjs 4.22): a per-channel mean is an average pool over the whole plane (~10× faster than
 * `tf.sum`/`tf.mean` over the leading axes, which transpose first, or than a product with a row of ones,
 * which repacks the fresh matrix as GEMM weights); a per-channel affine map x·s + b is a 1×1 depthwise
 * convolution with bias (one pass, ~2× faster than two broadcasting binary ops).
 */
import * as tf from './tfjs.js';
import { customOp } from './custom-op.js';

/** PyTorch's default BatchNorm epsilon. */
export const BN_EPS = 1e-5;

export interface BatchNormResult<T extends tf.Tensor> {
  /** The normalised (and, if affine, scaled and shifted) output, shaped like x. */
  y: T;
  /** Batch mean per channel [C]; a constant (no gradient flows through it). */
  mean: tf.Tensor1D;
  /** Biased batch variance per channel [C] (divided by N, as used to normalise); a constant. */
  variance: tf.Tensor1D;
}

/** Per-channel mean of x4 [1, R1, R2, C] as [1, 1, 1, C]: an average pool over the whole plane. */
function channelMean(x4: tf.Tensor4D): tf.Tensor4D {
  return tf.avgPool(x4, [x4.shape[1], x4.shape[2]], 1, 'valid');
}

/**
 * x4 · scale + shift per channel ([C] each, shift optional): a 1×1 depthwise convolution with bias. `shift`
 * must be the output of an op of shape [C], not a reshape of another shape: the wasm kernel checks the bias
 * rank on the stored data, which a reshape shares with its source.
 */
function affine(x4: tf.Tensor4D, scale: tf.Tensor, shift: tf.Tensor1D | null): tf.Tensor4D {
  const filter = tf.reshape(scale, [1, 1, x4.shape[3], 1]) as tf.Tensor4D;
  if (!shift) return tf.depthwiseConv2d(x4, filter, 1, 'valid');
  return tf.fused.depthwiseConv2d({ x: x4, filter, strides: 1, pad: 'valid', bias: shift });
}

/** −t as a [C] tensor of its own (see {@link affine}). */
function negC(t: tf.Tensor, channels: number): tf.Tensor1D {
  return tf.neg(tf.reshape(t, [channels]));
}

/**
 * Train-mode batch norm of x (any rank ≥ 2, channels last) with batch statistics; `gamma` and `beta` ([C]) are
 * the affine scale and shift (pass null/undefined for a non-affine BN, or for either alone). Differentiable
 * with respect to x, gamma and beta through the closed-form gradient. `mean` and `variance` are returned for
 * running statistics or inspection; they are new tensors owned by the caller (tracked by an enclosing tidy).
 */
export function batchNormTrain<T extends tf.Tensor>(
  x: T,
  gamma?: tf.Tensor1D | null,
  beta?: tf.Tensor1D | null,
  eps: number = BN_EPS,
): BatchNormResult<T> {
  if (x.rank < 2) throw new Error(`batchNormTrain: x must have rank ≥ 2 (got [${x.shape}])`);
  const channels = x.shape[x.rank - 1];
  const rows = x.size / channels;
  for (const [name, p] of [
    ['gamma', gamma],
    ['beta', beta],
  ] as const) {
    if (p && (p.rank !== 1 || p.shape[0] !== channels)) {
      throw new Error(`batchNormTrain: ${name} must have shape [${channels}] (got [${p.shape}])`);
    }
  }
  const hasGamma = !!gamma;
  const hasBeta = !!beta;
  let stats: [tf.Tensor, tf.Tensor] | undefined;

  // Every computation runs on x viewed as [1, R1, R2, C] (R1·R2 = rows), the layout pooling wants.
  const r2 = x.rank >= 3 ? x.shape[x.rank - 2] : 1;
  const planeShape: [number, number, number, number] = [1, rows / r2, r2, channels];
  const op = customOp((inputs, save) => {
    const [xi, ...params] = inputs;
    const g = hasGamma ? (params[0] as tf.Tensor1D) : null;
    const b = hasBeta ? (params[hasGamma ? 1 : 0] as tf.Tensor1D) : null;
    const x4 = tf.reshape(xi, planeShape) as tf.Tensor4D;
    const mean = channelMean(x4); // [1, 1, 1, C]
    const xc = affine(x4, tf.onesLike(mean), negC(mean, channels)); // x − μ
    const variance = channelMean(tf.square(xc));
    const invStd = tf.rsqrt(tf.add(variance, eps));
    const y = affine(xc, g ? tf.mul(invStd, g) : invStd, b);
    stats = [tf.keep(tf.reshape(mean, [channels])), tf.keep(tf.reshape(variance, [channels]))];
    save([xc, invStd, ...(g ? [g] : [])]);
    return {
      value: tf.reshape(y, xi.shape),
      gradFunc: (dy, saved) => {
        const [sxc, sInv, sg] = saved as [tf.Tensor4D, tf.Tensor, tf.Tensor1D?];
        const dy4 = tf.reshape(dy, planeShape) as tf.Tensor4D;
        const meanDy = channelMean(dy4); // Σdy / N
        const meanDyXc = channelMean(tf.mul(dy4, sxc)); // Σ dy·(x − μ) / N
        // dx = a · (dy − Σdy/N − (x − μ) · σ⁻² · Σ dy·(x − μ) / N),  a = γ/σ
        const a = sg ? tf.mul(sInv, sg) : sInv;
        const k = tf.neg(tf.mul(tf.square(sInv), meanDyXc));
        const inner: tf.Tensor4D = tf.add(dy4, affine(sxc, k, negC(meanDy, channels)));
        const grads: tf.Tensor[] = [tf.reshape(affine(inner, a, null), dy.shape)];
        if (sg) grads.push(tf.reshape(tf.mul(tf.mul(meanDyXc, sInv), rows), [channels]));
        if (hasBeta) grads.push(tf.reshape(tf.mul(meanDy, rows), [channels]));
        return grads;
      },
    };
  });

  const inputs: tf.Tensor[] = [x];
  if (gamma) inputs.push(gamma);
  if (beta) inputs.push(beta);
  const y = op(...inputs) as T;
  // The statistics were kept out of the op's internal tidy; hand the caller tracked clones of them instead.
  const [keptMean, keptVar] = stats!;
  const mean = tf.clone(keptMean) as tf.Tensor1D;
  const variance = tf.clone(keptVar) as tf.Tensor1D;
  keptMean.dispose();
  keptVar.dispose();
  return { y, mean, variance };
}
