import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { bootstrapInterval, percentileSorted } from './bootstrap.js';
import { kendallTau } from './kendall.js';
import { pearson } from './pearson.js';

const rng = xoroshiro128plus(1);
const n = 300;
const truth = Float64Array.from({ length: n }, () => uniformInt(rng, 0, 1000) / 10);
const score = truth.map((v) => v + uniformInt(rng, -300, 300) / 10);

test('percentile uses numpy linear interpolation', () => {
  assert.equal(percentileSorted(Float64Array.of(1, 2, 3, 4), 0.25), 1.75);
  // numpy.percentile([3,1,4,1,5,9,2,6], [2.5, 97.5]) = [1, 8.475]
  const s = Float64Array.of(3, 1, 4, 1, 5, 9, 2, 6).sort();
  assert.equal(percentileSorted(s, 0.025), 1);
  assert.ok(Math.abs(percentileSorted(s, 0.975) - 8.475) < 1e-12);
});

test('same seed ⇒ identical interval; different seed ⇒ different interval', () => {
  const stat = (a: Float64Array, b: Float64Array): number => kendallTau(a, b);
  const a = bootstrapInterval(score, truth, stat, { resamples: 200, seed: 42 });
  const b = bootstrapInterval(score, truth, stat, { resamples: 200, seed: 42 });
  const c = bootstrapInterval(score, truth, stat, { resamples: 200, seed: 43 });
  assert.deepEqual(a, b);
  assert.notDeepEqual([a.low, a.high], [c.low, c.high]);
  assert.equal(a.level, 0.95);
  assert.equal(a.resamples, 200);
  assert.equal(a.seed, 42);
  const tau = kendallTau(score, truth);
  assert.ok(a.low < tau && tau < a.high, `${a.low} < ${tau} < ${a.high}`);
});

test('defaults and narrower level', () => {
  const wide = bootstrapInterval(score, truth, pearson, { resamples: 300 });
  const narrow = bootstrapInterval(score, truth, pearson, { resamples: 300, level: 0.5 });
  assert.equal(wide.seed, 0);
  assert.ok(wide.low <= narrow.low && narrow.high <= wide.high);
  const def = bootstrapInterval([1, 2, 3, 4], [1, 2, 3, 4], () => 1);
  assert.deepEqual(def, { low: 1, high: 1, level: 0.95, resamples: 1000, seed: 0 });
});

test('NaN replicates are dropped; all-NaN gives NaN bounds', () => {
  const r = bootstrapInterval([1, 2], [1, 2], () => NaN, { resamples: 10 });
  assert.ok(Number.isNaN(r.low) && Number.isNaN(r.high));
});

test('validation', () => {
  assert.throws(
    () => bootstrapInterval([1, NaN], [1, 2], pearson),
    /Argument 'score' passed to 'bootstrapInterval' must be finite/,
  );
  assert.throws(
    () => bootstrapInterval([1, 2], [1, 2], pearson, { resamples: 0 }),
    /Argument 'options.resamples' passed to 'bootstrapInterval' must be a positive integer/,
  );
  assert.throws(
    () => bootstrapInterval([1, 2], [1, 2], pearson, { level: 1 }),
    /Argument 'options.level' passed to 'bootstrapInterval'/,
  );
  assert.throws(() => bootstrapInterval([1, 2], [1, 2], pearson, { seed: 0.5 }), /Argument 'options.seed'/);
  assert.throws(
    () => bootstrapInterval([1, 2], [1, 2], 3 as unknown as typeof pearson),
    /Argument 'statistic' passed to 'bootstrapInterval' must be a function/,
  );
});
