import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { loadTargets } from '../src/scores/targets.js';
import { runCli } from './helpers/run-cli.js';

const gt = loadGroundTruth();
const dir = mkdtempSync(path.join(tmpdir(), 'nass-pred-'));

test('targets from a score file: scored architectures get their score, the rest NaN', () => {
  const file = path.join(dir, 't.csv');
  writeFileSync(file, 'index,score\n3,0.5\n7,0.25\n3,0.75\n');
  const t = loadTargets(gt, { file });
  assert.equal(t.length, 15625);
  assert.equal(t[3], 0.625, 'duplicates are averaged');
  assert.equal(t[7], 0.25);
  assert.equal(t.filter(Number.isFinite).length, 2);
  assert.deepEqual(
    Array.from(loadTargets(gt, { truth: 'cifar100' }).slice(0, 3)),
    Array.from(gt.truth('cifar100').slice(0, 3)),
  );
});

test('predictors run trains on --targets, judges against the truth and writes every output', async () => {
  // Targets: the truth reversed (100 − accuracy) for 2,000 architectures. rf learns them, so it ranks in reverse;
  // the training-free flops baseline ignores them.
  const truth = gt.truth('cifar10');
  const file = path.join(dir, 'reversed-targets.csv');
  writeFileSync(
    file,
    'index,score\n' + Array.from({ length: 2000 }, (_, k) => `${k * 7},${100 - truth[k * 7]}`).join('\n'),
  );
  const out = path.join(dir, 'run');
  const args = [
    'predictors',
    'run',
    '--predictor',
    'rf,flops',
    '--sizes',
    '50',
    '--sets',
    '1',
    '--seeds',
    '1',
    '--targets',
    file,
    '--out',
    out,
    '--workers',
    '1',
    '--backend',
    'cpu',
    '--json',
  ];
  const r = await runCli(args);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.summary.length, 2);
  for (const f of ['runs.csv', 'summary.csv', 'summary.json', 'summary.md', 'manifest.json']) {
    assert.ok(existsSync(path.join(out, f)), f);
  }
  const rf = j.runs.find((x: { spec: { predictor: string } }) => x.spec.predictor === 'rf');
  // Trained on the reversed truth, judged against the truth: negative (a truth-trained RF at N=50 gives about +0.35).
  assert.ok(rf.criteria.kendall < -0.2, `rf τ ${rf.criteria.kendall}`);
  const flopsRun = j.runs.find((x: { spec: { predictor: string } }) => x.spec.predictor === 'flops');
  assert.ok(Math.abs(flopsRun.criteria.kendall - 0.58) < 0.01, `flops τ ${flopsRun.criteria.kendall}`);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.inputs[0].file, file);
  const again = await runCli(args);
  assert.equal(JSON.parse(again.stdout).summary.length, 2);
});

/** A score file of `score(truth)` for every 3rd of the first 1,500 architectures. */
function targetsFile(name: string, score: (t: number) => number): string {
  const truth = gt.truth('cifar10');
  const file = path.join(dir, name);
  const rows = Array.from({ length: 500 }, (_, k) => `${k * 3},${score(truth[k * 3])}`);
  writeFileSync(file, 'index,score\n' + rows.join('\n') + '\n');
  return file;
}

const regressionArgs = (targets: string, out: string, ...extra: string[]) => [
  'predictors',
  'run',
  '--predictor',
  'mlp',
  '--loss',
  'regression',
  '--sizes',
  '60',
  '--sets',
  '1',
  '--seeds',
  '1',
  '--epochs',
  '5',
  '--workers',
  '1',
  '--quiet',
  '--targets',
  targets,
  '--out',
  out,
  ...extra,
];

test('--targets with the regression loss: minmax by default (fractions = affine scores), percent refuses', async () => {
  const fractions = targetsFile('fractions.csv', (t) => t / 100);
  const affine = targetsFile('affine.csv', (t) => (t - 90) * 7);
  const outs = [path.join(dir, 'reg-fractions'), path.join(dir, 'reg-affine')];
  const [a, b] = await Promise.all([
    runCli(regressionArgs(fractions, outs[0], '--json')),
    runCli(regressionArgs(affine, outs[1], '--json')),
  ]);
  assert.equal(a.code, 0, a.stderr);
  assert.equal(b.code, 0, b.stderr);
  const [ra, rb] = [a, b].map((r) => JSON.parse(r.stdout).runs[0]);
  // The same training targets after minmax: the same predictions, so the same criteria.
  assert.equal(ra.spec.targetScale, 'minmax');
  assert.equal(ra.criteria.kendall, rb.criteria.kendall);
  assert.equal(ra.criteria.precisionTop['0.05'], rb.criteria.precisionTop['0.05']);
  // Training sets drawn from the 500 scored architectures, recorded with the targets' origin.
  assert.equal(ra.spec.trainingPool, 500);
  assert.equal(ra.spec.targetsFile, fractions);
  assert.equal(ra.spec.targetsColumn, 'score');
  const savedRun = JSON.parse(readFileSync(path.join(outs[0], 'runs', `${ra.key}.json`), 'utf8'));
  assert.ok(savedRun.train.every((i: number) => i % 3 === 0 && i < 1500));
  const manifest = JSON.parse(readFileSync(path.join(outs[0], 'manifest.json'), 'utf8'));
  assert.equal(manifest.config.targetScale, 'minmax');
  assert.equal(manifest.config.trainingPool, 500);
  assert.equal(manifest.config.targetsSha256, ra.spec.targetsSha256);
  const md = readFileSync(path.join(outs[0], 'summary.md'), 'utf8');
  assert.match(md, /500 of the 15625 architectures have a target, and training architectures are drawn/);
  assert.match(md, /regression-loss target scale `minmax`/);

  const refused = await runCli(
    regressionArgs(affine, path.join(dir, 'reg-percent'), '--target-scale', 'percent'),
  );
  assert.equal(refused.code, 2, refused.stderr);
  const line = refused.stderr.trim();
  assert.equal(line.split('\n').length, 1, line);
  assert.match(
    line,
    /affine\.csv: column 'score': target scale 'percent' takes accuracies in \[0, 100\], but the target of architecture 0 is -?\d/,
  );
  const badScale = await runCli(regressionArgs(affine, path.join(dir, 'reg-bad'), '--target-scale', 'unit'));
  assert.equal(badScale.code, 2);
  assert.match(badScale.stderr, /--target-scale must be one of percent, minmax/);
});

test('predictors run: resuming with other targets is refused, --force redoes the runs', async () => {
  const first = targetsFile('first.csv', (t) => t);
  const second = targetsFile('second.csv', (t) => 100 - t);
  const out = path.join(dir, 'resume-targets');
  const args = (file: string, ...extra: string[]) => [
    'predictors',
    'run',
    '--predictor',
    'rf',
    '--loss',
    'ranking,regression',
    '--sizes',
    '40',
    '--sets',
    '1',
    '--seeds',
    '1',
    '--workers',
    '1',
    '--backend',
    'cpu',
    '--quiet',
    '--targets',
    file,
    '--out',
    out,
    ...extra,
  ];
  const r1 = await runCli(args(first));
  assert.equal(r1.code, 0, r1.stderr);
  assert.match(r1.stdout, /2 runs \(2 new\)/);
  assert.match((await runCli(args(first))).stdout, /2 runs \(0 new\)/);
  const r2 = await runCli(args(second));
  assert.equal(r2.code, 2, r2.stderr);
  const line = r2.stderr.trim();
  assert.equal(line.split('\n').length, 1, line);
  assert.match(
    line,
    /rf-ranking-n40-set0-seed1\.json was made with other settings \(targetsFile "[^"]*first\.csv" → "[^"]*second\.csv", targetsFileSha256 [0-9a-f]{12}… → [0-9a-f]{12}…, targetsSha256/,
  );
  assert.match(line, /use another --out or --force/);
  // The scale is not compared for the ranking loss (scale-free), only for the regression loss.
  const r3 = await runCli(args(first, '--target-scale', 'percent'));
  assert.equal(r3.code, 2, r3.stderr);
  assert.match(
    r3.stderr,
    /rf-regression-n40-set0-seed1\.json was made with other settings \(targetScale "minmax" → "percent"\)/,
  );
  const forced = await runCli(args(second, '--force'));
  assert.equal(forced.code, 0, forced.stderr);
  assert.match(forced.stdout, /2 runs \(2 new\)/);
  const saved = JSON.parse(readFileSync(path.join(out, 'runs', 'rf-ranking-n40-set0-seed1.json'), 'utf8'));
  assert.equal(saved.spec.targetsFile, second);
  assert.match(readFileSync(path.join(out, 'summary.md'), 'utf8'), /second\.csv/);
});

test('predictors search: summary.md describes the per-stage table, not set intervals or summary.csv', async () => {
  const out = path.join(dir, 'search');
  const r = await runCli([
    'predictors',
    'search',
    '--predictor',
    'rf',
    '--stages',
    '2',
    '--per-stage',
    '20',
    '--backend',
    'cpu',
    '--quiet',
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const md = readFileSync(path.join(out, 'summary.md'), 'utf8');
  assert.doesNotMatch(md, /summary\.csv/);
  assert.doesNotMatch(md, /per-set means|_sd_sets|Student-t/);
  assert.match(md, /2 stages of 20 queries: stage 1 queries 20 random architectures/);
  assert.match(md, /Each row of the table is one stage/);
  assert.match(md, /`stages\.csv` \(and `stages\.json`\) hold this per-stage table/);
  assert.match(md, /\| stage \| queried \| P@top0\.1% \|/);
  for (const f of ['stages.csv', 'stages.json', 'manifest.json']) assert.ok(existsSync(path.join(out, f)), f);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.config.targetScale, 'percent');
});

test('predictors commands reject bad input with exit code 2', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['predictors', 'run', '--predictor', 'gatez', '--out', dir],
      /unknown predictor 'gatez' \(known: flops, gates/,
    ],
    [['predictors', 'run', '--loss', 'hinge', '--out', dir], /--loss: unknown loss 'hinge'/],
    [['predictors', 'run', '--sizes', '78,x', '--out', dir], /--sizes: 'x' is not a positive integer/],
    [
      ['predictors', 'run', '--backend', 'webgl', '--out', dir],
      /--backend must be one of auto, torch, wasm, cpu, webgpu/,
    ],
    [['predictors', 'search', '--strategy', 'best', '--out', dir], /--strategy must be one of top, group/],
    [['predictors', 'run'], /required option '--out <dir>'/],
    [
      ['predictors', 'run', '--predictor', 'rf', '--sizes', '78,20000', '--out', path.join(dir, 'too-large')],
      /--sizes 20000: a training set cannot be larger than the 15625 architectures that have a 'cifar10' truth/,
    ],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i][0].join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
  });
  assert.ok(!existsSync(path.join(dir, 'too-large')), 'a refused grid writes nothing');
});
