import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { addActivationAgreement } from './activation-codes.js';
import { jacobCovScore, logAbsDet, rowCorrelation, symmetricEigenvalues } from './linalg.js';
import { parseProxyList, ZEROSHOT_PROXIES } from './proxies.js';
import { graspScore } from './score-arch.js';
import { tfjsEngine } from '../engine/tfjs-engine.js';
import { majorityVoteScores } from './vote.js';

const close = (a: number, b: number, tol: number, what = '') =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what} ${a} vs ${b}`);

test('activation agreement: hand-computed codes, and packed popcount equals a plain count past 32 units', () => {
  const gram = new Float64Array(4);
  // codes 1001 and 1100: they agree on units 0 and 2
  addActivationAgreement(gram, [1, -1, 0, 2, 1, 1, -3, 0], 2);
  assert.deepEqual([...gram], [4, 2, 2, 4]);
  addActivationAgreement(gram, [1, 1, 1, 1, 1, 1, 1, 1], 2); // a second ReLU adds 4 everywhere
  assert.deepEqual([...gram], [8, 6, 6, 8]);
  const images = 5;
  const d = 77;
  const acts = Array.from({ length: images * d }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 - 0.3);
  const k = new Float64Array(images * images);
  addActivationAgreement(k, acts, images);
  for (let i = 0; i < images; i++)
    for (let j = 0; j < images; j++) {
      let agree = 0;
      for (let u = 0; u < d; u++) agree += Number(acts[i * d + u] > 0 === acts[j * d + u] > 0);
      assert.equal(k[i * images + j], agree);
    }
  assert.throws(() => addActivationAgreement(new Float64Array(4), [1, 2, 3], 2), /do not split/);
});

test('logAbsDet: positive definite, indefinite and singular matrices', () => {
  close(logAbsDet([4, 2, 2, 4], 2), Math.log(12), 1e-12);
  close(logAbsDet([0, 1, 1, 0], 2), 0, 1e-12); // det −1
  assert.equal(logAbsDet([1, 1, 1, 1], 2), -Infinity);
  // 3×3 positive definite: det = 2·(2·2 − 1) − 1·(2 − 0) + 0 = 4
  close(logAbsDet([2, 1, 0, 1, 2, 1, 0, 1, 2], 3), Math.log(4), 1e-12);
  assert.throws(() => logAbsDet([1, 2, 3], 2), /2×2/);
});

test('jacob_cov: correlation, eigenvalues and the score by hand', () => {
  const rows = [1, 2, 3, 2, 4, 6.5];
  const c = rowCorrelation(rows, 2, 3);
  // centred rows (−1, 0, 1) and (−2.1667, −0.1667, 2.3333): r = 4.5 / (√2 · √10.1667)
  const r = 4.5 / (Math.sqrt(2) * Math.sqrt(10.166666666666666));
  close(c[1], r, 1e-12);
  close(c[0], 1, 1e-12);
  const ev = symmetricEigenvalues(c, 2);
  close(ev[0], 1 - r, 1e-12);
  close(ev[1], 1 + r, 1e-12);
  const k = 1e-5;
  const expected = -(Math.log(1 - r + k) + 1 / (1 - r + k) + Math.log(1 + r + k) + 1 / (1 + r + k));
  close(jacobCovScore(rows, 2, 3), expected, 1e-9);
  assert.ok(Number.isNaN(jacobCovScore([1, 1, 1, 1, 2, 3], 2, 3)), 'a constant row has no correlation');
});

test('majority vote: a Copeland count of the pairwise majority of the proxies', () => {
  // three proxies, four architectures
  const p1 = [4, 3, 2, 1];
  const p2 = [1, 4, 3, 2];
  const p3 = [4, 3, 1, 2];
  // pairs (a beats b with ≥ 2 votes): 0>1 (p1, p3), 0>2 (p1, p3), 0>3 (p1, p3), 1>2 (all), 1>3 (all), 2 vs 3: p1 2>3, p2 2>3, p3 3>2 → 2
  assert.deepEqual([...majorityVoteScores([p1, p2, p3])], [3, 2, 1, 0]);
  // ties do not vote: with two proxies that disagree nobody wins
  assert.deepEqual(
    [
      ...majorityVoteScores([
        [1, 2],
        [2, 1],
      ]),
    ],
    [0, 0],
  );
  assert.throws(() => majorityVoteScores([[1, 2], [1]]), /score 2 and 1/);
});

test('proxy lists: all, a comma list, and unknown names', () => {
  assert.deepEqual(parseProxyList('all'), [...ZEROSHOT_PROXIES]);
  assert.deepEqual(parseProxyList('snip, synflow,snip'), ['snip', 'synflow']);
  assert.throws(() => parseProxyList('snip,naswot'), /unknown zero-shot proxy 'naswot'/);
});

test('grasp: the Hessian-vector product gives −Wᵀ·H·g exactly on a quadratic loss', async () => {
  await initTensorflow('cpu');
  // L(w) = ½ wᵀAw + bᵀw → g = Aw + b, H = A, grasp = −wᵀ A g.
  const A = tf.tensor2d([
    [3, 1, 0],
    [1, 2, 0.5],
    [0, 0.5, 1],
  ]);
  const b = tf.tensor1d([0.2, -0.1, 0.4]);
  const w = tf.variable(tf.tensor1d([0.5, -1, 2]), true, 'quad-w');
  const lossAt = (wt: tf.Tensor) =>
    tf.tidy(() => {
      const wc = tf.reshape(wt, [3, 1]);
      return tf.add(
        tf.mul(0.5, tf.sum(tf.matMul(tf.matMul(wc, A, true), wc))),
        tf.sum(tf.mul(b, wt)),
      ) as tf.Scalar;
    });
  const { value, grads } = tf.variableGrads(() => lossAt(w), [w]);
  value.dispose();
  const g = grads[w.name].arraySync() as number[];
  const Am = A.arraySync();
  const Ag = Am.map((row) => row.reduce((s, a, j) => s + a * g[j], 0));
  const wv = [0.5, -1, 2];
  const expected = -wv.reduce((s, x, i) => s + x * Ag[i], 0);
  close(
    graspScore(tfjsEngine(), [w], [grads[w.name]], (_, [wt]) => lossAt(wt)),
    expected,
    1e-4,
    'grasp',
  );
  assert.deepEqual(
    w.arraySync().map((x) => Number(x.toFixed(6))),
    wv,
    'weights restored',
  );
  tf.dispose([A, b, w, ...Object.values(grads)]);
});
