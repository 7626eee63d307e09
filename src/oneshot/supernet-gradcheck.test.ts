/**
 * Gradients through the whole supernet against central finite differences of its own forward pass (so no reference
 * shares its pooling code), for an architecture with avg_pool_3x3 edges and both reduction shortcuts. Small maps
 * make most positions border positions, where a count-including pool gradient is wrong. cpu backend: deterministic
 * float32.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { parseArch } from '../space/index.js';
import { cellOpParam, initSupernetWeights, type SupernetConfig } from './supernet-params.js';
import { supernetForward, usedParamNames } from './supernet.js';
import { STOCK_KERNELS } from '../engine/tfjs-kernels.js';
// Library calls here that are given no engine run on tfjs: loading its engine makes it the default.
import '../engine/tfjs-engine.js';

const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0 };
// Edges 1←0 pool, 2←0 conv3x3, 2←1 pool, 3←0 pool, 3←1 conv1x1, 3←2 pool.
const ARCH = parseArch(
  '|avg_pool_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|avg_pool_3x3~0|nor_conv_1x1~1|avg_pool_3x3~2|',
);
const LABELS = [0, 3, 5, 7];

function inputs(): { x: tf.Tensor4D; labels: tf.Tensor2D } {
  return {
    x: tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 11) as tf.Tensor4D,
    labels: tf.oneHot(tf.tensor1d(LABELS, 'int32'), CONFIG.classes) as tf.Tensor2D,
  };
}

test('whole supernet: directional derivatives of the cross-entropy match central finite differences', async () => {
  await initTensorflow('cpu');
  const params = initSupernetWeights(CONFIG, 7);
  const { x, labels } = inputs();
  const loss = (p: ReadonlyMap<string, tf.Tensor>) =>
    tf.losses.softmaxCrossEntropy(
      labels,
      supernetForward(p, CONFIG, ARCH, x, { training: true }),
    ) as tf.Scalar;
  const names = usedParamNames(ARCH, CONFIG, params.keys());
  const { grads } = tf.variableGrads(
    () => loss(params),
    names.map((n) => params.get(n)!),
  );
  const grad = new Map(names.map((n) => [n, grads[params.get(n)!.name]]));
  const along = (...keys: string[]) => new Map(keys.map((k) => [k, grad.get(k)!]));
  // Each direction is the gradient restricted to some weights, so g·v is that part's gradient norm.
  const directions: Record<string, Map<string, tf.Tensor>> = {
    'stem conv': along('stem.conv'),
    'first cell convs': along(cellOpParam(0, 0, 1, ARCH[1]), cellOpParam(0, 0, 4, ARCH[4])),
    'r1.conv_a': along('r1.conv_a'),
    'whole gradient': grad,
  };
  // ε: small enough to step over few ReLU kinks (at 1e-3 the quotients are off by up to 7%), large enough that
  // float32 loss noise (~2e-7) over 2ε stays near 1e-3 of these derivatives.
  const eps = 1e-4;
  for (const [what, d] of Object.entries(directions)) {
    const norm = Math.sqrt([...d.values()].reduce((s, t) => s + tf.sum(tf.square(t)).dataSync()[0], 0));
    const v = new Map([...d].map(([k, t]) => [k, tf.div(t, norm)]));
    const autodiff = [...v].reduce((s, [k, t]) => s + tf.sum(tf.mul(grad.get(k)!, t)).dataSync()[0], 0);
    const lossAt = (step: number) =>
      tf.tidy(() => {
        const moved = new Map<string, tf.Tensor>(
          [...params].map(([k, t]) => [k, v.has(k) ? tf.add(t, tf.mul(v.get(k)!, step)) : t]),
        );
        return loss(moved).dataSync()[0];
      });
    const fd = (lossAt(eps) - lossAt(-eps)) / (2 * eps);
    // A count-including pool gradient is off by 60–76% here (20–28% on 32×32 maps); the exact one by < 0.3%.
    assert.ok(
      Math.abs(autodiff - fd) <= 0.02 * Math.abs(fd),
      `${what}: autodiff g·v = ${autodiff.toPrecision(6)}, finite difference ${fd.toPrecision(6)}`,
    );
    tf.dispose([...v.values()]);
  }
  tf.dispose([x, labels, ...Object.values(grads)]);
  params.forEach((p) => p.dispose());
});

// A squared error, not the cross-entropy: tfjs 4.22 drops the second-order terms of ops whose gradient reuses their
// saved output (Exp, softmax, softmaxCrossEntropy), which would hide what this checks: the network itself.
test('whole supernet (stock kernels): a nested gradient w.r.t. the images matches finite differences of gradients', async () => {
  await initTensorflow('cpu');
  const params = initSupernetWeights(CONFIG, 7);
  const { x, labels } = inputs();
  const v = tf.randomNormal(x.shape, 0, 1, 'float32', 12);
  const reluSigns: boolean[][] = [];
  const loss = (images: tf.Tensor, signs?: boolean[]) =>
    tf.mul(
      tf.sum(
        tf.square(
          tf.sub(
            supernetForward(params, CONFIG, ARCH, images as tf.Tensor4D, {
              training: true,
              kernels: STOCK_KERNELS,
              onReluInput: signs && ((t) => t.dataSync().forEach((u) => signs.push(u > 0))),
            }),
            labels,
          ),
        ),
      ),
      0.5,
    ) as tf.Scalar;
  // g(x)·v, and its gradient: the Hessian-vector product H·v (through every pool and both reduction shortcuts).
  const gradDotV = (images: tf.Tensor, signs?: boolean[]) =>
    tf.sum(tf.mul(tf.grad((t: tf.Tensor) => loss(t, signs))(images), v)) as tf.Scalar;
  const vHv = tf.tidy(() => tf.sum(tf.mul(tf.grad((t: tf.Tensor) => gradDotV(t))(x), v)).dataSync()[0]);
  const eps = 2e-4;
  const at = (step: number) => {
    const signs: boolean[] = [];
    reluSigns.push(signs);
    return tf.tidy(() => gradDotV(tf.add(x, tf.mul(v, step)), signs).dataSync()[0]);
  };
  const fd = (at(eps) - at(-eps)) / (2 * eps);
  // The difference quotient means something only where the network is smooth: no ReLU input changes sign.
  assert.deepEqual(reluSigns[0], reluSigns[1], 'a ReLU input crossed zero between x − εv and x + εv');
  assert.ok(Math.abs(vHv) > 1, `vᵀHv = ${vHv} is not trivially small`);
  assert.ok(Math.abs(vHv - fd) <= 0.02 * Math.abs(fd), `vᵀHv: autodiff ${vHv}, finite difference ${fd}`);
  tf.dispose([x, labels, v]);
  params.forEach((p) => p.dispose());
});
