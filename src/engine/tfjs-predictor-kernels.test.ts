import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from './tfjs.js';
import { Rng, fillDropoutMask } from '../predictors/rng.js';
import { initTensorflow } from './tf-backend.js';
import { createTfAdam } from './tfjs-adam.js';
import { dense, fastTanh, lookup } from './tfjs-predictor-kernels.js';

await initTensorflow();

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

const randn = (shape: number[], seed: number) => {
  const r = new Rng(seed);
  const n = shape.reduce((x, y) => x * y, 1);
  return tf.tensor(
    Float32Array.from({ length: n }, () => r.normal()),
    shape,
  );
};

// Shapes that take both branches of dense's dx (dz·Wᵀ for large batches, (W·dzᵀ)ᵀ for small ones).
for (const [rows, inF, outF] of [
  [40, 6, 5],
  [3, 20, 30],
]) {
  test(`dense gradients match tf's own ops (${rows}×${inF} → ${outF}, relu, dropout mask, bias)`, () => {
    tf.tidy(() => {
      const x = randn([rows, inF], 1);
      const w = randn([inF, outF], 2);
      const b = randn([outF], 3);
      const mask = tf.tensor2d(fillDropoutMask(new Float32Array(rows * outF), 0.3, 9), [rows, outF]);
      const weights = randn([rows, outF], 4);
      const ours = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(tf.mul(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, bb as tf.Tensor1D, true, mask), weights)),
      )([x, w, b]);
      const theirs = tf.grads((xx: tf.Tensor, ww: tf.Tensor, bb: tf.Tensor) =>
        tf.sum(
          tf.mul(tf.mul(tf.relu(tf.add(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D), bb)), mask), weights),
        ),
      )([x, w, b]);
      ours.forEach((g, i) => assert.ok(maxAbsDiff(g, theirs[i]) < 1e-4, `gradient ${i}`));
      const linear = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
        tf.sum(tf.square(dense(xx as tf.Tensor2D, ww as tf.Tensor2D, null, false))),
      )([x, w]);
      const linearRef = tf.grads((xx: tf.Tensor, ww: tf.Tensor) =>
        tf.sum(tf.square(tf.matMul(xx as tf.Tensor2D, ww as tf.Tensor2D))),
      )([x, w]);
      linear.forEach((g, i) => assert.ok(maxAbsDiff(g, linearRef[i]) < 1e-3, `linear gradient ${i}`));
    });
  });
}

test('lookup is an exact row selection with a matMul gradient', () => {
  tf.tidy(() => {
    const oneHot = tf.tensor2d([
      [0, 1, 0],
      [0, 0, 0],
      [1, 0, 0],
      [0, 1, 0],
    ]);
    const table = randn([3, 4], 5) as tf.Tensor2D;
    const rows = lookup(oneHot, table).arraySync();
    const t = table.arraySync() as number[][];
    assert.deepEqual(rows, [t[1], [0, 0, 0, 0], t[0], t[1]]);
    const weights = randn([4, 4], 6);
    const g = tf.grad((tt: tf.Tensor) => tf.sum(tf.mul(lookup(oneHot, tt as tf.Tensor2D), weights)))(table);
    const ref = tf.grad((tt: tf.Tensor) => tf.sum(tf.mul(tf.matMul(oneHot, tt as tf.Tensor2D), weights)))(
      table,
    );
    assert.ok(maxAbsDiff(g, ref) < 1e-6);
  });
});

test('fastTanh equals tanh to float precision', () => {
  tf.tidy(() => {
    const x = tf.linspace(-12, 12, 1001);
    assert.ok(maxAbsDiff(fastTanh(x), tf.tanh(x)) < 1e-6);
  });
});

test('host Adam matches tf.train.adam', () => {
  const run = (host: boolean) => {
    const w = tf.variable(randn([6, 3], 11));
    const b = tf.variable(randn([3], 13));
    const x = randn([5, 6], 12);
    const opt = createTfAdam([w, b], 0.01, host);
    for (let i = 0; i < 20; i++) {
      tf.tidy(() => {
        const { grads } = tf.variableGrads(
          () =>
            tf.mean(
              tf.square(tf.sub(tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b), 1)),
            ) as tf.Scalar,
          [w, b],
        );
        opt.step([grads[w.name], grads[b.name]]);
      });
    }
    opt.dispose();
    const values = [...w.dataSync(), ...b.dataSync()];
    tf.dispose([x, w, b]);
    return values;
  };
  const host = run(true);
  const ref = run(false);
  host.forEach((v, i) => assert.ok(Math.abs(v - ref[i]) < 1e-5, `param ${i}: ${v} vs ${ref[i]}`));
});
