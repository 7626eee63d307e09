import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { initSupernetWeights, type SupernetConfig } from '../oneshot/supernet-params.js';
import { supernetForward, usedParamNames } from '../oneshot/supernet.js';
import { STOCK_KERNELS } from '../engine/tfjs-kernels.js';
import { parseArch } from '../space/index.js';
import { isWeightParam, scoreArchitecture, type ZeroShotInput } from './score-arch.js';
import { crossEntropyTwice, hessianVectorProduct, SECOND_ORDER_KERNELS } from './second-order.js';
// Library calls here that are given no engine run on tfjs: loading its engine makes it the default.
import '../engine/tfjs-engine.js';

// grasp = −Σ W ⊙ (H·g) needs H·g exactly. Two references that do not use a second differentiation:
// - softmax regression, whose Hessian is known in closed form;
// - on the supernet, scale invariance: a weight w followed by BatchNorm leaves L unchanged when scaled, so
//   ∇_w L · w = 0 for all W; differentiating that identity gives Σ_{i∈w} w_i H_ij = −g_j for j in w and 0
//   elsewhere, hence −w · (H·g)_w = ‖g_w‖² (up to BN's ε). The weights that no BN follows (the classifier and the
//   reductions' shortcut convolutions) are checked against a central difference of stock tfjs gradients.

test('hessianVectorProduct equals the closed-form Hessian of softmax regression (float64 loops)', async () => {
  await initTensorflow('cpu');
  const [B, D, K] = [5, 3, 4];
  const feat = tf.randomNormal([B, D], 0, 1, 'float32', 11) as tf.Tensor2D;
  const w = tf.randomNormal([D, K], 0, 0.7, 'float32', 12) as tf.Tensor2D;
  const v = tf.randomNormal([D, K], 0, 1, 'float32', 13) as tf.Tensor2D;
  const labels = [0, 3, 1, 1, 2];
  const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), K) as tf.Tensor2D;
  const [hv] = hessianVectorProduct(
    ([wt]) => crossEntropyTwice(tf.matMul(feat, wt as tf.Tensor2D), oneHot),
    [w],
    [v],
  );
  // H[(d,k),(e,l)] = mean_n f_nd f_ne (p_nk [k=l] − p_nk p_nl).
  const f = feat.arraySync();
  const W = w.arraySync();
  const V = v.arraySync();
  const expected = Array.from({ length: D }, () => new Float64Array(K));
  for (let n = 0; n < B; n++) {
    const z = Array.from({ length: K }, (_, k) => f[n].reduce((s, fd, d) => s + fd * W[d][k], 0));
    const m = Math.max(...z);
    const e = z.map((zk) => Math.exp(zk - m));
    const p = e.map((ek) => ek / e.reduce((a, b) => a + b, 0));
    // u_k = Σ_e f_ne v_ek; (Hv)_dk += f_nd (p_k u_k − p_k Σ_l p_l u_l) / B
    const u = Array.from({ length: K }, (_, k) => f[n].reduce((s, fe, i) => s + fe * V[i][k], 0));
    const pu = p.reduce((s, pl, l) => s + pl * u[l], 0);
    for (let d = 0; d < D; d++)
      for (let k = 0; k < K; k++) expected[d][k] += (f[n][d] * p[k] * (u[k] - pu)) / B;
  }
  const got = hv.arraySync() as number[][];
  for (let d = 0; d < D; d++) {
    for (let k = 0; k < K; k++) {
      assert.ok(
        Math.abs(got[d][k] - expected[d][k]) < 1e-5,
        `H·v[${d}][${k}]: ${got[d][k]} vs ${expected[d][k]}`,
      );
    }
  }
  // A Hessian of a convex loss: vᵀHv ≥ 0 (tfjs's own second derivative of exp loses a term and breaks this).
  assert.ok(tf.sum(tf.mul(v, hv)).dataSync()[0] > 0);
  tf.dispose([feat, w, v, oneHot, hv]);
});

const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0.1 };
const B = 8;
const SIZE = 8;
const ARCHS = [
  '|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|avg_pool_3x3~2|',
  '|avg_pool_3x3~0|+|nor_conv_3x3~0|none~1|+|nor_conv_1x1~0|skip_connect~1|nor_conv_3x3~2|',
].map(parseArch);
/** Weights that no BatchNorm follows: the loss is not invariant to their scale. */
const notScaleFree = (n: string) => n === 'classifier.w' || n.endsWith('.shortcut');

async function setup() {
  await initTensorflow('cpu');
  const params = initSupernetWeights(CONFIG, 5);
  const x = tf.randomNormal([B, SIZE, SIZE, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
  const labels = Int32Array.from([0, 1, 2, 3, 4, 5, 6, 7]);
  const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10) as tf.Tensor2D;
  const input: ZeroShotInput = { params, config: CONFIG, x, labels };
  const forArch = (arch: (typeof ARCHS)[number]) => {
    const names = usedParamNames(arch, CONFIG, params.keys()).filter(isWeightParam);
    const weights = names.map((n) => params.get(n)!);
    const loss = (ws: tf.Tensor[], kernels = SECOND_ORDER_KERNELS) => {
      const p = new Map<string, tf.Tensor>(params);
      names.forEach((n, i) => p.set(n, ws[i]));
      return crossEntropyTwice(supernetForward(p, CONFIG, arch, x, { training: false, kernels }), ys);
    };
    // The first-order gradient from tfjs's stock kernels.
    const grad = (ws: readonly tf.Tensor[]) =>
      tf.grads((...w: tf.Tensor[]) => tf.losses.softmaxCrossEntropy(ys, supernetLogits(w)) as tf.Scalar)([
        ...ws,
      ]);
    const supernetLogits = (ws: tf.Tensor[]) => {
      const p = new Map<string, tf.Tensor>(params);
      names.forEach((n, i) => p.set(n, ws[i]));
      return supernetForward(p, CONFIG, arch, x, { training: false, kernels: STOCK_KERNELS });
    };
    return { names, weights, loss, grad };
  };
  return { input, forArch, dispose: () => tf.dispose([x, ys, ...params.values()]) };
}

const norm = (t: tf.Tensor) => Math.sqrt(tf.sum(tf.square(t)).dataSync()[0]);

test('H·w̃ on the supernet is −g on a BN-followed weight block and 0 on every other block (scale invariance)', async () => {
  // Σ_{i∈w} w_i H_ij = −g_j for j in w, 0 elsewhere: this holds only if every cross term of H through the network
  // (the pools, the reductions' shortcuts, the classifier) comes out of the second differentiation right.
  const { forArch, dispose } = await setup();
  for (const arch of ARCHS.slice(0, 1)) {
    const { names, weights, loss, grad } = forArch(arch);
    const g = grad(weights);
    for (const block of ['stem.conv', 'r2.conv_b', names.find((n) => n.startsWith('s1.'))!]) {
      const j = names.indexOf(block);
      const direction = weights.map((w, i) => (i === j ? w : tf.zerosLike(w)));
      const hw = hessianVectorProduct(loss, weights, direction);
      const scale = norm(g[j]);
      names.forEach((n, i) => {
        const err = i === j ? norm(tf.add(hw[i], g[j])) : norm(hw[i]);
        assert.ok(err < 2e-3 * scale, `H·w̃(${block}) on ${n}: off by ${err} (‖g_${block}‖ = ${scale})`);
      });
      tf.dispose([...hw, ...direction.filter((_, i) => i !== j)]);
    }
    tf.dispose(g);
  }
  dispose();
});

test('grasp on the supernet: ‖g_w‖² for every BN-followed weight; the others match a central difference', async () => {
  const { input, forArch, dispose } = await setup();
  for (const arch of ARCHS) {
    const got = scoreArchitecture(input, arch, ['grasp']).grasp!;
    const { names, weights, loss, grad } = forArch(arch);
    const g = grad(weights);
    // −w·(H·g)_w = ‖g_w‖² for a BN-followed w (the identity above, contracted with g).
    let scaleFree = 0;
    let expected = 0;
    const hg = hessianVectorProduct(loss, weights, g);
    names.forEach((n, i) => {
      if (notScaleFree(n)) {
        expected -= tf.sum(tf.mul(weights[i], hg[i])).dataSync()[0];
      } else {
        scaleFree += tf.sum(tf.square(g[i])).dataSync()[0];
      }
    });
    expected += scaleFree;
    // The classifier's block is well conditioned enough for a float32 central difference of stock gradients.
    const eps = 3e-4;
    const plus = grad(weights.map((w, i) => tf.add(w, tf.mul(g[i], eps))));
    const minus = grad(weights.map((w, i) => tf.sub(w, tf.mul(g[i], eps))));
    const c = names.indexOf('classifier.w');
    const fd = -tf.sum(tf.mul(weights[c], tf.div(tf.sub(plus[c], minus[c]), 2 * eps))).dataSync()[0];
    const exact = -tf.sum(tf.mul(weights[c], hg[c])).dataSync()[0];
    assert.ok(Math.abs(fd - exact) < 0.02 * Math.abs(exact), `classifier: exact ${exact}, difference ${fd}`);
    assert.ok(
      scaleFree > 0.2 * Math.abs(expected),
      `the BN-followed part matters (${scaleFree} of ${expected})`,
    );
    assert.ok(
      Math.abs(got - expected) < 1e-3 * Math.abs(expected) + 1e-3 * scaleFree,
      `grasp ${got}, expected ${expected} (BN-followed part ${scaleFree})`,
    );
    tf.dispose([...g, ...hg, ...plus, ...minus]);
  }
  dispose();
});
