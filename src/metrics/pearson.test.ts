import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pearson } from './pearson.js';

test('pearson: perfect, reversed, known value', () => {
  assert.ok(Math.abs(pearson([1, 2, 3], [2, 4, 6]) - 1) < 1e-12);
  assert.ok(Math.abs(pearson([1, 2, 3], [3, 2, 1]) + 1) < 1e-12);
  // numpy.corrcoef([1,2,3,4],[1,3,2,4])[0,1] = 0.8
  assert.ok(Math.abs(pearson([1, 2, 3, 4], [1, 3, 2, 4]) - 0.8) < 1e-12);
});

test('pearson: constant side gives NaN', () => {
  assert.ok(Number.isNaN(pearson([1, 1, 1], [1, 2, 3])));
});

test('pearson: validation', () => {
  assert.throws(
    () => pearson([1, NaN], [1, 2]),
    /Argument 'x' passed to 'pearson' must be finite; found NaN at position 1/,
  );
  assert.throws(
    () => pearson([1, 2], [1, 2, 3]),
    /Arguments 'x' and 'y' passed to 'pearson' must have the same length/,
  );
  assert.throws(
    () => pearson([], []),
    /Argument 'x' passed to 'pearson' must have at least 2 elements; got 0/,
  );
  assert.throws(() => pearson([1, '2'] as unknown as number[], [1, 2]), /found string '2' at position 1/);
});
