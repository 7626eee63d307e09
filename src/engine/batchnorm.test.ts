import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from './tfjs.js';
import { initTensorflow } from './tf-backend.js';
import { BN_EPS, batchNormTrain } from './batchnorm.js';
import { batchNormRef, randomValues, relativeError } from './reference.js';

const TOL = 1e-5;

interface Case {
  shape: number[];
  gamma: boolean;
  beta: boolean;
  /** Added to x: a large offset stresses the variance computation. */
  offset: number;
}

const CASES: Case[] = [
  { shape: [4, 5, 6, 7], gamma: true, beta: true, offset: 0 },
  { shape: [4, 5, 6, 7], gamma: false, beta: false, offset: 0 },
  { shape: [3, 8, 8, 16], gamma: true, beta: true, offset: 0.5 },
  { shape: [2, 7, 7, 3], gamma: false, beta: false, offset: 0 },
  { shape: [5, 4, 4, 8], gamma: true, beta: false, offset: 0 },
  { shape: [5, 4, 4, 8], gamma: false, beta: true, offset: 0 },
  { shape: [2, 3, 5, 6], gamma: true, beta: true, offset: 20 },
  { shape: [16, 10], gamma: true, beta: true, offset: 0 },
  { shape: [6, 2, 9], gamma: false, beta: false, offset: 0 },
  { shape: [8, 1, 1, 4], gamma: true, beta: true, offset: 0 },
];

interface Data {
  x: Float32Array;
  gamma: Float32Array;
  beta: Float32Array;
  dy: Float32Array;
}

function makeData(cs: Case, seed: number): Data {
  const n = cs.shape.reduce((a, b) => a * b, 1);
  const ch = cs.shape[cs.shape.length - 1];
  // Per-channel scales differ so that the statistics differ per channel.
  const x = randomValues(n, seed).map((v, i) => v * (1 + (i % ch)) * 0.7 + cs.offset + 0.1 * (i % ch));
  return {
    x,
    gamma: randomValues(ch, seed + 1).map((v) => v + 1.2),
    beta: randomValues(ch, seed + 2),
    dy: randomValues(n, seed + 3),
  };
}

/** The plain formula, differentiated by tfjs's autodiff. */
function plainBatchNorm(x: tf.Tensor, gamma: tf.Tensor | null, beta: tf.Tensor | null): tf.Tensor {
  const axes = x.shape.slice(0, -1).map((_, i) => i);
  const { mean, variance } = tf.moments(x, axes);
  let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPS)));
  if (gamma) y = tf.mul(y, gamma);
  if (beta) y = tf.add(y, beta);
  return y;
}

function gradsOf(
  cs: Case,
  d: Data,
  bn: (x: tf.Tensor, g: tf.Tensor | null, b: tf.Tensor | null) => tf.Tensor,
): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.tensor(d.x, cs.shape);
    const dy = tf.tensor(d.dy, cs.shape);
    const params = [x];
    if (cs.gamma) params.push(tf.tensor1d(d.gamma));
    if (cs.beta) params.push(tf.tensor1d(d.beta));
    const f = (...ps: tf.Tensor[]) => {
      const g = cs.gamma ? ps[1] : null;
      const b = cs.beta ? ps[cs.gamma ? 2 : 1] : null;
      return tf.sum(tf.mul(bn(ps[0], g, b), dy));
    };
    return tf
      .grads(f)(params)
      .map((t) => t.dataSync() as Float32Array);
  });
}

test('batchNormTrain: closed-form gradients on wasm equal cpu autodiff of the plain formula and float64', async () => {
  const data = CASES.map((cs, i) => makeData(cs, 50 + 10 * i));
  assert.equal(await initTensorflow('cpu'), 'cpu');
  const cpu = CASES.map((cs, i) => gradsOf(cs, data[i], plainBatchNorm));
  assert.equal(await initTensorflow('wasm'), 'wasm');
  const before = tf.memory().numTensors;
  CASES.forEach((cs, i) => {
    const d = data[i];
    const ch = cs.shape[cs.shape.length - 1];
    const ref = batchNormRef(d.x, ch, cs.gamma ? d.gamma : null, cs.beta ? d.beta : null, d.dy);
    const mine = gradsOf(cs, d, (x, g, b) => batchNormTrain(x, g as tf.Tensor1D, b as tf.Tensor1D).y);
    const [y, mean, variance] = tf.tidy(() => {
      const r = batchNormTrain(
        tf.tensor(d.x, cs.shape),
        cs.gamma ? tf.tensor1d(d.gamma) : null,
        cs.beta ? tf.tensor1d(d.beta) : null,
      );
      assert.deepEqual(r.y.shape, cs.shape);
      assert.deepEqual(r.mean.shape, [ch]);
      return [r.y, r.mean, r.variance].map((t) => t.dataSync());
    });
    const refs = [ref.dx, ...(cs.gamma ? [ref.dgamma] : []), ...(cs.beta ? [ref.dbeta] : [])];
    const names = ['dx', 'dgamma', 'dbeta'].filter((_, k) => k === 0 || (k === 1 ? cs.gamma : cs.beta));
    const tag = `[${cs.shape}] γ ${cs.gamma} β ${cs.beta} offset ${cs.offset}`;
    assert.equal(mine.length, refs.length);
    mine.forEach((m, k) => {
      const eCpu = relativeError(m, cpu[i][k]);
      const eRef = relativeError(m, refs[k]);
      assert.ok(eCpu < TOL, `${tag} ${names[k]} vs cpu: ${eCpu.toExponential(2)}`);
      assert.ok(eRef < TOL, `${tag} ${names[k]} vs float64: ${eRef.toExponential(2)}`);
    });
    assert.ok(relativeError(y, ref.y) < TOL, `${tag} y`);
    assert.ok(relativeError(mean, ref.mean) < TOL, `${tag} mean`);
    assert.ok(relativeError(variance, ref.variance) < TOL, `${tag} variance`);
  });
  assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
});

test('batchNormTrain: statistics are owned by the caller and carry no gradient; no training-step leaks', async () => {
  assert.equal(await initTensorflow('wasm'), 'wasm');
  const gamma = tf.variable(tf.ones([3]) as tf.Tensor1D);
  const beta = tf.variable(tf.zeros([3]) as tf.Tensor1D);
  const x = tf.tensor4d(randomValues(2 * 4 * 4 * 3, 3), [2, 4, 4, 3]);
  const before = tf.memory().numTensors;
  // mean and variance are constants: a loss on them alone has no gradient path to the parameters.
  const { value, grads } = tf.variableGrads(() => {
    const r = batchNormTrain(x, gamma, beta);
    return tf.add(tf.sum(tf.square(r.y)), tf.sum(tf.mul(r.mean, 0))) as tf.Scalar;
  });
  assert.deepEqual(Object.keys(grads).sort(), [beta.name, gamma.name].sort());
  tf.dispose([value, ...Object.values(grads)]);
  assert.equal(tf.memory().numTensors, before);
  // Outside a tidy the caller disposes the three results.
  const r = batchNormTrain(x, gamma, beta);
  assert.equal(tf.memory().numTensors, before + 3);
  tf.dispose([r.y, r.mean, r.variance]);
  assert.equal(tf.memory().numTensors, before);
  const wrong = tf.ones([4]) as tf.Tensor1D;
  assert.throws(() => batchNormTrain(x, wrong), /gamma must have shape \[3\]/);
  tf.dispose([gamma, beta, x, wrong]);
});
