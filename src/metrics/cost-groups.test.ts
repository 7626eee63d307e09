import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { arraySplitSizes, rankDiffByCostGroup } from './cost-groups.js';
import { kendallTauNaive } from './kendall.js';

test('array_split sizes (numpy.array_split)', () => {
  assert.deepEqual(arraySplitSizes(23, 10), [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(arraySplitSizes(20, 10), [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(arraySplitSizes(3, 5), [1, 1, 1, 0, 0]);
});

test('group sizes for n = 23, groups = 10; empty chunks dropped when groups > n', () => {
  const n = 23;
  const s = Array.from({ length: n }, (_, i) => (i * 7) % 11);
  const y = Array.from({ length: n }, (_, i) => (i * 5) % 13);
  const c = Array.from({ length: n }, (_, i) => n - i);
  assert.deepEqual(
    rankDiffByCostGroup(s, y, c).map((g) => g.size),
    [3, 3, 3, 2, 2, 2, 2, 2, 2, 2],
  );
  assert.deepEqual(
    rankDiffByCostGroup([1, 2, 3], [1, 2, 3], [1, 2, 3], 5).map((g) => g.size),
    [1, 1, 1],
  );
});

test('hand-computed groups: global ranks, sign convention, stable cost order', () => {
  // rankS = [0, 1, 2, 3], rankY = [3, 2, 1, 0]; cost ascending stable: idx 1, 3 | 0, 2
  const groups = rankDiffByCostGroup([4, 3, 2, 1], [1, 2, 3, 4], [2, 1, 2, 1], 2);
  assert.equal(groups.length, 2);
  const [g1, g2] = groups;
  assert.equal(g1.costMin, 1);
  assert.equal(g1.costMax, 1);
  assert.equal(g1.size, 2);
  // idx 1: 2 − 1 = 1; idx 3: 0 − 3 = −3 → mean −1 → / N = −0.25 (under-estimated)
  assert.equal(g1.meanRankDiff, -0.25);
  assert.equal(g1.kendall, -1);
  // idx 0: 3 − 0; idx 2: 1 − 2 → mean 1 → 0.25 (over-estimated)
  assert.equal(g2.costMin, 2);
  assert.equal(g2.meanRankDiff, 0.25);
  assert.equal(g2.kendall, -1);
  const single = rankDiffByCostGroup([1, 2], [1, 2], [1, 2], 2);
  assert.ok(Number.isNaN(single[0].kendall));
});

test('random case against a direct implementation', () => {
  const rng = xoroshiro128plus(99);
  const n = 137;
  const s = Array.from({ length: n }, () => uniformInt(rng, 0, 30));
  const y = Array.from({ length: n }, () => uniformInt(rng, 0, 30));
  const c = Array.from({ length: n }, () => uniformInt(rng, 1, 9));
  const desc = (v: number[]): number[] => {
    const order = v.map((_, i) => i).sort((a, b) => v[b] - v[a] || a - b);
    const rank = new Array<number>(n);
    order.forEach((i, p) => (rank[i] = p));
    return rank;
  };
  const rs = desc(s);
  const ry = desc(y);
  const byCost = c.map((_, i) => i).sort((a, b) => c[a] - c[b] || a - b);
  const got = rankDiffByCostGroup(s, y, c, 7);
  let start = 0;
  for (const g of got) {
    const idx = byCost.slice(start, start + g.size);
    start += g.size;
    const mean = idx.reduce((acc, i) => acc + (ry[i] - rs[i]), 0) / g.size / n;
    assert.ok(Math.abs(g.meanRankDiff - mean) < 1e-12);
    assert.equal(g.costMin, c[idx[0]]);
    assert.equal(g.costMax, c[idx[idx.length - 1]]);
    const tau = kendallTauNaive(
      idx.map((i) => s[i]),
      idx.map((i) => y[i]),
    );
    assert.ok(Math.abs(g.kendall - tau) < 1e-12);
  }
  assert.equal(start, n);
  // mean rank difference over all architectures is 0
  const total = got.reduce((acc, g) => acc + g.meanRankDiff * g.size, 0);
  assert.ok(Math.abs(total) < 1e-12);
});

test('validation', () => {
  assert.throws(
    () => rankDiffByCostGroup([1, 2], [1, 2], [1, NaN]),
    /Argument 'cost' passed to 'rankDiffByCostGroup' must be finite; found NaN at position 1/,
  );
  assert.throws(
    () => rankDiffByCostGroup([1, 2], [1, 2], [1]),
    /Arguments 'score' and 'cost' passed to 'rankDiffByCostGroup' must have the same length/,
  );
  assert.throws(
    () => rankDiffByCostGroup([1, 2], [1, 2], [1, 2], 0),
    /Argument 'groups' passed to 'rankDiffByCostGroup' must be a positive integer/,
  );
});
