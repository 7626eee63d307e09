import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { isoSpread } from '../src/metrics/iso-spread.js';
import { isoMembers } from '../src/oneshot/arch-lists.js';

const dir = mkdtempSync(path.join(tmpdir(), 'nass-os-settings-'));

/** The help line of an option (commander wraps long descriptions: join the continuation lines). */
function optionHelp(help: string, flag: string): string {
  const lines = help.split('\n');
  const i = lines.findIndex((l) => l.trimStart().startsWith(flag));
  assert.ok(i >= 0, `${flag} in the help`);
  let text = lines[i];
  for (let k = i + 1; k < lines.length && /^\s{10,}\S/.test(lines[k]) && !/^\s+-/.test(lines[k]); k++)
    text += ' ' + lines[k].trim();
  return text.replace(/\s+/g, ' ');
}

test('the defaults are the paper’s: train batch 512 with BN over the whole batch; derive/curve all held-out images in batches of 512', async () => {
  const [train, derive, curve] = await Promise.all(
    ['train', 'derive', 'curve'].map((c) => runCli(['oneshot', c, '--help'])),
  );
  for (const r of [train, derive, curve]) assert.equal(r.code, 0, r.stderr);
  assert.match(optionHelp(train.stdout, '--batch-size'), /\(default: 512\)/);
  const micro = optionHelp(train.stdout, '--micro-batch');
  assert.match(micro, /default: the whole batch, as the paper/);
  assert.doesNotMatch(micro, /\(default: 64\)/);
  assert.match(optionHelp(train.stdout, '--sgd-untouched'), /\(default: "decay"\)/);
  for (const r of [derive, curve]) {
    assert.match(optionHelp(r.stdout, '--held-out-images'), /\(default: "all"\)/);
    assert.match(optionHelp(r.stdout, '--batch-size'), /default: 512, as the paper/);
  }
  assert.match(curve.stdout.replace(/\s+/g, ' '), /pass --force to derive those again/);
});

test('oneshot train/derive/curve on a tiny run: defaults, notices, --sgd-untouched resume checks, stale curve scores', async () => {
  const data = path.join(dir, 'tiny-cifar');
  mkdirSync(data);
  const bytes = new Uint8Array(40 * 3073);
  for (let k = 0; k < 40; k++) {
    bytes[k * 3073] = k % 10;
    for (let j = 1; j < 3073; j++) bytes[k * 3073 + j] = (k * 29 + j * 7) % 256;
  }
  writeFileSync(path.join(data, 'data_batch_1.bin'), bytes);
  const out = path.join(dir, 'run');
  const train = (extra: string[], to = out) =>
    runCli([
      'oneshot',
      'train',
      '--data',
      data,
      '--split',
      '0-32,32-40',
      '--out',
      to,
      '--channels',
      '2',
      '--cells',
      '1',
      '--batch-size',
      '16',
      '--checkpoint-every',
      '1',
      '--quiet',
      ...extra,
    ]);
  const t = await train(['--epochs', '1']);
  assert.equal(t.code, 0, t.stderr);
  assert.match(t.stderr, /note: batches of 16 images, not the paper's 512/);
  assert.doesNotMatch(t.stderr, /micro-batches/, 'the whole batch by default: no micro-batch notice');
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.config.microBatch, 16);
  assert.equal(manifest.config.sgdUntouched, 'decay');
  assert.equal(manifest.config.sgd.untouched, 'decay');

  // A resume with another --sgd-untouched or micro-batch is refused (exit 2, one line naming the field).
  const skip = await train(['--epochs', '2', '--sgd-untouched', 'skip']);
  assert.equal(skip.code, 2, skip.stderr);
  assert.match(
    skip.stderr,
    /epoch-0001\.ckpt belongs to another run \(sgdUntouched "decay" there, "skip" now\)/,
  );
  assert.deepEqual(
    skip.stderr
      .trim()
      .split('\n')
      .map((l) => l.replace(/^nas-surgery: (note|error): .*/, '$1')),
    ['note', 'error'],
    'the batch notice, then a one-line error',
  );
  const micro = await train(['--epochs', '2', '--micro-batch', '8']);
  assert.equal(micro.code, 2, micro.stderr);
  assert.match(micro.stderr, /note: micro-batches of 8 images: BN statistics come from 8 images/);
  assert.match(micro.stderr, /belongs to another run \(microBatch 16 there, 8 now\)/);
  const bad = await train(['--sgd-untouched', 'sometimes'], path.join(dir, 'bad'));
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--sgd-untouched must be one of decay, skip/);
  const resumed = await train(['--epochs', '2']);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stderr, /resuming from .*epoch-0001\.ckpt/);

  // derive: all 8 held-out images in one batch by default, no notice about them; fewer: notices.
  const common = ['--data', data, '--split', '0-32,32-40', '--archs', 'deiso:5', '--quiet'];
  const scores = path.join(dir, 'scores.csv');
  const ckpt = path.join(out, 'checkpoints', 'epoch-0002.ckpt');
  const d = await runCli(['oneshot', 'derive', '--checkpoint', ckpt, '--out', scores, ...common]);
  assert.equal(d.code, 0, d.stderr);
  assert.doesNotMatch(d.stderr, /note:/);
  const dm = JSON.parse(readFileSync(path.join(dir, 'scores.manifest.json'), 'utf8'));
  assert.equal(dm.config.heldOutImages, 8);
  assert.equal(dm.config.batchSize, 512);
  assert.match(dm.config.checkpointSha256, /^[0-9a-f]{64}$/);
  const d4 = await runCli([
    'oneshot',
    'derive',
    '--checkpoint',
    ckpt,
    '--out',
    path.join(dir, 'scores4.csv'),
    ...common,
    '--held-out-images',
    '4',
    '--batch-size',
    '2',
  ]);
  assert.equal(d4.code, 0, d4.stderr);
  assert.match(d4.stderr, /note: deriving on 4 of the 8 held-out images, not all of them as in the paper/);
  assert.match(d4.stderr, /note: derive batches of 2 images, not the paper's 512/);

  // Without --split, derive takes the training run's own split from its manifest; another split is refused, since
  // its held-out images could be training images.
  const noSplit = ['--data', data, '--archs', 'deiso:5', '--quiet'];
  const dRun = await runCli([
    'oneshot',
    'derive',
    '--checkpoint',
    ckpt,
    '--out',
    path.join(dir, 's-run.csv'),
    ...noSplit,
  ]);
  assert.equal(dRun.code, 0, dRun.stderr);
  assert.match(
    dRun.stderr,
    /note: using the training run's split \(--split 0-32,32-40, from .*manifest\.json\)/,
  );
  assert.equal(readFileSync(path.join(dir, 's-run.csv'), 'utf8'), readFileSync(scores, 'utf8'));
  const other = await runCli([
    'oneshot',
    'derive',
    '--checkpoint',
    ckpt,
    '--out',
    path.join(dir, 's-other.csv'),
    ...noSplit,
    '--split',
    'auto',
  ]);
  assert.equal(other.code, 2, other.stderr);
  assert.match(other.stderr, /epoch-0002\.ckpt was trained with the split .* could be training images/);
  assert.ok(!existsSync(path.join(dir, 's-other.csv')));

  // curve: derived once; a rerun with fewer held-out images is refused (exit 2, naming the file and the setting)
  // before anything is derived; --force derives again.
  // With class members: curve.csv holds their spread and the truth's, both as fractions of accuracy.
  const isoOut = path.join(dir, 'iso-curve');
  const ci = await runCli(['oneshot', 'curve', out, ...common, '--iso-classes', '2:2', '--out', isoOut]);
  assert.equal(ci.code, 0, ci.stderr);
  const [head, ...pts] = readFileSync(path.join(isoOut, 'curve.csv'), 'utf8').trim().split('\n');
  const col = (name: string) => head.split(',').indexOf(name);
  const gt = loadGroundTruth();
  const members = isoMembers(gt, 2, 2);
  const floor = isoSpread(
    Float64Array.from(members, (a) => gt.truth('cifar10')[a]),
    Int32Array.from(members, (a) => gt.iso().classOf[a]),
  ).meanScoreStd;
  for (const line of pts) {
    const v = line.split(',');
    assert.ok(Math.abs(Number(v[col('iso_truth_score_std')]) - floor / 100) < 1e-12);
    assert.ok(Number(v[col('iso_score_std')]) >= 0 && Number(v[col('iso_score_std')]) < 1);
  }
  const c = await runCli(['oneshot', 'curve', out, ...common]);
  assert.equal(c.code, 0, c.stderr);
  const again = await runCli(['oneshot', 'curve', out, ...common]);
  assert.equal(again.code, 0, again.stderr);
  const fewer = await runCli(['oneshot', 'curve', out, ...common, '--held-out-images', '4']);
  assert.equal(fewer.code, 2, fewer.stderr);
  assert.match(
    fewer.stderr,
    /error: .*scores\/epoch-0001\.json: its scores were derived with held-out images 8, not 4 as now; pass --force/,
  );
  const forced = await runCli(['oneshot', 'curve', out, ...common, '--held-out-images', '4', '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  const sidecar = JSON.parse(readFileSync(path.join(out, 'curve', 'scores', 'epoch-0002.json'), 'utf8'));
  assert.equal(sidecar.heldOutImages, 4);
  assert.equal(sidecar.batchSize, 512);
});
