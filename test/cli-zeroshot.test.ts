import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { kendallTau } from '../src/metrics/kendall.js';
import { runCli } from './helpers/run-cli.js';

const dir = mkdtempSync(path.join(tmpdir(), 'nass-zs-'));
// 40 images in the CIFAR-10 binary format (label byte + 3072 pixel bytes): 32 to draw the batch from, 8 held out.
const data = path.join(dir, 'tiny-cifar');
mkdirSync(data);
const bytes = new Uint8Array(40 * 3073);
for (let k = 0; k < 40; k++) {
  bytes[k * 3073] = k % 10;
  for (let j = 1; j < 3073; j++) bytes[k * 3073 + j] = (k * 53 + j * 7 + ((j * k) % 13)) % 256;
}
writeFileSync(path.join(data, 'data_batch_1.bin'), bytes);
const base = [
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
];
const small = [...base, '--archs', 'deiso:8', '--batch-size', '8', '--workers', '2'];

type Row = {
  evaluator: string;
  n: number;
  kendall: number;
  kendall_ci_low?: number;
  kendall_ci_high?: number;
};

test('zeroshot score: every proxy, the vote and the cost baselines, judged on the scored architectures', async () => {
  const out = path.join(dir, 'run');
  const r = await runCli([...small, '--mode', 'iso', '--out', out, '--json']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout) as { summary: Row[]; archs: number };
  assert.equal(j.archs, 8);
  assert.deepEqual(
    j.summary.map((s) => s.evaluator),
    [
      'grad_norm',
      'snip',
      'grasp',
      'fisher',
      'plain',
      'jacob_cov',
      'synflow',
      'relu_logdet',
      'vote_paper',
      'vote_zc',
      'flops',
      'params',
    ],
  );
  const [header, ...lines] = readFileSync(path.join(out, 'scores.csv'), 'utf8').trim().split('\n');
  assert.equal(
    header,
    'index,arch,grad_norm,snip,grasp,fisher,plain,jacob_cov,synflow,relu_logdet,vote_paper,vote_zc,flops,params',
  );
  assert.equal(lines.length, 8);
  // The flops column and its τ line up with the ground truth of the listed architectures.
  const gt = loadGroundTruth();
  const idx = lines.map((l) => Number(l.split(',')[0]));
  const flops = Float64Array.from(idx, (i) => gt.costs().flops[i]);
  const truth = Float64Array.from(idx, (i) => gt.truth('cifar10')[i]);
  lines.forEach((l, k) => assert.equal(Number(l.split(',').at(-2)), flops[k]));
  const flopsRow = j.summary.find((s) => s.evaluator === 'flops')!;
  assert.ok(Math.abs(flopsRow.kendall - kendallTau(flops, truth)) < 1e-12);
  // Every τ has its bootstrap interval around it.
  for (const r of j.summary.filter((x) => Number.isFinite(x.kendall))) {
    assert.ok(r.kendall_ci_low! <= r.kendall + 1e-12 && r.kendall <= r.kendall_ci_high! + 1e-12, r.evaluator);
  }
  for (const f of ['summary.md', 'zeroshot.json', 'manifest.json', 'partial.jsonl'])
    readFileSync(path.join(out, f));
  // A proxy column is a score file for `evaluate`.
  const ev = await runCli([
    'evaluate',
    '--scores',
    path.join(out, 'scores.csv'),
    '--score-column',
    'synflow',
    '--json',
  ]);
  assert.equal(ev.code, 0, ev.stderr);
  assert.equal(JSON.parse(ev.stdout).n, 8);
  // deiso mode (the default) judges the same representatives against their class-mean truth.
  rmSync(path.join(out, 'scores.csv'));
  const deiso = await runCli([...small, '--out', out, '--json']);
  assert.equal(deiso.code, 0, deiso.stderr);
  const classTruth = Float64Array.from(idx, (i) => gt.classMeanTruth('cifar10')[gt.iso().classOf[i]]);
  const deisoFlops = (JSON.parse(deiso.stdout) as { summary: Row[] }).summary.find(
    (s) => s.evaluator === 'flops',
  )!;
  assert.ok(Math.abs(deisoFlops.kendall - kendallTau(flops, classTruth)) < 1e-12);
  // A finished run with another setting is not replaced without --force; the same run is left as it is.
  const again = await runCli([...small, '--mode', 'iso', '--out', out]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /holds a run with other settings: mode "deiso" there, "iso" here/);
  const same = await runCli([...small, '--out', out]);
  assert.equal(same.code, 0, same.stderr);
  assert.match(same.stderr, /already holds this run/);
});

test('zeroshot score resumes from its checkpoint with the same numbers, and refuses other settings', async () => {
  const out = path.join(dir, 'resume');
  const args = [...small, '--proxies', 'snip,synflow,relu_logdet', '--vote', 'none', '--out', out, '--quiet'];
  assert.equal((await runCli(args)).code, 0);
  const first = readFileSync(path.join(out, 'scores.csv'), 'utf8');
  // Keep the settings line and 3 scored architectures, plus a line cut short by an interrupted append.
  const partial = readFileSync(path.join(out, 'partial.jsonl'), 'utf8').split('\n');
  writeFileSync(
    path.join(out, 'partial.jsonl'),
    [...partial.slice(0, 4), partial[4].slice(0, 10)].join('\n'),
  );
  rmSync(path.join(out, 'scores.csv'));
  const resumed = await runCli(args);
  assert.equal(resumed.code, 0, resumed.stderr);
  assert.match(resumed.stdout, /8 architectures \(5 new\)/);
  assert.equal(readFileSync(path.join(out, 'scores.csv'), 'utf8'), first);
  rmSync(path.join(out, 'scores.csv'));
  const other = await runCli([...args.filter((a) => a !== '--quiet'), '--seed', '3']);
  assert.equal(other.code, 2);
  assert.match(other.stderr, /partial\.jsonl: holds a zero-shot run with other settings/);
});

test('zeroshot commands reject bad input with exit code 2', async () => {
  const cases: [string[], RegExp][] = [
    [
      [...small, '--proxies', 'snip,naswot', '--out', path.join(dir, 'x1')],
      /--proxies: unknown zero-shot proxy 'naswot'/,
    ],
    [
      [...small, '--vote', 'snip+synflow', '--out', path.join(dir, 'x2')],
      /--vote: 'snip\+synflow' is not a vote: give a preset \(paper, zc\) or three different proxies/,
    ],
    [
      [...small, '--proxies', 'snip,synflow', '--vote', 'zc', '--out', path.join(dir, 'x3')],
      /--vote: vote_zc uses jacob_cov, which --proxies leaves out/,
    ],
    [[...base, '--batch-size', '64', '--out', path.join(dir, 'x4')], /only 32 images/],
    [
      [
        ...base,
        '--channels',
        '16',
        '--cells',
        '5',
        '--batch-size',
        '32',
        '--proxies',
        'grasp,snip',
        '--vote',
        'none',
        '--backend',
        'wasm',
        '--out',
        path.join(dir, 'x6'),
      ],
      /grasp's exact Hessian-vector product at C16 N5 with 32 images needs about 10 GB, beyond the wasm backend's 4 GB/,
    ],
    [[...small, '--backend', 'webgl', '--out', path.join(dir, 'x5')], /--backend must be one of/],
  ];
  const results = await Promise.all(cases.map(([a]) => runCli(a)));
  results.forEach((r, i) => {
    assert.equal(r.code, 2, `${cases[i][0].join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, cases[i][1]);
  });
  const list = await runCli(['zeroshot', 'list']);
  assert.equal(list.code, 0);
  assert.match(list.stdout, /relu_logdet +log det K/);
});
