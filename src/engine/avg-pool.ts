/**
 * The supernet's average pools, with exact gradients that can themselves be differentiated (nested gradients such
 * as grasp's Hessian-vector products pass through them).
 *
 * Why not bare `tf.avgPool`: for a 'same' 3×3 stride-1 pool, tfjs 4.22 (cpu, wasm, webgpu) leaves the padding out of
 * the count in the forward pass, but its gradient divides by 9 everywhere (the gradient of the pool that counts the
 * padding), so every border position gets a wrong gradient. And its gradient kernel (AvgPoolGrad) has no gradient.
 * {@link avgPool3x3} keeps tf.avgPool's forward and supplies the gradient; {@link avgPool3x3Composed} is the same
 * pool as a composition of pads, slices and adds (an independent implementation, slower and heavier on memory).
 *
 * wasm speed notes (tfjs 4.22): Slice copies its whole input out of the wasm heap and then copies one innermost run
 * at a time, so shifted windows are slices of 2-D views (few long runs), and the centre term is the input itself.
 * Pads of 2-D views are cheap, as is a product broadcast over leading axes only ([B, N] · [N]); a product broadcast
 * over [1, H, W, 1] is ~10× slower.
 */
import * as tf from './tfjs.js';
import { customOp } from './custom-op.js';

const reciprocalCache = new Map<string, Float32Array>();

/**
 * 1/count of the 3×3 pad-1 window at each element of an H×W×C map, flattened (1/4 at corners, 1/6 on edges, 1/9
 * inside). Cached as a plain array: a cached tensor would be tied to one backend and to tidy scopes.
 */
function reciprocalCounts(height: number, width: number, channels: number): Float32Array {
  const key = `${height}x${width}x${channels}`;
  let values = reciprocalCache.get(key);
  if (!values) {
    values = new Float32Array(height * width * channels);
    const span = (i: number, n: number) => Math.min(i + 1, n - 1) - Math.max(i - 1, 0) + 1;
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const at = (i * width + j) * channels;
        values.fill(1 / (span(i, height) * span(j, width)), at, at + channels);
      }
    }
    reciprocalCache.set(key, values);
  }
  return values;
}

/**
 * 3×3 average pool, stride 1, zero padding 1, the padding excluded from the count (PyTorch's
 * `AvgPool2d(3, 1, 1, count_include_pad=False)`, NB201's avg_pool_3x3), for NHWC x. Separable: the sums over rows
 * i−1..i+1, then over columns j−1..j+1, then a product with the reciprocal counts.
 */
export function avgPool3x3Composed(x: tf.Tensor4D): tf.Tensor4D {
  // tidy: the intermediates are freed even outside a caller's tidy (the tape keeps what the gradient needs).
  return tf.tidy(() => {
    const [b, h, w, c] = x.shape;
    const row = w * c;
    const size = h * row;
    // [B, H·W·C]: the rows above and below are the slices at ±one row of the padded image.
    const images = tf.reshape(x, [b, size]);
    const paddedRows = tf.pad(images, [
      [0, 0],
      [row, row],
    ]);
    const rowSums = tf.addN([
      images,
      tf.slice(paddedRows, [0, 0], [b, size]),
      tf.slice(paddedRows, [0, 2 * row], [b, size]),
    ]);
    // [B·H, W·C]: the columns left and right are the slices at ±one pixel of the padded row.
    const rows = tf.reshape(rowSums, [b * h, row]);
    const paddedCols = tf.pad(rows, [
      [0, 0],
      [c, c],
    ]);
    const sums = tf.addN([
      rows,
      tf.slice(paddedCols, [0, 0], [b * h, row]),
      tf.slice(paddedCols, [0, 2 * c], [b * h, row]),
    ]);
    const means = tf.mul(tf.reshape(sums, [b, size]), tf.tensor1d(reciprocalCounts(h, w, c)));
    return tf.reshape(means, [b, h, w, c]);
  });
}

/**
 * 2×2 average pool, stride 2, no padding, for NHWC x with even H and W (the reduction block's shortcut): the mean
 * over the two window axes of a [B, H/2, 2, W/2, 2, C] view. Same values as `tf.avgPool(x, 2, 2, 'valid')`.
 */
export function avgPool2x2(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  if (h % 2 !== 0 || w % 2 !== 0) throw new Error(`avgPool2x2: H and W must be even (got ${h}×${w})`);
  return tf.tidy(() => tf.mean(tf.reshape(x, [b, h / 2, 2, w / 2, 2, c]), [2, 4]) as tf.Tensor4D);
}

/**
 * The 3×3 count-excluding pool as the supernet uses it: `tf.avgPool`'s forward (which excludes the padding from the
 * count) with the right gradient. The window sum S is symmetric, so for y = S(x) ⊙ r (r = 1/count) the gradient
 * is dx = S(dy ⊙ r) = pool(dy ⊙ r) / r, computed by this same op: the gradient is then differentiable again, to any
 * order. Unlike {@link avgPool3x3Composed} it keeps no map-sized intermediate for the backward pass (the
 * composition keeps about ten, which matters for the wasm heap) and runs one pooling kernel.
 */
export function avgPool3x3(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  return customOp(([xi]) => ({
    value: tf.avgPool(xi as tf.Tensor4D, 3, 1, 'same'),
    gradFunc: (dy) => {
      // Products over [B, H·W·C] views (see the speed notes).
      const r = tf.tensor1d(reciprocalCounts(h, w, c));
      const scaled = tf.reshape(tf.mul(tf.reshape(dy, [b, h * w * c]), r), [b, h, w, c]) as tf.Tensor4D;
      return tf.reshape(tf.div(tf.reshape(avgPool3x3(scaled), [b, h * w * c]), r), [b, h, w, c]);
    },
  }))(x) as tf.Tensor4D;
}
