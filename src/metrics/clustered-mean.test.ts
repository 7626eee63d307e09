import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clusteredMean } from './clustered-mean.js';

// Student-t quantiles from scipy.stats.t.ppf (jStat agrees to ~1e-8).
const T_975_2 = 4.302652729749462;
const T_95_4 = 2.1318467863266495;

test('clusteredMean: hand-computed case (3 clusters of 2)', () => {
  const r = clusteredMean([1, 2, 3, 4, 5, 6], ['a', 'a', 'b', 'b', 'c', 'c']);
  // cluster means 1.5, 3.5, 5.5 → mean 3.5, sd 2; within: (0.25 + 0.25) × 3 / (6 − 3) = 0.5
  assert.equal(r.mean, 3.5);
  assert.ok(Math.abs(r.sdBetween - 2) < 1e-12);
  assert.ok(Math.abs(r.sdWithin - Math.sqrt(0.5)) < 1e-12);
  const half = (T_975_2 * 2) / Math.sqrt(3);
  assert.ok(Math.abs(r.low - (3.5 - half)) < 1e-8);
  assert.ok(Math.abs(r.high - (3.5 + half)) < 1e-8);
  assert.equal(r.clusters, 3);
  assert.equal(r.n, 6);
});

test('clusteredMean: unequal clusters weigh clusters equally, level is honoured', () => {
  // cluster 0: [0, 0, 0] (mean 0), clusters 1..4: one value each
  const r = clusteredMean([0, 0, 0, 1, 2, 3, 4], [0, 0, 0, 1, 2, 3, 4], 0.9);
  assert.equal(r.mean, 2); // (0 + 1 + 2 + 3 + 4) / 5, not 10 / 7
  const sd = Math.sqrt(10 / 4);
  assert.ok(Math.abs(r.high - (2 + (T_95_4 * sd) / Math.sqrt(5))) < 1e-8);
  assert.equal(r.sdWithin, 0); // 2 degrees of freedom inside cluster 0, no spread
});

test('clusteredMean: the interval is wider than the naive one when clusters differ', () => {
  const values: number[] = [];
  const labels: number[] = [];
  for (let c = 0; c < 5; c++)
    for (let s = 0; s < 3; s++) {
      values.push(c * 0.1 + s * 0.001);
      labels.push(c);
    }
  const r = clusteredMean(values, labels);
  const m = values.reduce((a, b) => a + b, 0) / values.length;
  const sd = Math.sqrt(values.reduce((a, b) => a + (b - m) ** 2, 0) / (values.length - 1));
  const naiveHalf = (2.144786687917804 * sd) / Math.sqrt(values.length); // t(14, 0.975)
  assert.ok(Math.abs(r.mean - m) < 1e-12);
  assert.ok(r.high - r.mean > 1.5 * naiveHalf);
  assert.ok(r.sdBetween > 50 * r.sdWithin);
});

test('clusteredMean: NaN values are dropped; one cluster gives no interval; bad input throws', () => {
  const r = clusteredMean([1, NaN, 3], [0, 0, 0]);
  assert.equal(r.mean, 2);
  assert.equal(r.n, 2);
  assert.ok(Number.isNaN(r.low) && Number.isNaN(r.high) && Number.isNaN(r.sdBetween));
  assert.ok(Number.isNaN(clusteredMean([], []).mean));
  assert.throws(() => clusteredMean([1, 2], [0]), /2 values but 1 cluster/);
  assert.throws(() => clusteredMean([1], [0], 1), /level/);
});
