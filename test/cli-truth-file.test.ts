/**
 * Any benchmark through `evaluate --truth-file`: a truth file of NB201 ids agrees with the bundled truth in every
 * mode; SYNTHETIC NB101- and NB301-style files (test/helpers/synthetic-benchmarks.ts) run end to end through
 * evaluate and report; ties follow the truth file's row order; NASLib zc files are judged against our truth and
 * against their own; every bad input fails through the real CLI with one line, exit 2 and nothing written.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { archToNaslibKey, naslibKeyToArch } from '../src/benchmarks/naslib-zc.js';
import { kendallTau } from '../src/metrics/kendall.js';
import { formatArch, parseArch } from '../src/space/arch-string.js';
import { archFromCode } from '../src/space/arch.js';
import { evaluateTable } from '../src/surgery/evaluate-table.js';
import { assertBadInputs } from './helpers/bad-input.js';
import { runCli } from './helpers/run-cli.js';
import { nb101Items, nb301Items, scoresCsv, truthCsv } from './helpers/synthetic-benchmarks.js';

const gt = loadGroundTruth();
const dir = mkdtempSync(path.join(tmpdir(), 'nass-truthfile-'));
function file(name: string, content: string): string {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
}

test('a truth file of NB201 ids gives the bundled truth’s criteria in iso, deiso and post-deiso', () => {
  const c10 = gt.truth('cifar10');
  const { flops } = gt.costs();
  const { classOf } = gt.iso();
  const truth = file(
    'nb201-as-file.csv',
    'arch,acc,flops,cls\n' +
      gt.archs.map((a, i) => `${formatArch(a)},${c10[i]},${flops[i]},c${classOf[i]}`).join('\n') +
      '\n',
  );
  // Scores for every third architecture, in a scrambled row order, with ties (rounded).
  const picked = [...gt.archs.keys()]
    .filter((i) => i % 3 === 0)
    .sort((a, b) => ((a * 7919) % 5003) - ((b * 7919) % 5003));
  const scores = file(
    'nb201-scores.csv',
    'arch,s\n' +
      picked.map((i) => `${formatArch(gt.archs[i])},${Math.round(c10[i] + ((i * 37) % 11) - 5)}`).join('\n'),
  );
  for (const mode of ['iso', 'deiso', 'post-deiso'] as const) {
    const common = { scoresFile: scores, scoreColumn: 's', mode, bootstrap: false as const };
    const bundled = evaluateTable({ ...common, truth: 'cifar10' }).evaluations[0].result;
    const asFile = evaluateTable({
      ...common,
      truthFile: { file: truth, truthColumn: 'acc', costColumns: ['flops'], classColumn: 'cls' },
    }).evaluations[0].result;
    assert.equal(asFile.benchmark, 'nb201-as-file');
    assert.equal(asFile.n, bundled.n, mode);
    assert.deepEqual(asFile.coverage, bundled.coverage, mode);
    for (const k of ['kendall', 'spearman', 'pearson'] as const) {
      assert.ok(Math.abs(asFile[k] - bundled[k]) < 1e-12, `${mode} ${k}: ${asFile[k]} vs ${bundled[k]}`);
    }
    assert.deepEqual(asFile.precisionTop, bundled.precisionTop, mode);
    assert.deepEqual(asFile.bestRank, bundled.bestRank, mode);
    assert.deepEqual(asFile.kendallTop, bundled.kendallTop, mode);
    assert.deepEqual(asFile.flopsGroups, bundled.flopsGroups, mode);
    assert.deepEqual(asFile.costGroups?.[0].groups, bundled.flopsGroups, mode);
    assert.deepEqual(asFile.isoSpread, bundled.isoSpread, mode);
    assert.deepEqual(asFile.isoSpreadTruth, bundled.isoSpreadTruth, mode);
  }
});

test('ties are broken by the truth file’s row order', async () => {
  const scores = file('tie-scores.csv', 'arch,score\nz,5\ny,5\nx,5\nw,1\n');
  const order = async (rows: string) => {
    const truth = file('tie-truth.csv', `arch,truth\n${rows}`);
    const out = path.join(dir, `tie-${rows.length}-${rows.charCodeAt(0)}`);
    const r = await runCli([
      'evaluate',
      '--scores',
      scores,
      '--truth-file',
      truth,
      '--bootstrap',
      '0',
      '--out',
      out,
    ]);
    assert.equal(r.code, 0, r.stderr);
    const items = parseCsv(readFileSync(path.join(out, 'items.csv'), 'utf8'), { columns: true }) as Record<
      string,
      string
    >[];
    return items.sort((a, b) => Number(a.pred_rank) - Number(b.pred_rank)).map((i) => i.id);
  };
  assert.deepEqual(await order('x,1\ny,3\nz,2\nw,0\n'), ['x', 'y', 'z', 'w']);
  assert.deepEqual(await order('z,2\nw,0\ny,3\nx,1\n'), ['z', 'y', 'x', 'w']);
});

test('SYNTHETIC NB101- and NB301-style files: evaluate --truth-file with all score columns, then report', async () => {
  for (const [name, items, costs, cls] of [
    ['nb101', nb101Items(120), ['params', 'training_time'], 'class'],
    ['nb301', nb301Items(150), ['params'], undefined],
  ] as const) {
    const truth = file(`${name}-truth.csv`, truthCsv(items));
    const scores = file(`${name}-scores.csv`, scoresCsv(items));
    const out = path.join(dir, `${name}-runs`);
    const args = ['evaluate', '--scores', scores, '--truth-file', truth, '--truth-column', 'val_accuracy'];
    for (const c of costs) args.push('--cost-column', c);
    if (cls) args.push('--class-column', cls);
    const r = await runCli([...args, '--score-column', 'all', '--bootstrap', '20', '--out', out]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /skipped non-numeric column\(s\) note/);
    assert.match(
      r.stdout,
      new RegExp(`Surgery of 2 evaluators .* against ${name}-truth \\(truth column 'val_accuracy'\\)`),
    );
    assert.deepEqual(readdirSync(out).sort(), ['params_proxy', 'predictor']);
    const crit = JSON.parse(readFileSync(path.join(out, 'predictor', 'criteria.json'), 'utf8'));
    assert.equal(crit.benchmark, `${name}-truth`);
    assert.equal(crit.n, items.length);
    assert.equal(crit.rows.unmatched, 3);
    assert.deepEqual(
      crit.costGroups.map((g: { cost: string }) => g.cost),
      costs,
    );
    assert.equal(crit.isoSpread === null, cls === undefined);
    // τ against a join made here, independently of the CLI's.
    const byId = new Map(items.map((it) => [it.id, it.truth]));
    const rows = parseCsv(readFileSync(scores, 'utf8'), { columns: true }) as Record<string, string>[];
    const matched = rows.filter((row) => byId.has(row.arch));
    const tau = kendallTau(
      matched.map((row) => Number(row.predictor)),
      matched.map((row) => byId.get(row.arch)!),
    );
    assert.ok(Math.abs(crit.kendall - tau) < 1e-12, `${crit.kendall} vs ${tau}`);
    const itemsCsv = parseCsv(readFileSync(path.join(out, 'predictor', 'items.csv'), 'utf8'), {
      columns: true,
    }) as Record<string, string>[];
    assert.deepEqual(
      itemsCsv.map((i) => i.id),
      items.map((i) => i.id),
      'items.csv holds the ids, quoted, in truth-file order',
    );
    const summary = readFileSync(path.join(out, 'predictor', 'summary.md'), 'utf8');
    assert.match(summary, new RegExp(`Benchmark \`${name}-truth\``));
    if (!cls) assert.match(summary, /not computed \(no class column\)/);
    const html = path.join(dir, `${name}.html`);
    const rep = await runCli([
      'report',
      path.join(out, 'predictor'),
      path.join(out, 'params_proxy'),
      '--out',
      html,
    ]);
    assert.equal(rep.code, 0, rep.stderr);
    const page = readFileSync(html, 'utf8');
    assert.match(page, new RegExp(`<th[^>]*>benchmark</th><td[^>]*>${name}-truth<`));
    assert.match(page, /Rank error and Kendall τ by params group/);
  }
  // Without a cost column the cost-group analysis says so (never zero).
  const items = nb301Items(30, 9);
  const truth = file(
    'nocost-truth.csv',
    truthCsv(items)
      .replace(/,params/, '')
      .replace(/,[\d.e+]+$/gm, ''),
  );
  const r = await runCli([
    'evaluate',
    '--scores',
    file('nocost-scores.csv', scoresCsv(items)),
    '--truth-file',
    truth,
    '--truth-column',
    'val_accuracy',
    '--score-column',
    'predictor',
    '--bootstrap',
    '0',
    '--benchmark-name',
    'my space',
  ]);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /against my space \(truth column 'val_accuracy'\)/);
  assert.match(r.stdout, /Rank difference by cost group: not computed \(no cost column/);
  assert.match(r.stdout, /Isomorphic-group spread: not computed \(no class column\)/);
});

test('NASLib keys: hand-checked in both directions, and a round trip over all 15,625 cells', () => {
  const hand: [string, string][] = [
    [
      '(4, 0, 3, 1, 4, 3)',
      '|avg_pool_3x3~0|+|skip_connect~0|none~1|+|nor_conv_1x1~0|avg_pool_3x3~1|nor_conv_1x1~2|',
    ],
    [
      '(0, 1, 2, 3, 4, 0)',
      '|skip_connect~0|+|none~0|nor_conv_1x1~1|+|nor_conv_3x3~0|avg_pool_3x3~1|skip_connect~2|',
    ],
    [
      '(2, 2, 2, 2, 2, 2)',
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|',
    ],
  ];
  for (const [key, arch] of hand) {
    assert.equal(formatArch(naslibKeyToArch(key)), arch);
    assert.equal(archToNaslibKey(parseArch(arch)), key);
  }
  for (let code = 0; code < 15625; code++) {
    const a = archFromCode(code);
    assert.deepEqual(naslibKeyToArch(archToNaslibKey(a)), a);
  }
  for (const bad of ['(4, 0, 3, 1, 4)', '(5, 0, 3, 1, 4, 3)', '[4, 0, 3, 1, 4, 3]', 'abc']) {
    assert.throws(() => naslibKeyToArch(bad), /not a NASLib NAS-Bench-201 key/);
  }
});

/** A small zc file in NAS-Bench-Suite-Zero's layout over 60 NB201 cells, with proxies of known quality. */
function zcFile(): { path: string; indices: number[] } {
  const c10 = gt.truth('cifar10');
  const hp12 = gt.truth('cifar10-hp12');
  const { flops } = gt.costs();
  const indices = Array.from({ length: 60 }, (_, k) => (k * 257 + 11) % gt.n);
  const task = (shift: number) =>
    Object.fromEntries(
      indices.map((i, k) => [
        archToNaslibKey(gt.archs[i]),
        {
          exact: { score: c10[i] + shift, time: 0.01 },
          neg_flops: { score: -flops[i], time: 0.001 },
          jitter: { score: c10[i] + ((k * 13) % 7), time: 0.2 },
          val_accuracy: hp12[i],
        },
      ]),
    );
  return {
    path: file('zc_nasbench201.json', JSON.stringify({ cifar10: task(0), cifar100: task(1) })),
    indices,
  };
}

test('a NASLib zc file: every proxy in one table, against our truth and against its own val_accuracy', async () => {
  const zc = zcFile();
  const zcArgs = (...extra: string[]) => [
    'evaluate',
    '--scores',
    zc.path,
    '--task',
    'cifar10',
    '--score-column',
    'all',
    '--bootstrap',
    '0',
    ...extra,
  ];
  const ours = await runCli(zcArgs('--format', 'naslib-zc', '--json'));
  assert.equal(ours.code, 0, ours.stderr);
  const judged = JSON.parse(ours.stdout) as { evaluator: string; criteria: { kendall: number; n: number } }[];
  assert.deepEqual(
    judged.map((j) => j.evaluator),
    ['exact', 'neg_flops', 'jitter'],
  );
  assert.ok(Math.abs(judged[0].criteria.kendall - 1) < 1e-12);
  assert.equal(judged[0].criteria.n, 60);
  const c10 = gt.truth('cifar10');
  const { flops } = gt.costs();
  const tauFlops = kendallTau(
    zc.indices.map((i) => -flops[i]),
    zc.indices.map((i) => c10[i]),
  );
  assert.ok(Math.abs(judged[1].criteria.kendall - tauFlops) < 1e-12);
  const table = await runCli(zcArgs());
  assert.equal(table.code, 0, table.stderr);
  assert.match(table.stdout, /criterion +exact +neg_flops +jitter/);
  // Against the file's own accuracies: the same file as the truth (task cifar10, truth val_accuracy).
  const own = await runCli(zcArgs('--truth-file', zc.path, '--format', 'naslib-zc', '--json'));
  assert.equal(own.code, 0, own.stderr);
  const self = JSON.parse(own.stdout) as {
    evaluator: string;
    criteria: { kendall: number; truth: string };
  }[];
  const hp12 = gt.truth('cifar10-hp12');
  const tauOwn = kendallTau(
    zc.indices.map((i) => c10[i]),
    zc.indices.map((i) => hp12[i]),
  );
  assert.equal(self[0].criteria.truth, 'val_accuracy');
  assert.ok(Math.abs(self[0].criteria.kendall - tauOwn) < 1e-12, `${self[0].criteria.kendall} vs ${tauOwn}`);
});

test('every bad truth-file input fails with one clear line and exit code 2, writing nothing', async () => {
  const out = path.join(dir, 'never');
  const T = (name: string, body: string) => file(name, body);
  const S = file('s.csv', 'arch,score\na,1\nb,2\nc,3\n');
  const ok = T('ok-truth.csv', 'arch,truth,flops,cls\na,1,10,x\nb,2,20,x\nc,3,30,y\n');
  const zc = zcFile().path;
  const cases: [string[], RegExp][] = [
    [
      ['--truth-file', T('dup.csv', 'arch,truth\na,1\nb,2\na,3\n')],
      /dup\.csv:4: id 'a' appears again \(first at .*dup\.csv:2\); use --dedupe mean/,
    ],
    [
      ['--truth-file', T('nan.csv', 'arch,truth\na,1\nb,n/a\nc,3\n')],
      /nan\.csv:3: truth 'n\/a' in column 'truth' is not a finite number/,
    ],
    [
      ['--truth-file', T('blank.csv', 'arch,truth\na,1\nb,\nc,3\n')],
      /blank\.csv:3: empty truth in column 'truth'/,
    ],
    [['--truth-file', T('empty.csv', '')], /empty\.csv: the file is empty/],
    [['--truth-file', T('header.csv', 'arch,truth\n')], /header\.csv: no truth rows after the header/],
    [
      ['--truth-file', ok, '--truth-column', 'acc'],
      /ok-truth\.csv:1: no column 'acc' \(the truth column, --truth-column; columns: arch, truth, flops, cls\)/,
    ],
    [
      ['--truth-file', ok, '--id-column', 'name'],
      /ok-truth\.csv:1: no column 'name' \(the id column, --id-column/,
    ],
    [
      ['--truth-file', ok, '--cost-column', 'latency'],
      /ok-truth\.csv:1: no column 'latency' \(a cost column, --cost-column/,
    ],
    [
      ['--truth-file', ok, '--class-column', 'family'],
      /ok-truth\.csv:1: no column 'family' \(the class column, --class-column/,
    ],
    [
      ['--truth-file', ok, '--score-column', 'acc'],
      /s\.csv:1: no score column 'acc' \(columns: arch, score\)/,
    ],
    [
      ['--truth-file', ok, '--mode', 'deiso'],
      /--mode deiso needs classes: give the truth file's class column with --class-column/,
    ],
    [
      ['--truth-file', ok, '--scores', file('few.csv', 'arch,score\na,1\nq,2\nr,3\n')],
      /few\.csv: only 1 of 3 score ids are in the truth file .*ok-truth\.csv \(e\.g\. 'q' at .*few\.csv:3 is not\); need at least 2/,
    ],
    [
      ['--truth-file', ok, '--scores', file('sdup.csv', 'arch,score\na,1\nb,2\na,3\n')],
      /sdup\.csv:4: id 'a' appears again/,
    ],
    [
      ['--truth-file', ok, '--scores', file('snan.csv', 'arch,score\na,1\nb,x\n')],
      /snan\.csv:3: score 'x' in column 'score' is not a finite number/,
    ],
    [['--truth-file', T('badcsv.csv', 'arch,truth\n"a,1\n')], /badcsv\.csv.*: invalid CSV/],
    [['--cost-column', 'flops'], /--cost-column needs --truth-file/],
    [['--truth-column', 'acc'], /--truth-column needs --truth-file/],
    [['--truth-file', ok, '--truth', 'cifar10'], /--truth and --truth-file exclude each other/],
    [
      ['--scores', zc, '--format', 'naslib-zc'],
      /zc_nasbench201\.json: choose a task with --task \(the file has: cifar10, cifar100\)/,
    ],
    [
      ['--scores', zc, '--task', 'imagenet'],
      /zc_nasbench201\.json: no task 'imagenet' \(the file has: cifar10, cifar100\)/,
    ],
    [
      [
        '--scores',
        file('zc-bad.json', JSON.stringify({ cifar10: { '(9, 0)': { synflow: { score: 1 } } } })),
        '--task',
        'cifar10',
        '--score-column',
        'synflow',
      ],
      /zc-bad\.json: cifar10\["\(9, 0\)"\]: '\(9, 0\)' is not a NASLib NAS-Bench-201 key/,
    ],
  ];
  const results = await Promise.all(
    cases.map(([args]) =>
      runCli(['evaluate', ...(args.includes('--scores') ? [] : ['--scores', S]), ...args, '--out', out]),
    ),
  );
  assertBadInputs(results, cases);
  assert.ok(!existsSync(out), 'no partial output');
  // --dedupe mean averages duplicate truth rows and says how many.
  const dup = T('dup-ok.csv', 'arch,truth\na,1\nb,2\na,3\nc,0\n');
  const dedupe = ['evaluate', '--scores', S, '--truth-file', dup, '--dedupe', 'mean', '--bootstrap', '0'];
  const r = await runCli(dedupe);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /1 duplicate truth rows averaged/);
  const j = JSON.parse((await runCli([...dedupe, '--json'])).stdout);
  assert.deepEqual(j.truthRows, { read: 4, merged: 1 });
  assert.equal(j.kendall, kendallTau([1, 2, 3], [2, 2, 0]));
});

test('several evaluators: every --out folder is checked before any is written', async () => {
  const scores = file('two.csv', 'arch,a,b\nx,1,3\ny,2,2\nz,3,1\n');
  const truth = file('two-truth.csv', 'arch,truth\nx,1\ny,2\nz,3\n');
  const out = path.join(dir, 'two-runs');
  const base = ['evaluate', '--scores', scores, '--truth-file', truth, '--bootstrap', '0'];
  // A run of b alone in out/b, then a and b together: b's folder holds other settings, so neither is written.
  assert.equal((await runCli([...base, '--score-column', 'b', '--out', path.join(out, 'b')])).code, 0);
  const before = readFileSync(path.join(out, 'b', 'criteria.json'), 'utf8');
  const both = await runCli([...base, '--score-column', 'a,b', '--out', out]);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /holds a run with other settings/);
  assert.ok(!existsSync(path.join(out, 'a')), 'a was not written');
  assert.equal(readFileSync(path.join(out, 'b', 'criteria.json'), 'utf8'), before);
  const forced = await runCli([...base, '--score-column', 'a,b', '--out', out, '--force']);
  assert.equal(forced.code, 0, forced.stderr);
  assert.deepEqual(readdirSync(out).sort(), ['a', 'b']);
});
