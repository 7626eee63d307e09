import { test } from 'node:test';
import assert from 'node:assert/strict';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { bestRankAtK, worstRankAtK } from './best-rank.js';
import { bootstrapInterval } from './bootstrap.js';
import { rankDiffByCostGroup } from './cost-groups.js';
import { isoSpread } from './iso-spread.js';
import { kendallTau } from './kendall.js';
import { kendallAtBottom, kendallAtTop } from './kendall-subset.js';
import { pearson } from './pearson.js';
import { precisionAtBottom, precisionAtTop } from './precision.js';
import { spearman } from './spearman.js';
import { criteriaSuite } from './suite.js';

const rng = xoroshiro128plus(123);
const n = 2500;
const truth = Float64Array.from({ length: n }, () => uniformInt(rng, 0, 4000) / 40);
const score = truth.map((v) => Math.round(v + uniformInt(rng, -200, 200) / 20));
const cost = Float64Array.from({ length: n }, () => uniformInt(rng, 1, 28) * 1.5);
const classIds = Int32Array.from({ length: n }, () => uniformInt(rng, 0, 900));

test('JSON contract: exact keys, nulls when options are absent', () => {
  const r = criteriaSuite(score, truth);
  assert.deepEqual(Object.keys(r), [
    'n',
    'pearson',
    'kendall',
    'spearman',
    'precisionTop',
    'precisionBottom',
    'bestRank',
    'worstRank',
    'kendallTop',
    'kendallBottom',
    'flopsGroups',
    'isoSpread',
    'ci',
  ]);
  assert.equal(r.n, n);
  assert.equal(r.flopsGroups, null);
  assert.equal(r.isoSpread, null);
  assert.equal(r.ci, null);
  // n = 2500: k(0.001) = 2, so every ratio is present
  assert.deepEqual(Object.keys(r.precisionTop), ['0.001', '0.005', '0.01', '0.05', '0.1', '0.5', '1.0']);
  assert.deepEqual(Object.keys(r.kendallBottom), ['0.001', '0.005', '0.01', '0.05', '0.1', '0.5', '1.0']);
  assert.deepEqual(Object.keys(r.bestRank), ['0.001', '0.005', '0.01', '0.05', '0.1', '0.2']);
  assert.deepEqual(Object.keys(r.worstRank), ['0.001', '0.005', '0.01', '0.05', '0.1', '0.2']);
  // JSON round trip keeps every key (undefined values such as a NaN tau serialise as null).
  const back = JSON.parse(JSON.stringify(r)) as Record<string, unknown>;
  assert.deepEqual(Object.keys(back), Object.keys(r));
  assert.deepEqual(Object.keys(back.kendallTop as object), Object.keys(r.kendallTop));
});

test('suite values equal the stand-alone functions (shared orders are reused correctly)', () => {
  const r = criteriaSuite(Array.from(score), truth, { cost, classIds });
  assert.equal(r.pearson, pearson(score, truth));
  assert.equal(r.kendall, kendallTau(score, truth));
  assert.equal(r.spearman, spearman(score, truth));
  for (const [key, v] of Object.entries(r.precisionTop))
    assert.equal(v, precisionAtTop(score, truth, Number(key)));
  for (const [key, v] of Object.entries(r.precisionBottom))
    assert.equal(v, precisionAtBottom(score, truth, Number(key)));
  for (const [key, v] of Object.entries(r.bestRank)) assert.equal(v, bestRankAtK(score, truth, Number(key)));
  for (const [key, v] of Object.entries(r.worstRank))
    assert.equal(v, worstRankAtK(score, truth, Number(key)));
  for (const [key, v] of Object.entries(r.kendallTop))
    assert.equal(v, kendallAtTop(score, truth, Number(key)));
  for (const [key, v] of Object.entries(r.kendallBottom))
    assert.equal(v, kendallAtBottom(score, truth, Number(key)));
  assert.deepEqual(
    r.flopsGroups,
    rankDiffByCostGroup(score, truth, cost).map((g) => ({
      flopsMin: g.costMin,
      flopsMax: g.costMax,
      size: g.size,
      meanRankDiff: g.meanRankDiff,
      kendall: g.kendall,
    })),
  );
  assert.equal(r.flopsGroups?.length, 10);
  assert.deepEqual(Object.keys(r.flopsGroups![0]), [
    'flopsMin',
    'flopsMax',
    'size',
    'meanRankDiff',
    'kendall',
  ]);
  assert.deepEqual(r.isoSpread, isoSpread(score, classIds));
  assert.ok(r.isoSpread!.classes > 0);
});

test('small n: ratios with k < 1 (P@, BR@, WR@) and k < 2 (KT@) are absent', () => {
  const r = criteriaSuite([3, 1, 2, 5, 4, 0, 9, 8, 7, 6], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], {
    groups: 3,
    cost: [1, 1, 1, 2, 2, 2, 3, 3, 3, 4],
  });
  assert.deepEqual(Object.keys(r.precisionTop), ['0.1', '0.5', '1.0']);
  assert.deepEqual(Object.keys(r.precisionBottom), ['0.1', '0.5', '1.0']);
  assert.deepEqual(Object.keys(r.kendallTop), ['0.5', '1.0']);
  assert.deepEqual(Object.keys(r.bestRank), ['0.1', '0.2']);
  // Each FLOPs value lies wholly in one group (costs 1, 2, 3 three times each, 4 once): 3 | 3 | 4, not
  // numpy.array_split's 4 | 3 | 3, which put the costs 2 and 3 into two groups each.
  assert.deepEqual(
    r.flopsGroups?.map((g) => g.size),
    [3, 3, 4],
  );
  assert.deepEqual(
    r.flopsGroups?.map((g) => [g.flopsMin, g.flopsMax]),
    [
      [1, 1],
      [2, 2],
      [3, 4],
    ],
  );
});

test('bootstrap ci: deterministic under a seed and equal to bootstrapInterval', () => {
  const sub = score.subarray(0, 400);
  const tsub = truth.subarray(0, 400);
  const a = criteriaSuite(sub, tsub, { bootstrap: { resamples: 60, seed: 9 } });
  const b = criteriaSuite(sub, tsub, { bootstrap: { resamples: 60, seed: 9 } });
  assert.ok(a.ci !== null);
  assert.deepEqual(a.ci, b.ci);
  assert.deepEqual(a.ci.kendall, bootstrapInterval(sub, tsub, kendallTau, { resamples: 60, seed: 9 }));
  assert.deepEqual(
    a.ci.precisionTop5,
    bootstrapInterval(sub, tsub, (s, t) => precisionAtTop(s, t, 0.05), { resamples: 60, seed: 9 }),
  );
  assert.equal(criteriaSuite(sub, tsub, { bootstrap: false }).ci, null);
});

test('validation names the argument and criteriaSuite', () => {
  assert.throws(
    () => criteriaSuite([1, 2, NaN], [1, 2, 3]),
    /Argument 'score' passed to 'criteriaSuite' must be finite; found NaN at position 2/,
  );
  assert.throws(
    () => criteriaSuite([1, 2], [1, 2, 3]),
    /Arguments 'score' and 'truth' passed to 'criteriaSuite' must have the same length/,
  );
  assert.throws(
    () => criteriaSuite([1], [1]),
    /Argument 'score' passed to 'criteriaSuite' must have at least 2 elements/,
  );
  assert.throws(
    () => criteriaSuite([1, 2], [1, 2], { cost: [1] }),
    /Arguments 'score' and 'options.cost' passed to 'criteriaSuite'/,
  );
  assert.throws(
    () => criteriaSuite([1, 2], [1, 2], { classIds: [0, Infinity] }),
    /Argument 'options.classIds' passed to 'criteriaSuite' must be finite; found Infinity at position 1/,
  );
  assert.throws(() => criteriaSuite([1, 2], [1, 2], { groups: 2.5 }), /Argument 'options.groups'/);
  assert.throws(
    () => criteriaSuite([1, 2], [1, 2], { bootstrap: { resamples: 10, seed: NaN } }),
    /Argument 'options.bootstrap.seed'/,
  );
});
