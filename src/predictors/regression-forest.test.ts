import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitForest, predictForest } from './regression-forest.js';
import { Rng } from './rng.js';

/** Random rows of `f` features with values in [0, 5). */
function randomRows(n: number, f: number, seed: number): Uint8Array {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: n * f }, () => rng.int(0, 4));
}

test('one tree without bootstrap: the hand-computed split, pure leaves, exact fit', () => {
  // y depends on feature 1 only: ≤ 1 → 10, ≥ 2 → 30; feature 0 is noise.
  const x = Uint8Array.from([0, 0, 4, 1, 2, 2, 3, 4, 1, 0, 0, 3]);
  const y = Float64Array.from([10, 10, 30, 30, 10, 30]);
  const forest = fitForest(x, y, 2, { trees: 1, maxFeatures: 1, numValues: 5, seed: 1, bootstrap: false });
  const tree = forest.trees[0];
  assert.equal(tree.feature[0], 1);
  assert.equal(tree.threshold[0], 1);
  assert.deepEqual(Array.from(tree.feature), [1, -1, -1]);
  assert.deepEqual(Array.from(tree.value), [20, 10, 30]);
  assert.deepEqual(Array.from(predictForest(forest, x)), Array.from(y));
  // Unseen rows follow the split: feature 1 = 0 → 10, 4 → 30.
  assert.deepEqual(Array.from(predictForest(forest, Uint8Array.from([4, 0, 0, 4]))), [10, 30]);
});

test('fully grown trees fit distinct training rows exactly', () => {
  // 400 distinct rows: base-5 digits of distinct codes.
  const codes = new Rng(2).shuffle(Int32Array.from({ length: 5 ** 6 }, (_, i) => i)).subarray(0, 400);
  const x = new Uint8Array(400 * 6);
  codes.forEach((c, i) => {
    for (let f = 0; f < 6; f++) x[i * 6 + f] = Math.floor(c / 5 ** f) % 5;
  });
  const y = Float64Array.from(
    { length: 400 },
    (_, i) => x[i * 6] * 7 + x[i * 6 + 3] * x[i * 6 + 5] + i * 1e-3,
  );
  const forest = fitForest(x, y, 6, { trees: 3, maxFeatures: 0.5, numValues: 5, seed: 4, bootstrap: false });
  const p = predictForest(forest, x);
  for (let i = 0; i < y.length; i++) assert.ok(Math.abs(p[i] - y[i]) < 1e-9, `row ${i}`);
});

test('features are drawn per split: one tree uses all six features when the target needs them', () => {
  // ml-random-forest draws 3 of 6 features per tree; scikit-learn semantics draw 3 at every split.
  const x = randomRows(600, 6, 5);
  const y = Float64Array.from({ length: 600 }, (_, i) => {
    let s = 0;
    for (let f = 0; f < 6; f++) s += (f + 1) * (x[i * 6 + f] === 3 ? 1 : 0);
    return s;
  });
  for (const seed of [1, 2, 3]) {
    const forest = fitForest(x, y, 6, { trees: 1, maxFeatures: 0.5, numValues: 5, seed });
    const used = new Set(Array.from(forest.trees[0].feature).filter((f) => f >= 0));
    assert.equal(used.size, 6, `seed ${seed}: features used ${[...used]}`);
  }
});

test('the forest averages its trees, and a seed fixes it', () => {
  const x = randomRows(200, 6, 7);
  const y = Float64Array.from({ length: 200 }, (_, i) => x[i * 6 + 2] + 0.5 * x[i * 6 + 4]);
  const opts = { trees: 5, maxFeatures: 0.5, numValues: 5, seed: 11 };
  const forest = fitForest(x, y, 6, opts);
  const test = randomRows(50, 6, 8);
  const p = predictForest(forest, test);
  const mean = new Float64Array(50);
  for (const tree of forest.trees) {
    const q = predictForest({ numFeatures: 6, trees: [tree] }, test);
    for (let i = 0; i < 50; i++) mean[i] += q[i] / forest.trees.length;
  }
  for (let i = 0; i < 50; i++) assert.ok(Math.abs(p[i] - mean[i]) < 1e-12);
  assert.deepEqual(predictForest(fitForest(x, y, 6, opts), test), p);
  assert.notDeepEqual(predictForest(fitForest(x, y, 6, { ...opts, seed: 12 }), test), p);
});

test('constant targets give a single leaf; bad input is rejected', () => {
  const x = randomRows(30, 6, 9);
  const forest = fitForest(x, new Float64Array(30).fill(4), 6, {
    trees: 2,
    maxFeatures: 0.5,
    numValues: 5,
    seed: 1,
  });
  assert.deepEqual(
    forest.trees.map((t) => t.feature.length),
    [1, 1],
  );
  assert.deepEqual(Array.from(predictForest(forest, x.subarray(0, 12))), [4, 4]);
  assert.throws(
    () =>
      fitForest(Uint8Array.from([5]), Float64Array.from([1]), 1, {
        trees: 1,
        maxFeatures: 1,
        numValues: 5,
        seed: 1,
      }),
    /feature value 5/,
  );
  assert.throws(
    () =>
      fitForest(new Uint8Array(5), new Float64Array(2), 3, {
        trees: 1,
        maxFeatures: 1,
        numValues: 5,
        seed: 1,
      }),
    /5 feature values for 2 rows/,
  );
});
