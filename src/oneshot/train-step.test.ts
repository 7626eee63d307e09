import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import { initTensorflow } from '../engine/tf-backend.js';
import { makeArch } from '../space/arch.js';
import { plateauUpdate, sgdStep, PAPER_SGD } from './sgd.js';
import { cellOpParam, initSupernetWeights, type SupernetConfig } from './supernet-params.js';
import { supernetGradients } from './train-step.js';

const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0 };

async function values(t: tf.Tensor): Promise<number[]> {
  return Array.from(await t.data());
}

test('mc-S: a parameter gradient is averaged over the architectures that produced one', async () => {
  await initTensorflow('cpu');
  const w = initSupernetWeights(CONFIG, 1);
  const x = tf.randomNormal([6, 8, 8, 3], 0, 1, 'float32', 3) as tf.Tensor4D;
  const labels = Int32Array.from([0, 1, 2, 3, 4, 5]);
  const a = makeArch([3, 0, 0, 1, 2, 0]); // edges 0 (conv3) and 4 (conv1) live
  const b = makeArch([0, 0, 0, 3, 0, 0]); // edge 3 conv3 live
  const ga = supernetGradients(w, CONFIG, [a], x, labels, { dropoutSeed: 1 });
  const gb = supernetGradients(w, CONFIG, [b], x, labels, { dropoutSeed: 1 });
  const gab = supernetGradients(w, CONFIG, [a, b], x, labels, { dropoutSeed: 1 });
  const only = cellOpParam(0, 0, 0, 3); // used by a only: its gradient, not halved
  assert.deepEqual(await values(gab.grads.get(only)!), await values(ga.grads.get(only)!));
  const onlyB = cellOpParam(0, 0, 3, 3);
  assert.deepEqual(await values(gab.grads.get(onlyB)!), await values(gb.grads.get(onlyB)!));
  // Shared by both: the mean.
  const shared = 'classifier.w';
  const mean = tf.div(tf.add(ga.grads.get(shared)!, gb.grads.get(shared)!), 2);
  const diff = (await tf.max(tf.abs(tf.sub(mean, gab.grads.get(shared)!))).data())[0];
  assert.ok(diff < 1e-6);
  assert.ok(Math.abs(gab.loss - (ga.loss + gb.loss) / 2) < 1e-6);
  // Micro-batches of the whole batch change nothing.
  const gm = supernetGradients(w, CONFIG, [a], x, labels, { dropoutSeed: 1, microBatch: 6 });
  assert.deepEqual(await values(gm.grads.get(only)!), await values(ga.grads.get(only)!));
  // Micro-batches of 3: the loss is still the batch mean (BN statistics are per micro-batch, so close, not equal).
  const g3 = supernetGradients(w, CONFIG, [a], x, labels, { dropoutSeed: 1, microBatch: 3 });
  assert.ok(Math.abs(g3.loss - ga.loss) < 0.5);
  for (const g of [ga, gb, gab, gm, g3]) g.grads.forEach((t) => t.dispose());
  tf.dispose([x, mean]);
  w.forEach((v) => v.dispose());
});

test('SGD with momentum and weight decay as PyTorch, with global-norm clipping', async () => {
  await initTensorflow('cpu');
  const params = new Map([['w', tf.variable(tf.tensor1d([1, 2]))]]);
  const grads = new Map([['w', tf.tensor1d([0.5, 0.5])]]);
  const mom = new Map<string, tf.Tensor>();
  const cfg = { learningRate: 0.1, momentum: 0.9, weightDecay: 0.1, clipNorm: 0 };
  sgdStep(params, grads, mom, cfg);
  const w1 = await values(params.get('w')!);
  assert.ok(Math.abs(w1[0] - 0.94) < 1e-6 && Math.abs(w1[1] - 1.93) < 1e-6);
  sgdStep(params, grads, mom, cfg);
  const w2 = await values(params.get('w')!);
  assert.ok(Math.abs(w2[0] - (0.94 - 0.1134)) < 1e-6 && Math.abs(w2[1] - (1.93 - 0.1323)) < 1e-6);
  // Clipping: a gradient of norm 50 is scaled to norm 5 before the weight decay is added.
  const p2 = new Map([['w', tf.variable(tf.tensor1d([0, 0]))]]);
  const { gradNorm } = sgdStep(p2, new Map([['w', tf.tensor1d([30, 40])]]), new Map(), {
    ...PAPER_SGD,
    learningRate: 1,
  });
  assert.ok(Math.abs(gradNorm - 50) < 1e-4);
  const w3 = await values(p2.get('w')!);
  assert.ok(Math.abs(w3[0] + 3) < 1e-3 && Math.abs(w3[1] + 4) < 1e-3);
});

test('learning rate halves after 30 epochs without improvement', () => {
  let s = { learningRate: 0.05, best: Infinity, badEpochs: 0 };
  s = plateauUpdate(s, 2.0);
  for (let e = 0; e < 30; e++) s = plateauUpdate(s, 2.0);
  assert.equal(s.learningRate, 0.05, '30 bad epochs are tolerated');
  s = plateauUpdate(s, 2.0);
  assert.equal(s.learningRate, 0.025);
  assert.equal(plateauUpdate(s, 1.0).best, 1.0);
  assert.equal(
    plateauUpdate({ learningRate: 1, best: 1, badEpochs: 3 }, 0.99995).badEpochs,
    4,
    'needs a relative 1e-4',
  );
});
