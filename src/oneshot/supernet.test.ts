import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { makeArch, parseArch, type Arch } from '../space/index.js';
import {
  cellOpParam,
  initSupernetWeights,
  supernetParamShapes,
  type SupernetConfig,
} from './supernet-params.js';
import { supernetForward, usedParamNames } from './supernet.js';
// Library calls here that are given no engine run on tfjs: loading its engine makes it the default.
import '../engine/tfjs-engine.js';

const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 2, classes: 10, dropout: 0.1 };

// An independent, hand-written network for one architecture at a time (no shared code with the supernet).
function bn(x: tf.Tensor4D, gamma?: tf.Tensor, beta?: tf.Tensor): tf.Tensor4D {
  const mean = tf.mean(x, [0, 1, 2]);
  const centred = tf.sub(x, mean);
  const variance = tf.mean(tf.square(centred), [0, 1, 2]);
  const y = tf.div(centred, tf.sqrt(tf.add(variance, 1e-5)));
  return (gamma ? tf.add(tf.mul(y, gamma), beta!) : y) as tf.Tensor4D;
}
function conv(x: tf.Tensor4D, w: tf.Tensor, stride: number, pad: number): tf.Tensor4D {
  const padded = pad
    ? tf.pad(x, [
        [0, 0],
        [pad, pad],
        [pad, pad],
        [0, 0],
      ])
    : x;
  return tf.conv2d(padded, w as tf.Tensor4D, stride, 'valid');
}
function standalone(
  w: Map<string, tf.Variable>,
  x: tf.Tensor4D,
  cell: (h: tf.Tensor4D, p: (e: number, op: number) => tf.Tensor) => tf.Tensor4D,
): tf.Tensor2D {
  const cbn = (h: tf.Tensor4D, name: string) => bn(h, w.get(`${name}.gamma`), w.get(`${name}.beta`));
  let h = cbn(conv(x, w.get('stem.conv')!, 1, 1), 'stem.bn');
  for (let s = 0; s < 3; s++) {
    if (s > 0) {
      const a = cbn(conv(tf.relu(h), w.get(`r${s}.conv_a`)!, 2, 1), `r${s}.bn_a`);
      const b = cbn(conv(tf.relu(a), w.get(`r${s}.conv_b`)!, 1, 1), `r${s}.bn_b`);
      h = tf.add(b, conv(tf.avgPool(h, 2, 2, 'valid'), w.get(`r${s}.shortcut`)!, 1, 0));
    }
    for (let c = 0; c < CONFIG.cellsPerStage; c++) h = cell(h, (e, op) => w.get(cellOpParam(s, c, e, op))!);
  }
  const pooled = tf.mean(tf.relu(cbn(h, 'head.bn')), [1, 2]);
  return tf.add(tf.matMul(pooled, w.get('classifier.w')!), w.get('classifier.b')!) as tf.Tensor2D;
}

async function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): Promise<number> {
  const d = await tf.max(tf.abs(tf.sub(a, b))).data();
  return d[0];
}

test('a sampled architecture in the supernet equals a standalone network with the same weights', async () => {
  await initTensorflow('cpu');
  const w = initSupernetWeights(CONFIG, 3);
  const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  // Index 1: 1←0 conv3, 2←0 conv3, 2←1 avg pool, 3←0 skip, 3←1 conv3, 3←2 skip.
  const a1 = parseArch(
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  );
  const ours1 = supernetForward(w, CONFIG, a1, x, { training: false });
  const ref1 = standalone(w, x, (h, p) => {
    const n1 = bn(conv(tf.relu(h), p(0, 3), 1, 1));
    const n2 = tf.add(bn(conv(tf.relu(h), p(1, 3), 1, 1)), tf.avgPool(n1, 3, 1, 'same'));
    return tf.addN([h, bn(conv(tf.relu(n1), p(4, 3), 1, 1)), n2]) as tf.Tensor4D;
  });
  assert.ok((await maxAbsDiff(ours1, ref1)) < 1e-4, 'index 1');
  // Dead edges: 1←0 conv3 and 2←0 conv1 lead nowhere; only 3←0 conv1x1 is live.
  const a2 = makeArch([3, 2, 0, 2, 0, 0]);
  const ours2 = supernetForward(w, CONFIG, a2, x, { training: false });
  const ref2 = standalone(w, x, (h, p) => bn(conv(tf.relu(h), p(3, 2), 1, 0)));
  assert.ok((await maxAbsDiff(ours2, ref2)) < 1e-4, 'dead edges are not computed');
  // A cell that cannot reach its output gives zeros: the network sees a constant, so all logits equal the bias path.
  const a3 = makeArch([3, 0, 0, 0, 0, 0]);
  const ours3 = supernetForward(w, CONFIG, a3, x, { training: false });
  assert.equal(ours3.shape.join(','), '4,10');
  tf.dispose([x, ours1, ref1, ours2, ref2, ours3]);
  w.forEach((v) => v.dispose());
});

// With 3 channels the stage-0 convolutions look like the stem (3 input channels): they must still pass gradients.
test('dead edges and unused ops get no gradient; live ones do (also with as many channels as the images)', async () => {
  await initTensorflow('cpu');
  for (const config of [CONFIG, { ...CONFIG, channels: 3 }]) {
    const w = initSupernetWeights(config, 5);
    const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 2) as tf.Tensor4D;
    const labels = tf.oneHot(tf.tensor1d([1, 2, 3, 4], 'int32'), 10);
    const arch: Arch = makeArch([3, 2, 0, 2, 0, 0]); // only edge 3 (3←0 conv1x1) is live
    const used = usedParamNames(arch, config, w.keys());
    assert.ok(used.includes(cellOpParam(0, 0, 3, 2)));
    assert.ok(!used.includes(cellOpParam(0, 0, 0, 3)), 'dead edge 1←0 conv3x3 is not used');
    assert.ok(!used.includes(cellOpParam(0, 0, 3, 3)), 'the conv3x3 of a conv1x1 edge is not used');
    const all = [...w.values()];
    const { grads } = tf.variableGrads(
      () =>
        tf.losses.softmaxCrossEntropy(
          labels,
          supernetForward(w, config, arch, x, { training: true, dropoutSeed: 1 }),
        ) as tf.Scalar,
      all,
    );
    for (const name of w.keys()) {
      const g = grads[w.get(name)!.name];
      const norm = g ? (await tf.norm(g).data())[0] : 0;
      if (used.includes(name)) assert.ok(norm > 0, `${name} should get a gradient`);
      else assert.equal(norm, 0, `${name} must get no gradient`);
    }
    tf.dispose([x, labels, ...Object.values(grads)]);
    w.forEach((v) => v.dispose());
  }
});

test('weights: fixed order and shapes, reproducible from a seed', () => {
  const shapes = supernetParamShapes(CONFIG);
  // stem 3 + 2 reductions × 7 + 3 stages × N cells × 6 edges × 2 convs + head 2 + classifier 2.
  assert.equal(shapes.length, 3 + 14 + 3 * 2 * 6 * 2 + 4);
  const a = initSupernetWeights(CONFIG, 9);
  const b = initSupernetWeights(CONFIG, 9);
  for (const [name] of shapes) assert.deepEqual(a.get(name)!.dataSync(), b.get(name)!.dataSync(), name);
  a.forEach((v) => v.dispose());
  b.forEach((v) => v.dispose());
});
