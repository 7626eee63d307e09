/**
 * A whole small NB201-shaped network, trained one step on wasm with the engine's ops, must give the same
 * parameter gradients as tfjs's own ops and autodiff on the pure-JS cpu backend.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from './tfjs.js';
import { initTensorflow } from './tf-backend.js';
import { BN_EPS, batchNormTrain } from './batchnorm.js';
import { conv2d, explicitPad, type Conv2dPad } from './conv.js';
import { randomValues, relativeError } from './reference.js';

const TOL = 1e-5;

interface Ops {
  conv(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: Conv2dPad, isInput: boolean): tf.Tensor4D;
  bn(x: tf.Tensor4D, gamma: tf.Tensor1D | null, beta: tf.Tensor1D | null): tf.Tensor4D;
}

const engineOps: Ops = {
  conv: (x, w, stride, pad, isInput) => conv2d(x, w, stride, pad, { inputGrad: !isInput }),
  bn: (x, gamma, beta) => batchNormTrain(x, gamma, beta).y,
};

const stockOps: Ops = {
  conv: (x, w, stride, pad) => tf.conv2d(x, w, stride, explicitPad(pad)),
  bn: (x, gamma, beta) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    let y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPS)));
    if (gamma) y = tf.mul(y, gamma);
    if (beta) y = tf.add(y, beta);
    return y as tf.Tensor4D;
  },
};

const B = 6;
const SIZE = 8;
const C = 4;
const CLASSES = 5;

/** Parameter name → shape. */
const PARAMS: Record<string, number[]> = {
  stemW: [3, 3, 3, C],
  stemG: [C],
  stemB: [C],
  redAW: [3, 3, C, 2 * C],
  redAG: [2 * C],
  redAB: [2 * C],
  redBW: [3, 3, 2 * C, 2 * C],
  redBG: [2 * C],
  redBB: [2 * C],
  shortW: [1, 1, C, 2 * C],
  cellW: [3, 3, 2 * C, 2 * C],
  headG: [2 * C],
  headB: [2 * C],
  denseW: [2 * C, CLASSES],
  denseB: [CLASSES],
};

/**
 * stem conv3x3 → BN → ReLU → reduction block [ReLU → conv3x3 s2 → BN → ReLU → conv3x3 → BN] + [avgpool 2×2 →
 * conv1x1] → cell edge ReLU → conv3x3 → BN(affine=False), plus a skip → head BN → ReLU → global average pool →
 * dense → softmax cross-entropy.
 */
function loss(ops: Ops, p: Record<string, tf.Tensor>, images: tf.Tensor4D, labels: tf.Tensor2D): tf.Scalar {
  const w4 = (k: string) => p[k] as tf.Tensor4D;
  const v1 = (k: string) => p[k] as tf.Tensor1D;
  const stem = tf.relu(ops.bn(ops.conv(images, w4('stemW'), 1, 1, true), v1('stemG'), v1('stemB')));
  const a1 = tf.relu(ops.bn(ops.conv(tf.relu(stem), w4('redAW'), 2, 1, false), v1('redAG'), v1('redAB')));
  const a2 = ops.bn(ops.conv(a1, w4('redBW'), 1, 1, false), v1('redBG'), v1('redBB'));
  const shortcut = ops.conv(tf.avgPool(stem, 2, 2, 'valid'), w4('shortW'), 1, 0, false);
  const red: tf.Tensor4D = tf.add(a2, shortcut);
  const cell: tf.Tensor4D = tf.add(red, ops.bn(ops.conv(tf.relu(red), w4('cellW'), 1, 1, false), null, null));
  const head = tf.relu(ops.bn(cell, v1('headG'), v1('headB')));
  const pooled = tf.mean(head, [1, 2]) as tf.Tensor2D;
  const logits = tf.add(tf.matMul(pooled, p.denseW as tf.Tensor2D), p.denseB);
  return tf.losses.softmaxCrossEntropy(labels, logits) as tf.Scalar;
}

function gradients(ops: Ops): { loss: number; grads: Record<string, Float32Array> } {
  return tf.tidy(() => {
    const names = Object.keys(PARAMS);
    const values = names.map((k, i) => {
      const shape = PARAMS[k];
      const n = shape.reduce((a, b) => a * b, 1);
      const fanIn = shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape.length === 2 ? shape[0] : 1;
      const v = randomValues(n, 300 + i).map((u) =>
        k.endsWith('G') ? 1 + 0.3 * u : k.endsWith('B') ? 0.2 * u : (u * Math.sqrt(3)) / Math.sqrt(fanIn),
      );
      return tf.tensor(v, shape);
    });
    const images = tf.tensor4d(randomValues(B * SIZE * SIZE * 3, 17), [B, SIZE, SIZE, 3]);
    const oneHot = new Float32Array(B * CLASSES);
    for (let i = 0; i < B; i++) oneHot[i * CLASSES + ((i * 3) % CLASSES)] = 1;
    const labels = tf.tensor2d(oneHot, [B, CLASSES]);
    const f = (...ps: tf.Tensor[]) =>
      loss(ops, Object.fromEntries(names.map((k, i) => [k, ps[i]])), images, labels);
    const { value, grads } = tf.valueAndGrads(f)(values);
    return {
      loss: value.dataSync()[0],
      grads: Object.fromEntries(names.map((k, i) => [k, grads[i].dataSync() as Float32Array])),
    };
  });
}

test('a small NB201-shaped network: every parameter gradient on wasm (engine ops) equals cpu (tfjs ops)', async () => {
  assert.equal(await initTensorflow('cpu'), 'cpu');
  const cpu = gradients(stockOps);
  assert.equal(await initTensorflow('wasm'), 'wasm');
  const before = tf.memory().numTensors;
  const wasm = gradients(engineOps);
  assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
  assert.ok(Math.abs(wasm.loss - cpu.loss) < 1e-5 * Math.abs(cpu.loss), `loss ${wasm.loss} vs ${cpu.loss}`);
  for (const k of Object.keys(PARAMS)) {
    const e = relativeError(wasm.grads[k], cpu.grads[k]);
    assert.ok(e < TOL, `${k}: relative error ${e.toExponential(2)}`);
    assert.ok(
      cpu.grads[k].some((v) => v !== 0),
      `${k}: the gradient is not trivially zero`,
    );
  }
});
