import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { initTensorflow } from '../engine/tf-backend.js';
import {
  runPredictorProtocol,
  expandGrid,
  predictionsFile,
  runFile,
  type ProtocolOptions,
} from './predictor-protocol.js';
import { kendallTau } from '../metrics/kendall.js';
import { runPredictorSearch } from './predictor-search.js';
import { sampleWithoutReplacement, trainingSetSeed } from './training-sets.js';
import { trainingSet } from './training-sets.js';
import { summarizeRuns, stat } from './aggregate-runs.js';

const gt = loadGroundTruth();
const truth = Float64Array.from(gt.truth('cifar10'));

test('seeded sampling without replacement is reproducible, distinct and uniform-looking', () => {
  const pool = Int32Array.from({ length: 100 }, (_, i) => i);
  const a = sampleWithoutReplacement(pool, 30, 5);
  assert.deepEqual(a, sampleWithoutReplacement(pool, 30, 5));
  assert.notDeepEqual(a, sampleWithoutReplacement(pool, 30, 6));
  assert.equal(new Set(a).size, 30);
  // Each item is drawn with probability 30/100: over 2,000 draws item 0 appears ≈ 600 times.
  let hits = 0;
  for (let s = 0; s < 2000; s++) if (sampleWithoutReplacement(pool, 30, s).includes(0)) hits++;
  assert.ok(hits > 520 && hits < 680, `item 0 drawn ${hits} times`);
  assert.notEqual(trainingSetSeed(0, 78, 0), trainingSetSeed(0, 78, 1));
  assert.notEqual(trainingSetSeed(0, 78, 0), trainingSetSeed(0, 39, 0));
});

test('training sets only use architectures with targets', () => {
  const targets = new Float64Array(gt.n).fill(NaN);
  for (let i = 0; i < 50; i++) targets[i * 7] = i;
  const set = trainingSet(targets, 20, 0, 0);
  assert.equal(set.length, 20);
  for (const i of set) assert.ok(Number.isFinite(targets[i]));
  assert.throws(() => trainingSet(targets, 51, 0, 0), /cannot draw 51 training architectures from 50/);
});

test('aggregation: mean and sample std per (predictor, loss, size)', () => {
  assert.deepEqual(stat([1, 2, 3]), { mean: 2, std: 1, min: 1, max: 3 });
  assert.equal(stat([4]).std, 0);
  assert.equal(
    expandGrid({
      predictors: ['a', 'b'],
      losses: ['ranking'],
      sizes: [5, 6],
      sets: 3,
      seeds: [1, 2],
      epochs: 1,
      batchSize: 1,
      learningRate: 1,
      setSeed: 0,
      truth: 'cifar10',
    }).length,
    24,
  );
});

test('the protocol runs on worker threads, saves each run, and resumes without redoing finished runs', async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'nass-proto-'));
  const opts: ProtocolOptions = {
    predictors: ['flops', 'rf'],
    losses: ['ranking'],
    sizes: [30],
    sets: 2,
    seeds: [1],
    epochs: 1,
    batchSize: 512,
    learningRate: 1e-3,
    setSeed: 0,
    truth: 'cifar10',
    targets: truth,
    outDir,
    workers: 2,
    backend: 'cpu',
  };
  const first = await runPredictorProtocol(opts);
  assert.equal(first.fresh, 4);
  assert.equal(readdirSync(path.join(outDir, 'runs')).length, 4);
  const flops = first.results.find((r) => r.spec.predictor === 'flops')!;
  assert.ok(Math.abs(flops.criteria.kendall - 0.5778) < 1e-3, 'the FLOPs baseline reproduces τ ≈ 0.578');
  const again = await runPredictorProtocol(opts);
  assert.equal(again.fresh, 0);
  assert.deepEqual(
    again.results.map((r) => r.criteria.kendall),
    first.results.map((r) => r.criteria.kendall),
  );
  const rows = summarizeRuns(again.results);
  assert.equal(rows.length, 2);
  for (const row of rows) {
    // One seed per set: the mean over sets is the plain mean, the between-set spread its std, no seed spread.
    const k = row.overSets.kendall;
    assert.equal(k.clusters, 2);
    assert.ok(Math.abs(k.mean - row.metrics.kendall.mean) < 1e-12);
    assert.ok(Math.abs(k.sdBetween - row.metrics.kendall.std) < 1e-12);
    assert.ok(Number.isNaN(k.sdWithin));
    assert.ok(k.low <= k.mean && k.mean <= k.high);
  }
  // A saved run made with other settings is not silently reused or overwritten.
  const f = runFile(outDir, first.results[0].key);
  const saved = JSON.parse(readFileSync(f, 'utf8'));
  saved.spec.epochs = 7;
  writeFileSync(f, JSON.stringify(saved));
  await assert.rejects(runPredictorProtocol(opts), /was made with other settings \(epochs 7 → 1\)/);
  writeFileSync(f, '{ truncated');
  await assert.rejects(runPredictorProtocol(opts), /cannot resume from this run file/);
});

test('--save-predictions writes each run’s predictions of every architecture, a score file whose τ is the run’s', async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'nass-pred-'));
  const { results } = await runPredictorProtocol({
    predictors: ['rf'],
    losses: ['ranking'],
    sizes: [40],
    sets: 1,
    seeds: [3],
    epochs: 1,
    batchSize: 512,
    learningRate: 1e-3,
    setSeed: 0,
    truth: 'cifar10',
    targets: truth,
    outDir,
    workers: 1,
    backend: 'cpu',
    savePredictions: true,
  });
  const [run] = results;
  assert.equal(run.predictions, undefined, 'not kept in the run');
  assert.ok(!('predictions' in JSON.parse(readFileSync(runFile(outDir, run.key), 'utf8'))));
  const lines = readFileSync(predictionsFile(outDir, run.key), 'utf8').trim().split('\n');
  assert.equal(lines[0], 'index,score');
  assert.equal(lines.length - 1, gt.n);
  const scores = Float64Array.from(lines.slice(1), (l, i) => {
    const [idx, s] = l.split(',');
    assert.equal(Number(idx), i);
    return Number(s);
  });
  assert.ok(Math.abs(kendallTau(scores, truth) - run.criteria.kendall) < 1e-12);
});

test('resume: saved specs without the targets fields read as truth-trained, percent; other targets are refused', async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), 'nass-proto-legacy-'));
  const opts: ProtocolOptions = {
    predictors: ['rf'],
    losses: ['ranking', 'regression'],
    sizes: [30],
    sets: 1,
    seeds: [1],
    epochs: 1,
    batchSize: 512,
    learningRate: 1e-3,
    setSeed: 0,
    truth: 'cifar10',
    targets: truth,
    outDir,
    workers: 1,
    backend: 'cpu',
  };
  const first = await runPredictorProtocol(opts);
  assert.equal(first.fresh, 2);
  const spec = first.results[0].spec;
  assert.equal(spec.targetsFile, null);
  assert.equal(spec.targetScale, 'percent');
  assert.equal(spec.trainingPool, gt.n);
  // A run file written before the targets fields existed (as the committed grids are) still resumes.
  const legacy = ['targetsFile', 'targetsFileSha256', 'targetsColumn', 'targetsSha256', 'targetScale'];
  for (const r of first.results) {
    const f = runFile(outDir, r.key);
    const saved = JSON.parse(readFileSync(f, 'utf8'));
    for (const k of [...legacy, 'trainingPool', 'trainingPoolSha256']) delete saved.spec[k];
    writeFileSync(f, JSON.stringify(saved));
  }
  assert.equal((await runPredictorProtocol(opts)).fresh, 0);
  // Other targets (here the truth as fractions, not described as a file) differ in their hash: refused.
  const fractions = truth.map((t) => t / 100);
  await assert.rejects(
    runPredictorProtocol({ ...opts, targets: fractions }),
    /was made with other settings \(targetsSha256 [0-9a-f]{12}… → [0-9a-f]{12}…\)/,
  );
  // A training universe of the first 1,000 architectures: another pool, recorded and refused.
  const partial = Float64Array.from(truth, (t, i) => (i < 1000 ? t : NaN));
  await assert.rejects(
    runPredictorProtocol({ ...opts, targets: partial }),
    /targetsSha256 .* trainingPool 15625 → 1000, trainingPoolSha256/,
  );
  const redone = await runPredictorProtocol({ ...opts, targets: partial, force: true });
  assert.equal(redone.fresh, 2);
  for (const r of redone.results) {
    assert.equal(r.spec.trainingPool, 1000);
    assert.ok(r.train.every((i) => i < 1000));
  }
  // percent refuses targets outside [0, 100] when the grid has the regression loss; ranking alone ignores the scale.
  await assert.rejects(
    runPredictorProtocol({
      ...opts,
      outDir: `${outDir}-neg`,
      targets: truth.map((t) => -t),
      targetScale: 'percent',
    }),
    /truth 'cifar10': target scale 'percent' takes accuracies in \[0, 100\]/,
  );
  const rankingOnly = await runPredictorProtocol({
    ...opts,
    losses: ['ranking'],
    outDir: `${outDir}-neg`,
    targets: truth.map((t) => -t),
    targetScale: 'percent',
  });
  assert.ok(rankingOnly.results[0].criteria.kendall < -0.1);
});

test('multi-stage search: queries grow by N per stage and the best truth found never drops', async () => {
  await initTensorflow('cpu');
  const stages = await runPredictorSearch(gt, {
    predictor: 'rf',
    config: { loss: 'ranking', epochs: 1, batchSize: 512, learningRate: 1e-3, seed: 1 },
    stages: 3,
    perStage: 40,
    strategy: 'top',
    sampleSeed: 3,
    truth: 'cifar10',
    targets: truth,
  });
  assert.deepEqual(
    stages.map((s) => s.queried),
    [40, 80, 120],
  );
  for (let k = 1; k < stages.length; k++) assert.ok(stages[k].bestTruth >= stages[k - 1].bestTruth);
  // Exploiting a predictor should find a better architecture than the random first stage did.
  assert.ok(stages[2].bestRank <= stages[0].bestRank);
  assert.equal(stages[2].bestTruth, truth[stages[2].bestIndex]);
});
