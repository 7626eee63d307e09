import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { evaluateArchScores } from '../src/surgery/evaluate.js';
import { runCli } from './helpers/run-cli.js';

const gt = loadGroundTruth();
const dir = mkdtempSync(path.join(tmpdir(), 'nass-bench-'));

test('benchmarks list names every bundled truth, the paper’s v1.0 CIFAR-10 among them', async () => {
  const r = await runCli(['benchmarks', 'list', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const entries: { name: string; items: number; classes: number; best: number; source: string }[] =
    JSON.parse(r.stdout);
  assert.deepEqual(
    entries.map((e) => e.name),
    [
      'cifar10',
      'cifar10-v1.0',
      'cifar100',
      'imagenet16',
      'cifar10-valid-hp12',
      'cifar10-hp12',
      'cifar100-valid-hp12',
      'cifar100-hp12',
      'imagenet16-valid-hp12',
      'imagenet16-hp12',
    ],
  );
  const v10 = entries.find((e) => e.name === 'cifar10-v1.0')!;
  assert.equal(v10.items, 15625);
  assert.equal(v10.classes, 6466);
  // nb201-v1_0-cifar10-paper.csv's maximum, and the source it names.
  assert.ok(Math.abs(v10.best - 94.37333333333333) < 1e-9);
  assert.match(v10.source, /Anonymous-1112\/anonymous @ d86ec6b/);
});

test('evaluate --truth cifar10-v1.0 judges against the v1.0 numbers, not the NATS-Bench ones', async () => {
  const v10 = gt.truth('cifar10-v1.0');
  const file = path.join(dir, 'v10.csv');
  writeFileSync(file, 'index,score\n' + Array.from(v10, (v, i) => `${i},${v}`).join('\n') + '\n');
  const against = async (truth: string) => {
    const r = await runCli(['evaluate', '--scores', file, '--truth', truth, '--bootstrap', '0', '--json']);
    assert.equal(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { kendall: number; truth: string };
  };
  const self = await against('cifar10-v1.0');
  assert.equal(self.truth, 'cifar10-v1.0');
  assert.equal(self.kendall, 1);
  // scipy.stats.kendalltau(v1.0, NATS-Bench cifar10) over the 15,625 rows of the two CSVs in ../shared/data/nb201.
  assert.ok(Math.abs((await against('cifar10')).kendall - 0.9746760222162575) < 1e-9);
});

test('predictors run --truth cifar10-v1.0 judges (and trains) on the v1.0 truth', async () => {
  const r = await runCli([
    'predictors',
    'run',
    '--predictor',
    'flops',
    '--sizes',
    '50',
    '--sets',
    '1',
    '--seeds',
    '1',
    '--truth',
    'cifar10-v1.0',
    '--workers',
    '1',
    '--out',
    path.join(dir, 'flops-v10'),
    '--json',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const run = JSON.parse(r.stdout).runs[0];
  const all = Int32Array.from({ length: gt.n }, (_, i) => i);
  const flops = gt.costs().flops;
  const expected = evaluateArchScores(
    { index: all, score: Float64Array.from(flops), merged: 0 },
    { truth: 'cifar10-v1.0', bootstrap: false },
  );
  assert.ok(Math.abs(run.criteria.kendall - expected.kendall) < 1e-12);
  const nats = evaluateArchScores(
    { index: all, score: Float64Array.from(flops), merged: 0 },
    { truth: 'cifar10', bootstrap: false },
  );
  assert.notEqual(expected.kendall, nats.kendall);
});
