import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import { writeTinyCifarDir } from './helpers/tiny-cifar.js';

// `nas-surgery slurm submit` against a real SLURM cluster: the one `scripts/local-slurm.sh start` brings up (.ci/run
// starts it and exports SLURM_CONF). Without a cluster the tests skip, except under CI=true, where they fail.
// Every wait has a timeout: the test's own, and --wait-timeout on the submit.
// Found on PATH (its --version itself fails without a configuration, so the spawn error is what tells).
const sbatchFound = spawnSync('sbatch', ['--version'], { encoding: 'utf8' }).error === undefined;
const clusterUp =
  sbatchFound &&
  process.env.SLURM_CONF !== undefined &&
  spawnSync('sinfo', ['-h', '-o', '%T'], { encoding: 'utf8', timeout: 10_000 }).status === 0;

function clusterOrSkip(t: TestContext): boolean {
  if (clusterUp) return true;
  const why = !sbatchFound
    ? 'sbatch not found (Debian: slurm-wlm)'
    : !process.env.SLURM_CONF
      ? 'SLURM_CONF not set (eval "$(scripts/local-slurm.sh start)")'
      : 'sinfo cannot reach the controller';
  if (process.env.CI === 'true') assert.fail(`CI=true but no SLURM cluster: ${why}`);
  t.skip(`no SLURM cluster: ${why}`);
  return false;
}

// A folder with a space in its name: the scripts quote what they pass to sbatch and to the shell.
const dir = mkdtempSync(path.join(tmpdir(), 'nass slurm-'));
const data = writeTinyCifarDir(path.join(dir, 'tiny-cifar'), 17);

const ok = async (args: string[]) => {
  const r = await runCli(args);
  assert.equal(r.code, 0, `${args.join(' ')}: ${r.stdout}${r.stderr}`);
  return r;
};

const WAIT = ['--wait', '--wait-timeout', '4'];
const TIMEOUT = { timeout: 6 * 60_000 };

/**
 * The unsharded run into `out` (moved to `<out>.whole`, as the summary names its --out), then the same as a 4-task
 * array into `out`; the files must be equal.
 */
async function arrayEqualsWhole(args: string[], out: string, files: string[]) {
  await ok([...args, '--out', out]);
  const whole = `${out}.whole`;
  renameSync(out, whole);
  const r = await ok(['slurm', 'submit', '--array', '4', ...WAIT, '--', ...args, '--out', out]);
  assert.match(r.stdout, /submitted array job \d+ \(4 tasks\) and merge job \d+/);
  assert.match(r.stdout, /all 4 tasks and the merge succeeded/);
  for (const f of files) {
    const [a, b] = f === '' ? [whole, out] : [path.join(whole, f), path.join(out, f)];
    assert.ok(existsSync(b), `${b} merged`);
    assert.ok(readFileSync(b).equals(readFileSync(a)), `${f || out}: merged differs from the unsharded run`);
  }
  const status = await ok(['slurm', 'status', out, '--json']);
  const states = JSON.parse(status.stdout).states as { task: number | 'merge'; state: string }[];
  assert.deepEqual(
    states.map((s) => [s.task, s.state]),
    [0, 1, 2, 3, 'merge'].map((t) => [t, 'COMPLETED']),
  );
}

const zeroshot = [
  'zeroshot',
  'score',
  '--data',
  data,
  '--split',
  '0-32,32-40',
  '--channels',
  '4',
  '--cells',
  '1',
  '--archs',
  'deiso:10',
  '--batch-size',
  '8',
  '--workers',
  '1',
  '--proxies',
  'synflow,snip,grad_norm,jacob_cov',
  '--vote',
  'synflow+snip+jacob_cov',
  '--quiet',
];

test(
  'slurm submit --array 4 -- zeroshot score: the merged scores, criteria and summary are the unsharded run’s',
  TIMEOUT,
  async (t) => {
    if (!clusterOrSkip(t)) return;
    const out = path.join(dir, 'zs');
    await arrayEqualsWhole(zeroshot, out, ['scores.csv', 'zeroshot.json', 'summary.md']);
    // One log per task, and each task did its own shard.
    const logs = readdirSync(path.join(`${out}.slurm`, 'logs')).sort();
    assert.deepEqual(logs, ['merge.log', 'task-0.log', 'task-1.log', 'task-2.log', 'task-3.log']);
    for (let i = 0; i < 4; i++) {
      const m = JSON.parse(
        readFileSync(path.join(`${out}.slurm`, 'shards', `task-${i}`, 'manifest.json'), 'utf8'),
      );
      assert.equal(m.config.shard, `${i}/4`);
    }
  },
);

test(
  'slurm submit --array 4 -- oneshot derive: the merged score file is the unsharded one',
  TIMEOUT,
  async (t) => {
    if (!clusterOrSkip(t)) return;
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
      '4',
      '--cells',
      '1',
      '--batch-size',
      '16',
      '--epochs',
      '1',
      '--quiet',
    ]);
    const derive = [
      'oneshot',
      'derive',
      '--checkpoint',
      path.join(run, 'checkpoints', 'epoch-0001.ckpt'),
      '--data',
      data,
      '--archs',
      'deiso:12',
      '--quiet',
    ];
    await arrayEqualsWhole(derive, path.join(dir, 'derive.csv'), ['']);
  },
);

test(
  'a task that fails: submit --wait exits 1 naming the task and its log, the merge is cancelled, merge refuses',
  TIMEOUT,
  async (t) => {
    if (!clusterOrSkip(t)) return;
    const out = path.join(dir, 'zs-fail');
    // Task 2 cannot create its output folder: a file is in its place.
    mkdirSync(path.join(`${out}.slurm`, 'shards'), { recursive: true });
    writeFileSync(path.join(`${out}.slurm`, 'shards', 'task-2'), 'not a folder\n');
    const r = await runCli(['slurm', 'submit', '--array', '4', ...WAIT, '--', ...zeroshot, '--out', out]);
    assert.equal(r.code, 1, `${r.stdout}${r.stderr}`);
    const log = path.join(`${out}.slurm`, 'logs', 'task-2.log');
    assert.match(r.stderr, /slurm job \d+ failed:/);
    assert.ok(r.stderr.includes(`task 2 FAILED (exit 2): ${log}`), r.stderr);
    assert.match(r.stderr, /merge CANCELLED \(DependencyNeverSatisfied\): not run, a task failed/);
    assert.doesNotMatch(r.stderr, /task [013] /, 'only the failed task is named');
    assert.ok(!existsSync(out), 'nothing merged');
    assert.match(readFileSync(log, 'utf8'), /task-2: cannot mkdir: something else already stands there/);

    const status = await runCli(['slurm', 'status', out]);
    assert.equal(status.code, 0, status.stderr);
    assert.match(status.stdout, /\b2\s+FAILED\s+2\b/);

    const shards = [0, 1, 2, 3].map((i) => path.join(`${out}.slurm`, 'shards', `task-${i}`));
    const merge = await runCli(['merge', ...shards, '--out', out]);
    assert.equal(merge.code, 2, merge.stdout + merge.stderr);
    assert.equal(merge.stderr.trim().split('\n').length, 1, merge.stderr);
    assert.match(merge.stderr, /task-2/);
  },
);
