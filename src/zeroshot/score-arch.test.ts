import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { initSupernetWeights, type SupernetConfig } from '../oneshot/supernet-params.js';
import { supernetForward, usedParamNames } from '../oneshot/supernet.js';
import { STOCK_KERNELS, type SupernetKernels } from '../engine/tfjs-kernels.js';
import { parseArch } from '../space/index.js';
import { addActivationAgreement } from './activation-codes.js';
import { jacobCovScore, logAbsDet } from './linalg.js';
import { ZEROSHOT_PROXIES } from './proxies.js';
import { fisherLayerTerm, isWeightParam, scoreArchitecture, type ZeroShotInput } from './score-arch.js';
// Library calls here that are given no engine run on tfjs: loading its engine makes it the default.
import '../engine/tfjs-engine.js';

// Everything is checked against the same quantities computed another way: tfjs's own (stock) gradients instead of
// the engine's custom ones, masks instead of probes, float matmuls instead of packed codes, no rescaling.
const CONFIG: SupernetConfig = { channels: 3, cellsPerStage: 1, classes: 10, dropout: 0.1 };
const B = 6;
const ARCHS = [
  '|nor_conv_3x3~0|+|nor_conv_1x1~0|nor_conv_3x3~1|+|skip_connect~0|avg_pool_3x3~1|nor_conv_3x3~2|',
  '|avg_pool_3x3~0|+|none~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|skip_connect~2|',
].map(parseArch);

const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(1e-12, Math.abs(b));

async function setup(): Promise<ZeroShotInput> {
  await initTensorflow('cpu');
  const params = initSupernetWeights(CONFIG, 7);
  const x = tf.randomNormal([B, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = Int32Array.from([0, 1, 2, 3, 1, 9]);
  return { params, config: CONFIG, x, labels };
}

test('grad_norm, snip, plain and fisher equal the same sums from tfjs stock gradients and mask gradients', async () => {
  const input = await setup();
  const { params, x, labels } = input;
  for (const arch of ARCHS) {
    const got = scoreArchitecture(input, arch, ['grad_norm', 'snip', 'plain', 'fisher']);
    const weights = usedParamNames(arch, CONFIG, params.keys()).filter(isWeightParam);
    // Pass 1, to learn the convolution outputs' shapes; pass 2 differentiates masks multiplied onto them.
    // Masks on every convolution output (per image and channel) and on the logits (per image and class), each
    // with the fan-in of its weight: cin·kh·kw, or the classifier's in_features.
    const shapes: number[][] = [];
    const fanIns: number[] = [];
    tf.tidy(() => {
      const recording: SupernetKernels = {
        conv2d: (xi, w, s, p) => {
          const y = STOCK_KERNELS.conv2d(xi, w, s, p);
          shapes.push([y.shape[0], 1, 1, y.shape[3]]);
          fanIns.push(w.shape[0] * w.shape[1] * w.shape[2]);
          return y;
        },
        batchNorm: STOCK_KERNELS.batchNorm,
      };
      supernetForward(params, CONFIG, arch, x, { training: false, kernels: recording });
    });
    shapes.push([B, 10]);
    fanIns.push(params.get('classifier.w')!.shape[0]);
    const ys = tf.oneHot(tf.tensor1d(labels, 'int32'), 10);
    const inputs = [...weights.map((n) => params.get(n)!), ...shapes.map((s) => tf.ones(s))];
    const grads = tf.grads((...ts: tf.Tensor[]) => {
      const p = new Map<string, tf.Tensor>(params);
      weights.forEach((n, i) => p.set(n, ts[i]));
      let k = 0;
      const masked: SupernetKernels = {
        conv2d: (xi, w, s, pd) =>
          tf.mul(STOCK_KERNELS.conv2d(xi, w, s, pd), ts[weights.length + k++]) as tf.Tensor4D,
        batchNorm: STOCK_KERNELS.batchNorm,
      };
      const logits = supernetForward(p, CONFIG, arch, x, { training: false, kernels: masked });
      return tf.losses.softmaxCrossEntropy(ys, tf.mul(logits, ts[weights.length + k]));
    })(inputs);
    let gradNorm = 0;
    let snip = 0;
    let plain = 0;
    weights.forEach((n, i) => {
      const g = grads[i].dataSync();
      const w = params.get(n)!.dataSync();
      let sq = 0;
      for (let j = 0; j < g.length; j++) {
        sq += g[j] * g[j];
        snip += Math.abs(g[j] * w[j]);
        plain += g[j] * w[j];
      }
      gradNorm += Math.sqrt(sq);
    });
    let fisher = 0;
    for (let k = 0; k < shapes.length; k++) {
      // [B, 1, 1, C]: Σ_hw a·∂L/∂a per image and channel (and a·∂L/∂a per image and class for the logits)
      const v = grads[weights.length + k].dataSync();
      for (const m of v) fisher += (fanIns[k] * 0.5 * m * m) / B;
    }
    assert.ok(rel(got.grad_norm!, gradNorm) < 1e-4, `grad_norm ${got.grad_norm} vs ${gradNorm}`);
    assert.ok(rel(got.snip!, snip) < 1e-4, `snip ${got.snip} vs ${snip}`);
    // plain is reported with the paper's sign: −Σ W ⊙ ∂L/∂W.
    assert.ok(Math.abs(got.plain! + plain) < 1e-4 * snip, `plain ${got.plain} vs ${-plain}`);
    assert.ok(rel(got.fisher!, fisher) < 1e-3, `fisher ${got.fisher} vs ${fisher}`);
    tf.dispose([...grads, ...inputs.slice(weights.length), ys]);
  }
});

test('relu_logdet, jacob_cov and synflow equal a direct computation; scores are deterministic and leak nothing', async () => {
  const input = await setup();
  const { params, x } = input;
  for (const arch of ARCHS) {
    const before = tf.memory().numTensors;
    const got = scoreArchitecture(input, arch, ZEROSHOT_PROXIES);
    assert.equal(tf.memory().numTensors, before, 'no tensor left behind');
    assert.deepEqual(scoreArchitecture(input, arch, ZEROSHOT_PROXIES), got);
    for (const p of ZEROSHOT_PROXIES) assert.ok(Number.isFinite(got[p]), `${p} = ${got[p]}`);

    // relu_logdet: K from float codes, c·cᵀ + (1 − c)(1 − c)ᵀ summed over every ReLU input.
    const gram = tf.tidy(() => {
      let k: tf.Tensor2D = tf.zeros([B, B]);
      supernetForward(params, CONFIG, arch, x, {
        training: false,
        kernels: STOCK_KERNELS,
        onReluInput: (t) => {
          const c = tf.reshape(tf.cast(tf.greater(t, 0), 'float32'), [B, -1]) as tf.Tensor2D;
          const n = tf.sub(1, c) as tf.Tensor2D;
          k = tf.keep(tf.add(k, tf.add(tf.matMul(c, c, false, true), tf.matMul(n, n, false, true))));
        },
      });
      return k.dataSync();
    });
    assert.ok(Math.abs(got.relu_logdet! - logAbsDet(gram, B)) < 1e-9, 'relu_logdet');
    const packed = new Float64Array(B * B);
    tf.tidy(() =>
      supernetForward(params, CONFIG, arch, x, {
        training: false,
        onReluInput: (t) => addActivationAgreement(packed, t.dataSync(), B),
      }),
    );
    assert.deepEqual([...packed], [...gram]);

    // jacob_cov: the input gradient through tfjs's own conv gradient.
    const j = tf.tidy(() =>
      tf
        .grad((xi: tf.Tensor) =>
          tf.sum(
            supernetForward(params, CONFIG, arch, xi as tf.Tensor4D, {
              training: false,
              kernels: STOCK_KERNELS,
            }),
          ),
        )(x)
        .dataSync(),
    );
    assert.ok(rel(got.jacob_cov!, jacobCovScore(j, B, j.length / B)) < 1e-4, 'jacob_cov');

    // synflow without rescaling (this network is shallow enough for float32).
    const synflow = tf.tidy(() => {
      const abs = new Map<string, tf.Tensor>([...params].map(([n, v]) => [n, tf.abs(v)]));
      const weights = usedParamNames(arch, CONFIG, params.keys()).filter(isWeightParam);
      const noBn: SupernetKernels = { conv2d: STOCK_KERNELS.conv2d, batchNorm: (t) => t };
      const gs = tf.grads((...ws: tf.Tensor[]) => {
        const p = new Map(abs);
        weights.forEach((n, i) => p.set(n, ws[i]));
        return tf.sum(
          supernetForward(p, CONFIG, arch, tf.ones([1, 8, 8, 3]), { training: false, kernels: noBn }),
        );
      })(weights.map((n) => abs.get(n)!));
      return weights.reduce((s, n, i) => s + tf.sum(tf.mul(abs.get(n)!, gs[i])).dataSync()[0], 0);
    });
    assert.ok(rel(got.synflow!, synflow) < 1e-4, `synflow ${got.synflow} vs ${synflow}`);
  }
});

test('fisher of one layer by hand: fan-in · ½ · mean over images of (Σ_hw a·∂L/∂a)², summed over units', () => {
  // 2 images × 2 units; Σ_hw a·∂L/∂a = [[1, −2], [3, 0.5]]; a 3×3 conv over 4 channels has fan-in 36.
  // ½ · (1 + 9)/2 = 2.5 for unit 0, ½ · (4 + 0.25)/2 = 1.0625 for unit 1; (2.5 + 1.0625) · 36 = 128.25.
  assert.equal(fisherLayerTerm([1, -2, 3, 0.5], 2, 36), 128.25);
});
