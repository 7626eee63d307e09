import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { formatArch } from '../src/space/arch-string.js';
import { parse as parseCsv } from 'csv-parse/sync';
import { assertBadInputs } from './helpers/bad-input.js';
import { runCli } from './helpers/run-cli.js';

const gt = loadGroundTruth();
const dir = mkdtempSync(path.join(tmpdir(), 'nass-cli-'));
const c10 = gt.truth('cifar10');
const A0 = formatArch(gt.archs[0]);
const A1 = formatArch(gt.archs[1]);
const A2 = formatArch(gt.archs[2]);

function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

test('space stats --json shows the space facts', async () => {
  const r = await runCli(['space', 'stats', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.architectures, 15625);
  assert.equal(s.classes, 6466);
  assert.equal(s.singletons, 5116);
  assert.equal(s.largestClass, 275);
  assert.equal(s.valid, 13642);
  assert.equal(s.unreachable, 341);
  assert.ok(Math.abs(s.flopsM.min - 7.78305) < 1e-9 && Math.abs(s.flopsM.max - 220.11969) < 1e-9);
  assert.equal(s.classSizeHistogram['275'], 3);
});

test('space show by index and by an isomorphic string', async () => {
  const r = await runCli(['space', 'show', '1', '--json']);
  assert.equal(r.code, 0, r.stderr);
  const s = JSON.parse(r.stdout);
  assert.equal(s.arch, A1);
  assert.ok(Math.abs(s.flopsM - 113.95137) < 1e-9);
  assert.ok(Math.abs(s.paramsM - 0.802426) < 1e-12);
  assert.equal(s.truth.cifar10, c10[1]);
  const iso = gt.iso();
  const c = iso.size.findIndex((k) => k > 1);
  const member = [...iso.classOf.keys()].filter((i) => iso.classOf[i] === c).at(-1)!;
  const r2 = await runCli(['space', 'show', formatArch(gt.archs[member]), '--json']);
  const s2 = JSON.parse(r2.stdout);
  assert.equal(s2.index, member);
  assert.equal(s2.representative, iso.representative[c]);
  const bad = await runCli(['space', 'show', '99999']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /index 99999 is out of range/);
  // The class members, all of them, in index order.
  const members = [...iso.classOf.keys()].filter((i) => iso.classOf[i] === c);
  assert.deepEqual(s2.members, members);
});

test('space show takes seq6 and NASLib op_indices; six bare codes need --as', async () => {
  // Index 1 is seq6 3,3,4,1,3,1 (tril order) and NASLib op_indices 2,2,0,4,2,0 (NASLib's edge order and op codes).
  const bySeq6 = JSON.parse((await runCli(['space', 'show', 'seq6:3,3,4,1,3,1', '--json'])).stdout);
  const byNaslib = JSON.parse((await runCli(['space', 'show', 'op_indices:2,2,0,4,2,0', '--json'])).stdout);
  const byAs = JSON.parse(
    (await runCli(['space', 'show', '2,2,0,4,2,0', '--as', 'op_indices', '--json'])).stdout,
  );
  assert.deepEqual([bySeq6.index, byNaslib.index, byAs.index], [1, 1, 1]);
  assert.deepEqual(byNaslib.naslibOpIndices, [2, 2, 0, 4, 2, 0]);
  const bare = await runCli(['space', 'show', '3,3,4,1,3,1']);
  assert.equal(bare.code, 2);
  assert.match(bare.stderr, /six op codes, but in which encoding\? Write seq6:3,3,4,1,3,1/);
  const five = await runCli(['space', 'show', 'seq6:3,3,5,1,3,1']);
  assert.equal(five.code, 2);
});

test('space export writes every architecture with its encodings, class, costs and truths; --force to overwrite', async () => {
  const out = path.join(dir, 'space.csv');
  const r = await runCli(['space', 'export', '--out', out]);
  assert.equal(r.code, 0, r.stderr);
  const rows = parseCsv(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
  assert.equal(rows.length, 15625);
  assert.deepEqual(Object.keys(rows[0]).slice(0, 10), [
    'index',
    'arch',
    'seq6',
    'naslib_op_indices',
    'iso_key',
    'class_id',
    'representative',
    'class_size',
    'flops_m',
    'params_m',
  ]);
  const iso = gt.iso();
  for (const i of [0, 1, 6111, 15624]) {
    const row = rows[i];
    assert.equal(Number(row.index), i);
    assert.equal(row.arch, formatArch(gt.archs[i]));
    assert.equal(row.seq6, Array.from(gt.archs[i]).join(','));
    assert.equal(Number(row.class_size), iso.size[iso.classOf[i]]);
    assert.equal(Number(row.representative), iso.representative[iso.classOf[i]]);
    assert.equal(Number(row.cifar10), c10[i]);
  }
  assert.ok(existsSync(path.join(dir, 'space.manifest.json')));
  // The same export again: left as it is (src/io/rerun.ts; test/cli-rerun.test.ts has every case).
  const again = await runCli(['space', 'export', '--out', out]);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stderr, /already holds this run/);
  assert.equal((await runCli(['space', 'export', '--out', out, '--force'])).code, 0);
});

test('evaluate reads CSV and JSON, writes --out atomically and refuses to overwrite', async () => {
  const rows = [...gt.archs.keys()].filter((i) => i % 5 === 0);
  const csv = file(
    's.csv',
    'arch,extra,score\n' + rows.map((i) => `${formatArch(gt.archs[i])},x,${c10[i] + (i % 7)}`).join('\n'),
  );
  const json = file('s.json', JSON.stringify(rows.map((i) => ({ index: i, score: c10[i] + (i % 7) }))));
  const a = await runCli(['evaluate', '--scores', csv, '--json', '--bootstrap', '0']);
  const b = await runCli(['evaluate', '--scores', json, '--json', '--bootstrap', '0']);
  assert.equal(a.code, 0, a.stderr);
  const ra = JSON.parse(a.stdout);
  const rb = JSON.parse(b.stdout);
  assert.equal(ra.kendall, rb.kendall);
  assert.equal(ra.n, rows.length);
  assert.deepEqual(ra.coverage, { covered: rows.length, total: 15625, fraction: rows.length / 15625 });
  for (const key of [
    'pearson',
    'kendall',
    'spearman',
    'precisionTop',
    'precisionBottom',
    'bestRank',
    'worstRank',
    'kendallTop',
    'kendallBottom',
    'flopsGroups',
    'isoSpread',
    'ci',
  ])
    assert.ok(key in ra, key);
  const out = path.join(dir, 'out');
  const w = await runCli(['evaluate', '--scores', csv, '--out', out, '--bootstrap', '20']);
  assert.equal(w.code, 0, w.stderr);
  for (const f of ['criteria.json', 'summary.md', 'items.csv', 'manifest.json'])
    assert.ok(existsSync(path.join(out, f)), f);
  const manifest = JSON.parse(readFileSync(path.join(out, 'manifest.json'), 'utf8'));
  assert.equal(manifest.command, 'evaluate');
  assert.equal(manifest.seeds.bootstrap, 0);
  assert.equal(manifest.inputs[0].file, csv);
  assert.match(manifest.versions.node, /^v20|^v2\d/);
  // Another setting (the default 200 resamples) over the run: refused, naming it.
  const again = await runCli(['evaluate', '--scores', csv, '--out', out]);
  assert.equal(again.code, 2);
  assert.match(again.stderr, /holds a run with other settings: bootstrap .*--force to replace it/);
  const forced = await runCli(['evaluate', '--scores', csv, '--out', out, '--force', '--bootstrap', '0']);
  assert.equal(forced.code, 0, forced.stderr);
});

test('every bad input fails with one clear line and exit code 2, writing nothing', async () => {
  const out = path.join(dir, 'never');
  const cases: [string[], RegExp][] = [
    [
      ['--scores', file('malformed.csv', `arch,score\n${A0},1\n|nor_conv_3x3~0|+|oops|,2\n`)],
      /malformed\.csv:3: malformed NB201 string/,
    ],
    [
      [
        '--scores',
        file('unknown-op.csv', `arch,score\n${A0.replace('avg_pool_3x3', 'max_pool_3x3')},1\n${A1},2\n`),
      ],
      /unknown-op\.csv:2: .*unknown op 'max_pool_3x3'/,
    ],
    [
      ['--scores', file('range.csv', 'index,score\n0,1\n15625,2\n')],
      /range\.csv:3: index 15625 is out of range/,
    ],
    [
      ['--scores', file('neg.csv', 'index,score\n0,1\n-3,2\n')],
      /neg\.csv:3: index '-3' is not a non-negative integer/,
    ],
    [
      ['--scores', file('dup.csv', `arch,score\n${A0},1\n${A1},2\n${A0},3\n`)],
      /dup\.csv:4: architecture 0 appears again \(first at .*dup\.csv:2\)/,
    ],
    [
      ['--scores', file('nan.csv', `index,score\n0,1\n1,NaN\n`)],
      /nan\.csv:3: score 'NaN' .* not a finite number/,
    ],
    [['--scores', file('empty-score.csv', `index,score\n0,1\n1,\n`)], /empty-score\.csv:3: empty score/],
    [['--scores', file('empty.csv', '')], /empty\.csv: the file is empty/],
    [['--scores', file('header-only.csv', 'index,score\n')], /header-only\.csv: no score rows/],
    [
      ['--scores', file('nocol.csv', 'index,acc\n0,1\n1,2\n'), '--score-column', 'score'],
      /nocol\.csv:1: no score column 'score' \(columns: index, acc\)/,
    ],
    [
      ['--scores', file('nokey.csv', 'name,score\na,1\n')],
      /nokey\.csv:1: the header needs an 'arch' or 'index' column/,
    ],
    [
      ['--scores', file('ok.csv', 'index,score\n0,1\n1,2\n2,3\n'), '--truth', 'cifar11'],
      /--truth must be one of cifar10, .*got 'cifar11'/,
    ],
    [
      ['--scores', file('ok2.csv', 'index,score\n0,1\n1,2\n'), '--mode', 'isomorphic'],
      /--mode must be one of iso, deiso, post-deiso/,
    ],
    [
      ['--scores', file('one.csv', 'index,score\n5,1\n')],
      /only 1 of 15625 architectures are scored; need at least 2/,
    ],
    [
      ['--scores', file('bad.json', '[{"index": 0, "score": 1}, {"index": 1, "score": null}]')],
      /bad\.json: \[1\]: missing score in column 'score'/,
    ],
    [['--scores', file('notarray.json', '{"a": 1}')], /notarray\.json: expected a JSON array/],
    [['--scores', file('broken.json', '[{"index": 0,')], /broken\.json: invalid JSON/],
    [['--scores', path.join(dir, 'missing.csv')], /missing\.csv: cannot read score file \(no such file\)/],
    [
      ['--scores', file('disagree.csv', `index,arch,score\n0,${A1},1\n2,${A2},2\n`)],
      /disagree\.csv:2: index 0 and arch \(NB201 index 1\) disagree/,
    ],
    [
      ['--scores', file('ok3.csv', 'index,score\n0,1\n1,2\n'), '--bootstrap', 'many'],
      /--bootstrap must be an integer/,
    ],
  ];
  const results = await Promise.all(cases.map(([args]) => runCli(['evaluate', ...args, '--out', out])));
  assertBadInputs(results, cases);
  assert.ok(!existsSync(out), 'no partial output');
  const usage = await runCli(['evaluate']);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /required option '--scores <file>'/);
});

test('duplicates are averaged with --dedupe mean; deiso and post-deiso compare classes', async () => {
  const dup = file('dup-ok.csv', `arch,score\n${A0},1\n${A1},2\n${A0},3\n${A2},0\n`);
  const r = await runCli(['evaluate', '--scores', dup, '--dedupe', 'mean', '--json', '--bootstrap', '0']);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.equal(j.n, 3);
  assert.deepEqual(j.rows, { read: 4, merged: 1, unused: 0 });
  const all = file('all.csv', 'index,score\n' + [...gt.archs.keys()].map((i) => `${i},${c10[i]}`).join('\n'));
  const deiso = JSON.parse(
    (await runCli(['evaluate', '--scores', all, '--mode', 'deiso', '--json', '--bootstrap', '0'])).stdout,
  );
  assert.equal(deiso.n, 6466);
  assert.equal(deiso.rows.unused, 15625 - 6466);
  const post = JSON.parse(
    (await runCli(['evaluate', '--scores', all, '--mode', 'post-deiso', '--json', '--bootstrap', '0']))
      .stdout,
  );
  // Truth as score, averaged within classes, equals the class-mean truth: a perfect ranking.
  assert.ok(Math.abs(post.kendall - 1) < 1e-12);
  assert.ok(deiso.kendall < 1 && deiso.kendall > 0.95);
});

test('evaluate --lower-is-better judges the negation: a loss column gives the τ of its negative', async () => {
  const loss = file(
    'loss.csv',
    'index,loss\n' + [...gt.archs.keys()].map((i) => `${i},${100 - c10[i]}`).join('\n') + '\n',
  );
  const r = await runCli([
    'evaluate',
    '--scores',
    loss,
    '--score-column',
    'loss',
    '--lower-is-better',
    '--json',
    '--bootstrap',
    '0',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const j = JSON.parse(r.stdout);
  assert.ok(Math.abs(j.kendall - 1) < 1e-12, `τ ${j.kendall}: 100 − accuracy, negated, ranks like the truth`);
  const plain = JSON.parse(
    (await runCli(['evaluate', '--scores', loss, '--score-column', 'loss', '--json', '--bootstrap', '0']))
      .stdout,
  );
  assert.ok(Math.abs(plain.kendall + 1) < 1e-12, 'without the flag the loss ranks backwards');
});
