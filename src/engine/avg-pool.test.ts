/**
 * The engine's average pools against float64 plain-loop references (none of which calls `tf.avgPool`'s gradient):
 * values, first-order gradients (the adjoint) and a second-order Hessian-vector product, on cpu and wasm.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from './tfjs.js';
import { initTensorflow, type TfBackendName } from './tf-backend.js';
import { avgPool2x2, avgPool3x3, avgPool3x3Composed } from './avg-pool.js';

// Both 3×3 pools (the supernet's custom op over tf.avgPool and the composition of slices and adds) against the
// loop references, to first and second order.
const POOLS_3X3 = [
  ['avgPool3x3', avgPool3x3],
  ['avgPool3x3Composed', avgPool3x3Composed],
] as const;
import { randomValues } from './reference.js';

const BACKENDS: TfBackendName[] = ['cpu', 'wasm'];

type Shape4 = [number, number, number, number];

/** The linear map P of the 3×3 pad-1 count-excluding pool, in float64: y[q] = Σ_{p in window(q)} x[p] / count(q). */
function pool3x3Ref(x: ArrayLike<number>, [b, h, w, c]: Shape4): Float64Array {
  const y = new Float64Array(b * h * w * c);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < c; k++) {
          let sum = 0;
          let count = 0;
          for (let di = -1; di <= 1; di++)
            for (let dj = -1; dj <= 1; dj++) {
              const ii = i + di;
              const jj = j + dj;
              if (ii < 0 || ii >= h || jj < 0 || jj >= w) continue;
              sum += x[((n * h + ii) * w + jj) * c + k];
              count++;
            }
          y[((n * h + i) * w + j) * c + k] = sum / count;
        }
  return y;
}

/** Pᵀ dy: every output q sends dy[q] / count(q) to each input p of its window. */
function pool3x3AdjointRef(dy: ArrayLike<number>, [b, h, w, c]: Shape4): Float64Array {
  const dx = new Float64Array(b * h * w * c);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++) {
        const rows = Math.min(i + 1, h - 1) - Math.max(i - 1, 0) + 1;
        const cols = Math.min(j + 1, w - 1) - Math.max(j - 1, 0) + 1;
        for (let k = 0; k < c; k++) {
          const share = dy[((n * h + i) * w + j) * c + k] / (rows * cols);
          for (let ii = Math.max(i - 1, 0); ii <= Math.min(i + 1, h - 1); ii++)
            for (let jj = Math.max(j - 1, 0); jj <= Math.min(j + 1, w - 1); jj++)
              dx[((n * h + ii) * w + jj) * c + k] += share;
        }
      }
  return dx;
}

/** The 2×2 stride-2 pool in float64, and its adjoint (each input gets a quarter of its window's dy). */
function pool2x2Ref(x: ArrayLike<number>, [b, h, w, c]: Shape4): Float64Array {
  const y = new Float64Array(b * (h / 2) * (w / 2) * c);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < c; k++)
          y[((n * (h / 2) + (i >> 1)) * (w / 2) + (j >> 1)) * c + k] += x[((n * h + i) * w + j) * c + k] / 4;
  return y;
}
function pool2x2AdjointRef(dy: ArrayLike<number>, [b, h, w, c]: Shape4): Float64Array {
  const dx = new Float64Array(b * h * w * c);
  for (let n = 0; n < b; n++)
    for (let i = 0; i < h; i++)
      for (let j = 0; j < w; j++)
        for (let k = 0; k < c; k++)
          dx[((n * h + i) * w + j) * c + k] = dy[((n * (h / 2) + (i >> 1)) * (w / 2) + (j >> 1)) * c + k] / 4;
  return dx;
}

function assertClose(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  tol: number,
  what: string,
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  let scale = 0;
  for (let i = 0; i < expected.length; i++) scale = Math.max(scale, Math.abs(expected[i]));
  for (let i = 0; i < expected.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    assert.ok(err <= tol * Math.max(scale, 1), `${what}[${i}]: ${actual[i]} vs ${expected[i]}`);
  }
}

const SHAPES: Shape4[] = [
  [2, 5, 7, 3],
  [1, 2, 2, 2],
  [1, 1, 4, 1],
];

test('avgPool3x3: values equal the count-excluding loop reference (corners /4, edges /6, inside /9)', async () => {
  for (const backend of BACKENDS) {
    assert.equal(await initTensorflow(backend), backend);
    for (const [s, shape] of SHAPES.entries()) {
      const values = randomValues(
        shape.reduce((a, b) => a * b, 1),
        40 + s,
      );
      for (const [name, pool] of POOLS_3X3) {
        const y = tf.tidy(() => pool(tf.tensor4d(values, shape)).dataSync());
        assertClose(y, pool3x3Ref(values, shape), 1e-6, `${name} ${backend} [${shape}]`);
      }
    }
    // The corner of a 4×4 map of 1..16 averages 1, 2, 5, 6.
    for (const [name, pool] of POOLS_3X3) {
      const corner = tf.tidy(() => pool(tf.range(1, 17).reshape([1, 4, 4, 1]) as tf.Tensor4D).dataSync()[0]);
      assert.ok(Math.abs(corner - 3.5) < 1e-6, `${name} ${backend}: corner ${corner}`);
    }
  }
});

test('avgPool3x3: the gradient is the adjoint of the count-excluding pool (not the count-including one)', async () => {
  for (const backend of BACKENDS) {
    await initTensorflow(backend);
    for (const [name, pool] of POOLS_3X3) {
      // d/dx Σ pool(x) on a 4×4 map, by hand: a corner input lies in windows with counts 4, 6, 6, 9 → 25/36; an edge
      // input in 4, 6, 6, 6, 9, 9 → 35/36; an inner one in 4, 6, 6, 6, 6, 9, 9, 9, 9 → 49/36 (tf.avgPool: 4/9, 6/9, 1).
      const ones = tf.grad((x: tf.Tensor) => tf.sum(pool(x as tf.Tensor4D)))(tf.ones([1, 4, 4, 1]));
      const g = ones.dataSync();
      for (const [index, expected] of [
        [0, 25 / 36],
        [1, 35 / 36],
        [5, 49 / 36],
        [15, 25 / 36],
      ])
        assert.ok(
          Math.abs(g[index] - expected) < 1e-6,
          `${name} ${backend}: dx[${index}] = ${g[index]}, want ${expected}`,
        );
      ones.dispose();
      for (const [s, shape] of SHAPES.entries()) {
        const n = shape.reduce((a, b) => a * b, 1);
        const x = randomValues(n, 50 + s);
        const dy = randomValues(n, 60 + s);
        const dx = tf.tidy(() => {
          const dyT = tf.tensor4d(dy, shape);
          return tf
            .grad((t: tf.Tensor) => tf.sum(tf.mul(pool(t as tf.Tensor4D), dyT)))(tf.tensor4d(x, shape))
            .dataSync();
        });
        assertClose(dx, pool3x3AdjointRef(dy, shape), 1e-6, `${name} ${backend} dx [${shape}]`);
      }
    }
  }
});

test('both 3×3 pools are twice differentiable: the Hessian-vector product of Σ pool(x)² is 2·Pᵀ(P v)', async () => {
  for (const backend of BACKENDS) {
    await initTensorflow(backend);
    const shape: Shape4 = [2, 5, 6, 2];
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randomValues(n, 70);
    const v = randomValues(n, 71);
    const expected = pool3x3AdjointRef(pool3x3Ref(v, shape), shape).map((e) => 2 * e);
    for (const [name, pool] of POOLS_3X3) {
      const hv = tf.tidy(() => {
        const vT = tf.tensor4d(v, shape);
        const f = (t: tf.Tensor) => tf.sum(tf.square(pool(t as tf.Tensor4D)));
        const gradDotV = (t: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(t), vT));
        return tf.grad(gradDotV)(tf.tensor4d(x, shape)).dataSync();
      });
      assertClose(hv, expected, 1e-5, `${name} ${backend} Hv`);
    }
  }
});

test('avgPool2x2: values equal the loop reference and tf.avgPool 2×2 valid; exact first and second derivatives', async () => {
  for (const backend of BACKENDS) {
    await initTensorflow(backend);
    const shape: Shape4 = [2, 6, 4, 3];
    const n = shape.reduce((a, b) => a * b, 1);
    const x = randomValues(n, 80);
    const dy = randomValues(n / 4, 81);
    const v = randomValues(n, 82);
    const [y, stock, dx, hv] = tf.tidy(() => {
      const xT = tf.tensor4d(x, shape);
      const dyT = tf.tensor4d(dy, [2, 3, 2, 3]);
      const vT = tf.tensor4d(v, shape);
      const f = (t: tf.Tensor) => tf.sum(tf.square(avgPool2x2(t as tf.Tensor4D)));
      return [
        avgPool2x2(xT).dataSync(),
        tf.avgPool(xT, 2, 2, 'valid').dataSync(),
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(avgPool2x2(t as tf.Tensor4D), dyT)))(xT)
          .dataSync(),
        tf
          .grad((t: tf.Tensor) => tf.sum(tf.mul(tf.grad(f)(t), vT)))(xT)
          .dataSync(),
      ];
    });
    assertClose(y, pool2x2Ref(x, shape), 1e-6, `${backend} y`);
    assertClose(y, stock, 1e-6, `${backend} y vs tf.avgPool`);
    assertClose(dx, pool2x2AdjointRef(dy, shape), 1e-6, `${backend} dx`);
    const expected = pool2x2AdjointRef(pool2x2Ref(v, shape), shape).map((e) => 2 * e);
    assertClose(hv, expected, 1e-5, `${backend} Hv`);
  }
  assert.throws(() => tf.tidy(() => avgPool2x2(tf.zeros([1, 3, 4, 1]))), /even/);
});

test('the pools leave no intermediate tensors behind, also outside a tidy', async () => {
  await initTensorflow('wasm');
  const x = tf.zeros([2, 4, 6, 3]) as tf.Tensor4D;
  const before = tf.memory().numTensors;
  const outputs = [avgPool3x3(x), avgPool3x3Composed(x), avgPool2x2(x)];
  assert.equal(tf.memory().numTensors, before + outputs.length);
  tf.dispose([x, ...outputs]);
});
