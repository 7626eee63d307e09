/**
 * results/oneshot-tables.md: the paper's one-shot tables and figures (Fig 2, Tab 2, Tab 3, Tab 4, Fig 3, Q1) and the
 * zero-shot comparison, ours beside the paper's, from the committed result folders. Each finding is marked
 * reproduced, not reproduced or inconclusive by the rule written beside it; an experiment whose run or derive is
 * not in results/ yet is listed as not run, with what it needs. Every number here is read from a file (curve.json,
 * train-log.csv, a derive's scores.csv judged here against the bundled truth), except the paper's, which carry their
 * source.
 *
 * Usage: node --import tsx scripts/oneshot-tables.ts --out results/oneshot-tables.md [--force]
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import type { EvalMode } from '../src/benchmarks/ground-truth.js';
import { writeFileAtomic } from '../src/io/atomic-write.js';
import { pairedDifference, type PairedDifference } from '../src/metrics/paired-difference.js';
import { kendallTau } from '../src/metrics/kendall.js';
import { archList } from '../src/oneshot/arch-lists.js';
import { alignToTruth } from '../src/scores/align-to-truth.js';
import { pairedWins, settleEpoch, signTestP, statsBetween } from '../src/oneshot/curve-findings.js';
import { evaluateArchScores, type EvaluationResult } from '../src/surgery/evaluate.js';
import { readScoreFile } from '../src/scores/read-score-file.js';
import { resolveScores, type ArchScores } from '../src/scores/resolve-scores.js';

type Criteria = EvaluationResult;
interface CurvePoint {
  epoch: number;
  meanAccuracy: number;
  criteria: Criteria;
  iso?: {
    members: number;
    spread: { classes: number; meanScoreStd: number; meanRankStd: number };
    truth: { classes: number; meanScoreStd: number; meanRankStd: number };
  };
}

const args = process.argv.slice(2);
const outAt = args.indexOf('--out');
const out = outAt >= 0 ? args[outAt + 1] : undefined;
if (!out) {
  console.error('usage: oneshot-tables --out results/oneshot-tables.md [--force]');
  process.exit(2);
}
if (existsSync(out) && !args.includes('--force')) {
  console.error(`${out} exists: pass --force to replace it`);
  process.exit(2);
}

const R = 'results';
/** The runs, by role. The C8 N1 deiso run of 300 epochs is the reference of Tab 3, Fig 3 and Q1; the uniform run at
 * epoch 300 that of Tab 3 and Tab 4 (mc-1). */
const RUN = {
  fig2: `${R}/oneshot-c8n1-deiso-1000`,
  uniform: `${R}/oneshot-c8n1-uniform-1000`,
  ref300: `${R}/oneshot-c8n1-deiso-300`,
  mc3: `${R}/oneshot-c8n1-mc3-100`,
  mc5: `${R}/oneshot-c8n1-mc5-60`,
  fairnas: `${R}/oneshot-c8n1-fairnas-60`,
  c4n1: `${R}/oneshot-c4n1-deiso-300`,
  c16n1: `${R}/oneshot-c16n1-deiso-300`,
  c8n2: `${R}/oneshot-c8n2-deiso-300`,
  c8n3: `${R}/oneshot-c8n3-deiso-300`,
  subset: `${R}/oneshot-c8n1-subset78-300`,
  zeroshot: `${R}/zeroshot-c16n5-deiso-all`,
  zeroshot500: `${R}/zeroshot-c16n5-deiso500-torch`,
};
/** The training command of a run not started yet, from its folder name (`oneshot-c<C>n<N>-<sampler>-<epochs>`). */
function plannedCommand(run: string, epochs: number): string {
  const m = /oneshot-c(\d+)n(\d+)-([a-z0-9]+)-\d+$/.exec(run);
  if (!m) return '';
  const [, c, n, kind] = m;
  const sampler = kind.startsWith('mc') ? `mc-${kind.slice(2)}` : kind.startsWith('subset') ? 'deiso' : kind;
  const subset = kind.startsWith('subset') ? ` --sampler-archs ${run}/archs.csv` : '';
  return `nas-surgery oneshot train --out ${run} --data ../shared/data/cifar10 --channels ${c} --cells ${n} --batch-size 512 --sampler ${sampler}${subset} --epochs ${epochs} --checkpoint-every 25 --backend torch --threads 1 --max-minutes <budget> --quiet`;
}
/** Where a run's final full derive lies (all representatives, or all 15,625 for the uniform run's Tab 3). */
const finalDerive = (run: string) => `${run}/derive-final/scores.csv`;
const UNIFORM_300 = `${RUN.uniform}/derive-300/scores.csv`;

const gt = loadGroundTruth();
const flops = gt.costs().flops;

// ---------------------------------------------------------------------------------------------------------------
// Reading

function readCurve(run: string): CurvePoint[] | null {
  const f = `${run}/curve/curve.json`;
  if (!existsSync(f)) return null;
  return (JSON.parse(readFileSync(f, 'utf8')) as { points: CurvePoint[] }).points;
}

interface TrainLog {
  epochs: number;
  seconds: number;
  argv: string[];
}
function readTrainLog(run: string): TrainLog | null {
  const f = `${run}/train-log.csv`;
  if (!existsSync(f)) return null;
  const rows = readFileSync(f, 'utf8').trim().split('\n').slice(1);
  const seconds = rows.reduce((s, r) => s + Number(r.split(',')[3]), 0);
  const manifest = JSON.parse(readFileSync(`${run}/manifest.json`, 'utf8')) as { argv: string[] };
  return { epochs: rows.length, seconds, argv: manifest.argv };
}

/** One score column of a derive or zero-shot file, keyed by NB201 index (null when the file is not there yet). */
function readScores(file: string, column = 'score'): ArchScores | null {
  if (!existsSync(file)) return null;
  return resolveScores(readScoreFile(file, { scoreColumn: column }), gt);
}

/** Seconds of a sharded derive: the sum of its shards' manifests (or of the unsharded one). */
function deriveSeconds(file: string): number {
  const dir = path.dirname(file);
  const shards = readdirSync(dir).filter((f) => /^shard-\d+-of-\d+\.manifest\.json$/.test(f));
  const list = shards.length ? shards : [path.basename(file).replace(/\.csv$/, '.manifest.json')];
  return list.reduce((s, f) => {
    const m = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { timingsMs?: { total?: number } };
    return s + (m.timingsMs?.total ?? 0) / 1000;
  }, 0);
}

/** The criteria of `s` against the bundled CIFAR-10 truth, with 200 bootstrap resamples for τ's interval. */
const judge = (s: ArchScores, mode: EvalMode, bootstrap = true): Criteria =>
  evaluateArchScores(s, { mode, bootstrap: bootstrap ? { resamples: 200, seed: 0 } : false });
/** FLOPs as the score of the same architectures. */
const flopsOf = (s: ArchScores): ArchScores => ({
  index: s.index,
  score: Float64Array.from(s.index, (i) => flops[i]),
  merged: 0,
});
/** The scores restricted to a set of architectures. */
function restrict(s: ArchScores, keep: ReadonlySet<number>): ArchScores {
  const ks = [...s.index.keys()].filter((k) => keep.has(s.index[k]));
  return {
    index: Int32Array.from(ks, (k) => s.index[k]),
    score: Float64Array.from(ks, (k) => s.score[k]),
    merged: 0,
  };
}

/**
 * τ(a) − τ(b) on the items both score (each aligned to the truth in its mode: `deiso` and `post-deiso` share the
 * class representatives and the class-mean truth), with the paired bootstrap (1,000 resamples of the items, seed 0): both
 * evaluators are judged on the same resampled architectures, so the interval is that of the difference itself.
 */
function pairedTau(
  a: ArchScores,
  b: ArchScores,
  modeA: EvalMode = 'deiso',
  modeB: EvalMode = modeA,
): PairedDifference & { n: number } {
  const A = alignToTruth(a, gt, modeA, 'cifar10');
  const B = alignToTruth(b, gt, modeB, 'cifar10');
  const at = new Map(Array.from(B.index, (v, k) => [v, k]));
  const ks = [...A.index.keys()].filter((k) => at.has(A.index[k]));
  const sa = Float64Array.from(ks, (k) => A.score[k]);
  const sb = Float64Array.from(ks, (k) => B.score[at.get(A.index[k])!]);
  const y = Float64Array.from(ks, (k) => A.truth[k]);
  return { ...pairedDifference(sa, sb, y, kendallTau, { resamples: 1000, seed: 0 }), n: ks.length };
}
/** The verdict on "A ranks better than B" (the paper's claim) from the paired τ difference A − B. */
function pairedVerdict(d: PairedDifference & { n: number }): string {
  const gap = `τ difference ${d.difference >= 0 ? '+' : ''}${f3(d.difference)}, paired 95% interval ${f3(d.low)} to ${f3(d.high)} over ${count(d.n)} architectures, bootstrap p ${d.pBelowZero.toFixed(3)}`;
  if (d.low > 0) return `**reproduced** (${gap})`;
  if (d.high < 0) return `**not reproduced**: the opposite holds (${gap})`;
  return `**inconclusive**: ${d.difference > 0 ? 'the same direction' : 'the opposite direction'}, but the interval contains 0 (${gap})`;
}

// ---------------------------------------------------------------------------------------------------------------
// Formatting

/** An integer with thousands separators: 6,466. */
const count = (n: number) => n.toLocaleString('en-US');
const f3 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(3));
const f4 = (v: number | undefined) => (v === undefined || !Number.isFinite(v) ? '–' : v.toFixed(4));
const pct = (v: number | undefined, d = 1) =>
  v === undefined || !Number.isFinite(v) ? '–' : `${(100 * v).toFixed(d)}%`;
const hours = (s: number) => (s >= 3600 ? `${(s / 3600).toFixed(1)} h` : `${Math.round(s / 60)} min`);
const ci = (c: Criteria) => (c.ci ? ` (${f3(c.ci.kendall.low)}–${f3(c.ci.kendall.high)})` : '');
/** Fig 2's final-checkpoint row: τ with its interval, ρ, r, P@top5%, P@bottom5%, BR@1%. */
const finalRow = (name: string, c: Criteria) => [
  name,
  f3(c.kendall) + ci(c),
  f3(c.spearman),
  f3(c.pearson),
  f3(c.precisionTop['0.05']),
  f3(c.precisionBottom['0.05']),
  f4(c.bestRank['0.01']),
];
const cmd = (argv: string[]) => `nas-surgery ${argv.join(' ')}`;

interface Metric {
  key: string;
  get: (c: Criteria) => number;
  lowerIsBetter?: boolean;
  group: 'BR@K' | 'P@K' | 'correlation';
}
const METRICS: Metric[] = [
  { key: 'τ', get: (c) => c.kendall, group: 'correlation' },
  { key: 'ρ', get: (c) => c.spearman, group: 'correlation' },
  { key: 'r', get: (c) => c.pearson, group: 'correlation' },
  { key: 'P@5%', get: (c) => c.precisionTop['0.05'], group: 'P@K' },
  { key: 'P@50%', get: (c) => c.precisionTop['0.5'], group: 'P@K' },
  { key: 'BR@1%', get: (c) => c.bestRank['0.01'], lowerIsBetter: true, group: 'BR@K' },
  { key: 'BR@5%', get: (c) => c.bestRank['0.05'], lowerIsBetter: true, group: 'BR@K' },
];
const metric = (key: string) => METRICS.find((m) => m.key === key)!;

const lines: string[] = [];
const say = (...ls: string[]) => lines.push(...ls);
const table = (head: string[], rows: string[][]) =>
  say(
    `| ${head.join(' | ')} |`,
    `| ${head.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
    '',
  );
const median = (v: number[]) => {
  const s = [...v].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** A run's status line: epochs trained, time, command; or what is missing. */
function runLine(run: string, want: number): string {
  const log = readTrainLog(run);
  if (!log) return `\`${run}\`: not run yet (${want} epochs needed; \`${plannedCommand(run, want)}\`).`;
  const state = log.epochs >= want ? `${log.epochs} epochs` : `${log.epochs} of ${want} epochs so far`;
  return `\`${run}\`: ${state}, ${hours(log.seconds)} of training; \`${cmd(log.argv)}\``;
}

// ---------------------------------------------------------------------------------------------------------------
say(
  "# The paper's one-shot experiments, ours beside the paper's",
  '',
  'Generated by `node --import tsx scripts/oneshot-tables.ts --out results/oneshot-tables.md --force` from the',
  'result folders named in each section (commands, times and manifests are in those folders and in',
  '[results/README.md](README.md)). The paper (Ning et al., *A Surgery of the Neural Architecture Evaluators*) trains',
  'the C16 N5 supernet on 40,000 CIFAR-10 images for 1,000 epochs and derives on 10,000; here the supernet is the C8 N1',
  'proxy (SPEC §4: a layer and channel proxy) on the 16,000 training images of the shared CIFAR-10 (20,000',
  "JPEG-degraded images), derived on held-out images [16000, 20000), with the paper's batch 512, SGD and plateau",
  'schedule, on a 2-core CPU. Paper values are from `SPEC.md` §4 and the issue that asked for these experiments.',
  'Criteria: τ Kendall, ρ Spearman, r Pearson, P@K precision at top K, BR@K best true rank (fraction) among the',
  'predicted top K (lower is better). Curves are read on 300 class representatives (and 30 isomorphic classes of 4)',
  'at 512 held-out images; final checkpoints on all 6,466 representatives at 2,048 images. The figures (curves,',
  'rank scatter, FLOPs groups, zero-shot table) are in [oneshot-report-v2/report.html](oneshot-report-v2/report.html),',
  'drawn by `nas-surgery report` (its command is in `oneshot-report-v2/report.manifest.json`).',
  '',
);

// Fig 2 ----------------------------------------------------------------------------------------------------------
const PAPER_TAU: [number, number][] = [
  [40, 0.05],
  [80, 0.2],
  [120, 0.4],
  [200, 0.46],
  [400, 0.61],
  [600, 0.73],
  [1000, 0.744],
];
const fig2 = readCurve(RUN.fig2);
const fig2Log = readTrainLog(RUN.fig2);
const fig2Final = readScores(finalDerive(RUN.fig2));
say('## Fig 2: criteria vs epoch (deiso sampling)', '');
if (!fig2 || !fig2Log) say(`Not run yet: \`${RUN.fig2}\`.`, '');
else {
  say(
    runLine(RUN.fig2, 1000),
    '',
    `Curve: \`${RUN.fig2}/curve/curve.csv\` (${fig2.length} checkpoints).`,
    '',
  );
  const shown = fig2.filter((p) => p.epoch <= 100 || p.epoch % 100 === 0 || p === fig2[fig2.length - 1]);
  table(
    ['epoch', ...METRICS.map((m) => m.key), 'mean one-shot acc'],
    shown.map((p) => [String(p.epoch), ...METRICS.map((m) => f3(m.get(p.criteria))), pct(p.meanAccuracy)]),
  );
  const nearest = (e: number) =>
    fig2.reduce((a, b) => (Math.abs(b.epoch - e) < Math.abs(a.epoch - e) ? b : a));
  say(
    "τ against the paper's curve (C16 N5, 6,466 representatives; ours at the nearest checkpoint, 300 representatives):",
    '',
  );
  table(
    ['paper epoch', 'paper τ', 'our epoch', 'our τ'],
    PAPER_TAU.map(([e, t]) => {
      const p = nearest(e);
      return [String(e), f3(t), String(p.epoch), f3(p.criteria.kendall)];
    }),
  );
  const ref300Final = readScores(finalDerive(RUN.ref300));
  if (fig2Final) {
    const c = judge(fig2Final, 'deiso');
    const fl = judge(flopsOf(fig2Final), 'deiso');
    say(
      `Final checkpoint, full derive (\`${finalDerive(RUN.fig2)}\`, ${count(c.n)} representatives, ${hours(deriveSeconds(finalDerive(RUN.fig2)))} of derive):`,
      '',
    );
    table(
      ['', 'τ (95% CI)', 'ρ', 'r', 'P@top5%', 'P@bottom5%', 'BR@1%'],
      [
        ['paper, epoch 1,000 (3 seeds)', '0.744 ± 0.025', '0.910', '0.891', '0.468', '0.877', '0.0010'],
        finalRow('ours, epoch ' + fig2Log.epochs, c),
        ...(ref300Final
          ? [finalRow('ours, the 300-epoch deiso run (Tab 3, Q1), epoch 300', judge(ref300Final, 'deiso'))]
          : []),
        finalRow('FLOPs on the same architectures', fl),
      ],
    );
    if (ref300Final) {
      const d = pairedTau(fig2Final, ref300Final);
      say(
        `- A second run, \`${RUN.ref300}\`, has the same configuration and seed, but its train-log loss differs from this run's from epoch 1 on (the machine's CPU kernels, not the code: the older code rebuilt reproduces today's losses; results/README.md): a replicate in practice, not a copy. At epoch 300 it ranks as well as this run at epoch 1,000: τ difference (1,000 − 300) ${d.difference >= 0 ? '+' : ''}${f3(d.difference)}, paired 95% interval ${f3(d.low)} to ${f3(d.high)} over ${count(d.n)} representatives.`,
      );
    }
    const above = c.ci ? c.ci.kendall.low > fl.kendall : c.kendall > fl.kendall;
    say(
      `- **Final τ above FLOPs (the goal): ${above ? 'reached' : 'not reached'}.** τ ${f3(c.kendall)} against FLOPs' ${f3(fl.kendall)} on the same ${count(c.n)} representatives; the paper's 0.744 is not reproduced at this proxy and budget (**not reproduced**).`,
    );
  }
  const epochs = fig2.map((p) => p.epoch);
  const settle = METRICS.map((m) => ({
    m,
    at: settleEpoch(
      epochs,
      fig2.map((p) => m.get(p.criteria)),
    ),
  }));
  const byGroup = (g: Metric['group']) => median(settle.filter((s) => s.m.group === g).map((s) => s.at));
  const [br, pk, corr] = [byGroup('BR@K'), byGroup('P@K'), byGroup('correlation')];
  const order = br <= pk && pk <= corr;
  say(
    `- **BR@K settles first, P@K next, the correlations last** (paper). Settling epoch = the first checkpoint from which the criterion stays within 10% of its range of its final value: ${settle.map((s) => `${s.m.key} ${s.at}`).join(', ')}; medians BR@K ${br}, P@K ${pk}, correlations ${corr}. ` +
      (order
        ? '**Reproduced** in that order.'
        : `**Not reproduced**: the order is ${[
            ['BR@K', br],
            ['P@K', pk],
            ['correlations', corr],
          ]
            .sort((a, b) => Number(a[1]) - Number(b[1]))
            .map((x) => x[0])
            .join(', ')}.`),
  );
  const last = epochs[epochs.length - 1];
  const p5 = fig2.map((p) => p.criteria.precisionTop['0.05']);
  const early = statsBetween(epochs, p5, 0.2 * last, 0.6 * last - 1);
  const late = statsBetween(epochs, p5, 0.6 * last, last);
  const se = Math.sqrt(early.sd ** 2 / early.n + late.sd ** 2 / late.n);
  const d = late.mean - early.mean;
  say(
    `- **P@5% declines late** (paper: it may). Mean P@5% over epochs ${Math.round(0.2 * last)}–${Math.round(0.6 * last) - 1}: ${f3(early.mean)} ± ${f3(early.sd)} (${early.n} checkpoints); over ${Math.round(0.6 * last)}–${last}: ${f3(late.mean)} ± ${f3(late.sd)} (${late.n}). ` +
      (d < -2 * se
        ? `**Reproduced**: it falls by ${f3(-d)} (more than twice its standard error ${f3(se)}).`
        : d > 2 * se
          ? `**Not reproduced**: it rises by ${f3(d)}.`
          : `**Inconclusive**: the change ${f3(d)} is within twice its standard error ${f3(se)}.`),
  );
  const tau = fig2.map((p) => p.criteria.kendall);
  const first = statsBetween(epochs, tau, 0, last / 3);
  const end = statsBetween(epochs, tau, (2 * last) / 3, last);
  say(
    `- **τ grows with training** (paper: 0.05 → 0.744). Mean curve τ over the first third ${f3(first.mean)}, over the last third ${f3(end.mean)}; the highest checkpoint ${f3(Math.max(...tau))} at epoch ${epochs[tau.indexOf(Math.max(...tau))]}. ${end.mean > first.mean ? '**Reproduced** in direction.' : '**Not reproduced**: at this proxy the ranking peaks early and does not improve with more epochs.'}`,
    '',
  );
}

// Tab 2 ----------------------------------------------------------------------------------------------------------
say('## Tab 2: the isomorphic-group spread over training', '');
const uniformCurve = readCurve(RUN.uniform);
{
  const rows: string[][] = [];
  for (const [name, curve] of [
    ['deiso', fig2],
    ['uniform', uniformCurve],
  ] as const) {
    if (!curve) continue;
    for (const p of curve.filter(
      (q) => q.iso && (q.epoch % 100 === 0 || q.epoch === 25 || q === curve[curve.length - 1]),
    )) {
      const { spread, truth } = p.iso!;
      rows.push([
        name,
        String(p.epoch),
        String(spread.classes),
        pct(spread.meanScoreStd, 2),
        // The truth is in percent.
        `${truth.meanScoreStd.toFixed(2)}%`,
        f3(spread.meanRankStd),
        f3(truth.meanRankStd),
        f3(spread.meanRankStd / truth.meanRankStd),
      ]);
    }
  }
  if (rows.length === 0) say('Not run yet.', '');
  else {
    say(
      'Per curve checkpoint, the 30 fixed isomorphic classes of 4 members each (`--iso-classes 30:4`): the mean',
      "within-class standard deviation of the one-shot accuracy, and of the members' rank among the 120 members; the",
      "truth's own within-class rank spread (NB201 trained each member separately) is the floor. The one-shot",
      'evaluator should give the members of a class, which are the same network, the same score.',
      '',
    );
    table(
      [
        'sampling',
        'epoch',
        'classes',
        'one-shot acc std',
        'truth acc std (floor)',
        'one-shot rank std',
        'truth rank std (floor)',
        'rank std ratio',
      ],
      rows,
    );
    const ratios = (curve: CurvePoint[] | null) =>
      (curve ?? []).filter((p) => p.iso).map((p) => p.iso!.spread.meanRankStd / p.iso!.truth.meanRankStd);
    const rd = ratios(fig2);
    const ru = ratios(uniformCurve);
    const above = [...rd, ...ru].filter((r) => r > 1).length;
    say(
      `- **Isomorphic architectures get different one-shot scores** (the paper's reason for de-isomorphic sampling and evaluation): the one-shot rank spread is above the truth's floor at ${above} of ${rd.length + ru.length} checkpoints (median ratio deiso ${f3(median(rd))}, uniform ${ru.length ? f3(median(ru)) : '–'}). ${above > 0.8 * (rd.length + ru.length) ? '**Reproduced.**' : '**Not reproduced.**'} The paper's own Tab 2 values are not in SPEC or the issue, so only the direction is compared.`,
      '',
    );
  }
}

// Tab 3 ----------------------------------------------------------------------------------------------------------
say('## Tab 3: no de-isomorphism vs de-isomorphism vs post de-isomorphism', '');
say(`- ${runLine(RUN.uniform, 300)}`, `- ${runLine(RUN.ref300, 300)}`, '');
if (fig2 && uniformCurve) {
  const keys = ['τ', 'P@5%', 'P@50%', 'BR@1%', 'BR@5%'];
  const signs = new Map<string, { better: boolean; p: number }>();
  const common = uniformCurve.map((p) => p.epoch).filter((e) => fig2.some((q) => q.epoch === e));
  say(
    `At matching curve epochs (${common.length} checkpoints, ${common[0]}–${common[common.length - 1]}; deiso = \`${RUN.fig2}\`, uniform = \`${RUN.uniform}\`, the same 300 representatives and images):`,
    '',
  );
  const rows = keys.map((k) => {
    const m = metric(k);
    const series = (c: CurvePoint[]) => new Map(c.map((p) => [p.epoch, m.get(p.criteria)]));
    const w = pairedWins(series(fig2), series(uniformCurve), m.lowerIsBetter);
    const mean = (c: CurvePoint[]) =>
      statsBetween(
        c.map((p) => p.epoch),
        c.map((p) => m.get(p.criteria)),
        common[0],
        common[common.length - 1],
      ).mean;
    const p = signTestP(w.aBetter, w.bBetter);
    signs.set(k, { better: w.aBetter > w.bBetter, p });
    return [
      k,
      f3(mean(fig2.filter((p) => common.includes(p.epoch)))),
      f3(mean(uniformCurve.filter((p) => common.includes(p.epoch)))),
      `${w.aBetter} : ${w.bBetter}${w.ties ? ` (${w.ties} ties)` : ''}`,
      p.toFixed(3),
    ];
  });
  table(
    [
      'criterion',
      'deiso, mean over the checkpoints',
      'uniform, mean',
      'checkpoints where deiso is better : uniform is',
      'sign test p',
    ],
    rows,
  );
  const verdict = (k: string) => {
    const s = signs.get(k)!;
    return `${k} ${s.better ? 'deiso better' : 'uniform better'} (p ${s.p.toFixed(3)})`;
  };
  const both = ['BR@1%', 'P@5%'].map((k) => signs.get(k)!);
  say(
    `- **De-isomorphic sampling improves BR@1% and P@5%** (paper), over the curve: ${verdict('BR@1%')}, ${verdict('P@5%')}. ` +
      (both.every((s) => s.better && s.p < 0.05)
        ? '**Reproduced** on both (sign test p < 0.05).'
        : both.every((s) => s.better)
          ? '**Inconclusive**: deiso is better on both at most checkpoints, but not at p < 0.05 on both.'
          : '**Not reproduced**.'),
    '',
  );
}
{
  const uni = readScores(UNIFORM_300);
  const ref = readScores(finalDerive(RUN.ref300));
  if (!uni || !ref) {
    say(
      `Full derive at epoch 300: ${!uni ? `\`${UNIFORM_300}\` (the uniform checkpoint of epoch 300 on all 15,625 architectures, for the representatives and the post de-isomorphism average) not derived yet` : 'uniform derived'}; ${!ref ? `\`${finalDerive(RUN.ref300)}\` not derived yet` : 'deiso derived'}.`,
      '',
    );
  } else {
    const rows: [string, Criteria][] = [
      ['no de-isomorphism (uniform, representatives)', judge(uni, 'deiso')],
      ['de-isomorphism (deiso sampling)', judge(ref, 'deiso')],
      ['post de-isomorphism (uniform, class mean of 15,625)', judge(uni, 'post-deiso')],
    ];
    table(
      ['epoch 300, 6,466 classes', 'BR@1%', 'BR@5%', 'P@5%', 'P@50%', 'τ (95% CI)'],
      [
        ...rows.map(([n, c]) => [
          n,
          pct(c.bestRank['0.01'], 3),
          pct(c.bestRank['0.05'], 3),
          pct(c.precisionTop['0.05']),
          pct(c.precisionTop['0.5']),
          f3(c.kendall) + ci(c),
        ]),
        ['paper: no de-isomorphism', '2.5%', '', '9%', '', ''],
        ['paper: de-isomorphism', '0.015%', '', '28%', '', ''],
      ],
    );
    const [u, d] = [rows[0][1], rows[1][1]];
    const better =
      d.bestRank['0.01'] <= u.bestRank['0.01'] && d.precisionTop['0.05'] >= u.precisionTop['0.05'];
    say(
      `- **De-isomorphic sampling improves BR@1% and P@5%** (paper): ${better ? '**reproduced**' : '**not reproduced**'} at epoch 300 (BR@1% ${pct(d.bestRank['0.01'], 3)} vs ${pct(u.bestRank['0.01'], 3)}, P@5% ${pct(d.precisionTop['0.05'])} vs ${pct(u.precisionTop['0.05'])}). One checkpoint of each run; the curve comparison above says how often the order holds.`,
    );
    say(
      `- **τ, de-isomorphism against none** (representatives, deiso sampling − uniform sampling): ${pairedVerdict(pairedTau(ref, uni))}; post de-isomorphism against none: ${pairedVerdict(pairedTau(uni, uni, 'post-deiso', 'deiso'))}.`,
    );
    const g = (c: Criteria) => c.flopsGroups![0].meanRankDiff;
    say(
      `- **Without de-isomorphism simple cells are over-estimated** (paper): mean rank difference of the fewest-FLOPs group ${f3(g(u))} (uniform) vs ${f3(g(d))} (deiso); ${g(u) > g(d) ? '**reproduced**' : '**not reproduced**'}.`,
      '',
    );
  }
}

// Tab 4 ----------------------------------------------------------------------------------------------------------
say('## Tab 4: MC samples 1 / 3 / 5 and FairNAS at equal compute', '');
say(
  "Equal compute: epochs in the ratio 1000 : 333 : 200 : 200 (the paper's), scaled to 300 : 100 : 60 : 60, so that",
  'each run trains about 300 × 31 architecture-steps, C8 N1. mc-S and fairnas draw over all valid architectures (no',
  'de-isomorphism), and mc-1 is the uniform sampler, so the uniform run at epoch 300 is the mc-1 column.',
  '',
);
{
  const runs: [string, string, number][] = [
    ['mc-1', RUN.uniform, 300],
    ['mc-3', RUN.mc3, 100],
    ['mc-5', RUN.mc5, 60],
    ['fairnas', RUN.fairnas, 60],
  ];
  for (const [n, r, e] of runs) say(`- ${n}: ${runLine(r, e)}`);
  say('');
  const derived = runs.map(
    ([n, r]) => [n, readScores(r === RUN.uniform ? UNIFORM_300 : finalDerive(r))] as const,
  );
  const cs = derived.map(([n, s]) => [n, s && judge(s, 'deiso')] as const);
  table(
    ['sampler', 'τ (95% CI)', 'P@5%', 'BR@1%', 'BR@5%'],
    cs.map(([n, c]) =>
      c
        ? [
            n,
            f3(c.kendall) + ci(c),
            pct(c.precisionTop['0.05']),
            pct(c.bestRank['0.01'], 3),
            pct(c.bestRank['0.05'], 3),
          ]
        : [n, 'not derived yet', '', '', ''],
    ),
  );
  const missing = derived.filter(([, s]) => !s).map(([n]) => n);
  if (missing.length)
    say(
      `Final derives missing: ${missing.join(', ')}; the verdicts wait for all four. Paper: MC 1 is a good choice; FairNAS brings no improvement.`,
      '',
    );
  else {
    const byName = Object.fromEntries(derived.map(([n, sc]) => [n, sc!]));
    const vs = (k: string) => pairedTau(byName[k], byName['mc-1']);
    const [d3, d5, df] = [vs('mc-3'), vs('mc-5'), vs('fairnas')];
    const line = (k: string, d: PairedDifference & { n: number }) =>
      `${k} − mc-1 τ ${d.difference >= 0 ? '+' : ''}${f3(d.difference)} (paired 95% interval ${f3(d.low)} to ${f3(d.high)})`;
    const mc1Good = d3.low <= 0 && d5.low <= 0;
    say(
      `- **MC 1 is a good choice** (paper): ${line('mc-3', d3)}, ${line('mc-5', d5)}: ${mc1Good ? '**reproduced**: neither beats mc-1 beyond the paired interval' : '**not reproduced**: more MC samples rank better at equal compute'}.`,
      `- **FairNAS brings no improvement** (paper): ${line('fairnas', df)}: ${df.low <= 0 ? '**reproduced**' : '**not reproduced**: fairnas beats mc-1 beyond the paired interval'}.`,
      '',
    );
  }
}

// Fig 3 ----------------------------------------------------------------------------------------------------------
say('## Fig 3a/b: layer and channel proxies (300 epochs each, deiso)', '');
{
  const runs: [string, string][] = [
    ['C4 N1', RUN.c4n1],
    ['C8 N1', RUN.ref300],
    ['C16 N1', RUN.c16n1],
    ['C8 N2', RUN.c8n2],
    ['C8 N3', RUN.c8n3],
  ];
  for (const [n, r] of runs) say(`- ${n}: ${runLine(r, 300)}`);
  say('');
  const derived = runs.map(([n, r]) => [n, readScores(finalDerive(r))] as const);
  const cs = derived.map(([n, s]) => [n, s && judge(s, 'deiso')] as const);
  table(
    ['proxy', 'τ (95% CI)', 'P@5%', 'BR@1%'],
    cs.map(([n, c]) =>
      c
        ? [n, f3(c.kendall) + ci(c), pct(c.precisionTop['0.05']), pct(c.bestRank['0.01'], 3)]
        : [n, 'not derived yet', '', ''],
    ),
  );
  const missing = derived.filter(([, s]) => !s).map(([n]) => n);
  if (missing.length)
    say(
      `Final derives missing: ${missing.join(', ')}; the verdict waits for all five. Paper: channel proxies hurt the ranking less than layer proxies. The 14-minute pilot here (\`results/oneshot-pilot-c8n1\`, \`results/oneshot-pilot-c4n5\`) said the opposite.`,
      '',
    );
  else {
    const t = Object.fromEntries(cs.map(([n, c]) => [n, c!.kendall]));
    // Channel proxy: cutting channels 4× (C16 → C4) loses fewer τ points than cutting cells 3× (N3 → N1).
    const channelLoss = t['C16 N1'] - t['C4 N1'];
    const layerLoss = t['C8 N3'] - t['C8 N1'];
    say(
      `- **Channel proxies hurt less than layer proxies** (paper): τ lost by cutting channels 4× (C16 → C4 at N1) ${f3(channelLoss)}, by cutting cells 3× (N3 → N1 at C8) ${f3(layerLoss)}: ${channelLoss < layerLoss ? '**reproduced**' : '**not reproduced**'}.`,
      '',
    );
  }
}

// Fig 3c ---------------------------------------------------------------------------------------------------------
say('## Fig 3c: rank difference by FLOPs group, final checkpoints', '');
{
  const finals: [string, string][] = [
    ['deiso, epoch 1,000', finalDerive(RUN.fig2)],
    ['deiso, epoch 300', finalDerive(RUN.ref300)],
    ['uniform, epoch 300', UNIFORM_300],
    ['mc-3', finalDerive(RUN.mc3)],
    ['mc-5', finalDerive(RUN.mc5)],
    ['fairnas', finalDerive(RUN.fairnas)],
    ['C4 N1', finalDerive(RUN.c4n1)],
    ['C16 N1', finalDerive(RUN.c16n1)],
    ['C8 N2', finalDerive(RUN.c8n2)],
    ['C8 N3', finalDerive(RUN.c8n3)],
    ['subset of 78', finalDerive(RUN.subset)],
  ];
  const have = finals.map(([n, f]) => [n, readScores(f)] as const).filter(([, s]) => s);
  say(
    'Per FLOPs decile of the 6,466 representatives (fewest FLOPs first): the mean of (true rank − predicted rank) / N',
    '(positive = over-estimated) and, in brackets, τ inside the group. Paper: small cells are over-estimated and large',
    'ones under-estimated, and the ranking inside a group is poor.',
    '',
  );
  const cs = have.map(([n, s]) => [n, judge(s!, 'deiso', false)] as const);
  table(
    ['checkpoint', ...Array.from({ length: 10 }, (_, g) => `G${g + 1}`)],
    cs.map(([n, c]) => [
      n,
      ...c.flopsGroups!.map(
        (g) => `${g.meanRankDiff >= 0 ? '+' : ''}${g.meanRankDiff.toFixed(3)} (${g.kendall.toFixed(2)})`,
      ),
    ]),
  );
  for (const [n, c] of cs) {
    const g = c.flopsGroups!;
    const smallOver = g.slice(0, 3).reduce((s, x) => s + x.meanRankDiff, 0) > 0;
    const largeUnder = g.slice(-3).reduce((s, x) => s + x.meanRankDiff, 0) < 0;
    say(
      `- ${n}: ${smallOver && largeUnder ? '**reproduced**' : '**not reproduced**'} (three smallest groups ${smallOver ? 'over' : 'under'}-estimated on average, three largest ${largeUnder ? 'under' : 'over'}-estimated; τ within groups ${f3(Math.min(...g.map((x) => x.kendall)))}–${f3(Math.max(...g.map((x) => x.kendall)))}).`,
    );
  }
  const missing = finals.filter(([, f]) => !existsSync(f)).map(([n]) => n);
  if (missing.length) say('', `Not derived yet: ${missing.join(', ')}.`);
  say('');
}

// Q1 -------------------------------------------------------------------------------------------------------------
say('## Appendix Q1: training on a subset of 78 architectures', '');
say(`- subset: ${runLine(RUN.subset, 300)}`, `- whole space: ${runLine(RUN.ref300, 300)}`, '');
{
  // The subset run's derive of its own 78 (derive-78/) stands in for "on the 78" until its full derive exists: a
  // derive scores each architecture on the same fixed batches, so the 78 of a full derive are the same numbers.
  const sub = readScores(finalDerive(RUN.subset));
  const sub78 = sub ?? readScores(`${RUN.subset}/derive-78/scores.csv`);
  const whole = readScores(finalDerive(RUN.ref300));
  const listFile = `${RUN.subset}/archs.csv`;
  if (!sub78 || !whole || !existsSync(listFile))
    say(
      'Final derives missing. Paper: the whole space wins (τ 0.657 vs 0.628 on the 78; 0.701 vs 0.670 on all).',
      '',
    );
  else {
    const keep = new Set(archList(gt, listFile));
    const rows = [
      ['whole space', whole, whole],
      ['subset of 78', sub78, sub],
    ].map(([n, s78, sAll]) => {
      const all = sAll as ArchScores | null;
      return [
        n as string,
        judge(restrict(s78 as ArchScores, keep), 'deiso'),
        all && judge(all, 'deiso'),
      ] as const;
    });
    table(
      ['sampler', 'τ on the 78', 'τ on all 6,466', 'paper: on the 78', 'paper: on all'],
      rows.map(([n, a, b], i) => [
        n,
        f3(a.kendall) + ci(a),
        b ? f3(b.kendall) + ci(b) : 'not derived yet',
        i === 0 ? '0.657' : '0.628',
        i === 0 ? '0.701' : '0.670',
      ]),
    );
    const wholeAll = rows[0][2];
    say(
      `- **The whole space wins on the 78** (paper: 0.657 vs 0.628): ${pairedVerdict(pairedTau(restrict(whole, keep), restrict(sub78, keep)))}.`,
      sub && wholeAll
        ? `- **The whole space wins on all 6,466** (paper: 0.701 vs 0.670): ${pairedVerdict(pairedTau(whole, sub))}.`
        : `- **The whole space wins on all 6,466**: the subset run's full derive (\`${finalDerive(RUN.subset)}\`) is not done yet.`,
      '',
    );
  }
}

// Zero-shot ------------------------------------------------------------------------------------------------------
say('## Zero-shot proxies on all 6,466 representatives (C16 N5)', '');
{
  const all = `${RUN.zeroshot}/scores.csv`;
  const file = existsSync(all) ? all : `${RUN.zeroshot500}/scores.csv`;
  if (!existsSync(file)) say('Not run yet.', '');
  else {
    const head = readFileSync(file, 'utf8').split('\n')[0].split(',');
    const cols = head.filter((h) => h !== 'index' && h !== 'arch');
    const rows = cols
      .map((col) => [col, judge(readScores(file, col)!, 'deiso')] as const)
      .sort((a, b) => b[1].kendall - a[1].kendall);
    say(
      file === all
        ? `\`${all}\`: all ${rows[0][1].n} representatives.`
        : `The run on all 6,466 (\`${all}\`) is not done yet; until then the 500 representatives of \`${file}\` (deiso:500, seed 0).`,
      '',
    );
    table(
      ['evaluator', 'τ (95% CI)', 'ρ', 'P@5%', 'BR@1%'],
      rows.map(([n, c]) => [
        n,
        f3(c.kendall) + ci(c),
        f3(c.spearman),
        pct(c.precisionTop['0.05']),
        pct(c.bestRank['0.01'], 2),
      ]),
    );
    const fl = rows.find(([n]) => n === 'flops')?.[1];
    const best = rows.find(([n]) => n !== 'flops' && n !== 'params');
    if (fl && best)
      say(
        `- **A zero-shot vote beats FLOPs** (the paper's NeurIPS extension): best non-cost evaluator ${best[0]} τ ${f3(best[1].kendall)} against FLOPs ${f3(fl.kendall)}: ${best[1].ci && best[1].ci.kendall.low > fl.kendall ? '**reproduced**' : '**inconclusive**: within the interval'}${file === all ? '' : ' (on 500; the 6,466 run decides)'}.`,
        '',
      );
  }
}

writeFileAtomic(out, lines.join('\n').replace(/\n{3,}/g, '\n\n'));
console.log(`${out}: ${lines.length} lines`);
