import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { registerReportCommand } from '../src/cli/report-command.js';
import { InputError } from '../src/io/input-error.js';
import {
  buildReport,
  createReport,
  detectRunDirKind,
  inlineSvg,
  loadRunDir,
  loadRunDirs,
  subsampleByTrueRank,
  withUniqueLabels,
  type RunDir,
  type ItemRow,
} from '../src/report/index.js';
import { toReportJson, writeSampleRunDirs } from '../src/report/sample-runs.js';
import { predictorTable } from '../src/report/report-tables.js';
import type { PredictorsRunDir } from '../src/report/run-dir.js';

// Real evaluate directories (bundled ground truth) plus SYNTHETIC predictor, search and curve directories.
const root = mkdtempSync(path.join(tmpdir(), 'nass-report-'));
const dirs = writeSampleRunDirs(path.join(root, 'runs'));
const [flopsDir, cifar100Dir, , curveDir, , predictorsDir, searchDir] = dirs;
let n = 0;
const scratch = (name = 'd') => {
  const d = path.join(root, `${name}-${++n}`);
  mkdirSync(d, { recursive: true });
  return d;
};
const criteriaText = readFileSync(path.join(flopsDir, 'criteria.json'), 'utf8');

function rejectsInput(fn: () => unknown, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof InputError, `expected an InputError, got ${String(e)}`);
    assert.match((e as Error).message, pattern);
    return true;
  });
}

const reportPromise = buildReport(dirs, { figuresHref: 'r-figures' });

test('run directories are detected by their files and labelled from the manifest', () => {
  assert.deepEqual(dirs.map(detectRunDirKind), [
    'evaluate',
    'evaluate',
    'evaluate',
    'curve',
    'curve',
    'predictors-run',
    'predictors-search',
    'predictors-search',
    'zeroshot',
  ]);
  const flops = loadRunDir(flopsDir);
  assert.equal(flops.kind, 'evaluate');
  assert.equal(flops.label, 'FLOPs');
  assert.ok(flops.kind === 'evaluate' && flops.items && flops.items.length === 15625);
  const search = loadRunDir(searchDir);
  assert.equal(search.label, 'gates (synthetic) · ranking · top');
  const curve = loadRunDir(curveDir);
  assert.ok(curve.kind === 'curve' && curve.sampler === 'deiso' && curve.points.length === 11);
  // Without a manifest the directory's name is the label; without items.csv there is no scatter panel.
  const bare = scratch('bare-eval');
  copyFileSync(path.join(flopsDir, 'criteria.json'), path.join(bare, 'criteria.json'));
  const r = loadRunDir(bare);
  assert.equal(r.label, path.basename(bare));
  assert.ok(r.kind === 'evaluate' && r.items === null);
});

test('unknown, missing and ambiguous directories are input errors naming them', () => {
  const empty = scratch('empty');
  rejectsInput(() => loadRunDir(empty), new RegExp(`${empty}: not a run directory .*criteria\\.json`));
  rejectsInput(() => loadRunDir(path.join(root, 'nope')), /nope: no such directory/);
  const file = path.join(root, 'file.txt');
  writeFileSync(file, 'x');
  rejectsInput(() => loadRunDir(file), /file\.txt: not a directory/);
  const both = scratch('both');
  writeFileSync(path.join(both, 'criteria.json'), criteriaText);
  writeFileSync(path.join(both, 'curve.json'), '{}');
  rejectsInput(() => loadRunDir(both), /holds criteria\.json and curve\.json/);
  rejectsInput(() => loadRunDirs([]), /no run directory/);
});

test('corrupt criteria.json, items.csv and manifest.json are input errors naming the file and field', () => {
  const put = (name: string, text: string, extra: Record<string, string> = {}) => {
    const d = scratch('bad');
    writeFileSync(path.join(d, name), text);
    for (const [f, t] of Object.entries(extra)) writeFileSync(path.join(d, f), t);
    return d;
  };
  let d = put('criteria.json', '{"n": 3, "kendall": ');
  rejectsInput(() => loadRunDir(d), new RegExp(`${path.join(d, 'criteria.json')}: not valid JSON`));
  d = put('criteria.json', '');
  rejectsInput(() => loadRunDir(d), /criteria\.json: the file is empty/);
  const c = JSON.parse(criteriaText);
  delete c.kendall;
  d = put('criteria.json', JSON.stringify(c));
  rejectsInput(() => loadRunDir(d), /criteria\.json: kendall: /);
  d = put('criteria.json', JSON.stringify({ ...JSON.parse(criteriaText), precisionTop: { '0.05': 'high' } }));
  rejectsInput(() => loadRunDir(d), /criteria\.json: precisionTop\.0\.05: /);
  d = put('criteria.json', JSON.stringify([1, 2]));
  rejectsInput(() => loadRunDir(d), /criteria\.json: \(top level\)/);
  d = put('criteria.json', criteriaText, {
    'items.csv': 'index,score,truth,flops,pred_rank,true_rank\n0,1,2,3,0,0\n1,x,2,3,1,1\n',
  });
  rejectsInput(() => loadRunDir(d), /items\.csv:3: score must be a finite number, found 'x'/);
  d = put('criteria.json', criteriaText, { 'items.csv': 'index,score\n0,1\n' });
  rejectsInput(() => loadRunDir(d), /items\.csv:1: missing column 'truth'/);
  d = put('criteria.json', criteriaText, { 'manifest.json': '{oops' });
  rejectsInput(() => loadRunDir(d), /manifest\.json: not valid JSON/);
  // null values (undefined criteria) are accepted and read as NaN.
  d = put('criteria.json', JSON.stringify({ ...JSON.parse(criteriaText), kendall: null }));
  const r = loadRunDir(d);
  assert.ok(r.kind === 'evaluate' && Number.isNaN(r.criteria.kendall));
});

test('curve.json, summary.json and stages.json are validated', () => {
  const point = { epoch: 10, criteria: JSON.parse(criteriaText) };
  const put = (name: string, value: unknown) => {
    const d = scratch('fmt');
    writeFileSync(path.join(d, name), JSON.stringify(value));
    return d;
  };
  rejectsInput(
    () => loadRunDir(put('curve.json', { label: 'x', points: [] })),
    /curve\.json: points: .*at least one point/,
  );
  rejectsInput(() => loadRunDir(put('curve.json', { points: [point] })), /curve\.json: label: /);
  rejectsInput(
    () => loadRunDir(put('curve.json', { label: 'x', points: [point, point] })),
    /curve\.json: points: epoch 10 appears twice/,
  );
  rejectsInput(
    () => loadRunDir(put('curve.json', { label: 'x', points: [{ epoch: -1, criteria: point.criteria }] })),
    /curve\.json: points\.0\.epoch: /,
  );
  const ok = loadRunDir(put('curve.json', { label: 'x', points: [{ ...point, epoch: 20 }, point] }));
  assert.ok(ok.kind === 'curve' && ok.points[0].epoch === 10 && ok.sampler === null);
  rejectsInput(() => loadRunDir(put('summary.json', [])), /summary\.json: .*no rows/);
  rejectsInput(
    () => loadRunDir(put('zeroshot.json', [{ evaluator: 'snip', n: 5 }])),
    /zeroshot\.json: 0\.nonFinite: /,
  );
  rejectsInput(() => loadRunDir(put('summary.json', [{ predictor: 'gates' }])), /summary\.json: 0\.loss: /);
  rejectsInput(() => loadRunDir(put('stages.json', [{ stage: 0 }])), /stages\.json: 0\.stage: /);
});

test('every figure is an SVG with marks, a title and its axis titles', async () => {
  const report = await reportPromise;
  assert.deepEqual(
    report.figures.map((f) => f.id),
    [
      'top-k',
      'rank-scatter',
      'flops-groups',
      'curve-criteria',
      'curve-precision',
      'curve-iso-spread',
      'predictor-size',
      'zeroshot-kendall',
      'search-stages',
    ],
  );
  assert.deepEqual(
    report.tables.map((t) => t.id),
    ['tab-criteria', 'tab-iso-spread', 'tab-sampling', 'tab-predictors', 'tab-zeroshot', 'tab-search'],
  );
  // The zero-shot table lists the evaluators best τ first and marks undefined proxy values.
  const zs = report.tables.find((t) => t.id === 'tab-zeroshot')!.table.rows;
  const taus = zs.map((row) => Number(row[2]));
  assert.deepEqual(
    taus,
    [...taus].sort((a, b) => b - a),
  );
  assert.ok(zs.some((row) => row[0] === 'jacob_cov (synthetic) (3 undefined)'));
  // The predictor table carries the interval over training sets from summary.json.
  const predictorRows = report.tables.find((t) => t.id === 'tab-predictors')!.table.rows;
  assert.ok(
    predictorRows.every((row) => /^0\.\d{3} – 0\.\d{3} \(3\)$/.test(row[4])),
    String(predictorRows[0]),
  );
  for (const f of report.figures) {
    assert.match(f.svg, /^<svg [^>]*width="\d+"/, f.id);
    const marks =
      f.svg.match(/<g class="mark-(symbol|line|rect|rule|area)[^"]*role-mark[^>]*>(<path|<line|<rect)/g) ??
      [];
    assert.ok(marks.length > 0, `${f.id}: no marks`);
    assert.ok(f.svg.includes(`>${f.title}</text>`), `${f.id}: title '${f.title}' missing`);
    assert.ok(f.axisTitles.length >= 2, f.id);
    for (const t of f.axisTitles)
      assert.ok(f.svg.includes(`>${t}</text>`), `${f.id}: axis title '${t}' missing`);
    assert.ok(f.caption.length > 100, `${f.id}: caption`);
    assert.ok(report.html.includes(`id="${f.id}"`), `${f.id} not in the page`);
  }
  // The scatter is subsampled to ≤ 3000 points, and says so.
  const scatter = report.figures.find((f) => f.id === 'rank-scatter')!;
  const points = scatter.svg
    .split('<g class="mark-symbol role-mark')
    .slice(1)
    .reduce((a, g) => a + (g.split('</g>')[0].match(/<path /g) ?? []).length, 0);
  assert.ok(points > 2000 && points <= 3000, `scatter has ${points} points`);
  assert.match(scatter.caption, /1000 of 15625 items/);
});

test('the page is self-contained: no external resource, no script, unique ids, escaped labels', async () => {
  const d = scratch('curve-label');
  const curve = JSON.parse(readFileSync(path.join(curveDir, 'curve.json'), 'utf8'));
  writeFileSync(path.join(d, 'curve.json'), toReportJson({ ...curve, label: '<b>"tricky" & co</b>' }));
  const { html } = await buildReport([flopsDir, d]);
  for (const page of [html, (await reportPromise).html]) {
    assert.doesNotMatch(page, /https?:\/\//i, 'a URL with a scheme');
    assert.doesNotMatch(page, /\bsrc\s*=/i);
    assert.doesNotMatch(page, /@import/i);
    assert.doesNotMatch(page, /url\(\s*['"]?(?!#)/i, 'url() other than a fragment');
    assert.doesNotMatch(page, /<script|<link|<iframe|<object|<embed/i);
    for (const m of page.matchAll(/\bhref="([^"]*)"/g)) {
      assert.match(m[1], /^(#|r-figures\/[\w-]+\.(svg|png)$)/, `href ${m[1]}`);
    }
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    assert.equal(new Set(ids).size, ids.length, 'duplicate ids');
  }
  assert.ok(!html.includes('<b>"tricky"'), 'label not escaped');
  assert.ok(html.includes('&lt;b&gt;&quot;tricky&quot; &amp; co&lt;/b&gt;'));
});

test('inlineSvg prefixes ids and their references', () => {
  const svg =
    '<svg xmlns="http://www.w3.org/2000/svg"><clipPath id="clip1"><rect/></clipPath>' +
    '<g clip-path="url(#clip1)"><use href="#clip1"/></g></svg>';
  assert.equal(
    inlineSvg(svg, 'f'),
    '<svg><clipPath id="f-clip1"><rect/></clipPath><g clip-path="url(#f-clip1)"><use href="#f-clip1"/></g></svg>',
  );
});

test('figures and tables appear only with their data; duplicate labels are told apart', async () => {
  const report = await buildReport([flopsDir, flopsDir]);
  assert.deepEqual(
    report.figures.map((f) => f.id),
    ['top-k', 'rank-scatter', 'flops-groups'],
  );
  assert.deepEqual(
    report.runs.map((r) => r.label),
    ['FLOPs (eval-flops)', 'FLOPs (eval-flops) #2'],
  );
  assert.doesNotMatch(report.html, /id="sec-(curves|predictors|search)"/);
  // Same label, same basename: the path component that differs names them.
  const base = { kind: 'evaluate', files: [], criteria: [], items: null } as unknown as RunDir;
  assert.deepEqual(
    withUniqueLabels([
      { ...base, label: 'score', dir: 'res/run-a/eval/score' },
      { ...base, label: 'score', dir: 'res/run-b/eval/score' },
      { ...base, label: 'other', dir: 'res/run-b/eval/other' },
      { ...base, label: 'score', dir: 'x/score' },
    ]).map((r) => r.label),
    ['score (run-a)', 'score (run-b)', 'other', 'score (x)'],
  );
  const p = await buildReport([predictorsDir]);
  assert.deepEqual(
    p.figures.map((f) => f.id),
    ['predictor-size'],
  );
});

test('subsampleByTrueRank is deterministic, bounded, and spans the true ranks', () => {
  const items: ItemRow[] = Array.from({ length: 10000 }, (_, i) => ({
    index: i,
    score: (i * 7919) % 10000,
    truth: i,
    flops: 0,
    predRank: (i * 7919) % 10000,
    trueRank: 9999 - i,
  }));
  const a = subsampleByTrueRank(items, 3000);
  assert.equal(a.length, 3000);
  assert.deepEqual(a, subsampleByTrueRank([...items].reverse(), 3000));
  assert.equal(a[0].trueRank, 0);
  assert.equal(a[a.length - 1].trueRank, 9999);
  assert.equal(new Set(a.map((x) => x.index)).size, 3000);
  assert.equal(subsampleByTrueRank(items.slice(0, 10), 3000).length, 10);
});

test('createReport writes HTML, SVG + PNG figures and a manifest, atomically, and never overwrites without force', async () => {
  const outDir = scratch('out');
  const html = path.join(outDir, 'cmp.html');
  const { written, report } = await createReport([flopsDir, cifar100Dir, searchDir], html);
  assert.equal(written.figuresDir, path.join(outDir, 'cmp-figures'));
  const names = readdirSync(written.figuresDir).sort();
  assert.deepEqual(names, report.figures.flatMap((f) => [`${f.id}.png`, `${f.id}.svg`]).sort());
  for (const f of report.figures) {
    const png = readFileSync(path.join(written.figuresDir, `${f.id}.png`));
    assert.deepEqual([...png.subarray(0, 4)], [0x89, 0x50, 0x4e, 0x47], `${f.id}.png is a PNG`);
    assert.equal(readFileSync(path.join(written.figuresDir, `${f.id}.svg`), 'utf8'), f.svg);
  }
  const page = readFileSync(html, 'utf8');
  assert.match(page, /href="cmp-figures\/top-k\.svg"/);
  const manifest = JSON.parse(readFileSync(path.join(outDir, 'cmp.manifest.json'), 'utf8'));
  assert.equal(manifest.command, 'report');
  assert.deepEqual(
    manifest.config.figures,
    report.figures.map((f) => f.id),
  );
  assert.ok(manifest.inputs.some((i: { file: string }) => i.file === path.join(flopsDir, 'criteria.json')));
  assert.ok(manifest.inputs.every((i: { sha256: string }) => /^[0-9a-f]{64}$/.test(i.sha256)));
  assert.deepEqual(
    readdirSync(outDir).filter((f) => f.endsWith('.tmp') || f.startsWith('.')),
    [],
  );

  // The same report again is left as it is; a report of other runs to the same file is refused ...
  assert.equal((await createReport([flopsDir, cifar100Dir, searchDir], html)).unchanged, true);
  await assert.rejects(createReport([flopsDir], html), (e: unknown) => {
    assert.ok(e instanceof InputError);
    assert.match((e as Error).message, /cmp\.html: it holds a run with other settings: runDirs .*--force/);
    return true;
  });
  assert.equal(readFileSync(html, 'utf8'), page);
  // ... while another report in the same folder has files of its own and leaves this one alone.
  await createReport([flopsDir], path.join(outDir, 'other.html'));
  assert.ok(existsSync(path.join(outDir, 'other.manifest.json')));
  assert.equal(readFileSync(html, 'utf8'), page);
  assert.equal(JSON.parse(readFileSync(path.join(outDir, 'cmp.manifest.json'), 'utf8')).command, 'report');
  // With force it is replaced, and figures of the old report that the new one lacks are removed.
  const again = await createReport([flopsDir], html, { force: true });
  assert.deepEqual(
    readdirSync(written.figuresDir).sort(),
    again.report.figures.flatMap((f) => [`${f.id}.png`, `${f.id}.svg`]).sort(),
  );
  assert.notEqual(readFileSync(html, 'utf8'), page);
});

test('the report command writes the report and reports bad input as InputError', async () => {
  const run = async (args: string[]) => {
    const program = new Command().exitOverride();
    program.configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerReportCommand(program);
    program.commands.forEach((c) => c.exitOverride());
    const log = console.log;
    const lines: string[] = [];
    console.log = (s: string) => lines.push(s);
    try {
      await program.parseAsync(args, { from: 'user' });
    } finally {
      console.log = log;
    }
    return lines.join('\n');
  };
  const outDir = scratch('cli');
  const out = path.join(outDir, 'r.html');
  const msg = await run(['report', flopsDir, curveDir, '--out', out, '--title', 'My <report>']);
  assert.match(msg, /Wrote .*r\.html \(\d+ figures, \d+ tables from 2 run directories\)/);
  assert.match(readFileSync(out, 'utf8'), /<title>My &lt;report&gt;<\/title>/);
  await assert.rejects(run(['report', flopsDir, '--out', out]), InputError);
  await run(['report', flopsDir, '--out', out, '--force']);
  await assert.rejects(
    run(['report', path.join(root, 'missing'), '--out', path.join(outDir, 'x.html')]),
    /missing: no such/,
  );
  await assert.rejects(
    run(['report', flopsDir, '--out', path.join(outDir, 'x.txt')]),
    /--out must name an \.html file/,
  );
  await assert.rejects(run(['report', flopsDir]), /required option '--out/);
});

test('predictor table: a loss-agnostic predictor once, a single run without a spread, BR@1% in scientific notation', () => {
  const stat = (mean: number, std: number) => ({ mean, std, min: mean, max: mean });
  const row = (predictor: string, loss: string, runs: number, tau: number) => ({
    predictor,
    loss,
    size: 78,
    runs,
    metrics: { kendall: stat(tau, 0.01), p_top_5: stat(0.4, 0.02), br_1: stat(0.000128, 0.0000641) },
    fitSeconds: stat(1, 0),
  });
  const run = (label: string, loss: string) =>
    ({
      kind: 'predictors-run',
      dir: `/x/${label}`,
      label,
      files: [],
      summary: [
        row('gates', loss, 9, loss === 'ranking' ? 0.74 : 0.7),
        row('rf', loss, 9, 0.43),
        row('mlp', loss, 1, 0.58),
      ],
    }) as unknown as PredictorsRunDir;
  const t = predictorTable([run('ranking', 'ranking'), run('regression', 'regression')])!;
  const names = t.table.rows.map((r) => r[0]);
  assert.deepEqual(names, [
    'ranking: gates · ranking',
    'ranking: rf · any loss',
    'ranking: mlp · ranking',
    'regression: gates · regression',
    'regression: mlp · regression',
  ]);
  const mlp = t.table.rows[2];
  assert.equal(mlp[3], '0.580 ± –', 'one run: no spread');
  assert.equal(t.table.rows[0][6], '1.3e-4 ± 6.4e-5');
});

test('the iso-spread table gives N and the rank std as a fraction of N', async () => {
  const report = await reportPromise;
  const t = report.tables.find((x) => x.id === 'tab-iso-spread')!;
  const h = t.table.headers;
  const [iN, iRank, iFrac] = ['N', 'rank std', 'rank std / N'].map((name) => h.indexOf(name));
  assert.ok(iN >= 0 && iRank >= 0 && iFrac >= 0, h.join(' | '));
  for (const row of t.table.rows) {
    if (row[iRank] === '–') continue;
    const n = Number(row[iN]);
    assert.ok(n > 0);
    assert.ok(Math.abs(Number(row[iFrac]) - Number(row[iRank]) / n) < 1e-3, row.join(' | '));
  }
});

test('runs of different N or mode are marked; P@K has its random line, BR@K its floor 1/N; FLOPs groups show sizes; coinciding evaluators are named', async () => {
  const { writeFreeEvaluatorRun } = await import('../src/report/sample-runs.js');
  const { runCli } = await import('./helpers/run-cli.js');
  const d = scratch('mixed');
  const flops = writeFreeEvaluatorRun(path.join(d, 'flops'), 'flops', 'flops');
  const params = writeFreeEvaluatorRun(path.join(d, 'params'), 'params', 'params');
  // 91 architectures in deiso mode: another N, another mode.
  const scores = path.join(d, 'small.csv');
  writeFileSync(
    scores,
    'index,score\n' + Array.from({ length: 91 }, (_, i) => `${i * 171},${(i * 37) % 91}`).join('\n') + '\n',
  );
  const small = path.join(d, 'small');
  const r = await runCli([
    'evaluate',
    '--scores',
    scores,
    '--mode',
    'deiso',
    '--bootstrap',
    '0',
    '--label',
    'small',
    '--out',
    small,
  ]);
  assert.equal(r.code, 0, r.stderr);
  const smallN = JSON.parse(readFileSync(path.join(small, 'criteria.json'), 'utf8')).n as number;

  const mixed = await buildReport([flops, params, small]);
  const topK = mixed.figures.find((f) => f.id === 'top-k')!;
  const spec = topK.spec as unknown as {
    hconcat: { layer: { data: { values: { K?: number; value: number; label?: string }[] } }[] }[];
  };
  // Labels carry N and mode when they differ.
  assert.match(JSON.stringify(spec), /"small \[N \d+, deiso\]"/);
  assert.match(JSON.stringify(spec), /"flops \[N 15625, iso\]"/);
  // P@K = K for a random ranking; BR@K's floor is 1/N of each evaluator.
  const random = spec.hconcat[0].layer[1].data.values;
  assert.ok(random.length > 3 && random.every((v) => v.value === v.K), JSON.stringify(random));
  const floors = spec.hconcat[1].layer[1].data.values.map((v) => v.value).sort((a, b) => a - b);
  assert.deepEqual(floors, [1 / 15625, 1 / 15625, 1 / smallN]);
  assert.match(topK.caption, /random ranking gives P@K ≈ K \(the dotted grey line\)/);
  assert.match(topK.caption, /cannot go below 1\/N/);
  // FLOPs and params rank NB201 the same way: the caption says why one of them is hidden.
  assert.match(topK.caption, /flops \[N 15625, iso\] and params \[N 15625, iso\] have identical criteria/);

  const groups = mixed.figures.find((f) => f.id === 'flops-groups')!;
  const g = JSON.stringify(groups.spec);
  assert.match(g, /"text":\{"field":"size"/);
  assert.match(g, /"test":"datum.size < 20"/);
  assert.match(groups.caption, /The evaluators compare different architectures, so their groups differ/);
  assert.match(groups.caption, /pale bars are groups of fewer than 20 architectures/);
  assert.match(groups.caption, /identical criteria/);

  // The same N and mode: no marks, and one list of groups that holds for every evaluator.
  const same = await buildReport([flops, params]);
  const sameGroups = same.figures.find((f) => f.id === 'flops-groups')!;
  assert.match(
    sameGroups.caption,
    /For every evaluator shown \(FLOPs range, number of architectures\): group 1 = /,
  );
  assert.doesNotMatch(JSON.stringify(sameGroups.spec), /\[N 15625/);
});
