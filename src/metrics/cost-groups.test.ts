import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { arraySplitSizes, costGroupSizes, rankDiffByCostGroup, type CostGroup } from './cost-groups.js';
import { kendallTauNaive } from './kendall.js';

/** Σ size² of a split (the objective, up to the constant n²/G). */
const sumSq = (sizes: readonly number[]): number => sizes.reduce((acc, v) => acc + v * v, 0);

/** Lexicographic comparison of two size vectors of the same length. */
function lexCompare(a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return 0;
}

/**
 * Brute force: every way of cutting the values into `groups` contiguous, possibly empty, groups; the least Σ size²,
 * ties to the lexicographically largest size vector; empty groups dropped.
 */
function bruteForceSizes(counts: readonly number[], groups: number): number[] {
  const m = counts.length;
  const prefix = [0];
  for (const c of counts) prefix.push(prefix[prefix.length - 1] + c);
  let best: number[] | null = null;
  const cuts: number[] = [0];
  const walk = (): void => {
    if (cuts.length === groups) {
      const ends = [...cuts, m];
      const sizes = ends.slice(1).map((e, g) => prefix[e] - prefix[ends[g]]);
      if (
        best === null ||
        sumSq(sizes) < sumSq(best) ||
        (sumSq(sizes) === sumSq(best) && lexCompare(sizes, best) > 0)
      )
        best = sizes;
      return;
    }
    for (let j = cuts[cuts.length - 1]; j <= m; j++) {
      cuts.push(j);
      walk();
      cuts.pop();
    }
  };
  walk();
  return best!.filter((v) => v > 0);
}

/** Plain O(groups · m²) dynamic program with the same objective and tie rule (for sizes too big to brute-force). */
function dpSizes(counts: readonly number[], groups: number): number[] {
  const m = counts.length;
  const prefix = [0];
  for (const c of counts) prefix.push(prefix[prefix.length - 1] + c);
  // f[k][i]: least Σ size² for values i … m−1 in exactly k possibly empty groups.
  const f: number[][] = [Array.from({ length: m + 1 }, (_, i) => (i === m ? 0 : Infinity))];
  for (let k = 1; k <= groups; k++) {
    f.push(
      Array.from({ length: m + 1 }, (_, i) => {
        let best = Infinity;
        for (let j = i; j <= m; j++) best = Math.min(best, (prefix[j] - prefix[i]) ** 2 + f[k - 1][j]);
        return best;
      }),
    );
  }
  const sizes: number[] = [];
  let i = 0;
  for (let k = groups; k >= 1; k--) {
    let arg = i;
    for (let j = i; j <= m; j++) if ((prefix[j] - prefix[i]) ** 2 + f[k - 1][j] === f[k][i]) arg = j;
    if (arg > i) sizes.push(prefix[arg] - prefix[i]);
    i = arg;
  }
  return sizes;
}

/** Counts of the distinct values of `cost`, ascending. */
function valueCounts(cost: ArrayLike<number>): number[] {
  const byValue = new Map<number, number>();
  for (const c of Array.from(cost)) byValue.set(c, (byValue.get(c) ?? 0) + 1);
  return [...byValue.keys()].sort((a, b) => a - b).map((v) => byValue.get(v)!);
}

/**
 * The property the groups must have: every architecture is in exactly one group, the groups are in ascending cost
 * order, no cost value is in two groups, and each group's [costMin, costMax] holds exactly its own architectures.
 */
function assertWholeValues(groups: readonly CostGroup[], cost: ArrayLike<number>): void {
  const c = Array.from(cost);
  assert.equal(
    groups.reduce((acc, g) => acc + g.size, 0),
    c.length,
  );
  for (let g = 0; g < groups.length; g++) {
    assert.ok(groups[g].size >= 1);
    assert.ok(groups[g].costMin <= groups[g].costMax);
    if (g > 0)
      assert.ok(groups[g - 1].costMax < groups[g].costMin, `groups ${g} and ${g + 1} share a cost value`);
    const inside = c.filter((v) => v >= groups[g].costMin && v <= groups[g].costMax).length;
    assert.equal(
      inside,
      groups[g].size,
      `group ${g + 1}: ${inside} costs in its range, size ${groups[g].size}`,
    );
  }
}

test('array_split sizes (numpy.array_split; used by predictor search, no longer by cost groups)', () => {
  assert.deepEqual(arraySplitSizes(23, 10), [3, 3, 3, 2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(arraySplitSizes(20, 10), [2, 2, 2, 2, 2, 2, 2, 2, 2, 2]);
  assert.deepEqual(arraySplitSizes(3, 5), [1, 1, 1, 0, 0]);
});

test('costGroupSizes by hand', () => {
  // costs [1, 1, 1, 2, 3, 3]: values with counts 3, 1, 2
  assert.deepEqual(costGroupSizes([3, 1, 2], 3), [3, 1, 2]);
  // 2 groups: 3 | 3 (Σ² 18) beats 4 | 2 (20); never 2 | 4 through the run of 1s
  assert.deepEqual(costGroupSizes([3, 1, 2], 2), [3, 3]);
  assert.deepEqual(costGroupSizes([3, 1, 2], 1), [6]);
  // more groups than values: one group per value, fewer groups than asked
  assert.deepEqual(costGroupSizes([3, 1, 2], 5), [3, 1, 2]);
  // a tie in the objective goes to the cheaper group: 2 | 1 rather than 1 | 2
  assert.deepEqual(costGroupSizes([1, 1, 1], 2), [2, 1]);
  // one value heavier than n/G: it is a group of its own and the rest share the other groups
  assert.deepEqual(costGroupSizes([1, 1, 1, 9, 1, 1, 1, 1], 4), [3, 9, 2, 2]);
  // all values distinct: exactly numpy.array_split
  assert.deepEqual(costGroupSizes(new Array<number>(23).fill(1), 10), arraySplitSizes(23, 10));
  assert.deepEqual(costGroupSizes(new Array<number>(3).fill(1), 5), [1, 1, 1]);
  assert.deepEqual(costGroupSizes([], 4), []);
  assert.throws(
    () => costGroupSizes([2, 0, 1], 2),
    /'counts' passed to 'costGroupSizes' must hold positive integers/,
  );
  assert.throws(
    () => costGroupSizes([2, 1], 0),
    /'groups' passed to 'costGroupSizes' must be a positive integer/,
  );
});

test('costGroupSizes is optimal: equals the brute force over every split on small random cases', () => {
  const rng = xoroshiro128plus(7);
  for (let trial = 0; trial < 400; trial++) {
    const m = uniformInt(rng, 1, 9);
    const groups = uniformInt(rng, 1, 6);
    const heavy = uniformInt(rng, 0, 1) === 1;
    const counts = Array.from({ length: m }, () => uniformInt(rng, 1, heavy ? 12 : 4));
    const want = bruteForceSizes(counts, groups);
    assert.deepEqual(costGroupSizes(counts, groups), want, `counts ${counts.join(',')} into ${groups}`);
    assert.equal(want.length, Math.min(m, groups));
  }
});

test('costGroupSizes equals a plain dynamic program on larger random cases', () => {
  const rng = xoroshiro128plus(8);
  for (let trial = 0; trial < 40; trial++) {
    const m = uniformInt(rng, 1, 120);
    const groups = uniformInt(rng, 1, 14);
    const counts = Array.from({ length: m }, () =>
      uniformInt(rng, 0, 9) === 0 ? uniformInt(rng, 20, 200) : uniformInt(rng, 1, 8),
    );
    assert.deepEqual(costGroupSizes(counts, groups), dpSizes(counts, groups), `m ${m}, groups ${groups}`);
  }
});

test('hand case: costs [1, 1, 1, 2, 3, 3] never split a run of equal costs', () => {
  const cost = [1, 1, 1, 2, 3, 3];
  const score = [6, 5, 4, 3, 2, 1];
  const truth = [1, 2, 3, 4, 5, 6];
  const three = rankDiffByCostGroup(score, truth, cost, 3);
  assert.deepEqual(
    three.map((g) => [g.costMin, g.costMax, g.size]),
    [
      [1, 1, 3],
      [2, 2, 1],
      [3, 3, 2],
    ],
  );
  // rankS = [0 … 5], rankY = [5 … 0]: group 1 = idx 0–2: (5 + 3 + 1) / 3 / 6 = 0.5
  assert.equal(three[0].meanRankDiff, 0.5);
  assert.equal(three[1].meanRankDiff, -1 / 6);
  assert.equal(three[2].meanRankDiff, -(3 + 5) / 2 / 6);
  assert.equal(three[0].kendall, -1);
  assert.ok(Number.isNaN(three[1].kendall));
  const two = rankDiffByCostGroup(score, truth, cost, 2);
  assert.deepEqual(
    two.map((g) => [g.costMin, g.costMax, g.size]),
    [
      [1, 1, 3],
      [2, 3, 3],
    ],
  );
  const many = rankDiffByCostGroup(score, truth, cost, 10);
  assert.deepEqual(
    many.map((g) => g.size),
    [3, 1, 2],
  );
  // the rows' order does not matter: the same costs shuffled give the same groups
  const perm = [4, 1, 5, 0, 3, 2];
  const shuffled = rankDiffByCostGroup(
    perm.map((i) => score[i]),
    perm.map((i) => truth[i]),
    perm.map((i) => cost[i]),
    3,
  );
  assert.deepEqual(
    shuffled.map((g) => [g.costMin, g.costMax, g.size, g.meanRankDiff]),
    three.map((g) => [g.costMin, g.costMax, g.size, g.meanRankDiff]),
  );
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

test('random tied costs: no cost value in two groups, sizes optimal, criteria against a direct implementation', () => {
  const rng = xoroshiro128plus(99);
  for (let trial = 0; trial < 30; trial++) {
    const n = uniformInt(rng, 2, 160);
    const groups = uniformInt(rng, 1, 12);
    const levels = uniformInt(rng, 1, 25);
    const s = Array.from({ length: n }, () => uniformInt(rng, 0, 30));
    const y = Array.from({ length: n }, () => uniformInt(rng, 0, 30));
    // skewed levels, so that some values hold more than n / groups items
    const c = Array.from(
      { length: n },
      () => Math.min(uniformInt(rng, 1, levels), uniformInt(rng, 1, levels)) * 0.5,
    );
    const desc = (v: number[]): number[] => {
      const order = v.map((_, i) => i).sort((a, b) => v[b] - v[a] || a - b);
      const rank = new Array<number>(n);
      order.forEach((i, p) => (rank[i] = p));
      return rank;
    };
    const rs = desc(s);
    const ry = desc(y);
    const got = rankDiffByCostGroup(s, y, c, groups);
    assertWholeValues(got, c);
    const counts = valueCounts(c);
    assert.deepEqual(
      got.map((g) => g.size),
      dpSizes(counts, groups),
    );
    if (counts.length <= 9 && groups <= 6) {
      assert.deepEqual(
        got.map((g) => g.size),
        bruteForceSizes(counts, groups),
      );
    }
    assert.equal(got.length, Math.min(groups, counts.length));
    for (const g of got) {
      const idx = c.map((_, i) => i).filter((i) => c[i] >= g.costMin && c[i] <= g.costMax);
      const mean = idx.reduce((acc, i) => acc + (ry[i] - rs[i]), 0) / g.size / n;
      assert.ok(Math.abs(g.meanRankDiff - mean) < 1e-12);
      if (g.size < 2) {
        assert.ok(Number.isNaN(g.kendall));
        continue;
      }
      const tau = kendallTauNaive(
        idx.map((i) => s[i]),
        idx.map((i) => y[i]),
      );
      assert.ok(Object.is(g.kendall, tau) || Math.abs(g.kendall - tau) < 1e-12);
    }
    // mean rank difference over all architectures is 0
    const total = got.reduce((acc, g) => acc + g.meanRankDiff * g.size, 0);
    assert.ok(Math.abs(total) < 1e-12);
  }
});

test('NB201 FLOPs: whole FLOPs values per group, over all 15,625 and over the 6,466 class representatives', (t) => {
  const gt = loadGroundTruth();
  const { flops } = gt.costs();
  const truth = gt.truth('cifar10');
  const { representative } = gt.iso();
  const cases: [string, Float64Array, Float64Array, [number, number, number][]][] = [
    [
      'all 15,625',
      flops,
      truth,
      [
        [7.78, 7.78, 729],
        [11.72, 11.72, 1458],
        [15.65, 19.58, 1755],
        [23.51, 43.17, 1612],
        [47.1, 47.1, 2430],
        [51.04, 51.04, 1620],
        [54.97, 78.56, 1851],
        [82.49, 82.49, 1620],
        [86.43, 113.95, 1545],
        [117.88, 220.12, 1005],
      ],
    ],
    [
      '6,466 representatives',
      Float64Array.from(representative, (r) => flops[r]),
      Float64Array.from(representative, (r) => truth[r]),
      [
        [7.78, 11.72, 443],
        [15.65, 19.58, 669],
        [23.51, 43.17, 434],
        [47.1, 47.1, 820],
        [51.04, 51.04, 795],
        [54.97, 78.56, 830],
        [82.49, 82.49, 796],
        [86.43, 86.43, 533],
        [90.36, 113.95, 424],
        [117.88, 220.12, 722],
      ],
    ],
  ];
  for (const [name, cost, y, want] of cases) {
    const got = rankDiffByCostGroup(cost, y, cost);
    t.diagnostic(
      `${name}: ${got.map((g) => `${(g.costMin / 1e6).toFixed(2)}–${(g.costMax / 1e6).toFixed(2)} M (${g.size})`).join(', ')}`,
    );
    assertWholeValues(got, cost);
    const counts = valueCounts(cost);
    assert.equal(counts.length, 28);
    assert.deepEqual(
      got.map((g) => g.size),
      dpSizes(counts, 10),
    );
    assert.deepEqual(
      got.map((g) => [Number((g.costMin / 1e6).toFixed(2)), Number((g.costMax / 1e6).toFixed(2)), g.size]),
      want,
    );
  }
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
