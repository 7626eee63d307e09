import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pairedWins, settleEpoch, signTestP, statsBetween } from './curve-findings.js';

test('settleEpoch: the first epoch from which the series stays within 10% of its range of the last value', () => {
  // range 1 - 0 = 1, tolerance 0.1 around the last value 0.5: epochs 40, 50, 60 hold 0.45..0.55.
  const epochs = [10, 20, 30, 40, 50, 60];
  assert.equal(settleEpoch(epochs, [0, 1, 0.3, 0.55, 0.45, 0.5]), 40);
  // A jump away and back resets the start: 30 is outside, so it settles at 40, not 20.
  assert.equal(settleEpoch(epochs, [0, 0.5, 1, 0.5, 0.5, 0.5]), 40);
  // A wider tolerance (60% of the range) takes in 0.0 and 1.0 too, so it settles at the start.
  assert.equal(settleEpoch(epochs, [0, 0.5, 1, 0.5, 0.5, 0.5], 0.6), 10);
  assert.equal(settleEpoch([5, 6], [2, 2]), 5);
  assert.throws(() => settleEpoch([1, 2], [1]), /2 epochs and 1 values/);
});

test('statsBetween: mean and sample sd of the values in an epoch window', () => {
  const s = statsBetween([1, 2, 3, 4], [1, 2, 3, 10], 1, 3);
  assert.equal(s.n, 3);
  assert.equal(s.mean, 2);
  assert.equal(s.sd, 1);
  assert.equal(statsBetween([1], [7], 1, 1).sd, 0);
  assert.ok(Number.isNaN(statsBetween([1], [7], 2, 3).mean));
});

test('pairedWins counts the better curve at common epochs only, with the orientation', () => {
  const a = new Map([
    [25, 0.5],
    [50, 0.2],
    [75, 0.4],
    [99, 1],
  ]);
  const b = new Map([
    [25, 0.4],
    [50, 0.3],
    [75, 0.4],
  ]);
  const up = pairedWins(a, b);
  assert.deepEqual(up.epochs, [25, 50, 75]);
  assert.deepEqual([up.aBetter, up.bBetter, up.ties], [1, 1, 1]);
  assert.ok(Math.abs(up.meanDiff - 0) < 1e-15);
  const down = pairedWins(a, b, true);
  assert.deepEqual([down.aBetter, down.bBetter, down.ties], [1, 1, 1]);
  const c = new Map([[25, 0.1]]);
  assert.deepEqual([pairedWins(c, b, true).aBetter, pairedWins(c, b).bBetter], [1, 1]);
});

test('signTestP: exact two-sided binomial tail', () => {
  // 8 : 1 → 2 · (C(9,0) + C(9,1)) / 2^9 = 20 / 512.
  assert.equal(signTestP(8, 1), 20 / 512);
  assert.equal(signTestP(1, 8), 20 / 512);
  // 8 : 3 → 2 · (1 + 11 + 55 + 165) / 2^11.
  assert.equal(signTestP(8, 3), (2 * 232) / 2048);
  assert.equal(signTestP(3, 3), 1);
  assert.equal(signTestP(0, 0), 1);
  assert.equal(signTestP(10, 0), 2 / 1024);
});
