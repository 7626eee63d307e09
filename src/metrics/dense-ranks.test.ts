import { test } from 'node:test';
import assert from 'node:assert/strict';
import { orderFromDenseRanks, rankStarts } from './dense-ranks.js';

test('rankStarts: start of each rank in the order by rank', () => {
  assert.deepEqual([...rankStarts(Uint32Array.of(2, 0, 2, 1, 0), 3)], [0, 2, 3, 5]);
  assert.deepEqual([...rankStarts(new Uint32Array(0), 0)], [0]);
});

test('orderFromDenseRanks: by rank, ties by ascending index (stable)', () => {
  assert.deepEqual([...orderFromDenseRanks(Uint32Array.of(2, 0, 2, 1, 0), 3)], [1, 4, 3, 0, 2]);
  assert.deepEqual([...orderFromDenseRanks(Uint32Array.of(0, 0, 0), 1)], [0, 1, 2]);
  assert.deepEqual([...orderFromDenseRanks(new Uint32Array(0), 0)], []);
});
