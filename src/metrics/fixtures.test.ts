// Every scipy reference case of test/fixtures/criteria (copies of the shared fixtures) matched to 1e-9, key sets
// included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { bestRankAtK, worstRankAtK } from './best-rank.js';
import { kendallTau } from './kendall.js';
import { pearson } from './pearson.js';
import { precisionAtBottom, precisionAtTop } from './precision.js';
import { spearman } from './spearman.js';
import { criteriaSuite, type CriteriaSuiteResult } from './suite.js';

interface Expected {
  n: number;
  pearson: number;
  kendall_tau_b: number;
  spearman: number;
  precision_top: Record<string, number>;
  precision_bottom: Record<string, number>;
  best_rank: Record<string, number>;
  worst_rank: Record<string, number>;
}

const fixtureDir = new URL('../../test/fixtures/criteria/', import.meta.url);
const readJson = <T>(name: string): T => JSON.parse(readFileSync(new URL(name, fixtureDir), 'utf8')) as T;

/** NB201 CIFAR-10 test accuracy (200 epochs) in index order: the bundled truth, checked against the shared CSV. */
function cifar10Truth(): Float64Array {
  return loadGroundTruth().truth('cifar10');
}

const TOL = 1e-9;

function close(actual: number, expected: number, what: string): void {
  assert.ok(Math.abs(actual - expected) <= TOL, `${what}: got ${actual}, expected ${expected}`);
}

function sameMap(actual: Record<string, number>, expected: Record<string, number>, what: string): void {
  assert.deepEqual(Object.keys(actual).sort(), Object.keys(expected).sort(), `${what}: key set`);
  for (const key of Object.keys(expected)) close(actual[key], expected[key], `${what}[${key}]`);
}

function checkAll(score: ArrayLike<number>, truth: ArrayLike<number>, e: Expected, label: string): void {
  const r: CriteriaSuiteResult = criteriaSuite(score, truth);
  assert.equal(r.n, e.n);
  close(r.pearson, e.pearson, `${label} suite pearson`);
  close(r.kendall, e.kendall_tau_b, `${label} suite kendall`);
  close(r.spearman, e.spearman, `${label} suite spearman`);
  sameMap(r.precisionTop, e.precision_top, `${label} suite precisionTop`);
  sameMap(r.precisionBottom, e.precision_bottom, `${label} suite precisionBottom`);
  sameMap(r.bestRank, e.best_rank, `${label} suite bestRank`);
  sameMap(r.worstRank, e.worst_rank, `${label} suite worstRank`);

  // The stand-alone functions agree with the fixture too.
  close(pearson(score, truth), e.pearson, `${label} pearson`);
  close(kendallTau(score, truth), e.kendall_tau_b, `${label} kendallTau`);
  close(spearman(score, truth), e.spearman, `${label} spearman`);
  for (const [key, v] of Object.entries(e.precision_top))
    close(precisionAtTop(score, truth, Number(key)), v, key);
  for (const [key, v] of Object.entries(e.precision_bottom))
    close(precisionAtBottom(score, truth, Number(key)), v, key);
  for (const [key, v] of Object.entries(e.best_rank)) close(bestRankAtK(score, truth, Number(key)), v, key);
  for (const [key, v] of Object.entries(e.worst_rank)) close(worstRankAtK(score, truth, Number(key)), v, key);
}

const small = readJson<{
  cases: Array<{ name: string; truth: number[]; score: number[]; expected: Expected }>;
}>('small.json');

for (const c of small.cases) {
  test(`fixture small.json: ${c.name}`, () => {
    checkAll(c.score, c.truth, c.expected, c.name);
    checkAll(Float64Array.from(c.score), Float64Array.from(c.truth), c.expected, `${c.name} (Float64Array)`);
  });
}

test('fixture nb201-noisy.json against cifar10_test (n = 15625)', () => {
  const noisy = readJson<{ score: number[]; expected: Expected }>('nb201-noisy.json');
  const truth = cifar10Truth();
  assert.equal(truth.length, noisy.score.length);
  checkAll(noisy.score, truth, noisy.expected, 'nb201-noisy');
});

test('bottom-k is the last k of the stable descending order (fixture evidence)', () => {
  // nb201-noisy at K = 0.5%: the last-k rule gives 18/78; "first k of a stable ascending sort" would give 28/78.
  const noisy = readJson<{ score: number[]; expected: Expected }>('nb201-noisy.json');
  const truth = cifar10Truth();
  close(precisionAtBottom(noisy.score, truth, 0.005), 18 / 78, 'P@bottom0.5%');
  assert.notEqual(noisy.expected.precision_bottom['0.005'], 28 / 78);
});

test('the fixture copies equal the shared fixtures byte for byte (where ../shared is present)', (t) => {
  const shared = new URL('../../../shared/fixtures/criteria/', import.meta.url);
  if (!existsSync(shared)) {
    if (process.env.CI === 'true') assert.fail('CI=true but ../shared/fixtures/criteria is missing');
    t.skip('../shared is not beside this clone: only the copies in test/fixtures/criteria are checked');
    return;
  }
  for (const name of ['small.json', 'nb201-noisy.json']) {
    assert.ok(readFileSync(new URL(name, shared)).equals(readFileSync(new URL(name, fixtureDir))), name);
  }
});
