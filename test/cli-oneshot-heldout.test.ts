import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { archList } from '../src/oneshot/arch-lists.js';
import { runCli } from './helpers/run-cli.js';
import { writeTinyCifarDir } from './helpers/tiny-cifar.js';

// train-log.csv's heldout_accuracy: the mean accuracy of k fixed representatives on the first m held-out images after
// every epoch. It must not change training, must equal what `oneshot derive` gives for those architectures, and
// must survive a resume.
const dir = mkdtempSync(path.join(tmpdir(), 'nass-heldout-'));
const data = writeTinyCifarDir(path.join(dir, 'cifar'), 19, 48);
const common = [
  '--data',
  data,
  '--split',
  '0-32,32-48',
  '--channels',
  '2',
  '--cells',
  '1',
  '--batch-size',
  '16',
];
const common2 = [...common, '--checkpoint-every', '1', '--quiet'];
const rows = (out: string) =>
  readFileSync(path.join(out, 'train-log.csv'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));

test('oneshot train logs a held-out accuracy per epoch that leaves training as it was and equals derive', async () => {
  const plain = path.join(dir, 'plain');
  const withEval = path.join(dir, 'eval');
  for (const [out, k] of [
    [plain, '0'],
    [withEval, '3'],
  ]) {
    const r = await runCli([
      'oneshot',
      'train',
      ...common2,
      '--epochs',
      '2',
      '--eval-archs',
      k,
      '--eval-images',
      '8',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
  }
  const [head, ...a] = rows(withEval);
  const b = rows(plain).slice(1);
  assert.deepEqual(head, ['epoch', 'loss', 'learning_rate', 'seconds', 'heldout_accuracy']);
  assert.deepEqual(
    a.map((r) => r.slice(0, 3)),
    b.map((r) => r.slice(0, 3)),
    'the same losses with and without the evaluation',
  );
  assert.ok(
    b.every((r) => r[4] === ''),
    'no value with --eval-archs 0',
  );

  // derive of the same three architectures on the same 8 images: the same mean accuracy.
  const gt = loadGroundTruth();
  const archs = path.join(dir, 'archs.csv');
  writeFileSync(archs, 'index\n' + Array.from(archList(gt, 'deiso:3', 0)).join('\n') + '\n');
  const derived = path.join(dir, 'derived.csv');
  const d = await runCli([
    'oneshot',
    'derive',
    '--checkpoint',
    path.join(withEval, 'checkpoints', 'epoch-0002.ckpt'),
    '--data',
    data,
    '--archs',
    archs,
    '--held-out-images',
    '8',
    '--quiet',
    '--out',
    derived,
  ]);
  assert.equal(d.code, 0, d.stderr);
  // The same weights, too (the checkpoints differ in their timings only): the plain run's derive is the same file.
  const derivedPlain = path.join(dir, 'derived-plain.csv');
  const dp = await runCli([
    'oneshot',
    'derive',
    '--checkpoint',
    path.join(plain, 'checkpoints', 'epoch-0002.ckpt'),
    '--data',
    data,
    '--archs',
    archs,
    '--held-out-images',
    '8',
    '--quiet',
    '--out',
    derivedPlain,
  ]);
  assert.equal(dp.code, 0, dp.stderr);
  assert.equal(readFileSync(derivedPlain, 'utf8'), readFileSync(derived, 'utf8'));
  const acc = readFileSync(derived, 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[1]));
  const mean = acc.reduce((x, y) => x + y, 0) / acc.length;
  assert.ok(Math.abs(Number(a[1][4]) - mean) < 1e-12, `train log ${a[1][4]}, derive ${mean}`);

  // Resumed to epoch 3: the values of epochs 1 and 2 are kept.
  rmSync(path.join(withEval, 'checkpoints', 'epoch-0002.ckpt'));
  const r = await runCli([
    'oneshot',
    'train',
    ...common2,
    '--epochs',
    '3',
    '--eval-archs',
    '3',
    '--eval-images',
    '8',
    '--out',
    withEval,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const resumed = rows(withEval).slice(1);
  assert.equal(resumed.length, 3);
  assert.equal(resumed[0][4], a[0][4], 'epoch 1 kept across the resume');
  assert.ok(Number.isFinite(Number(resumed[2][4])) && resumed[2][4] !== '');
});
