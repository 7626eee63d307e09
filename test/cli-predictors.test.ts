import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../src/bench/ground-truth.js';
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

test('predictors commands reject bad input with exit code 2', async () => {
  const cases: [string[], RegExp][] = [
    [
      ['predictors', 'run', '--predictor', 'gatez', '--out', dir],
      /unknown predictor 'gatez' \(known: flops, gates/,
    ],
    [['predictors', 'run', '--loss', 'hinge', '--out', dir], /--loss: unknown loss 'hinge'/],
    [['predictors', 'run', '--sizes', '78,x', '--out', dir], /--sizes: 'x' is not a positive integer/],
    [['predictors', 'run', '--backend', 'webgl', '--out', dir], /--backend must be one of wasm, cpu/],
    [['predictors', 'search', '--strategy', 'best', '--out', dir], /--strategy must be one of top, group/],
    [['predictors', 'run'], /required option '--out <dir>'/],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i][0].join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
  });
});
