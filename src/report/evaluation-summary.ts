import type { EvaluationResult } from '../surgery/evaluate.js';
import { byRatioTable, costGroupTable, flopsGroupTable } from './criteria-tables.js';
import { fmt, renderMarkdownTable, renderTextTable, type Table } from './table.js';

function coverageLine(r: EvaluationResult): string {
  const unit = r.mode === 'iso' ? 'architectures' : r.classColumn ? 'classes' : 'isomorphism classes';
  const pct = (100 * r.coverage.fraction).toFixed(1);
  const extra = [
    r.rows.merged ? `${r.rows.merged} duplicate rows averaged` : '',
    r.rows.unused ? `${r.rows.unused} rows not used (one architecture per class in deiso)` : '',
    r.rows.unmatched ? `${r.rows.unmatched} score rows have an id absent from the truth` : '',
    r.truthRows?.merged ? `${r.truthRows.merged} duplicate truth rows averaged` : '',
  ].filter(Boolean);
  return `${r.coverage.covered} of ${r.coverage.total} ${unit} scored (${pct}%)${extra.length ? `; ${extra.join('; ')}` : ''}`;
}

function headlineTable(r: EvaluationResult): Table {
  const ci = (i?: { low: number; high: number; level: number; resamples: number }) =>
    i
      ? `${Math.round(i.level * 100)}% CI ${fmt(i.low)}–${fmt(i.high)} (${i.resamples} bootstrap resamples)`
      : '';
  return {
    headers: ['criterion', 'value', ''],
    rows: [
      ['Kendall τ-b', fmt(r.kendall), ci(r.ci?.kendall)],
      ['Spearman ρ', fmt(r.spearman), ''],
      ['Pearson r', fmt(r.pearson), ''],
      ['P@top 5%', fmt(r.precisionTop['0.05']), ci(r.ci?.precisionTop5)],
    ],
  };
}

function isoLine(r: EvaluationResult): string {
  const what = r.classColumn ? `Class spread (column '${r.classColumn}')` : 'Isomorphic-group spread';
  if (r.isoSpread === null || r.isoSpreadTruth === null) return `${what}: not computed (no class column).`;
  if (r.isoSpread.classes === 0) return `${what}: no class has two scored members.`;
  return (
    `${what} over ${r.isoSpread.classes} classes with ≥ 2 scored members: ` +
    `mean score std ${fmt(r.isoSpread.meanScoreStd)}, mean rank std ${fmt(r.isoSpread.meanRankStd, 1)} ` +
    `(the truth's own: ${fmt(r.isoSpreadTruth.meanScoreStd)} / ${fmt(r.isoSpreadTruth.meanRankStd, 1)}).`
  );
}

/** The cost-group analyses: FLOPs for NB201, one per cost column of a truth file. */
function costSections(r: EvaluationResult): { cost: string; table: Table | null }[] {
  if (!r.costGroups) return [{ cost: 'FLOPs', table: flopsGroupTable(r) }];
  if (r.costGroups.length === 0) return [{ cost: 'cost', table: null }];
  return r.costGroups.map((g) => ({ cost: `'${g.cost}'`, table: costGroupTable(g.groups, g.cost) }));
}

const NO_COST = 'not computed (no cost column; give one with --cost-column).';

/** Where the truth comes from, for the first line. */
function against(r: EvaluationResult): string {
  return r.costGroups ? `${r.benchmark} (truth column '${r.truth}')` : r.truth;
}

/** A readable plain-text report of one evaluation. */
export function evaluationText(r: EvaluationResult, label = 'scores'): string {
  return [
    `Surgery of ${label} against ${against(r)} (${r.mode}): ${coverageLine(r)}`,
    '',
    renderTextTable(headlineTable(r)),
    '',
    renderTextTable(byRatioTable(r)),
    '',
    ...costSections(r).flatMap(({ cost, table }) =>
      table
        ? [`Rank difference by ${cost} group (positive = over-estimated):`, renderTextTable(table), '']
        : [`Rank difference by cost group: ${NO_COST}`, ''],
    ),
    isoLine(r),
  ].join('\n');
}

/** The same report as markdown, for `--out`. */
export function evaluationMarkdown(r: EvaluationResult, label: string, command: string): string {
  return [
    `# Surgery of ${label}`,
    '',
    (r.costGroups
      ? `Benchmark \`${r.benchmark}\`, truth column \`${r.truth}\``
      : `Ground truth \`${r.truth}\``) + `, mode \`${r.mode}\`: ${coverageLine(r)}.`,
    '',
    `Command: \`${command}\``,
    '',
    '## Correlations',
    '',
    renderMarkdownTable(headlineTable(r)),
    '',
    '## Top and bottom criteria by K',
    '',
    'P@top/bottom: overlap of predicted and true top (bottom) k. KT@: Kendall τ inside the predicted top (bottom) k. ',
    'BR@K / WR@K: best / worst true rank among the predicted top k, normalised (lower is better).',
    '',
    renderMarkdownTable(byRatioTable(r)),
    '',
    ...costSections(r).flatMap(({ cost, table }) => [
      `## Rank difference by ${cost} group`,
      '',
      ...(table
        ? ['Positive = the evaluator over-estimates that group.', '', renderMarkdownTable(table)]
        : [NO_COST]),
      '',
    ]),
    r.classColumn ? '## Class spread' : '## Isomorphic-group spread',
    '',
    isoLine(r),
    '',
  ].join('\n');
}
