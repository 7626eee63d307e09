import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  arrayScript,
  mergeScript,
  planSubmit,
  shellQuote,
  shardOutput,
  statusFile,
} from './sbatch-scripts.js';

const bash = (script: string, env: Record<string, string> = {}) =>
  spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

test('shellQuote: bash reads back every string as it was', () => {
  const strings = [
    'plain',
    'with space',
    "it's",
    '$HOME',
    '`id`',
    'a"b',
    'tab\there',
    'new\nline',
    '',
    '*',
    '--out=x y',
    'ü',
  ];
  for (const s of strings) {
    const r = bash(`printf '%s' ${shellQuote(s)}`);
    assert.equal(r.stdout, s, JSON.stringify(s));
  }
  assert.equal(shellQuote('a/b-c.d:e'), 'a/b-c.d:e', 'safe strings stay bare');
});

test('planSubmit: the subcommand, its --out, and what is refused', () => {
  const o = { tasks: 3, launcher: ['node', 'cli.js'], cwd: '/w', resources: {} };
  const p = planSubmit(['zeroshot', 'score', '--archs', 'all', '--out', 'runs/zs'], o);
  assert.equal(p.command, 'zeroshot score');
  assert.equal(p.out, '/w/runs/zs');
  assert.equal(p.workDir, '/w/runs/zs.slurm');
  assert.equal(planSubmit(['oneshot', 'derive', '--out=/abs/s.csv'], o).out, '/abs/s.csv');
  assert.equal(
    shardOutput(planSubmit(['oneshot', 'derive', '--out=/abs/s.csv'], o), 2),
    '/abs/s.csv.slurm/shards/task-2.csv',
  );
  assert.throws(() => planSubmit(['evaluate', 'x', '--out', 'y'], o), /'evaluate x' cannot run as an array/);
  assert.throws(() => planSubmit([], o), /'\(nothing\)' cannot run as an array/);
  assert.throws(
    () => planSubmit(['zeroshot', 'score', '--out', 'y', '--shard', '0/2'], o),
    /leave out --shard/,
  );
  assert.throws(() => planSubmit(['zeroshot', 'score', '--shards=2', '--out', 'y'], o), /leave out --shard/);
  assert.throws(() => planSubmit(['zeroshot', 'score'], o), /needs its --out/);
  assert.throws(() => planSubmit(['zeroshot', 'score', '--out', 'a"b'], o), /quote or a line break/);
  assert.throws(
    () => planSubmit(['zeroshot', 'score', '--out', 'y'], { ...o, tasks: 0 }),
    /--array must be a positive/,
  );
});

test('arrayScript: the directives, and task i runs shard auto into its own output and records its exit code', () => {
  const cwd = mkdtempSync(path.join(tmpdir(), 'nass-sbatch-'));
  const p = planSubmit(
    ['zeroshot', 'score', '--archs', "deiso:9 it's", '--out', 'my runs/zs', '--seed', '3'],
    {
      tasks: 4,
      // A stand-in for nas-surgery that prints its arguments one per line and exits 3.
      launcher: ['bash', '-c', 'printf "%s\\n" "$@"; exit 3', 'nas-surgery'],
      cwd,
      resources: { partition: 'gpu', time: '1:00:00', cpusPerTask: 2, mem: '8G', throttle: 2 },
    },
  );
  const script = arrayScript(p);
  const lines = script.split('\n');
  assert.equal(lines[0], '#!/bin/bash');
  for (const d of [
    '#SBATCH --job-name=nas-surgery-zeroshot-score',
    `#SBATCH --output="${path.join(cwd, 'my runs/zs.slurm/logs/task-%a.log')}"`,
    '#SBATCH --partition=gpu',
    '#SBATCH --time=1:00:00',
    '#SBATCH --cpus-per-task=2',
    '#SBATCH --mem=8G',
    '#SBATCH --array=0-3%2',
  ])
    assert.ok(lines.includes(d), `${d} in\n${script}`);
  mkdirSync(path.join(p.workDir, 'status'), { recursive: true });
  const r = bash(script, { SLURM_ARRAY_TASK_ID: '2' });
  assert.equal(r.status, 3, r.stderr);
  assert.deepEqual(r.stdout.trim().split('\n'), [
    'zeroshot',
    'score',
    '--archs',
    "deiso:9 it's",
    '--out',
    path.join(cwd, 'my runs/zs.slurm/shards/task-2'),
    '--seed',
    '3',
    '--shard',
    'auto',
  ]);
  assert.equal(readFileSync(statusFile(p, 2), 'utf8'), '3\n');

  const merge = mergeScript(p);
  assert.ok(merge.includes('#SBATCH --job-name=nas-surgery-zeroshot-score-merge'));
  assert.ok(!merge.includes('--array'));
  const m = bash(merge);
  assert.equal(m.status, 3);
  assert.deepEqual(m.stdout.trim().split('\n'), [
    'merge',
    ...[0, 1, 2, 3].map((i) => path.join(cwd, `my runs/zs.slurm/shards/task-${i}`)),
    '--out',
    path.join(cwd, 'my runs/zs'),
  ]);
  assert.equal(readFileSync(statusFile(p, 'merge'), 'utf8'), '3\n');
  // --force on the subcommand reaches the merge; without resources there are no such directives.
  const f = planSubmit(['predictors', 'run', '--out', 'p', '--force'], {
    tasks: 2,
    launcher: ['x'],
    cwd,
    resources: {},
  });
  assert.match(mergeScript(f), / --out \S+ --force\n/);
  assert.doesNotMatch(arrayScript(f), /#SBATCH --(partition|time|mem|cpus-per-task)|--array=\S*%/);
  assert.match(arrayScript(f), /#SBATCH --array=0-1\n/);
});
