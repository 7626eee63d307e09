import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { kendallTau, kendallTauNaive } from './kendall.js';

function randomInts(seed: number, n: number, max: number): Float64Array {
  const rng = xoroshiro128plus(seed);
  return Float64Array.from({ length: n }, () => uniformInt(rng, 0, max));
}

test('tau(x, x) = 1 and tau(x, -x) = -1 (with ties)', () => {
  const x = randomInts(1, 300, 40);
  const neg = x.map((v) => -v);
  assert.ok(Math.abs(kendallTau(x, x) - 1) < 1e-12);
  assert.ok(Math.abs(kendallTau(x, neg) + 1) < 1e-12);
  assert.ok(Math.abs(kendallTauNaive(x, x) - 1) < 1e-12);
});

test('scipy reference values on small cases', () => {
  // scipy.stats.kendalltau([1,2,3,4,5],[3,4,1,2,5]).statistic = 0.2
  assert.ok(Math.abs(kendallTau([1, 2, 3, 4, 5], [3, 4, 1, 2, 5]) - 0.2) < 1e-12);
  // scipy.stats.kendalltau([1,1,2,3],[1,2,2,3]).statistic = 0.8 (tau-b: 4 / sqrt(5 * 5))
  assert.ok(Math.abs(kendallTau([1, 1, 2, 3], [1, 2, 2, 3]) - 0.8) < 1e-12);
});

test('constant side gives NaN, as scipy', () => {
  assert.ok(Number.isNaN(kendallTau([1, 1, 1], [1, 2, 3])));
  assert.ok(Number.isNaN(kendallTau([1, 2, 3], [4, 4, 4])));
  assert.ok(Number.isNaN(kendallTauNaive([1, 2, 3], [4, 4, 4])));
});

test('fast tau equals naive O(n²) tau to 1e-12 on seeded random arrays with many ties', () => {
  const rng = xoroshiro128plus(2024);
  for (let t = 0; t < 300; t++) {
    const n = uniformInt(rng, 2, 500);
    const maxX = uniformInt(rng, 1, 30);
    const maxY = uniformInt(rng, 1, 30);
    const x = Float64Array.from({ length: n }, () => uniformInt(rng, 0, maxX) / 4);
    const y = Float64Array.from({ length: n }, () => uniformInt(rng, 0, maxY) - 7);
    const fast = kendallTau(x, y);
    const naive = kendallTauNaive(x, y);
    if (Number.isNaN(naive)) assert.ok(Number.isNaN(fast), `case ${t}: expected NaN`);
    else assert.ok(Math.abs(fast - naive) <= 1e-12, `case ${t} (n=${n}): fast ${fast} vs naive ${naive}`);
  }
});

test('tau is invariant to strictly monotone transforms of either side', () => {
  const x = randomInts(3, 400, 25);
  const y = randomInts(4, 400, 25);
  const base = kendallTau(x, y);
  assert.equal(
    kendallTau(
      x.map((v) => 2 * v + 1),
      y,
    ),
    base,
  );
  assert.equal(
    kendallTau(
      x.map((v) => Math.exp(v / 5)),
      y.map((v) => v * v * v),
    ),
    base,
  );
  assert.ok(
    Math.abs(
      kendallTau(
        x.map((v) => -v),
        y.map((v) => -v),
      ) - base,
    ) < 1e-15,
  );
});

test('accepts number[] and Float64Array alike', () => {
  const x = [3, 1, 2, 2, 5];
  const y = [1, 2, 3, 3, 4];
  assert.equal(kendallTau(x, y), kendallTau(Float64Array.from(x), Float64Array.from(y)));
});

test('validation names the argument and the function', () => {
  assert.throws(() => kendallTau([1, 2, 3, NaN], [1, 2, 3, 4]), {
    message: "Argument 'x' passed to 'kendallTau' must be finite; found NaN at position 3",
  });
  assert.throws(
    () => kendallTau([1, 2], [1, -Infinity]),
    /Argument 'y' passed to 'kendallTau' must be finite; found -Infinity at position 1/,
  );
  assert.throws(
    () => kendallTau([1, 2, 3], [1, 2]),
    /Arguments 'x' and 'y' passed to 'kendallTau' must have the same length; got 3 and 2/,
  );
  assert.throws(
    () => kendallTau([1], [1]),
    /Argument 'x' passed to 'kendallTau' must have at least 2 elements; got 1/,
  );
  assert.throws(() => kendallTauNaive([1, 2], [1, NaN]), /Argument 'y' passed to 'kendallTauNaive'/);
});

test('fast tau equals naive tau on larger inputs: either side with more distinct values, ±0, low-bit neighbours', () => {
  const rng = xoroshiro128plus(99);
  const tiny = () => uniformInt(rng, 0, 1) * 2 ** -44; // a few ulps at 68: equal high words, different low words
  for (const n of [255, 256, 700, 1500]) {
    const coarse = Float64Array.from(
      { length: n },
      () => uniformInt(rng, -5, 5) / 2 + (uniformInt(rng, 0, 1) ? -0 : 0),
    );
    const fine = Float64Array.from({ length: n }, () => 68 + uniformInt(rng, 0, 200) / 8 + tiny());
    const distinct = Float64Array.from({ length: n }, () => uniformInt(rng, -1e9, 1e9) / 7);
    for (const [x, y, what] of [
      [coarse, fine, 'x coarse'],
      [fine, coarse, 'y coarse'],
      [distinct, fine, 'x all distinct'],
      [distinct, distinct.map((v) => -v * v), 'both all distinct'],
    ] as const) {
      const fast = kendallTau(x, y);
      const naive = kendallTauNaive(x, y);
      assert.ok(Math.abs(fast - naive) <= 1e-12, `n=${n}, ${what}: fast ${fast} vs naive ${naive}`);
    }
  }
});
