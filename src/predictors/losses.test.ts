import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { Engine } from '../engine/engine.js';
import { loadEngine, torchAvailable } from '../engine/registry.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { tfjsEngine } from '../engine/tfjs-engine.js';
import { pairwiseDifference } from '../engine/tfjs-predictor-kernels.js';
import {
  RANKING_MARGIN,
  rankingLoss,
  rankingLossReference,
  regressionLoss,
  regressionLossReference,
} from './losses.js';
import { countValidPairs, samplePairs } from './pair-sampling.js';

await initTensorflow();
/** The losses on every engine here: tfjs (wasm), and torch where its addon is built (CI builds it). */
const ENGINES: [string, Engine<unknown>][] = [['wasm', tfjsEngine() as Engine<unknown>]];
if (torchAvailable()) ENGINES.push(['torch', await loadEngine('torch', { threads: 1 })]);

const close = (a: number, b: number, tol = 1e-6) =>
  assert.ok(Math.abs(a - b) <= tol, `expected ${b}, got ${a} (tolerance ${tol})`);

function pairsOf(flat: Int32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let t = 0; t < flat.length; t += 2) out.push([flat[t], flat[t + 1]]);
  return out;
}

// y = [1, 3, 2, 3]: the pairs with different targets, in lexicographic order, are
// (0,1) (0,2) (0,3) (1,2) (2,3); (1,3) is a tie.
const Y = [1, 3, 2, 3];
const S = [0.5, 0.2, 0.4, 0.9];

test('samplePairs keeps every pair with different targets, in lexicographic order, when under the cap', () => {
  const pairs = samplePairs(Y, 16, xoroshiro128plus(1));
  assert.deepEqual(pairsOf(pairs), [
    [0, 1],
    [0, 2],
    [0, 3],
    [1, 2],
    [2, 3],
  ]);
  assert.equal(countValidPairs(Y), 5);
  assert.equal(samplePairs([2, 2, 2], 12, xoroshiro128plus(1)).length, 0);
  assert.equal(samplePairs([7], 4, xoroshiro128plus(1)).length, 0);
});

test('samplePairs caps at maxPairs: distinct valid pairs, seeded', () => {
  const y = [5, 1, 4, 2, 3, 3, 0, 6];
  const draw = (seed: number) => pairsOf(samplePairs(y, 4 * 2, xoroshiro128plus(seed)));
  const a = draw(7);
  assert.equal(a.length, 8);
  assert.equal(new Set(a.map(([i, j]) => `${i},${j}`)).size, 8);
  for (const [i, j] of a) {
    assert.ok(i < j);
    assert.notEqual(y[i], y[j]);
  }
  assert.deepEqual(draw(7), a, 'same seed, same pairs');
  assert.notDeepEqual(draw(8), a, 'another seed, other pairs');
});

test('samplePairs on a large batch (rejection path) returns distinct valid pairs', () => {
  const n = 3000;
  const y = Float64Array.from({ length: n }, (_, i) => i % 50);
  const pairs = pairsOf(samplePairs(y, 4 * n, xoroshiro128plus(3)));
  assert.equal(pairs.length, 4 * n);
  assert.equal(new Set(pairs.map(([i, j]) => i * n + j)).size, 4 * n);
  for (const [i, j] of pairs) assert.ok(i < j && y[i] !== y[j]);
  assert.equal(countValidPairs(y), (n * (n - 1)) / 2 - 50 * ((60 * 59) / 2));
});

/** Value and gradient of a scalar function of the vector s on engine e. */
function valueAndGrad(e: Engine<unknown>, s: number[], f: (x: unknown) => unknown) {
  return e.scope(() => {
    const x = e.tensor(Float32Array.from(s), [s.length]);
    const { value, grads } = e.gradOf(([xi]) => f(xi), [x]);
    return { value, grad: grads[0] ? e.readCanonical(grads[0]) : new Float32Array(s.length) };
  });
}

for (const [name, e] of ENGINES) {
  test(`ranking loss on ${name}: hand-computed value and gradient, and the reference`, () => {
    // hinge terms with margin 0.1: (0,1) 0.4, (0,2) 0.2, (0,3) 0, (1,2) 0.3, (2,3) 0 → mean 0.18
    const pairs = samplePairs(Y, 16, xoroshiro128plus(1));
    assert.equal(RANKING_MARGIN, 0.1);
    close(rankingLossReference(S, Y, pairs), 0.18, 1e-12);
    const { value, grad } = valueAndGrad(e, S, (x) => rankingLoss(e, x, Y, pairs));
    close(value, 0.18);
    // Active hinges (0,1) sign −1, (0,2) sign −1, (1,2) sign +1, each weighted 1/5:
    // d/ds = [+1+1, −1−1, −1+1, 0] / 5
    [0.4, -0.4, 0, 0].forEach((g, i) => close(grad[i], g));
    assert.equal(rankingLossReference(S, Y, new Int32Array(0)), 0);
    const none = e.scope(() =>
      e.read(rankingLoss(e, e.tensor(Float32Array.from(S), [4]), Y, new Int32Array(0))),
    );
    assert.deepEqual([...none], [0]);
  });

  test(`pair difference on ${name}: value and gradient against a scatter-add`, () => {
    const s = [0.3, -1.2, 2.5, 0.7, 0.1];
    const pairs = Int32Array.from([0, 1, 2, 4, 1, 3, 0, 4, 3, 4]);
    const weights = [1, -2, 0.5, 3, -1];
    const value = e.scope(() => e.read(e.pairDifference(e.tensor(Float32Array.from(s), [5]), pairs)));
    const { grad } = valueAndGrad(e, s, (x) =>
      e.sum(e.mul(e.pairDifference(x, pairs), e.tensor(Float32Array.from(weights), [5]))),
    );
    const ref = new Float64Array(5);
    for (let t = 0; t < 5; t++) {
      const a = pairs[2 * t];
      const b = pairs[2 * t + 1];
      close(value[t], s[a] - s[b]);
      ref[a] += weights[t];
      ref[b] -= weights[t];
    }
    ref.forEach((g, i) => close(grad[i], g));
  });

  test(`regression loss on ${name}: MSE of sigmoid(score) against targets already in [0, 1]`, () => {
    const lossOf = (scores: number[], targets: number[]) =>
      valueAndGrad(e, scores, (x) => regressionLoss(e, x, targets));
    // sigmoid(0) = 0.5: (0.5 − 0.4)² = 0.01, (0.5 − 0.7)² = 0.04 → 0.025
    close(regressionLossReference([0, 0], [0.4, 0.7]), 0.025, 1e-12);
    close(lossOf([0, 0], [0.4, 0.7]).value, 0.025);
    // sigmoid(ln 3) = 0.75
    close(regressionLossReference([Math.log(3), -Math.log(3)], [0.75, 0.25]), 0, 1e-12);
    const scores = [1.3, -0.4, 0.2, 2.2];
    const targets = [0.912, 0.453, 0.6, 0.1];
    const { value, grad } = lossOf(scores, targets);
    close(value, regressionLossReference(scores, targets));
    // d/ds_i = 2 (σ(s_i) − y_i) σ(s_i) (1 − σ(s_i)) / n
    scores.forEach((si, i) => {
      const sg = 1 / (1 + Math.exp(-si));
      close(grad[i], (2 * (sg - targets[i]) * sg * (1 - sg)) / scores.length);
    });
  });

  test(`losses on ${name} reject mismatched lengths`, () => {
    const two = () => e.tensor(Float32Array.from([1, 2]), [2]);
    assert.throws(() => e.scope(() => rankingLoss(e, two(), [1, 2, 3], new Int32Array(0))), /2 scores/);
    assert.throws(() => e.scope(() => regressionLoss(e, two(), [1])), /2 scores/);
  });
}

for (const hostGradient of [true, false]) {
  test(`tfjs pairwiseDifference: value and gradient against a scatter-add (${hostGradient ? 'host' : 'tensor'} gradient)`, () => {
    const s = [0.3, -1.2, 2.5, 0.7, 0.1];
    const pairs = Int32Array.from([0, 1, 2, 4, 1, 3, 0, 4, 3, 4]);
    const weights = [1, -2, 0.5, 3, -1];
    const { value, grad } = tf.tidy(() => {
      const w = tf.tensor1d(weights);
      const f = (x: tf.Tensor) =>
        tf.sum(tf.mul(pairwiseDifference(x as tf.Tensor1D, pairs, hostGradient), w));
      const x = tf.tensor1d(s);
      return { value: pairwiseDifference(x, pairs).dataSync(), grad: tf.grad(f)(x).dataSync() };
    });
    const ref = new Float64Array(5);
    for (let t = 0; t < 5; t++) {
      const a = pairs[2 * t];
      const b = pairs[2 * t + 1];
      close(value[t], s[a] - s[b]);
      ref[a] += weights[t];
      ref[b] -= weights[t];
    }
    ref.forEach((g, i) => close(grad[i], g));
  });
}

test('samplePairs rejects a negative cap', () => {
  assert.throws(() => samplePairs([1, 2], -1, xoroshiro128plus(0)), /maxPairs/);
});
