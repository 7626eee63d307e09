import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';

// `slurm submit` and `slurm status` without a cluster: the dry run, and the refusals. (With a real cluster:
// test/slurm-cluster.test.ts.)
const dir = mkdtempSync(path.join(tmpdir(), 'nass-slurm-cli-'));
const zs = ['zeroshot', 'score', '--archs', 'deiso:8', '--seed', '3'];

test('slurm submit --dry-run prints the array and the merge script and writes nothing', async () => {
  const out = path.join(dir, 'zs');
  const r = await runCli([
    'slurm',
    'submit',
    '--array',
    '3',
    '--dry-run',
    '--time',
    '0:30:00',
    '--throttle',
    '2',
    '--',
    ...zs,
    '--out',
    out,
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.ok(r.stdout.includes(`# ${path.join(`${out}.slurm`, 'array.sbatch')}`));
  assert.ok(
    r.stdout.includes(`# ${path.join(`${out}.slurm`, 'merge.sbatch')} (submitted with --dependency=afterok`),
  );
  assert.match(r.stdout, /#SBATCH --array=0-2%2\n/);
  assert.match(r.stdout, /#SBATCH --time=0:30:00\n/);
  assert.match(
    r.stdout,
    / zeroshot score --archs deiso:8 --seed 3 --out \S+\/zs\.slurm\/shards\/task-"\$i" --shard auto\n/,
  );
  assert.match(r.stdout, / merge (\S+\/zs\.slurm\/shards\/task-\d ){3}--out \S+\/zs\n/);
  assert.ok(!existsSync(`${out}.slurm`) && !existsSync(out), 'a dry run writes nothing');
});

test('slurm submit and status refuse in one line: no command, an unshardable one, --shard, no --out, no sbatch', async () => {
  const refused = async (args: string[], pattern: RegExp, env?: NodeJS.ProcessEnv) => {
    const r = await runCli(args, undefined, env);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
    assert.match(r.stderr, pattern);
    assert.equal(r.stderr.trim().split('\n').length, 1, r.stderr);
  };
  const out = path.join(dir, 'r');
  await refused(
    ['slurm', 'submit', '--array', '2', '--', 'evaluate', '--out', out],
    /'evaluate --out' cannot run as an array/,
  );
  await refused(
    ['slurm', 'submit', '--array', '2', '--', ...zs, '--shard', '0/2', '--out', out],
    /leave out --shard/,
  );
  await refused(['slurm', 'submit', '--array', '2', '--', ...zs], /needs its --out/);
  const zero = await runCli(['slurm', 'submit', '--array', '0', '--', ...zs, '--out', out]);
  assert.equal(zero.code, 2);
  assert.match(zero.stderr, /'--array <n>' argument '0' is invalid/);
  await refused(['slurm', 'submit', '--array', '2', '--', ...zs, '--out', out], /sbatch not found/, {
    PATH: path.join(dir, 'no-such-bin'),
  });
  await refused(['slurm', 'status', path.join(dir, 'never')], /no job submitted with --out/);
});
