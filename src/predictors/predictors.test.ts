import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { kendallTau } from '../metrics/index.js';
import type { Arch } from '../space/arch.js';
import { liveEdges } from '../space/reachability.js';
import { CONV1X1, CONV3X3 } from '../space/ops.js';
import {
  DEFAULT_PREDICTOR_CONFIG,
  createPredictor,
  listPredictors,
  predictorDescription,
  registerPredictor,
  resolvePredictorConfig,
  unregisterPredictor,
  type PredictorConfig,
} from './index.js';
import { Rng } from './rng.js';

await initTensorflow();

const gt = loadGroundTruth();
const order = new Rng(12345).shuffle(Int32Array.from({ length: gt.n }, (_, i) => i));
const trainIdx = order.subarray(0, 300);
const testIdx = order.subarray(300, 1300);
const archsOf = (idx: ArrayLike<number>): Arch[] => Array.from(idx, (i) => gt.archs[i]);
const trainArchs = archsOf(trainIdx);
const testArchs = archsOf(testIdx);
const flops = gt.costs().flops;

/** FLOPs (M) counting only live edges: the cost of what the cell actually computes. */
function liveFlops(arch: Arch): number {
  let f = 7.78305;
  for (const e of liveEdges(arch)) f += arch[e] === CONV3X3 ? 35.38944 : arch[e] === CONV1X1 ? 3.93216 : 0;
  return f;
}

interface Expectation {
  target: 'flops' | 'live-flops';
  minTau: number;
  config?: Partial<PredictorConfig>;
  /** Train on every architecture outside the held-out 1,300 instead of 300. */
  allTraining?: boolean;
}

/**
 * What each predictor must reach on 1,000 held-out architectures after training on 300 (FLOPs ties cap τ_b at
 * about 0.96). A predictor registered later gets the default: τ > 0.9 on FLOPs.
 * - gates: message passing only sees the ops of edges with a path to the output node, so the best any GATES
 *   model can do on plain FLOPs is τ ≈ 0.85 (FLOPs count dead edges); on the FLOPs of live edges it is
 *   held to the same 0.9.
 * - rf: trees cannot interpolate an additive cost from a few hundred samples (fully grown trees stop where the
 *   seen rows agree): with 300 it reaches τ ≈ 0.72, with 8,000 ≈ 0.89, with the 14,325 architectures outside
 *   the held-out set ≈ 0.92 (measured, seeds 3–5). So it is trained on those.
 */
const EXPECTATIONS: Record<string, Expectation> = {
  flops: { target: 'flops', minTau: 0.99 },
  params: { target: 'flops', minTau: 0.99 },
  mlp: { target: 'flops', minTau: 0.9, config: { epochs: 50 } },
  lstm: { target: 'flops', minTau: 0.9, config: { epochs: 50 } },
  gates: { target: 'live-flops', minTau: 0.9, config: { epochs: 200 } },
  rf: { target: 'flops', minTau: 0.9, allTraining: true },
};
const DEFAULT_EXPECTATION: Expectation = { target: 'flops', minTau: 0.9 };

test('every registered predictor learns a synthetic cost target (Kendall τ on 1,000 held-out architectures)', async (t) => {
  const names = listPredictors();
  assert.ok(names.length >= 6);
  for (const name of names) {
    const { target, minTau, config, allTraining } = EXPECTATIONS[name] ?? DEFAULT_EXPECTATION;
    const value = target === 'flops' ? (a: Arch, i: number) => flops[i] : (a: Arch) => liveFlops(a);
    const train = allTraining ? order.subarray(1300) : trainIdx;
    const y = Float64Array.from(train, (i) => value(gt.archs[i], i));
    const yTest = Float64Array.from(testIdx, (i) => value(gt.archs[i], i));
    const predictor = createPredictor(name, { seed: 3, ...config });
    assert.equal(predictor.name, name);
    await predictor.fit(allTraining ? archsOf(train) : trainArchs, y);
    const scores = await predictor.predict(testArchs);
    predictor.dispose();
    const tau = kendallTau(scores, yTest);
    t.diagnostic(
      `${name}: τ = ${tau.toFixed(4)} on ${target}, ${train.length} training (threshold ${minTau})`,
    );
    assert.ok(tau > minTau, `${name}: τ = ${tau.toFixed(4)} on ${target}, expected > ${minTau}`);
  }
});

const SMALL = { epochs: 4, batchSize: 16 };
const smallArchs = archsOf(order.subarray(0, 60));
const smallTargets = Float64Array.from(order.subarray(0, 60), (i) => gt.truth('cifar10')[i]);

test('same seed → identical predictions; another seed → different ones', async () => {
  for (const name of ['mlp', 'lstm', 'gates', 'rf']) {
    const run = async (seed: number) => {
      const p = createPredictor(name, { ...SMALL, seed });
      await p.fit(smallArchs, smallTargets);
      const s = await p.predict(testArchs.slice(0, 200));
      p.dispose();
      return s;
    };
    const a = await run(1);
    assert.deepEqual(await run(1), a, `${name}: same seed`);
    assert.notDeepEqual(await run(2), a, `${name}: other seed`);
  }
});

test('refitting starts again from the seed', async () => {
  const p = createPredictor('gates', { ...SMALL, seed: 5 });
  await p.fit(smallArchs, smallTargets);
  const first = await p.predict(testArchs.slice(0, 50));
  await p.fit(smallArchs, smallTargets);
  assert.deepEqual(await p.predict(testArchs.slice(0, 50)), first);
  p.dispose();
});

test('no tensor leaks across fit + predict + dispose (both losses)', async () => {
  for (const name of ['mlp', 'lstm', 'gates']) {
    for (const loss of ['ranking', 'regression'] as const) {
      const before = tf.memory().numTensors;
      const p = createPredictor(name, { ...SMALL, loss, seed: 1 });
      await p.fit(smallArchs, smallTargets);
      const s = await p.predict(testArchs);
      assert.equal(s.length, testArchs.length);
      assert.ok(s.every(Number.isFinite));
      p.dispose();
      assert.equal(tf.memory().numTensors, before, `${name} / ${loss}`);
    }
  }
});

test('regression loss learns accuracies', async () => {
  const idx = order.subarray(0, 300);
  const acc = gt.truth('cifar10');
  const p = createPredictor('mlp', { loss: 'regression', epochs: 100, seed: 2 });
  await p.fit(
    archsOf(idx),
    Float64Array.from(idx, (i) => acc[i]),
  );
  const s = await p.predict(testArchs);
  p.dispose();
  const tau = kendallTau(
    s,
    Float64Array.from(testIdx, (i) => acc[i]),
  );
  assert.ok(tau > 0.5, `τ = ${tau}`);
});

test('registry: names, filters, descriptions, errors', async () => {
  assert.deepEqual(listPredictors(), ['flops', 'gates', 'lstm', 'mlp', 'params', 'rf']);
  assert.deepEqual(listPredictors('*s'), ['flops', 'gates', 'params']);
  assert.deepEqual(listPredictors(/^l/), ['lstm']);
  assert.match(predictorDescription('gates'), /GNN/);
  assert.throws(
    () => createPredictor('transformer'),
    /unknown predictor 'transformer' \(available: flops, gates, lstm, mlp, params, rf\)/,
  );
  assert.throws(
    () => registerPredictor('mlp', { description: '', create: () => createPredictor('flops') }),
    /already/,
  );
  registerPredictor('flops-copy', { description: 'test', create: () => createPredictor('flops') });
  assert.ok(listPredictors().includes('flops-copy'));
  assert.ok(unregisterPredictor('flops-copy'));
  await assert.rejects(() => createPredictor('mlp').predict(testArchs), /call fit first/);
  await assert.rejects(() => createPredictor('rf').predict(testArchs), /call fit first/);
  await assert.rejects(
    () => createPredictor('mlp').fit(testArchs, new Float64Array(3)),
    /1000 architectures but 3/,
  );
});

test('config: the paper defaults and validation', () => {
  assert.deepEqual(resolvePredictorConfig(), {
    loss: 'ranking',
    targetScale: 'percent',
    epochs: 200,
    batchSize: 512,
    learningRate: 1e-3,
    seed: 20,
  });
  assert.deepEqual(resolvePredictorConfig({ seed: 2020 }), { ...DEFAULT_PREDICTOR_CONFIG, seed: 2020 });
  assert.throws(() => resolvePredictorConfig({ loss: 'hinge' as never }), /unknown loss 'hinge'/);
  assert.throws(
    () => resolvePredictorConfig({ targetScale: 'fraction' as never }),
    /unknown targetScale 'fraction' \(available: percent, minmax\)/,
  );
  assert.throws(() => resolvePredictorConfig({ epochs: -1 }), /epochs/);
  assert.throws(() => resolvePredictorConfig({ batchSize: 0 }), /batchSize/);
  assert.throws(() => resolvePredictorConfig({ learningRate: 0 }), /learningRate/);
  assert.throws(() => resolvePredictorConfig({ seed: 1.5 }), /seed/);
});

test('flops and params baselines return the CIFAR-10 network costs', async () => {
  const f = await createPredictor('flops').predict(testArchs);
  const p = await createPredictor('params').predict(testArchs);
  const params = gt.costs().params;
  testIdx.forEach((i, k) => {
    assert.equal(f[k], flops[i]);
    assert.equal(p[k], params[i]);
  });
});
