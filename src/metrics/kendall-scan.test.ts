import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { kendallTauNaive } from './kendall.js';
import { kendallPrefixes } from './kendall-scan.js';
import { rankedArgsort } from './sort.js';

/** tau-b of the elements seq[0 … k) by the O(k²) definition (NaN when k < 2). */
function naivePrefix(seq: ArrayLike<number>, x: Float64Array, y: Float64Array, k: number): number {
  if (k < 2) return NaN;
  const idx = Array.from(seq).slice(0, k);
  return kendallTauNaive(
    idx.map((i) => x[i]),
    idx.map((i) => y[i]),
  );
}

function same(actual: number, expected: number, what: string): void {
  if (Number.isNaN(expected)) assert.ok(Number.isNaN(actual), `${what}: expected NaN, got ${actual}`);
  else assert.ok(Math.abs(actual - expected) <= 1e-12, `${what}: got ${actual}, expected ${expected}`);
}

test('kendallPrefixes: every prefix of the descending order of x, and of its reverse (−tau), equals the O(k²) tau', () => {
  const rng = xoroshiro128plus(42);
  for (let t = 0; t < 60; t++) {
    const n = uniformInt(rng, 2, 400);
    const x = Float64Array.from({ length: n }, () => uniformInt(rng, 0, uniformInt(rng, 1, 40)) / 3);
    const y = Float64Array.from({ length: n }, () => uniformInt(rng, -20, uniformInt(rng, -19, 30)));
    const { order } = rankedArgsort(x, true);
    const ry = rankedArgsort(y, true);
    const cuts = [0, 1, 2, uniformInt(rng, 2, n), n].sort((a, b) => a - b);
    const top = kendallPrefixes(order, x, ry.dense, ry.distinct, cuts);
    const reversed = order.slice().reverse();
    const bottom = kendallPrefixes(reversed, x, ry.dense, ry.distinct, cuts);
    cuts.forEach((k, c) => {
      same(top[c], naivePrefix(order, x, y, k), `case ${t}, top ${k}`);
      same(0 - bottom[c], naivePrefix(reversed, x, y, k), `case ${t}, bottom ${k}`);
    });
  }
});

test('kendallPrefixes: cuts below 2 are NaN, repeated cuts repeat, a cut past the end throws', () => {
  const x = Float64Array.of(4, 3, 2, 1);
  const y = Float64Array.of(1, 2, 4, 3);
  const { dense, distinct } = rankedArgsort(y, true);
  const seq = Uint32Array.of(0, 1, 2, 3);
  const out = kendallPrefixes(seq, x, dense, distinct, [1, 3, 3, 4]);
  assert.ok(Number.isNaN(out[0]));
  assert.equal(out[1], out[2]);
  same(out[3], kendallTauNaive(x, y), 'full');
  assert.throws(() => kendallPrefixes(seq, x, dense, distinct, [5]), /cut 5 beyond the sequence length 4/);
});
