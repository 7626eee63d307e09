// The two sort kernels (radix sort, and hashing of distinct values) against a plain comparator sort with an explicit
// tie-break by input position, on keys chosen to hit every path: ties, ±0, negatives, huge, tiny and subnormal values,
// neighbours that differ only in their low 32 bits, all-distinct keys, and lengths around every threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { denseRanksByHashing } from './distinct-hash.js';
import { radixArgsort } from './radix-sort.js';
import { denseRanks, invertPermutation, rankedArgsort, stableArgsort } from './sort.js';

/** Reference: indices sorted by value (-0 equal to 0), ties by position in `init` (identity by default). */
function referenceOrder(v: Float64Array, descending: boolean, init?: Uint32Array): number[] {
  const start = init ? Array.from(init) : Array.from(v, (_, i) => i);
  const pos = new Map(start.map((i, p) => [i, p]));
  return start.sort((a, b) => {
    const d = descending ? v[b] - v[a] : v[a] - v[b];
    return d !== 0 ? Math.sign(d) : pos.get(a)! - pos.get(b)!;
  });
}

/** Reference dense ranks, distinct count and tied pairs along a reference order. */
function referenceRanks(
  v: Float64Array,
  order: number[],
): { dense: number[]; distinct: number; tiedPairs: number } {
  const dense = new Array<number>(v.length).fill(0);
  let rank = -1;
  let tiedPairs = 0;
  let run = 0;
  order.forEach((i, p) => {
    if (p === 0 || v[i] !== v[order[p - 1]]) {
      rank++;
      run = 0;
    } else tiedPairs += ++run;
    dense[i] = rank;
  });
  return { dense, distinct: rank + 1, tiedPairs };
}

const SPECIAL = [
  0,
  -0,
  5e-324,
  -5e-324,
  2.2250738585072014e-308,
  1e-300,
  -1e-300,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  1e300,
  -1e300,
  1,
  -1,
  1 + 2 ** -52,
  1 + 2 ** -40,
  1 - 2 ** -53,
];

/** Key generators: name → values of length n. */
const GENERATORS: Record<string, (rng: RandomGenerator, n: number) => Float64Array> = {
  'many ties': (rng, n) => Float64Array.from({ length: n }, () => uniformInt(rng, -9, 9) / 2),
  'signed zeros and ties': (rng, n) =>
    Float64Array.from({ length: n }, () => [0, -0, 1, -1][uniformInt(rng, 0, 3)]),
  'special values': (rng, n) =>
    Float64Array.from({ length: n }, () => SPECIAL[uniformInt(rng, 0, SPECIAL.length - 1)]),
  // Equal high 32 bits, different low bits: the run fix-up (short runs by value, long ones by the low word).
  'low-bit neighbours': (rng, n) =>
    Float64Array.from({ length: n }, () => 68.35 + uniformInt(rng, 0, 40) * 2 ** -46),
  'low-bit neighbours, negative': (rng, n) =>
    Float64Array.from({ length: n }, () => -3 - uniformInt(rng, 0, 3000) * 2 ** -50),
  'averages with float noise': (rng, n) =>
    Float64Array.from(
      { length: n },
      () => (uniformInt(rng, 0, 300) / 100 + uniformInt(rng, 0, 300) / 100) / 3,
    ),
  'all distinct': (rng, n) =>
    Float64Array.from(
      { length: n },
      () => (uniformInt(rng, -1e9, 1e9) + uniformInt(rng, 0, 1e6) / 1e6) * 1e-3,
    ),
  'wide exponents': (rng, n) =>
    Float64Array.from(
      { length: n },
      () => (uniformInt(rng, 0, 1) ? -1 : 1) * 2 ** uniformInt(rng, -1070, 1020),
    ),
  'about half distinct': (rng, n) => Float64Array.from({ length: n }, () => uniformInt(rng, 0, n) / 10 - 7),
  constant: (_rng, n) => new Float64Array(n).fill(-2.5),
};

const LENGTHS = [0, 1, 2, 3, 31, 32, 33, 255, 256, 257, 1000, 4099];

test('stableArgsort and rankedArgsort equal the reference sort on every kind of key and length', () => {
  const rng = xoroshiro128plus(2025);
  for (const [name, make] of Object.entries(GENERATORS)) {
    for (const n of LENGTHS) {
      const v = make(rng, n);
      for (const descending of [true, false]) {
        const what = `${name}, n=${n}, ${descending ? 'desc' : 'asc'}`;
        const ref = referenceOrder(v, descending);
        assert.deepEqual([...stableArgsort(v, descending)], ref, what);
        const ranked = rankedArgsort(v, descending);
        assert.deepEqual([...ranked.order], ref, `${what}: rankedArgsort order`);
        const r = referenceRanks(v, ref);
        assert.deepEqual([...ranked.dense], r.dense, `${what}: dense ranks`);
        assert.equal(ranked.distinct, r.distinct, `${what}: distinct`);
        assert.equal(ranked.tiedPairs, r.tiedPairs, `${what}: tied pairs`);
        const d = denseRanks(v, descending);
        assert.deepEqual([...d.dense], r.dense, `${what}: denseRanks`);
        assert.equal(d.distinct, r.distinct);
        assert.equal(d.tiedPairs, r.tiedPairs);
      }
    }
  }
});

test('both kernels agree; the hash kernel gives up on all-distinct keys', () => {
  const rng = xoroshiro128plus(77);
  for (const [name, make] of Object.entries(GENERATORS)) {
    const v = make(rng, 3000);
    const radix = radixArgsort(v, true);
    assert.deepEqual([...radix.order], referenceOrder(v, true), `${name}: radix order`);
    const hashed = denseRanksByHashing(v, true);
    if (name === 'all distinct') {
      assert.equal(hashed, null, 'all distinct: the hash kernel should give up');
      continue;
    }
    assert.ok(hashed, `${name}: the hash kernel should not give up`);
    assert.deepEqual([...hashed.dense], [...radix.dense], `${name}: dense ranks`);
    assert.equal(hashed.distinct, radix.distinct, `${name}: distinct`);
    assert.equal(hashed.tiedPairs, radix.tiedPairs, `${name}: tied pairs`);
  }
});

test('-0 and 0 are one value, ties keep the input order', () => {
  for (const n of [4, 300]) {
    const v = Float64Array.from({ length: n }, (_, i) => (i % 2 ? -0 : 0));
    const identity = Array.from({ length: n }, (_, i) => i);
    assert.deepEqual([...stableArgsort(v, true)], identity);
    assert.deepEqual([...stableArgsort(v, false)], identity);
    const r = rankedArgsort(v, true);
    assert.equal(r.distinct, 1);
    assert.equal(r.tiedPairs, (n * (n - 1)) / 2);
  }
  assert.deepEqual([...stableArgsort([-0, 1, 0, -1], true)], [1, 0, 2, 3]);
});

test('stableArgsort keeps the order of `init` among ties, for short and long inputs', () => {
  const rng = xoroshiro128plus(5);
  for (const n of [5, 32, 33, 700]) {
    const v = Float64Array.from(
      { length: n },
      () => uniformInt(rng, 0, 6) - 3 + (uniformInt(rng, 0, 1) ? 2 ** -45 : 0),
    );
    const init = Uint32Array.from(
      referenceOrder(
        Float64Array.from({ length: n }, () => uniformInt(rng, 0, 9)),
        true,
      ),
    );
    for (const descending of [true, false]) {
      assert.deepEqual(
        [...stableArgsort(v, descending, init)],
        referenceOrder(v, descending, init),
        `n=${n}`,
      );
    }
  }
  assert.throws(() => stableArgsort([1, 2], true, Uint32Array.of(0)), /init has length 1, expected 2/);
});

test('plain number arrays are accepted; invertPermutation inverts', () => {
  assert.deepEqual([...stableArgsort([2, 7, 7, -1], true)], [1, 2, 0, 3]);
  const order = stableArgsort([2, 7, 7, -1], false);
  const inv = invertPermutation(order);
  for (let p = 0; p < order.length; p++) assert.equal(inv[order[p]], p);
});
