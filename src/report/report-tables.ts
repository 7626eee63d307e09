/**
 * The report's tables (plain {@link Table}s; html.ts renders them). Each builder returns null when its data is absent.
 */
import type { EvaluationResult } from '../surgery/evaluate.js';
import { comparisonTable } from './criteria-tables.js';
import { predictorRows } from './figures.js';
import type {
  CurveRunDir,
  EvaluateRunDir,
  PredictorsRunDir,
  PredictorsSearchDir,
  ZeroshotRunDir,
  ReportCriteria,
  RunDir,
} from './run-dir.js';
import { fmt, type Table } from './table.js';

/** A score in the evaluator's own units: 4 decimals, or 4 significant digits when large (e.g. FLOPs). */
const fmtScore = (v: number) => (Number.isFinite(v) && Math.abs(v) >= 1e4 ? v.toPrecision(4) : fmt(v, 4));

export interface TableDef {
  id: string;
  title: string;
  /** How to read the table (plain text). */
  caption: string;
  table: Table;
}

/** A criteria object in the shape `comparisonTable` reads (absent optional parts filled with neutral values). */
function asEvaluationResult(c: ReportCriteria): EvaluationResult {
  return {
    ...c,
    mode: c.mode ?? 'iso',
    truth: c.truth ?? '',
    coverage: c.coverage ?? { covered: c.n, total: c.n, fraction: 1 },
    rows: c.rows ?? { read: c.n, merged: 0, unused: 0 },
    kendallTop: c.kendallTop ?? {},
    kendallBottom: c.kendallBottom ?? {},
    flopsGroups: c.flopsGroups ?? null,
    isoSpread: c.isoSpread ?? null,
    isoSpreadTruth: c.isoSpreadTruth ?? null,
    ci: c.ci ?? null,
  } as EvaluationResult;
}

/** comparisonTable, with the ground truth and mode on top and the coverage shown as n when a file lacks it. */
function criteriaColumns(
  cols: readonly { name: string; criteria: ReportCriteria }[],
  extraRows: string[][],
): Table {
  const t = comparisonTable(cols.map((c) => ({ name: c.name, result: asEvaluationResult(c.criteria) })));
  const covered = t.rows.find((r) => r[0] === 'items compared');
  if (covered) {
    cols.forEach((c, i) => {
      if (!c.criteria.coverage) covered[i + 1] = String(c.criteria.n);
    });
  }
  const truthRow = [
    'ground truth · mode',
    ...cols.map((c) => `${c.criteria.truth ?? '–'} · ${c.criteria.mode ?? '–'}`),
  ];
  // The benchmark row, where any column is judged against a truth file (NAS-Bench-201 otherwise goes unsaid).
  const benchRow = cols.some((c) => c.criteria.benchmark && c.criteria.benchmark !== 'NAS-Bench-201')
    ? [['benchmark', ...cols.map((c) => c.criteria.benchmark ?? 'NAS-Bench-201')]]
    : [];
  return { headers: t.headers, rows: [...extraRows, ...benchRow, truthRow, ...t.rows] };
}

/** Headline criteria of every evaluate directory side by side. */
export function headlineCriteriaTable(evals: readonly EvaluateRunDir[]): TableDef | null {
  if (evals.length === 0) return null;
  return {
    id: 'tab-criteria',
    title: 'Criteria of the evaluators side by side',
    caption:
      'One column per evaluator (an evaluate run directory). Kendall τ-b, Spearman ρ and Pearson r: rank and linear ' +
      'correlation with the ground truth over all compared items (with the bootstrap 95% interval where computed). ' +
      'P@top/bottom K: overlap of the predicted and true top (bottom) K·N. BR@K / WR@K: best / worst true rank ' +
      'among the predicted top K·N, as a fraction of N (lower = better). KT@top K: Kendall τ inside the predicted ' +
      'top K·N. Iso spread: mean standard deviation of the predicted rank within isomorphism classes (0 = ' +
      'isomorphic cells ranked alike). – = undefined or not computed.',
    table: criteriaColumns(
      evals.map((e) => ({ name: e.label, criteria: e.criteria })),
      [],
    ),
  };
}

/** Isomorphic-group spread of each evaluator against the truth's own (paper Tab 2). */
export function isoSpreadTable(evals: readonly EvaluateRunDir[]): TableDef | null {
  const rows = evals.filter((e) => e.criteria.isoSpread);
  if (rows.length === 0) return null;
  return {
    id: 'tab-iso-spread',
    title: 'Isomorphic-group spread',
    caption:
      'Over the isomorphism classes with at least two scored members: the mean (population) standard deviation of ' +
      'the scores and of the predicted rank positions within a class. Isomorphic cells compute the same function, ' +
      'so an ideal evaluator gives them the same score; the truth’s own spread (training noise) is the floor. ' +
      'Score std is in the evaluator’s own units; rank positions are among the N items compared, so the rank std ' +
      'is also given as a fraction of N (comparable across runs of different N); compare it with the truth’s ' +
      'rank std (last column: ratio, 1 = as consistent as the truth itself).',
    table: {
      headers: [
        'evaluator',
        'N',
        'classes',
        'score std',
        'truth score std',
        'rank std',
        'rank std / N',
        'truth rank std',
        'rank std ÷ truth’s',
      ],
      rows: rows.map((e) => {
        const s = e.criteria.isoSpread!;
        const t = e.criteria.isoSpreadTruth;
        const ratio = t && t.meanRankStd > 0 ? s.meanRankStd / t.meanRankStd : NaN;
        const n = e.criteria.n;
        return [
          e.label,
          String(n),
          String(s.classes),
          s.classes ? fmtScore(s.meanScoreStd) : '–',
          t?.classes ? fmtScore(t.meanScoreStd) : '–',
          s.classes ? fmt(s.meanRankStd, 1) : '–',
          s.classes && n > 0 ? fmt(s.meanRankStd / n, 4) : '–',
          t?.classes ? fmt(t.meanRankStd, 1) : '–',
          fmt(ratio, 2),
        ];
      }),
    },
  };
}

/** The last point of every curve side by side (paper Tab 3: sampling strategies). */
export function samplingTable(curves: readonly CurveRunDir[]): TableDef | null {
  if (curves.length === 0) return null;
  const cols = curves.map((c) => ({ name: c.label, criteria: c.points[c.points.length - 1].criteria }));
  return {
    id: 'tab-sampling',
    title: 'One-shot runs at their last checkpoint (sampling strategies)',
    caption:
      'One column per one-shot curve, with the criteria at its last recorded epoch, so that supernets trained with ' +
      'different architecture samplers (uniform, de-isomorphic, multi-architecture, FairNAS…) can be compared. ' +
      'Criteria as in the evaluator table; the paper reports that without de-isomorphic sampling BR@1% and ' +
      'P@top 5% degrade markedly.',
    table: criteriaColumns(cols, [
      ['sampler', ...curves.map((c) => c.sampler ?? '–')],
      ['last epoch', ...curves.map((c) => String(c.points[c.points.length - 1].epoch))],
      ['checkpoints', ...curves.map((c) => String(c.points.length))],
    ]),
  };
}

/** mean ± std; a single run has no spread ("± –"); `sci`: scientific notation (BR@K, whose floor is 1/N). */
const meanStd = (s: { mean: number; std: number } | undefined, digits: number, runs = 2, sci = false) => {
  if (!s || !Number.isFinite(s.mean)) return '–';
  const f = (v: number) => (sci ? v.toExponential(1) : fmt(v, digits));
  return `${f(s.mean)} ± ${runs <= 1 ? '–' : f(Number.isFinite(s.std) ? s.std : 0)}`;
};

const setsInterval = (c: { low: number; high: number; clusters: number } | undefined) =>
  !c || !Number.isFinite(c.low) ? '–' : `${fmt(c.low, 3)} – ${fmt(c.high, 3)} (${c.clusters})`;

/** Predictor summary rows (mean ± std over runs). */
export function predictorTable(runs: readonly PredictorsRunDir[]): TableDef | null {
  if (runs.length === 0) return null;
  return {
    id: 'tab-predictors',
    title: 'Predictor criteria by training-set size',
    caption:
      'One row per predictor × loss × training-set size: mean ± standard deviation over the runs (training sets × ' +
      'seeds) of Kendall τ, P@top 5% and BR@1% on all architectures (BR@1% in scientific notation: its floor is ' +
      '1/N, 6.4e-5 on the 15,625), and the mean fitting time; a single run has no spread (± –). The τ interval ' +
      'is a 95% Student-t interval on the per-training-set means (the seeds of one set are not independent draws). ' +
      'The random forest and the training-free baselines ignore the loss: they appear once, as "any loss".',
    table: {
      headers: [
        'predictor · loss',
        'size',
        'runs',
        'Kendall τ',
        'τ 95% CI (sets)',
        'P@top 5%',
        'BR@1%',
        'fit (s)',
      ],
      rows: predictorRows(runs).map(({ series, r }) => [
        series,
        String(r.size),
        String(r.runs),
        meanStd(r.metrics.kendall, 3, r.runs),
        setsInterval(r.overSets?.kendall),
        meanStd(r.metrics.p_top_5, 3, r.runs),
        meanStd(r.metrics.br_1, 4, r.runs, true),
        r.fitSeconds && Number.isFinite(r.fitSeconds.mean) ? r.fitSeconds.mean.toFixed(1) : '–',
      ]),
    },
  };
}

const finiteOr = (v: number, fallback: number) => (Number.isFinite(v) ? v : fallback);

/** Zero-shot proxies and their baselines, one row per evaluator of each run, best Kendall τ first. */
export function zeroshotTable(runs: readonly ZeroshotRunDir[]): TableDef | null {
  if (runs.length === 0) return null;
  const many = runs.length > 1;
  return {
    id: 'tab-zeroshot',
    title: 'Zero-shot proxies against the ground truth',
    caption:
      'Each proxy scored on the run’s architectures from an untrained network and one batch of images (see the ' +
      'run’s manifest), with FLOPs and parameters as free baselines and majority votes of three proxies ' +
      '(vote_paper: relu_logdet, jacob_cov, synflow, as Ning et al.; vote_zc: synflow, jacob_cov, snip, as ' +
      'Abdelfattah et al.). Every proxy is oriented higher = better (plain negated, as the paper uses it). ' +
      'Undefined proxy values rank the architecture last; their count is shown beside the name. The τ interval ' +
      'is a 95% bootstrap interval over the architectures (– in summaries written before it).',
    table: {
      headers: [
        'evaluator',
        'N',
        'Kendall τ',
        'τ 95% CI',
        'Spearman ρ',
        'P@top 5%',
        'P@top 10%',
        'BR@1%',
        'BR@5%',
      ],
      rows: runs.flatMap((run) =>
        [...run.rows]
          .sort((a, b) => finiteOr(b.kendall, -Infinity) - finiteOr(a.kendall, -Infinity))
          .map((r) => [
            `${many ? `${run.label} · ` : ''}${r.evaluator}${r.nonFinite ? ` (${r.nonFinite} undefined)` : ''}`,
            String(r.n),
            fmt(r.kendall, 3),
            r.kendall_ci_low === undefined || r.kendall_ci_high === undefined
              ? '–'
              : `${fmt(r.kendall_ci_low, 3)} – ${fmt(r.kendall_ci_high, 3)}`,
            fmt(r.spearman, 3),
            fmt(r.p_top_5, 3),
            fmt(r.p_top_10, 3),
            fmt(r.br_1, 4),
            fmt(r.br_5, 4),
          ]),
      ),
    },
  };
}

/** Every stage of every search. */
export function searchTable(searches: readonly PredictorsSearchDir[]): TableDef | null {
  if (searches.length === 0) return null;
  return {
    id: 'tab-search',
    title: 'Multi-stage search, stage by stage',
    caption:
      'Queried: architectures whose truth is known after the stage. P@top 0.1% / 1%, Kendall τ: criteria of the ' +
      'predictor retrained after the stage, over all architectures. Best truth: the best accuracy among the queried ' +
      'architectures, its NB201 index, and its true rank as a fraction of N (lower = better).',
    table: {
      headers: [
        'search',
        'stage',
        'queried',
        'P@top 0.1%',
        'P@top 1%',
        'Kendall τ',
        'best truth',
        'index',
        'best rank',
      ],
      rows: searches.flatMap((s) =>
        s.stages.map((st) => [
          s.label,
          String(st.stage),
          String(st.queried),
          fmt(st.precisionTop01, 3),
          fmt(st.precisionTop1, 3),
          fmt(st.kendall, 3),
          fmt(st.bestTruth, 2),
          String(st.bestIndex),
          fmt(st.bestRank, 5),
        ]),
      ),
    },
  };
}

const KIND_NAMES: Record<RunDir['kind'], string> = {
  evaluate: 'evaluate',
  'predictors-run': 'predictors run',
  'predictors-search': 'predictors search',
  curve: 'one-shot curve',
  zeroshot: 'zeroshot score',
};

/** What went into the report. */
export function inputsTable(runs: readonly RunDir[]): Table {
  const what = (r: RunDir): string => {
    switch (r.kind) {
      case 'evaluate':
        return `${r.criteria.n} items${r.items ? '' : ' (no items.csv)'}`;
      case 'predictors-run':
        return `${r.summary.length} settings, ${r.summary.reduce((a, s) => a + s.runs, 0)} runs`;
      case 'predictors-search':
        return `${r.stages.length} stages`;
      case 'curve':
        return `${r.points.length} checkpoints, epochs ${r.points[0].epoch}–${r.points[r.points.length - 1].epoch}`;
      case 'zeroshot':
        return `${r.rows.length} evaluators on ${r.rows[0].n} architectures`;
    }
  };
  return {
    headers: ['label', 'kind', 'directory', 'content'],
    rows: runs.map((r) => [r.label, KIND_NAMES[r.kind], r.dir, what(r)]),
    leftAlign: true,
  };
}
