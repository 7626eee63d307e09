import type { FlopsGroup } from '../metrics/suite.js';
import type { EvaluationResult } from '../surgery/evaluate.js';
import { fmt, ratioLabel, type Table } from './table.js';

/** Headline criteria of several evaluators side by side (rows: criteria; columns: evaluators). */
export function comparisonTable(results: readonly { name: string; result: EvaluationResult }[]): Table {
  const headers = ['criterion', ...results.map((r) => r.name)];
  const row = (label: string, get: (r: EvaluationResult) => string) => [
    label,
    ...results.map((r) => get(r.result)),
  ];
  const rows: string[][] = [
    row('items compared', (r) => `${r.coverage.covered}/${r.coverage.total}`),
    row('Kendall τ-b', (r) => fmt(r.kendall)),
    row('  95% CI', (r) => (r.ci ? `${fmt(r.ci.kendall.low, 3)}–${fmt(r.ci.kendall.high, 3)}` : '–')),
    row('Spearman ρ', (r) => fmt(r.spearman)),
    row('Pearson r', (r) => fmt(r.pearson)),
  ];
  for (const key of ['0.01', '0.05', '0.1', '0.5']) {
    rows.push(row(`P@top ${ratioLabel(key)}`, (r) => fmt(r.precisionTop[key])));
  }
  rows.push(
    row('  P@top 5% 95% CI', (r) =>
      r.ci ? `${fmt(r.ci.precisionTop5.low, 3)}–${fmt(r.ci.precisionTop5.high, 3)}` : '–',
    ),
  );
  for (const key of ['0.05', '0.5'])
    rows.push(row(`P@bottom ${ratioLabel(key)}`, (r) => fmt(r.precisionBottom[key])));
  for (const key of ['0.001', '0.01', '0.05'])
    rows.push(row(`BR@${ratioLabel(key)}`, (r) => fmt(r.bestRank[key], 5)));
  for (const key of ['0.01', '0.05'])
    rows.push(row(`WR@${ratioLabel(key)}`, (r) => fmt(r.worstRank[key], 5)));
  for (const key of ['0.05', '0.5'])
    rows.push(row(`KT@top ${ratioLabel(key)}`, (r) => fmt(r.kendallTop[key])));
  rows.push(
    row('iso spread (rank std)', (r) => (r.isoSpread?.classes ? fmt(r.isoSpread.meanRankStd, 1) : '–')),
  );
  return { headers, rows };
}

/** Every top/bottom criterion against K for one evaluator. */
export function byRatioTable(r: EvaluationResult): Table {
  const keys = [...new Set([...Object.keys(r.precisionTop), ...Object.keys(r.bestRank)])].sort(
    (a, b) => Number(a) - Number(b),
  );
  return {
    headers: ['K', 'k', 'P@top', 'P@bottom', 'KT@top', 'KT@bottom', 'BR@K', 'WR@K'],
    rows: keys.map((key) => [
      ratioLabel(key),
      String(Math.floor(r.n * Number(key) + 1e-9)),
      fmt(r.precisionTop[key]),
      fmt(r.precisionBottom[key]),
      fmt(r.kendallTop[key]),
      fmt(r.kendallBottom[key]),
      fmt(r.bestRank[key], 5),
      fmt(r.worstRank[key], 5),
    ]),
  };
}

/** Rank difference and τ per FLOPs group (method §3; positive = over-estimated). */
export function flopsGroupTable(r: EvaluationResult): Table {
  return groupTable(r.flopsGroups ?? [], 'FLOPs group (M)', (v) => (v / 1e6).toFixed(2));
}

/** The same for any cost column of a truth file, in the column's own units. */
export function costGroupTable(groups: readonly FlopsGroup[], cost: string): Table {
  return groupTable(groups, `${cost} group`, (v) => String(Number(v.toPrecision(4))));
}

function groupTable(groups: readonly FlopsGroup[], header: string, value: (v: number) => string): Table {
  return {
    headers: [header, 'size', 'mean (trueRank−predRank)/N', 'Kendall τ'],
    rows: groups.map((g) => [
      g.flopsMin === g.flopsMax ? value(g.flopsMin) : `${value(g.flopsMin)}–${value(g.flopsMax)}`,
      String(g.size),
      (g.meanRankDiff >= 0 ? '+' : '') + fmt(g.meanRankDiff),
      fmt(g.kendall),
    ]),
  };
}
