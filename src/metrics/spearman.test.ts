import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { pearson } from './pearson.js';
import { spearman } from './spearman.js';

test('spearman: scipy reference with ties', () => {
  // scipy.stats.spearmanr([1,2,2,3],[1,3,2,4]).statistic = 0.9486832980505139
  assert.ok(Math.abs(spearman([1, 2, 2, 3], [1, 3, 2, 4]) - 0.9486832980505139) < 1e-12);
  assert.ok(Math.abs(spearman([1, 2, 3, 4], [10, 100, 1000, 10000]) - 1) < 1e-12);
});

test('spearman is invariant to strictly monotone transforms', () => {
  const rng = xoroshiro128plus(11);
  const x = Float64Array.from({ length: 300 }, () => uniformInt(rng, 0, 20));
  const y = Float64Array.from({ length: 300 }, () => uniformInt(rng, 0, 20));
  const base = spearman(x, y);
  assert.equal(
    spearman(
      x.map((v) => Math.exp(v / 3)),
      y,
    ),
    base,
  );
  assert.equal(
    spearman(
      x,
      y.map((v) => 5 * v - 2),
    ),
    base,
  );
  assert.ok(Math.abs(spearman(x, x) - 1) < 1e-12);
});

test('spearman: validation', () => {
  assert.throws(
    () => spearman([1, 2, 3], [1, 2]),
    /Arguments 'x' and 'y' passed to 'spearman' must have the same length/,
  );
  assert.throws(() => spearman([1], [2]), /'spearman' must have at least 2 elements/);
});

test('spearman equals Pearson of average ranks computed by a comparator sort (n above the hash threshold)', () => {
  const rng = xoroshiro128plus(12);
  /** 1-based average ranks, ascending, ties sharing the mean position (scipy.stats.rankdata). */
  const rankdata = (v: Float64Array): Float64Array => {
    const idx = Array.from(v, (_, i) => i).sort((a, b) => v[a] - v[b]);
    const out = new Float64Array(v.length);
    for (let i = 0; i < idx.length;) {
      let j = i;
      while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
      for (let p = i; p <= j; p++) out[idx[p]] = (i + j) / 2 + 1;
      i = j + 1;
    }
    return out;
  };
  for (const n of [300, 2000]) {
    const x = Float64Array.from(
      { length: n },
      () => uniformInt(rng, 0, 50) / 10 + (uniformInt(rng, 0, 1) ? -0 : 0),
    );
    const y = Float64Array.from({ length: n }, () => uniformInt(rng, -1e6, 1e6) / 3);
    const expected = pearson(rankdata(x), rankdata(y));
    assert.ok(Math.abs(spearman(x, y) - expected) <= 1e-12, `n=${n}`);
  }
});
