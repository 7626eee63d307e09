import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import { writeTinyCifarDir } from './helpers/tiny-cifar.js';

// Every shardable command, sharded 3 ways and merged: the merged files equal the unsharded run's byte for byte; and
// merge refuses every kind of bad shard set. (The same on a real SLURM cluster: test/slurm-cluster.test.ts.)
const dir = mkdtempSync(path.join(tmpdir(), 'nass-shards-'));
const data = writeTinyCifarDir(path.join(dir, 'tiny-cifar'), 13);

const ok = async (args: string[]) => {
  const r = await runCli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
  return r;
};
const refused = async (args: string[], pattern: RegExp) => {
  const r = await runCli(args);
  assert.equal(r.code, 2, `${args.join(' ')} should be refused: ${r.stdout}${r.stderr}`);
  assert.match(r.stderr, pattern);
  assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
};

/** Run `args` unsharded into `out`, then as n shards, merge them into `out` again, and compare `files`. */
async function shardedEqualsWhole(
  args: string[],
  out: string,
  n: number,
  files: string[],
  shardOut = (i: number) => `${out}.shard${i}`,
) {
  await ok([...args, '--out', out]);
  const whole = `${out}.whole`;
  renameSync(out, whole);
  const shards = Array.from({ length: n }, (_, i) => shardOut(i));
  // Shards in parallel, as on a cluster; the merge takes them in any order.
  await Promise.all(shards.map((s, i) => ok([...args, '--out', s, '--shard', `${i}/${n}`])));
  await ok(['merge', ...[...shards].reverse(), '--out', out]);
  for (const f of files) {
    assert.ok(existsSync(path.join(out, f)), `${f} merged`);
    assert.ok(
      readFileSync(path.join(out, f)).equals(readFileSync(path.join(whole, f))),
      `${f}: the merged file differs from the unsharded run's`,
    );
  }
  const m = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  assert.equal(m.mergedFrom.shards, n);
  return shards;
}

test('zeroshot score --shard i/n: merged, the scores, the criteria and the summary are the unsharded run’s', async () => {
  const args = [
    'zeroshot',
    'score',
    '--data',
    data,
    '--split',
    '0-32,32-40',
    '--channels',
    '2',
    '--cells',
    '1',
    '--archs',
    'deiso:7',
    '--batch-size',
    '8',
    '--workers',
    '1',
    '--proxies',
    'synflow,snip,jacob_cov',
    '--vote',
    'synflow+snip+jacob_cov',
    '--quiet',
  ];
  const out = path.join(dir, 'zs');
  const shards = await shardedEqualsWhole(args, out, 3, ['scores.csv', 'zeroshot.json', 'summary.md']);
  const shard0 = JSON.parse(readFileSync(path.join(shards[0], 'manifest.json'), 'utf8'));
  assert.equal(shard0.config.shard, '0/3');
  assert.match(shard0.config.shardConfigHash, /^[0-9a-f]{64}$/);
  assert.ok(
    shard0.inputs.some((i: { file: string }) => i.file.endsWith('data_batch_1.bin')),
    'input checksums',
  );
  assert.ok(shard0.gitCommit === null || typeof shard0.gitCommit === 'string');
  assert.ok(!existsSync(path.join(shards[0], 'scores.csv')), 'a shard writes no summary');

  // Bad sets: a missing shard, one twice, shards of another n, of another configuration, an unfinished one, and
  // merged results already in --out.
  const m = path.join(dir, 'zs-bad');
  await refused(['merge', shards[0], shards[1], '--out', m], /shard 2\/3 missing: 2 of 3 given/);
  await refused(['merge', shards[0], shards[0], shards[1], '--out', m], /are both shard 0\/3/);
  const other = path.join(dir, 'zs-of-2');
  await ok([...args, '--out', other, '--shard', '1/2']);
  await refused(['merge', shards[0], shards[1], other, '--out', m], /is shard 1\/2, but .* is of 3 shards/);
  const seed = path.join(dir, 'zs-seed');
  await ok([...args, '--seed', '7', '--out', seed, '--shard', '2/3']);
  await refused(
    ['merge', shards[0], shards[1], seed, '--out', m],
    /is a shard of another job than .*seed 7 there, 20 in the first.*do not merge/,
  );
  const unfinished = path.join(dir, 'zs-unfinished');
  cpSync(shards[2], unfinished, { recursive: true });
  renameSync(path.join(unfinished, 'manifest.json'), path.join(unfinished, 'manifest.old'));
  await refused(
    ['merge', shards[0], shards[1], unfinished, '--out', m],
    /no manifest .* not a finished shard/,
  );
  // The same shards merged again: nothing to do; a result that is not their merge is refused.
  const same = await runCli(['merge', ...shards, '--out', out]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stderr, /already holds this run/);
  await refused(
    ['merge', ...shards, '--out', `${out}.whole`],
    /it holds a run that was not merged from these shards/,
  );
  await ok(['merge', ...shards, '--out', out, '--force']);
  // --shard auto reads a job array's environment.
  const auto = path.join(dir, 'zs-auto');
  const r = await runCli([...args, '--out', auto, '--shard', 'auto'], undefined, {
    SLURM_ARRAY_TASK_ID: '5',
    SLURM_ARRAY_TASK_MIN: '4',
    SLURM_ARRAY_TASK_MAX: '6',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.equal(JSON.parse(readFileSync(path.join(auto, 'manifest.json'), 'utf8')).config.shard, '1/3');
  await refused([...args, '--out', auto, '--shard', 'auto'], /--shard auto: not in a job array/);
  // An array of one task: the shard is the whole run, and its merge is the unsharded result.
  const one = path.join(dir, 'zs-one');
  const r1 = await runCli([...args, '--out', one, '--shard', 'auto'], undefined, {
    SLURM_ARRAY_TASK_ID: '0',
    SLURM_ARRAY_TASK_COUNT: '1',
  });
  assert.equal(r1.code, 0, r1.stderr);
  assert.equal(JSON.parse(readFileSync(path.join(one, 'manifest.json'), 'utf8')).config.shard, '0/1');
  const oneMerged = path.join(dir, 'zs-one-merged');
  await ok(['merge', one, '--out', oneMerged]);
  assert.ok(
    readFileSync(path.join(oneMerged, 'scores.csv')).equals(readFileSync(path.join(out, 'scores.csv'))),
  );
  // A Kubernetes Indexed Job (docs/kubernetes-indexed-job.yaml): the index, and the count from --shards.
  const k8s = path.join(dir, 'zs-k8s');
  const rk = await runCli([...args, '--out', k8s, '--shard', 'auto', '--shards', '3'], undefined, {
    JOB_COMPLETION_INDEX: '2',
  });
  assert.equal(rk.code, 0, rk.stderr);
  assert.equal(JSON.parse(readFileSync(path.join(k8s, 'manifest.json'), 'utf8')).config.shard, '2/3');
  // The same architectures and scores as shard 2/3 (the rows' times differ).
  const rows = (d: string) =>
    readFileSync(path.join(d, 'partial.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => {
        const { index, scores } = JSON.parse(l) as { index: number; scores: number[] };
        return { index, scores };
      });
  assert.deepEqual(rows(k8s), rows(shards[2]));
});

test('oneshot derive and curve --shard i/n: merged, the scores, their settings and the curve are the unsharded ones', async () => {
  const run = path.join(dir, 'run');
  await ok([
    'oneshot',
    'train',
    '--data',
    data,
    '--split',
    '0-32,32-40',
    '--out',
    run,
    '--channels',
    '2',
    '--cells',
    '1',
    '--batch-size',
    '16',
    '--epochs',
    '2',
    '--checkpoint-every',
    '1',
    '--quiet',
  ]);
  // derive: score files (not folders), merged into one file.
  const ckpt = path.join(run, 'checkpoints', 'epoch-0002.ckpt');
  const derive = ['oneshot', 'derive', '--checkpoint', ckpt, '--data', data, '--archs', 'deiso:9', '--quiet'];
  const whole = path.join(dir, 'derive-whole.csv');
  await ok([...derive, '--out', whole]);
  const parts = [0, 1, 2].map((i) => path.join(dir, `derive-${i}.csv`));
  await Promise.all(parts.map((p, i) => ok([...derive, '--out', p, '--shard', `${i}/3`])));
  const merged = path.join(dir, 'derive-merged.csv');
  await ok(['merge', parts[2], parts[0], parts[1], '--out', merged]);
  assert.ok(readFileSync(merged).equals(readFileSync(whole)), 'merged derive = unsharded derive');
  await refused(['merge', parts[0], parts[2], '--out', path.join(dir, 'x.csv')], /shard 1\/3 missing/);

  // curve: (checkpoint, architecture) pairs; class members too.
  const curve = [
    'oneshot',
    'curve',
    run,
    '--data',
    data,
    '--archs',
    'deiso:8',
    '--iso-classes',
    '3:2',
    '--quiet',
  ];
  const out = path.join(dir, 'curve');
  const files = [
    'curve.json',
    'curve.csv',
    'scores/epoch-0001.csv',
    'scores/epoch-0001.json',
    'scores/epoch-0002.csv',
    'scores/epoch-0002.json',
  ];
  const shards = await shardedEqualsWhole(curve, out, 3, files);
  // The pairs are spread over the shards: every shard derives part of every checkpoint.
  const total =
    readFileSync(path.join(out, 'scores', 'epoch-0001.csv'), 'utf8')
      .trim()
      .split('\n').length - 1;
  const counts = shards.map(
    (s) =>
      readFileSync(path.join(s, 'scores', 'epoch-0001.csv'), 'utf8')
        .trim()
        .split('\n').length - 1,
  );
  assert.equal(
    counts.reduce((a, b) => a + b, 0),
    total,
  );
  for (const c of counts)
    assert.ok(Math.abs(c - total / 3) < 1, `balanced: ${counts.join(', ')} of ${total}`);
  const other = path.join(dir, 'curve-other');
  await ok([...curve.slice(0, 6), 'deiso:6', '--out', other, '--shard', '2/3']);
  await refused(['merge', shards[0], shards[1], other, '--out', path.join(dir, 'c2')], /another job .*archs/);
});

test('predictors run --shard i/n: merged, runs.csv and the summaries are the unsharded ones; timings apart', async () => {
  const args = [
    'predictors',
    'run',
    '--predictor',
    'rf,flops',
    '--sizes',
    '20,40',
    '--sets',
    '2',
    '--seeds',
    '1,2',
    '--workers',
    '1',
    '--quiet',
  ];
  const out = path.join(dir, 'pred');
  await shardedEqualsWhole(args, out, 3, ['runs.csv', 'summary.csv', 'summary.json', 'summary.md']);
  assert.match(
    readFileSync(path.join(out, 'timings.csv'), 'utf8'),
    /^predictor,loss,size,runs,fit_seconds_mean/,
  );
  assert.doesNotMatch(readFileSync(path.join(out, 'summary.csv'), 'utf8'), /fit_seconds/);
  // A shard whose runs were removed does not cover the grid: the merge names what is missing.
  const gap = path.join(dir, 'pred-gap');
  cpSync(`${out}.shard1`, gap, { recursive: true });
  const { rmSync, readdirSync } = await import('node:fs');
  rmSync(path.join(gap, 'runs', readdirSync(path.join(gap, 'runs'))[0]));
  await refused(
    ['merge', `${out}.shard0`, gap, `${out}.shard2`, '--out', path.join(dir, 'pred-2')],
    /runs are missing .*do not cover the grid/,
  );
});
