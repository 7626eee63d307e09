import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { runCli } from './helpers/run-cli.js';
import { writeTinyCifarDir } from './helpers/tiny-cifar.js';

// One rerun behaviour for every command that writes (src/io/rerun.ts): the same settings and inputs into the same
// --out do nothing and say so (exit 0); other settings are refused naming the first one that differs (exit 2, one
// line); --force replaces the run.
const dir = mkdtempSync(path.join(tmpdir(), 'nass-rerun-'));

async function rerunCases(o: {
  args: string[];
  /** A result file whose bytes show whether the run was rewritten. */
  file: string;
  /** The same command with one setting changed, and the words that must name it. */
  other: string[];
  names: RegExp;
}) {
  const first = await runCli(o.args);
  assert.equal(first.code, 0, `${o.args.join(' ')}: ${first.stderr}`);
  const before = readFileSync(o.file);
  const mtime = statSync(o.file).mtimeMs;

  const same = await runCli(o.args);
  assert.equal(same.code, 0, same.stderr);
  assert.match(
    same.stderr,
    /already holds this run \(same settings and inputs\): nothing to do; --force redoes it/,
  );
  assert.equal(statSync(o.file).mtimeMs, mtime, `${o.file} is left as it is`);

  const other = await runCli(o.other);
  assert.equal(other.code, 2, `${o.other.join(' ')} should be refused: ${other.stdout}${other.stderr}`);
  assert.match(
    other.stderr,
    /holds a run with other settings: .*; use another --out, or --force to replace it/,
  );
  assert.match(other.stderr, o.names);
  // One error line (notes such as derive's split note may come before it).
  assert.equal(
    other.stderr.split('\n').filter((l) => l.startsWith('nas-surgery: error:')).length,
    1,
    other.stderr,
  );
  assert.ok(readFileSync(o.file).equals(before), 'a refused rerun writes nothing');

  const forced = await runCli([...o.other, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(!readFileSync(o.file).equals(before), `--force replaced ${o.file}`);
}

test('evaluate --out: same run left as it is, another refused naming the setting, --force replaces', async () => {
  const scores = path.join(dir, 'scores.csv');
  writeFileSync(
    scores,
    'index,score\n' +
      Array.from({ length: 400 }, (_, i) => `${i * 37},${(i * 7919) % 401}`).join('\n') +
      '\n',
  );
  const out = path.join(dir, 'eval');
  await rerunCases({
    args: ['evaluate', '--scores', scores, '--out', out, '--bootstrap', '0'],
    file: path.join(out, 'criteria.json'),
    other: ['evaluate', '--scores', scores, '--out', out, '--bootstrap', '0', '--mode', 'deiso'],
    names: /mode "iso" there, "deiso" here/,
  });
  // Changed input, same settings: refused, naming the file.
  writeFileSync(scores, readFileSync(scores, 'utf8').replace('0,0\n', '0,5\n'));
  const changed = await runCli([
    'evaluate',
    '--scores',
    scores,
    '--out',
    out,
    '--bootstrap',
    '0',
    '--mode',
    'deiso',
  ]);
  assert.equal(changed.code, 2, changed.stderr);
  assert.match(changed.stderr, /its inputs changed since \(.*scores\.csv\)/);

  // report over that run: the same report is left as it is; another title is another report.
  const html = path.join(dir, 'r.html');
  await rerunCases({
    args: ['report', out, '--out', html],
    file: html,
    other: ['report', out, '--out', html, '--title', 'another'],
    names: /title "nas-surgery report" there, "another" here/,
  });
});

test('space export, predictors search: the same rule', async () => {
  const csv = path.join(dir, 'space.csv');
  const first = await runCli(['space', 'export', '--out', csv]);
  assert.equal(first.code, 0, first.stderr);
  const again = await runCli(['space', 'export', '--out', csv]);
  assert.equal(again.code, 0);
  assert.match(again.stderr, /already holds this run/);

  const out = path.join(dir, 'search');
  const args = ['predictors', 'search', '--predictor', 'rf', '--stages', '2', '--per-stage', '20', '--quiet'];
  await rerunCases({
    args: [...args, '--out', out],
    file: path.join(out, 'stages.csv'),
    other: [...args, '--seed', '3', '--out', out],
    names: /seed 20 there, 3 here/,
  });
});

test('zeroshot score and oneshot derive: the same rule', async () => {
  const data = writeTinyCifarDir(path.join(dir, 'cifar'), 23);
  const common = ['--data', data, '--split', '0-32,32-40', '--channels', '2', '--cells', '1', '--quiet'];
  const zs = path.join(dir, 'zs');
  const zsArgs = [
    'zeroshot',
    'score',
    ...common,
    '--archs',
    'deiso:6',
    '--batch-size',
    '8',
    '--workers',
    '1',
  ];
  const zsFast = [...zsArgs, '--proxies', 'synflow,snip', '--vote', 'none'];
  await rerunCases({
    args: [...zsFast, '--out', zs],
    file: path.join(zs, 'zeroshot.json'),
    // Only the summary's truth differs: named, and with --force only the summaries are redone.
    other: [...zsFast, '--truth', 'cifar100', '--out', zs],
    names: /truth "cifar10" there, "cifar100" here/,
  });

  const run = path.join(dir, 'run');
  const train = await runCli([
    'oneshot',
    'train',
    ...common,
    '--out',
    run,
    '--batch-size',
    '16',
    '--epochs',
    '1',
  ]);
  assert.equal(train.code, 0, train.stderr);
  const derive = [
    'oneshot',
    'derive',
    '--checkpoint',
    path.join(run, 'checkpoints', 'epoch-0001.ckpt'),
    '--data',
    data,
  ];
  const out = path.join(dir, 'derive.csv');
  await rerunCases({
    args: [...derive, '--archs', 'deiso:5', '--quiet', '--out', out],
    file: out,
    other: [...derive, '--archs', 'deiso:6', '--quiet', '--out', out],
    names: /archs "deiso:5" there, "deiso:6" here/,
  });
});
