import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'nass-os-'));

test('oneshot merge joins a complete set of derive shards of one derive, and refuses anything else', async () => {
  const shard = (name: string, i: string, rows: string, extra: Record<string, unknown> = {}) => {
    const f = path.join(dir, `${name}.csv`);
    writeFileSync(f, `index,score,neg_loss\n${rows}`);
    const config = {
      shard: i,
      checkpointSha256: 'ab'.repeat(32),
      heldOutImages: 64,
      batchSize: 512,
      split: 'proportional',
      dataIdentity: '20000 images',
      archs: 'deiso',
      ...extra,
    };
    writeFileSync(path.join(dir, `${name}.manifest.json`), JSON.stringify({ config }));
    return f;
  };
  const a = shard('a', '0/2', '5,0.5,-1\n1,0.25,-2\n');
  const b = shard('b', '1/2', '3,0.75,-0.5\n');
  const out = path.join(dir, 'merged.csv');
  const r = await runCli(['oneshot', 'merge', a, b, '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(readFileSync(out, 'utf8'), 'index,score,neg_loss\n1,0.25,-2\n3,0.75,-0.5\n5,0.5,-1\n');
  const m = JSON.parse(readFileSync(path.join(dir, 'merged.manifest.json'), 'utf8'));
  assert.equal(m.command, 'oneshot merge');
  assert.equal(m.config.shards, 2);
  // The same shards again: left as it is; one shard changed since: refused, naming it.
  const again = await runCli(['oneshot', 'merge', a, b, '--out', out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /already holds this run/);
  // The merged file is a score file that evaluate reads.
  const ev = await runCli(['evaluate', '--scores', out, '--json', '--bootstrap', '0']);
  assert.equal(JSON.parse(ev.stdout).n, 3);

  const refused: [string[], RegExp][] = [
    [[a], /shard 1\/2 missing: 1 of 2 given/],
    [[a, a], /a\.csv and .*a\.csv are both shard 0\/2/],
    [[a, shard('c', '1/3', '7,0.1,-1\n')], /c\.csv is shard 1\/3, but .*a\.csv is of 2 shards/],
    [
      [a, shard('d', '1/2', '7,0.1,-1\n', { heldOutImages: 32 })],
      /d\.csv was derived with heldOutImages 32, but .*a\.csv with 64/,
    ],
    [
      [a, shard('e', '1/2', '7,0.1,-1\n', { checkpointSha256: 'cd'.repeat(32) })],
      /e\.csv was derived with checkpointSha256 .*shards of different derives do not merge/,
    ],
    [[a, shard('f', '1/2', '5,0.1,-1\n')], /f\.csv:2: architecture 5 is in two shards/],
  ];
  writeFileSync(path.join(dir, 'g.csv'), 'index,score,neg_loss\n9,0.1,-1\n');
  refused.push([[a, path.join(dir, 'g.csv')], /g\.csv: no manifest .*g\.manifest\.json beside it/]);
  for (const [files, re] of refused) {
    const x = await runCli(['oneshot', 'merge', ...files, '--out', path.join(dir, 'x.csv')]);
    assert.equal(x.code, 2, `${files.join(' ')}: ${x.stderr}`);
    assert.match(x.stderr, re);
    assert.ok(!existsSync(path.join(dir, 'x.csv')), 'a refused merge writes nothing');
  }
});

test('oneshot commands reject bad input with exit code 2', async () => {
  const empty = path.join(dir, 'empty-run');
  mkdirSync(empty);
  const data = path.join(dir, 'no-data');
  const cases: [string[], RegExp][] = [
    [
      ['oneshot', 'derive', '--checkpoint', 'x.ckpt', '--out', path.join(dir, 'd.csv'), '--shard', '2/2'],
      /--shard must be i\/n/,
    ],
    [['oneshot', 'train', '--out', path.join(dir, 't'), '--data', data], /no-data/],
    [
      ['oneshot', 'train', '--out', path.join(dir, 't'), '--backend', 'webgl'],
      /--backend must be one of auto, torch, wasm, cpu, webgpu/,
    ],
    // The sampler is checked before the data is read (the folder does not exist).
    [
      ['oneshot', 'train', '--out', path.join(dir, 't'), '--data', data, '--sampler', 'foo'],
      /unknown sampler 'foo'/,
    ],
    [
      [
        'oneshot',
        'train',
        '--out',
        path.join(dir, 't'),
        '--data',
        data,
        '--sampler',
        'fairnas',
        '--sampler-archs',
        'x.csv',
      ],
      /x\.csv/,
    ],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(args)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i][0].join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
  });
  assert.ok(!existsSync(path.join(dir, 't', 'checkpoints')));
});

test('oneshot train --max-minutes stops with a checkpoint and a finished manifest; a rerun resumes', async () => {
  // 40 random-ish images in the binary format: 32 to train on, 8 held out.
  const data = path.join(dir, 'tiny-cifar');
  mkdirSync(data);
  const bytes = new Uint8Array(40 * 3073);
  for (let k = 0; k < 40; k++) {
    bytes[k * 3073] = k % 10;
    for (let j = 1; j < 3073; j++) bytes[k * 3073 + j] = (k * 37 + j * 11) % 256;
  }
  writeFileSync(path.join(data, 'data_batch_1.bin'), bytes);
  const out = path.join(dir, 'budget-run');
  const args = [
    'oneshot',
    'train',
    '--data',
    data,
    '--split',
    '0-32,32-40',
    '--out',
    out,
    '--channels',
    '2',
    '--cells',
    '1',
    '--batch-size',
    '16',
    '--epochs',
    '5',
    '--checkpoint-every',
    '5',
    '--quiet',
  ];
  // A budget far below one epoch: the first epoch runs, then training stops before a second.
  const r = await runCli([...args, '--max-minutes', '0.00001']);
  assert.equal(r.code, 0, r.stderr);
  assert.match(
    r.stderr,
    /stopped at epoch 1 of 5: --max-minutes 0\.00001 would be exceeded; run again to resume/,
  );
  assert.ok(existsSync(path.join(out, 'checkpoints', 'epoch-0001.ckpt')), 'a checkpoint at the stop epoch');
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.timingsMs.epochsRun, 1);
  assert.ok(typeof manifest.finishedAt === 'string');
  // Without a budget the same command resumes from epoch 1 and finishes.
  const again = await runCli(args);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /resuming from .*epoch-0001\.ckpt \(epoch 1\)/);
  assert.match(again.stdout, /trained to epoch 5/);
  assert.equal(JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8')).timingsMs.epochsRun, 4);

  // derive and curve on the same tiny run: scores plus a manifest beside them.
  const common = [
    '--data',
    data,
    '--split',
    '0-32,32-40',
    '--archs',
    'deiso:5',
    '--held-out-images',
    '8',
    '--quiet',
  ];
  const scores = path.join(dir, 'tiny-scores.csv');
  const d = await runCli([
    'oneshot',
    'derive',
    '--checkpoint',
    path.join(out, 'checkpoints', 'epoch-0005.ckpt'),
    '--out',
    scores,
    ...common,
  ]);
  assert.equal(d.code, 0, d.stderr);
  assert.equal(readFileSync(scores, 'utf8').trim().split('\n').length, 6);
  const dm = JSON.parse(readFileSync(path.join(dir, 'tiny-scores.manifest.json'), 'utf8'));
  assert.equal(dm.command, 'oneshot derive');
  assert.equal(dm.config.checkpointEpoch, 5);
  const c = await runCli(['oneshot', 'curve', out, ...common]);
  assert.equal(c.code, 0, c.stderr);
  const curve = JSON.parse(readFileSync(path.join(out, 'curve', 'curve.json'), 'utf8'));
  assert.deepEqual(
    curve.points.map((p: { epoch: number }) => p.epoch),
    [1, 5],
  );
  assert.equal(curve.sampler, 'deiso', 'read from the training manifest');
  assert.equal(
    JSON.parse(readFileSync(path.join(out, 'curve', 'manifest.json'), 'utf8')).command,
    'oneshot curve',
  );
});
