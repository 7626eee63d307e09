import { test } from 'node:test';
import assert from 'node:assert/strict';
import { initTensorflow } from '../engine/tf-backend.js';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { kendallTau } from '../metrics/index.js';
import { createPredictor } from './registry.js';
import { Rng } from './rng.js';
import { MINMAX_CONSTANT, scaleTargets } from './target-scale.js';
import type { PredictorConfig } from './predictor.js';

await initTensorflow();

const gt = loadGroundTruth();
const order = new Rng(777).shuffle(Int32Array.from({ length: gt.n }, (_, i) => i));
const trainIdx = order.subarray(0, 200);
const testIdx = order.subarray(200, 1200);
const acc = gt.truth('cifar10');
const trainArchs = Array.from(trainIdx, (i) => gt.archs[i]);
const testArchs = Array.from(testIdx, (i) => gt.archs[i]);
const percent = Float64Array.from(trainIdx, (i) => acc[i]);
/** The same ranking signal in three units: accuracies in %, fractions, and an increasing affine map of them. */
const VARIANTS: Record<string, Float64Array> = {
  percent,
  fraction: percent.map((t) => t / 100),
  affine: percent.map((t) => (t - 90) * 7),
};

async function predictions(name: string, targets: Float64Array, config: Partial<PredictorConfig>) {
  const p = createPredictor(name, { epochs: 30, batchSize: 64, seed: 4, ...config });
  try {
    await p.fit(trainArchs, targets);
    return await p.predict(testArchs);
  } finally {
    p.dispose();
  }
}

test('scaleTargets: percent divides by 100 and refuses targets outside [0, 100]; minmax maps min → 0, max → 1', () => {
  assert.deepEqual(Array.from(scaleTargets([0, 50, 100], 'percent')), [0, 0.5, 1]);
  assert.throws(
    () => scaleTargets([90, -0.5, 20], 'percent'),
    /target scale 'percent' takes accuracies in \[0, 100\], but target 1 is -0.5 \(targets range -0.5 … 90\)/,
  );
  assert.throws(() => scaleTargets([101], 'percent'), /target 0 is 101/);
  assert.deepEqual(Array.from(scaleTargets([-3, -1, -2], 'minmax')), [0, 1, 0.5]);
  assert.deepEqual(Array.from(scaleTargets([4, 4], 'minmax')), [MINMAX_CONSTANT, MINMAX_CONSTANT]);
  assert.throws(() => scaleTargets([1], 'log' as never), /unknown target scale 'log'/);
  // minmax does not see the unit: %, fractions and an affine map give the same training targets.
  const a = scaleTargets(VARIANTS.percent, 'minmax');
  for (const v of [VARIANTS.fraction, VARIANTS.affine]) {
    scaleTargets(v, 'minmax').forEach((x, i) => assert.ok(Math.abs(x - a[i]) < 1e-12));
  }
});

test('regression loss with minmax: %, fractions and affine scores give the same predictions', async (t) => {
  for (const name of ['mlp', 'gates']) {
    const config = { loss: 'regression', targetScale: 'minmax' } as const;
    const ref = await predictions(name, VARIANTS.percent, config);
    const truthTau = kendallTau(
      ref,
      Float64Array.from(testIdx, (i) => acc[i]),
    );
    assert.ok(truthTau > 0.2, `${name}: τ against the truth ${truthTau}`);
    for (const variant of ['fraction', 'affine']) {
      const s = await predictions(name, VARIANTS[variant], config);
      let maxDiff = 0;
      s.forEach((x, i) => (maxDiff = Math.max(maxDiff, Math.abs(x - ref[i]))));
      const tau = kendallTau(s, ref);
      t.diagnostic(`${name} ${variant}: max |Δ| ${maxDiff.toExponential(2)}, τ to % ${tau}`);
      assert.ok(maxDiff < 1e-3 && tau > 0.999, `${name} ${variant}: max |Δ| ${maxDiff}, τ to % ${tau}`);
    }
  }
});

test('regression loss with percent refuses out-of-range targets; the ranking loss is scale-free', async () => {
  await assert.rejects(
    predictions('mlp', VARIANTS.affine, { loss: 'regression', targetScale: 'percent' }),
    /target scale 'percent' takes accuracies in \[0, 100\]/,
  );
  // The ranking loss only sees the signs of target differences: any unit, any scale, the same predictions.
  const ref = await predictions('mlp', VARIANTS.percent, { loss: 'ranking', epochs: 10 });
  for (const [variant, targets] of Object.entries(VARIANTS)) {
    for (const targetScale of ['percent', 'minmax'] as const) {
      const s = await predictions('mlp', targets, { loss: 'ranking', epochs: 10, targetScale });
      assert.deepEqual(s, ref, `ranking, ${variant} targets, ${targetScale}`);
    }
  }
});
