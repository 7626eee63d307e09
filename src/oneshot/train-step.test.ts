import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { makeArch } from '../space/arch.js';
import { plateauUpdate, sgdStep, PAPER_SGD } from './sgd.js';
import { cellOpParam, initSupernetWeights, type SupernetConfig } from './supernet-params.js';
import { supernetGradients } from './train-step.js';
// Library calls here that are given no engine run on tfjs: loading its engine makes it the default.
import '../engine/tfjs-engine.js';

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

test('a weight touched before but not this step gets weight decay and momentum (decay), or nothing (skip)', async () => {
  await initTensorflow('cpu');
  const cfg = { learningRate: 0.1, momentum: 0.9, weightDecay: 0.1, clipNorm: 5 };
  const run = (untouched: 'decay' | 'skip') => {
    const params = new Map([
      ['w', tf.variable(tf.tensor1d([1, 2]))], // touched in step 1 only
      ['u', tf.variable(tf.tensor1d([0, 0]))], // touched in step 2 only, with a clipped gradient
      ['v', tf.variable(tf.tensor1d([3]))], // never touched
    ]);
    const mom = new Map<string, tf.Tensor>();
    const g1 = new Map([['w', tf.tensor1d([0.5, 0.5])]]);
    sgdStep(params, g1, mom, { ...cfg, untouched });
    const g2 = new Map([['u', tf.tensor1d([30, 40])]]);
    const { gradNorm } = sgdStep(params, g2, mom, { ...cfg, untouched });
    return { params, mom, gradNorm };
  };
  const near = (got: number[], want: number[], what: string) =>
    want.forEach((v, i) => assert.ok(Math.abs(got[i] - v) < 1e-6, `${what}[${i}]: ${got[i]} ≠ ${v}`));
  // Step 1 (both modes): d = g + wd·w = [0.6, 0.7]; buf = d; w = [1, 2] − 0.1·d = [0.94, 1.93].
  // Step 2, decay: d = 0 + wd·w = [0.094, 0.193]; buf = 0.9·[0.6, 0.7] + d = [0.634, 0.823];
  // w = [0.94, 1.93] − 0.1·buf = [0.8766, 1.8477]. The clip (‖[30, 40]‖ = 50 → 5) scales only u's gradient.
  const decay = run('decay');
  near(await values(decay.params.get('w')!), [0.8766, 1.8477], 'decay w');
  near(await values(decay.mom.get('w')!), [0.634, 0.823], 'decay momentum of w');
  near(await values(decay.params.get('u')!), [-0.3, -0.4], 'decay u'); // u −= 0.1·(5/50)·[30, 40]
  assert.ok(Math.abs(decay.gradNorm - 50) < 1e-4, 'the norm is over this step’s gradients only');
  // Step 2, skip: w and its momentum stay as step 1 left them.
  const skip = run('skip');
  near(await values(skip.params.get('w')!), [0.94, 1.93], 'skip w');
  near(await values(skip.mom.get('w')!), [0.6, 0.7], 'skip momentum of w');
  near(await values(skip.params.get('u')!), [-0.3, -0.4], 'skip u');
  // Never touched: unchanged, and no momentum buffer, in both modes.
  for (const r of [decay, skip]) {
    assert.deepEqual(await values(r.params.get('v')!), [3]);
    assert.ok(!r.mom.has('v'));
  }
  // The default is the reference's.
  assert.equal(PAPER_SGD.untouched, 'decay');
  const dflt = new Map([['w', tf.variable(tf.tensor1d([1]))]]);
  const m = new Map<string, tf.Tensor>();
  sgdStep(dflt, new Map([['w', tf.tensor1d([1])]]), m, { ...cfg, clipNorm: 0 });
  sgdStep(dflt, new Map(), m, { ...cfg, clipNorm: 0 });
  near(await values(dflt.get('w')!), [0.89 - 0.1 * (0.9 * 1.1 + 0.1 * 0.89)], 'default mode decays');
});

test('mc-S then a step whose architectures do not use a weight: its averaged gradient, then decay', async () => {
  await initTensorflow('cpu');
  const w = initSupernetWeights(CONFIG, 2);
  const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
  const labels = Int32Array.from([0, 1, 2, 3]);
  const a = makeArch([3, 0, 0, 1, 2, 0]);
  const b = makeArch([3, 0, 0, 0, 1, 0]); // shares a's conv3 on edge 0, not its conv1 on edge 4
  const c = makeArch([1, 0, 0, 1, 0, 0]); // no convolution in the cell
  const cfg = {
    learningRate: 0.05,
    momentum: 0.9,
    weightDecay: 5e-4,
    clipNorm: 0,
    untouched: 'decay' as const,
  };
  const shared = cellOpParam(0, 0, 0, 3); // used by a and b: their mean gradient
  const onlyA = cellOpParam(0, 0, 4, 2);
  const w0 = new Map([shared, onlyA].map((n) => [n, w.get(n)!.clone()]));
  const ga = supernetGradients(w, CONFIG, [a], x, labels, { dropoutSeed: 1 });
  const gb = supernetGradients(w, CONFIG, [b], x, labels, { dropoutSeed: 1 });
  const gab = supernetGradients(w, CONFIG, [a, b], x, labels, { dropoutSeed: 1 });
  const mom = new Map<string, tf.Tensor>();
  sgdStep(w, gab.grads, mom, cfg);
  const gc = supernetGradients(w, CONFIG, [c], x, labels, { dropoutSeed: 2 });
  assert.ok(!gc.grads.has(shared) && !gc.grads.has(onlyA));
  const w1 = new Map([shared, onlyA].map((n) => [n, w.get(n)!.clone()]));
  sgdStep(w, gc.grads, mom, cfg);
  const expected = (name: string, g: tf.Tensor) =>
    tf.tidy(() => {
      const buf1 = tf.add(g, tf.mul(w0.get(name)!, cfg.weightDecay));
      const buf2 = tf.add(tf.mul(buf1, cfg.momentum), tf.mul(w1.get(name)!, cfg.weightDecay));
      return tf.sub(w1.get(name)!, tf.mul(buf2, cfg.learningRate));
    });
  const gShared = tf.div(tf.add(ga.grads.get(shared)!, gb.grads.get(shared)!), 2);
  for (const [name, g] of [
    [shared, gShared],
    [onlyA, ga.grads.get(onlyA)!],
  ] as const) {
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(expected(name, g), w.get(name)!))).dataSync()[0]);
    assert.ok(diff < 1e-6, `${name}: ${diff}`);
  }
  for (const g of [ga, gb, gab, gc]) g.grads.forEach((t) => t.dispose());
  tf.dispose([x, gShared, ...w0.values(), ...w1.values(), ...mom.values()]);
  w.forEach((v) => v.dispose());
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
