import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { bootstrapInterval } from './bootstrap.js';
import { kendallTau } from './kendall.js';
import { pairedDifference } from './paired-difference.js';

const rng = xoroshiro128plus(7);
const n = 200;
const truth = Float64Array.from({ length: n }, () => uniformInt(rng, 0, 100000) / 1000);
const noisy = truth.map((v) => v + uniformInt(rng, -40000, 40000) / 1000);
const mean = (s: Float64Array): number => s.reduce((x, v) => x + v, 0) / s.length;

test('one evaluator against itself: difference 0 in every resample', () => {
  const d = pairedDifference(noisy, noisy, truth, kendallTau, { resamples: 100 });
  assert.deepEqual([d.difference, d.low, d.high, d.pBelowZero], [0, 0, 0, 1]);
});

test('the truth against its reverse: τ 1 − (−1) = 2 in every resample, never at or below zero', () => {
  const reversed = truth.map((v) => -v);
  const d = pairedDifference(truth, reversed, truth, kendallTau, { resamples: 100 });
  assert.equal(d.difference, 2);
  assert.ok(Math.abs(d.low - 2) < 1e-12 && Math.abs(d.high - 2) < 1e-12, `${d.low} ${d.high}`);
  assert.equal(d.pBelowZero, 0);
});

test('the resample is shared: a − b constant gives a zero-width interval of a mean statistic', () => {
  // Unpaired resampling would give the interval of mean(noisy) − mean(noisy + 3), several units wide.
  const shifted = noisy.map((v) => v - 3);
  const d = pairedDifference(noisy, shifted, truth, (s) => mean(s), { resamples: 300, seed: 5 });
  assert.ok(Math.abs(d.difference - 3) < 1e-9);
  assert.ok(Math.abs(d.low - 3) < 1e-9 && Math.abs(d.high - 3) < 1e-9, `${d.low} ${d.high}`);
  const single = bootstrapInterval(noisy, truth, (s) => mean(s), { resamples: 300, seed: 5 });
  assert.ok(single.high - single.low > 1, 'the unpaired spread is wide');
});

test('a clearly better evaluator: interval above zero; a tiny edit of the same: interval straddles zero', () => {
  const better = truth.map((v, i) => v + (noisy[i] - truth[i]) / 4);
  const d = pairedDifference(better, noisy, truth, kendallTau, { resamples: 400, seed: 1 });
  assert.ok(d.difference > 0.15 && d.low > 0 && d.pBelowZero === 0, JSON.stringify(d));
  const nudged = noisy.map((v, i) => (i === 3 ? v + 0.5 : v));
  const e = pairedDifference(nudged, noisy, truth, kendallTau, { resamples: 400, seed: 1 });
  assert.ok(e.low <= 0 && 0 <= e.high + 1e-15, JSON.stringify(e));
  assert.ok(e.low <= e.difference && e.difference <= e.high);
});

test('same seed ⇒ same answer; bad options are named', () => {
  const a = pairedDifference(truth, noisy, truth, kendallTau, { resamples: 50, seed: 9 });
  assert.deepEqual(a, pairedDifference(truth, noisy, truth, kendallTau, { resamples: 50, seed: 9 }));
  assert.throws(() => pairedDifference(truth, noisy.subarray(1), truth, kendallTau), /'b'/);
  assert.throws(() => pairedDifference(truth, noisy, truth, kendallTau, { level: 1 }), /options\.level/);
});
