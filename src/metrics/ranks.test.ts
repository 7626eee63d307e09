import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { argsortDescending, averageRanks, ranksDescending } from './ranks.js';
import { invertPermutation, stableArgsort } from './sort.js';

test('argsortDescending: descending, ties by ascending index', () => {
  assert.deepEqual([...argsortDescending([1, 3, 3, 2])], [1, 2, 3, 0]);
  assert.deepEqual([...argsortDescending([5, 5, 5])], [0, 1, 2]);
  assert.deepEqual([...argsortDescending([0, -0, 0])], [0, 1, 2]);
  assert.deepEqual([...argsortDescending([])], []);
  assert.deepEqual([...argsortDescending(Float64Array.of(-1, 2))], [1, 0]);
});

test('ranksDescending is the inverse permutation of argsortDescending', () => {
  assert.deepEqual([...ranksDescending([1, 3, 3, 2])], [3, 0, 1, 2]);
});

test('averageRanks matches scipy.stats.rankdata(method="average")', () => {
  // scipy: rankdata([1, 3, 3, 2]) = [1, 3.5, 3.5, 2]; rankdata([2, 2, 2]) = [2, 2, 2]
  assert.deepEqual([...averageRanks([1, 3, 3, 2])], [1, 3.5, 3.5, 2]);
  assert.deepEqual([...averageRanks([2, 2, 2])], [2, 2, 2]);
  // rankdata([10, -1, 10, 3, 3, 3]) = [5.5, 1, 5.5, 3, 3, 3]
  assert.deepEqual([...averageRanks([10, -1, 10, 3, 3, 3])], [5.5, 1, 5.5, 3, 3, 3]);
});

test('averageRanks on a long input with ties (the hashing path) equals the definition', () => {
  const rng = xoroshiro128plus(8);
  const v = Float64Array.from({ length: 1000 }, () => uniformInt(rng, -20, 20) / 4);
  const r = averageRanks(v);
  for (let i = 0; i < v.length; i++) {
    let below = 0;
    let equal = 0;
    for (let j = 0; j < v.length; j++) {
      if (v[j] < v[i]) below++;
      else if (v[j] === v[i]) equal++;
    }
    assert.equal(r[i], below + (equal + 1) / 2, `element ${i}`);
  }
});

test('stable argsort equals a comparator sort with explicit index tie-break (random, many ties)', () => {
  const rng = xoroshiro128plus(7);
  for (const n of [0, 1, 2, 31, 32, 33, 63, 64, 65, 100, 257, 1000, 3000]) {
    const v = Float64Array.from({ length: n }, () => uniformInt(rng, 0, 9) / 2);
    const ref = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[b] - v[a] || a - b);
    assert.deepEqual([...stableArgsort(v, true)], ref, `desc n=${n}`);
    const refAsc = Array.from({ length: n }, (_, i) => i).sort((a, b) => v[a] - v[b] || a - b);
    assert.deepEqual([...stableArgsort(v, false)], refAsc, `asc n=${n}`);
    const inv = invertPermutation(Uint32Array.from(ref));
    for (let p = 0; p < n; p++) assert.equal(inv[ref[p]], p);
  }
});

test('stableArgsort keeps the order of `init` among ties (lexicographic sort in two passes)', () => {
  const x = [1, 0, 1, 0, 1];
  const y = [5, 9, 7, 9, 6];
  const byY = stableArgsort(y, true);
  // (x desc, y desc): x=1 → y 7, 6, 5 → idx 2, 4, 0; x=0 → y 9, 9 → idx 1, 3
  assert.deepEqual([...stableArgsort(x, true, byY)], [2, 4, 0, 1, 3]);
});

test('rank functions validate their input', () => {
  assert.throws(
    () => argsortDescending([1, NaN]),
    /Argument 'values' passed to 'argsortDescending' must be finite; found NaN at position 1/,
  );
  assert.throws(
    () => ranksDescending([Infinity]),
    /'ranksDescending' must be finite; found Infinity at position 0/,
  );
  assert.throws(
    () => averageRanks(null as unknown as number[]),
    /Argument 'values' passed to 'averageRanks' must be an array-like/,
  );
});
