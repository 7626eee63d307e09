import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { precisionAtBottom, precisionAtTop } from './precision.js';
import { PRECISION_RATIOS } from './ratios.js';

test('P@top / P@bottom: hand-computed', () => {
  const score = [10, 9, 8, 7, 6, 5, 4, 3, 2, 1];
  const truth = [10, 8, 9, 1, 2, 3, 4, 5, 7, 6];
  // top-2 predicted {0, 1}, true top-2 {0, 2} → 1/2
  assert.equal(precisionAtTop(score, truth, 0.2), 0.5);
  // bottom-2 predicted {8, 9}, true bottom-2 {3, 4} → 0
  assert.equal(precisionAtBottom(score, truth, 0.2), 0);
  // k = N → 1
  assert.equal(precisionAtTop(score, truth, 1), 1);
  assert.equal(precisionAtBottom(score, truth, 1), 1);
});

test('ties at the cut: stable rule, bottom = last k of the descending order', () => {
  // all scores tied: descending stable order is 0, 1, 2, 3; top-2 = {0,1}, bottom-2 = {2,3}
  const score = [1, 1, 1, 1];
  assert.equal(precisionAtTop(score, [4, 3, 2, 1], 0.5), 1);
  assert.equal(precisionAtBottom(score, [4, 3, 2, 1], 0.5), 1);
  assert.equal(precisionAtTop(score, [1, 2, 3, 4], 0.5), 0);
});

test('k < 1 gives NaN', () => {
  assert.ok(Number.isNaN(precisionAtTop([1, 2, 3], [1, 2, 3], 0.1)));
  assert.ok(Number.isNaN(precisionAtBottom([1, 2, 3], [1, 2, 3], 0.001)));
});

test('P@K is invariant to strictly monotone transforms of the score', () => {
  const rng = xoroshiro128plus(5);
  const n = 2000;
  const s = Float64Array.from({ length: n }, () => uniformInt(rng, 0, 50));
  const y = Float64Array.from({ length: n }, () => uniformInt(rng, 0, 1000));
  const t = s.map((v) => Math.log1p(v) * 3 + 7);
  for (const r of PRECISION_RATIOS) {
    assert.equal(precisionAtTop(t, y, r), precisionAtTop(s, y, r));
    assert.equal(precisionAtBottom(t, y, r), precisionAtBottom(s, y, r));
  }
});

test('validation', () => {
  assert.throws(
    () => precisionAtTop([1, NaN], [1, 2], 0.5),
    /Argument 'score' passed to 'precisionAtTop' must be finite; found NaN at position 1/,
  );
  assert.throws(
    () => precisionAtBottom([1, 2], [1], 0.5),
    /Arguments 'score' and 'truth' passed to 'precisionAtBottom' must have the same length/,
  );
  assert.throws(
    () => precisionAtTop([1, 2], [1, 2], 0),
    /Argument 'ratio' passed to 'precisionAtTop' must be a number in \(0, 1\]; got 0/,
  );
  assert.throws(() => precisionAtTop([1, 2], [1, 2], 1.5), /'ratio'.*got 1.5/);
});
