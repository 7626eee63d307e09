/**
 * Low-level building blocks for the tfjs predictors.
 *
 * Speed notes (tfjs 4.22, wasm backend in Node): a matrix product with a transposed operand runs ~13× slower
 * than a plain one (it misses XNNPACK), and tfjs's own matMul gradient uses exactly those. So {@link dense}
 * and {@link lookup} define their gradients with explicit transposes. The wasm backend also lacks
 * UnsortedSegmentSum, the gradient of gather, so embeddings are one-hot products; and its tanh is ~15× slower
 * than its sigmoid, hence {@link fastTanh}.
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from '../engine/custom-op.js';

export { customOp };
import { Rng, fillDropoutMask } from './rng.js';

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

/** Seeded inverted-dropout masks for one training step. */
export class Dropout {
  constructor(
    readonly rate: number,
    private readonly rng: Rng,
  ) {}

  mask(rows: number, cols: number): tf.Tensor2D | null {
    if (this.rate <= 0) return null;
    const buf = fillDropoutMask(new Float32Array(rows * cols), this.rate, this.rng.uint32());
    return tf.tensor2d(buf, [rows, cols]);
  }
}

/** Trainable parameters with seeded initialisation. */
export class ParamStore {
  readonly variables: tf.Variable[] = [];
  private readonly constants: tf.Tensor[] = [];

  constructor(private readonly rng: Rng) {}

  private add(values: Float32Array, shape: number[]): tf.Variable {
    const initial = tf.tensor(values, shape);
    const v = tf.variable(initial, true);
    initial.dispose(); // the variable holds its own reference to the data
    this.variables.push(v);
    return v;
  }

  /** A constant owned by the model (disposed with the parameters). */
  constant<T extends tf.Tensor>(t: T): T {
    this.constants.push(t);
    return t;
  }

  /** U(−bound, bound). */
  uniform(shape: number[], bound: number): tf.Variable {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = (2 * this.rng.float() - 1) * bound;
    return this.add(values, shape);
  }

  /** N(0, std²). */
  normal(shape: number[], std = 1): tf.Variable {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = this.rng.normal() * std;
    return this.add(values, shape);
  }

  /** A PyTorch-default nn.Linear: weight and bias U(±1/√in). */
  linear(inFeatures: number, outFeatures: number, bias = true): { w: tf.Variable; b: tf.Variable | null } {
    const bound = 1 / Math.sqrt(inFeatures);
    const w = this.uniform([inFeatures, outFeatures], bound);
    return { w, b: bias ? this.uniform([outFeatures], bound) : null };
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
    for (const c of this.constants) c.dispose();
    this.variables.length = 0;
    this.constants.length = 0;
  }
}

/** An MLP head: hidden layers with ReLU and dropout, then a linear layer to one score per row. */
export class MlpHead {
  private readonly layers: { w: tf.Variable; b: tf.Variable | null }[] = [];

  constructor(params: ParamStore, inFeatures: number, hidden: readonly number[]) {
    let d = inFeatures;
    for (const h of hidden) {
      this.layers.push(params.linear(d, h));
      d = h;
    }
    this.layers.push(params.linear(d, 1));
  }

  /** x [B, in] → scores [B]. */
  forward(x: tf.Tensor2D, dropout: Dropout | null): tf.Tensor1D {
    let h = x;
    const last = this.layers.length - 1;
    for (let i = 0; i < last; i++) {
      const { w, b } = this.layers[i];
      const mask = dropout ? dropout.mask(h.shape[0], w.shape[1]!) : null;
      h = dense(h, w as tf.Tensor2D, b as tf.Tensor1D, true, mask);
    }
    const { w, b } = this.layers[last];
    return tf.reshape(dense(h, w as tf.Tensor2D, b as tf.Tensor1D, false), [-1]);
  }
}
