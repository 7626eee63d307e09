import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isoSpread } from './iso-spread.js';

test('iso spread: hand-computed', () => {
  // predicted ranks: 10→0 (idx 3), 7→1 (idx 4), 3→2 (idx 1), 2→3 (idx 2), 1→4 (idx 0)
  // class 0 = idx 0, 1: scores 1, 3 → std 1; ranks 4, 2 → std 1
  // class 1 = idx 2, 3: scores 2, 10 → std 4; ranks 3, 0 → std 1.5
  // class 2 = idx 4 alone → ignored
  const r = isoSpread([1, 3, 2, 10, 7], Int32Array.of(0, 0, 1, 1, 2));
  assert.deepEqual(r, { classes: 2, meanScoreStd: 2.5, meanRankStd: 1.25 });
});

test('iso spread: class labels need not be sorted or contiguous; three-member class', () => {
  // class 7 = idx 0, 2, 4: scores 1, 2, 3 → population std sqrt(2/3); ranks 4, 3, 2 → sqrt(2/3)
  const r = isoSpread([1, 9, 2, 8, 3], [7, -1, 7, -1, 7]);
  assert.equal(r.classes, 2);
  // class -1 = idx 1, 3: scores 9, 8 → 0.5; ranks 0, 1 → 0.5
  assert.ok(Math.abs(r.meanScoreStd - (Math.sqrt(2 / 3) + 0.5) / 2) < 1e-12);
  assert.ok(Math.abs(r.meanRankStd - (Math.sqrt(2 / 3) + 0.5) / 2) < 1e-12);
});

test('iso spread: no class with two members → zeros', () => {
  assert.deepEqual(isoSpread([1, 2, 3], [0, 1, 2]), { classes: 0, meanScoreStd: 0, meanRankStd: 0 });
});

test('validation', () => {
  assert.throws(
    () => isoSpread([1, 2], [0, NaN]),
    /Argument 'classIds' passed to 'isoSpread' must be finite; found NaN at position 1/,
  );
  assert.throws(
    () => isoSpread([1, 2], [0]),
    /Arguments 'score' and 'classIds' passed to 'isoSpread' must have the same length/,
  );
});
