/**
 * The tfjs kernels behind the predictor ops of the {@link Engine} (dense layers, row selection, tanh, pair
 * differences), tuned for tfjs 4.22's wasm backend in Node:
 * - a matrix product with a transposed operand runs ~13× slower than a plain one (it misses XNNPACK), and tfjs's own
 *   matMul gradient uses exactly those, so {@link dense} and {@link lookup} define their gradients with explicit
 *   transposes;
 * - the wasm backend lacks UnsortedSegmentSum, the gradient of gather, so row selection is a product with a one-hot
 *   matrix, and the gradient of a pair difference is a scatter-add on the host;
 * - its tanh is ~15× slower than its sigmoid, hence {@link fastTanh}.
 */
import * as tf from './tfjs.js';
import { customOp } from './custom-op.js';

/** Backends whose tensors live in CPU memory, where reading a tensor back costs only a copy. */
export const HOST_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/**
 * y = act(x·W + b) ⊙ mask with a fast gradient; act is ReLU or the identity, `mask` (e.g. an inverted-dropout
 * mask) is applied after the activation, null for none.
 */
export function dense(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | null,
  relu: boolean,
  mask: tf.Tensor2D | null = null,
): tf.Tensor2D {
  const op = customOp(([xi, wi, bi], save) => {
    let y = tf.fused.matMul({
      a: xi as tf.Tensor2D,
      b: wi as tf.Tensor2D,
      bias: bi,
      activation: relu ? 'relu' : 'linear',
    }) as tf.Tensor2D;
    if (mask) y = tf.mul(y, mask);
    save([xi, wi, y, ...(mask ? [mask] : [])]);
    return {
      value: y,
      gradFunc: (dy, saved) => {
        const [sx, sw, sy, smask] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D, tf.Tensor2D?];
        let dz = dy as tf.Tensor2D;
        if (relu) dz = tf.mul(dz, tf.step(sy));
        if (smask) dz = tf.mul(dz, smask);
        // dx = dz·Wᵀ packs Wᵀ (in·out values); for small batches (W·dzᵀ)ᵀ moves fewer values.
        const [rowsB, inF] = sx.shape;
        const outF = sw.shape[1];
        const dx =
          rowsB * (2 * outF + inF) < 2 * inF * outF
            ? tf.transpose(tf.matMul(sw, tf.transpose(dz)))
            : tf.matMul(dz, tf.transpose(sw));
        const dw = tf.matMul(tf.transpose(sx), dz);
        if (!bi) return [dx, dw];
        // 1ᵀ·dz right after xᵀ·dz reuses XNNPACK's packing of dz; tf.sum over axis 0 would transpose dz first.
        const db = tf.reshape(tf.matMul(tf.ones([1, dz.shape[0]]) as tf.Tensor2D, dz), [dz.shape[1]]);
        return [dx, dw, db];
      },
    };
  });
  return (b ? op(x, w, b) : op(x, w)) as tf.Tensor2D;
}

/**
 * Row lookup as a product with a constant one-hot matrix: `oneHot` [n, k] (rows may be all-zero, giving a zero
 * row) times `table` [k, d]. Exact, and differentiable on every backend (gather's gradient is not on wasm).
 */
export function lookup(oneHot: tf.Tensor2D, table: tf.Tensor2D): tf.Tensor2D {
  const op = customOp(([t], save) => {
    save([oneHot]);
    return {
      value: tf.matMul(oneHot, t as tf.Tensor2D),
      gradFunc: (dy, saved) => tf.matMul(tf.transpose(saved[0] as tf.Tensor2D), dy as tf.Tensor2D),
    };
  });
  return op(table) as tf.Tensor2D;
}

/** tanh(x) = 2·sigmoid(2x) − 1 (equal to float precision, several times faster on wasm). */
export function fastTanh<T extends tf.Tensor>(x: T): T {
  return tf.sub(tf.mul(tf.sigmoid(tf.mul(x, 2)), 2), 1) as T;
}

/** One-hot rows in a flat Float32Array, `ops[i]` → row i (a negative op leaves the row zero). */
export function oneHotRows(ops: ArrayLike<number>, depth: number): tf.Tensor2D {
  const buf = new Float32Array(ops.length * depth);
  for (let i = 0; i < ops.length; i++) if (ops[i] >= 0) buf[i * depth + ops[i]] = 1;
  return tf.tensor2d(buf, [ops.length, depth]);
}

function splitPairs(pairs: Int32Array): { first: Int32Array; second: Int32Array } {
  if (pairs.length % 2 !== 0)
    throw new Error('pairs must hold an even number of indices (a0, b0, a1, b1, ...)');
  const k = pairs.length / 2;
  const first = new Int32Array(k);
  const second = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    first[t] = pairs[2 * t];
    second[t] = pairs[2 * t + 1];
  }
  return { first, second };
}

/**
 * s[a_t] − s[b_t] for each pair t. Forward by gather; gather's own gradient is missing on the wasm backend, so
 * the gradient (a scatter-add of ±dy) is computed on the host for the wasm and cpu backends (O(pairs)), and as a
 * product with the dense ±1 pair matrix elsewhere.
 */
export function pairwiseDifference(
  scores: tf.Tensor1D,
  pairs: Int32Array,
  hostGradient = HOST_BACKENDS.has(tf.getBackend()),
): tf.Tensor1D {
  const { first, second } = splitPairs(pairs);
  const n = scores.shape[0];
  const k = first.length;
  const op = customOp(([s], save) => {
    const ia = tf.tensor1d(first, 'int32');
    const ib = tf.tensor1d(second, 'int32');
    save([ia, ib]); // saved, not captured: the forward pass's tidy disposes what it does not return or save
    return {
      value: tf.sub(tf.gather(s, ia), tf.gather(s, ib)),
      gradFunc: (dy, saved) => {
        if (hostGradient) {
          const g = dy.dataSync();
          const ds = new Float32Array(n);
          for (let t = 0; t < k; t++) {
            ds[first[t]] += g[t];
            ds[second[t]] -= g[t];
          }
          return tf.tensor1d(ds);
        }
        const [sa, sb] = saved;
        // int32 one-hot then a cast: tfjs-backend-wasm 4.22's OneHot writes int32 bits into a float32 output.
        const d = tf.cast(tf.sub(tf.oneHot(sa, n), tf.oneHot(sb, n)), 'float32') as tf.Tensor2D;
        return tf.reshape(tf.matMul(tf.reshape(dy, [1, k]), d), [n]);
      },
    };
  });
  return op(scores) as tf.Tensor1D;
}
