import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { addValue, countAbove, countAboveThenAdd, countTree } from './count-tree.js';

test('count tree: counts of recorded values above v match a brute-force count, for sizes around powers of two', () => {
  const rng = xoroshiro128plus(3);
  for (const size of [1, 2, 3, 4, 5, 7, 8, 9, 1023, 1024, 1025]) {
    const a = countTree(size);
    const b = countTree(size);
    const seen: number[] = [];
    for (let t = 0; t < 400; t++) {
      const v = uniformInt(rng, 0, size - 1);
      const expected = seen.filter((u) => u > v).length;
      assert.equal(countAbove(a, v), expected, `size ${size}, step ${t}: countAbove`);
      addValue(a, v);
      assert.equal(countAboveThenAdd(b, v), expected, `size ${size}, step ${t}: countAboveThenAdd`);
      seen.push(v);
    }
    assert.deepEqual(a, b);
    assert.equal(a[1], seen.length, 'the root counts everything');
  }
});
