import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bestRankAtK, worstRankAtK } from './best-rank.js';

test('BR@K / WR@K: hand-computed', () => {
  const score = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const truth = [1, 8, 9, 10, 2, 3, 4, 5, 7, 6];
  // true ranks: idx3→0, idx2→1, idx1→2, idx8→3, idx9→4, idx7→5, idx6→6, idx5→7, idx4→8, idx0→9
  // predicted top-2 = {0, 1}: true ranks 9 and 2
  assert.equal(bestRankAtK(score, truth, 0.2), 3 / 10);
  assert.equal(worstRankAtK(score, truth, 0.2), 10 / 10);
  // predicted top-1 = {0}
  assert.equal(bestRankAtK(score, truth, 0.1), 1);
  // predicted top-4 include idx 3 (true rank 0)
  assert.equal(bestRankAtK(score, truth, 0.4), 0.1);
});

test('true ranks use the stable tie rule', () => {
  // truth all tied: true rank = index; predicted top-1 is idx 2 → (2 + 1) / 3
  assert.equal(bestRankAtK([0, 1, 2], [5, 5, 5], 0.5), 1);
  assert.equal(bestRankAtK([0, 1, 2], [5, 5, 5], 0.34), 1);
  assert.ok(Number.isNaN(worstRankAtK([0, 1, 2], [5, 5, 5], 0.2)));
});

test('validation', () => {
  assert.throws(
    () => bestRankAtK([1], [1], 0.5),
    /Argument 'score' passed to 'bestRankAtK' must have at least 2 elements/,
  );
  assert.throws(
    () => worstRankAtK([1, 2], [1, NaN], 0.5),
    /Argument 'truth' passed to 'worstRankAtK' must be finite; found NaN at position 1/,
  );
});
