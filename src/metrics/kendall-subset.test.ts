import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kendallAtBottom, kendallAtTop } from './kendall-subset.js';

const score = [5, 4, 3, 2, 1, 0];
const truth = [1, 3, 2, 6, 5, 4];

test('KT@top: hand-computed', () => {
  // top-3 = idx 0,1,2: scores 5,4,3 vs truth 1,3,2 → pairs: D, D, C → (1 − 2) / 3
  assert.ok(Math.abs(kendallAtTop(score, truth, 0.5) - -1 / 3) < 1e-12);
  // all 6: equals the full tau-b; 15 pairs, truth order 1,3,2,6,5,4 against a strictly decreasing score
  // concordant pairs (truth decreasing): (3,2), (6,5), (6,4), (5,4) = 4 → (4 − 11) / 15
  assert.ok(Math.abs(kendallAtTop(score, truth, 1) - -7 / 15) < 1e-12);
});

test('KT@bottom: hand-computed', () => {
  // bottom-3 = idx 3,4,5: scores 2,1,0 vs truth 6,5,4 → all concordant
  assert.ok(Math.abs(kendallAtBottom(score, truth, 0.5) - 1) < 1e-12);
});

test('k < 2 gives NaN; constant truth in the subset gives NaN', () => {
  assert.ok(Number.isNaN(kendallAtTop(score, truth, 0.2))); // k = 1
  assert.ok(Number.isNaN(kendallAtBottom(score, truth, 0.01))); // k = 0
  assert.ok(Number.isNaN(kendallAtTop([3, 2, 1, 0], [7, 7, 1, 2], 0.5)));
});

test('validation', () => {
  assert.throws(() => kendallAtTop([1, 2], [1, 2], -0.1), /Argument 'ratio' passed to 'kendallAtTop'/);
  assert.throws(() => kendallAtBottom([1, 2], [1, 2, 3], 0.5), /'kendallAtBottom' must have the same length/);
});
