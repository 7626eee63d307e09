import { clusteredMean, type ClusteredMean } from '../metrics/clustered-mean.js';
import type { PredictorRunResult } from './predictor-run.js';

/** A criterion pulled out of a run's criteria for the summary table. */
export interface SummaryMetric {
  /** Column name in CSV/JSON, e.g. `kendall`, `p_top_1`. */
  id: string;
  label: string;
  get: (r: PredictorRunResult) => number;
}

export const SUMMARY_METRICS: SummaryMetric[] = [
  { id: 'kendall', label: 'Kendall τ', get: (r) => r.criteria.kendall },
  { id: 'spearman', label: 'Spearman ρ', get: (r) => r.criteria.spearman },
  { id: 'p_top_1', label: 'P@top1%', get: (r) => r.criteria.precisionTop['0.01'] },
  { id: 'p_top_5', label: 'P@top5%', get: (r) => r.criteria.precisionTop['0.05'] },
  { id: 'p_bottom_5', label: 'P@bottom5%', get: (r) => r.criteria.precisionBottom['0.05'] },
  { id: 'br_1', label: 'BR@1%', get: (r) => r.criteria.bestRank['0.01'] },
  { id: 'br_0.1', label: 'BR@0.1%', get: (r) => r.criteria.bestRank['0.001'] },
];

export interface Stat {
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single run. */
  std: number;
  min: number;
  max: number;
}

export function stat(values: readonly number[]): Stat {
  const v = values.filter((x) => Number.isFinite(x));
  if (v.length === 0) return { mean: NaN, std: NaN, min: NaN, max: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const std = v.length > 1 ? Math.sqrt(v.reduce((a, b) => a + (b - mean) ** 2, 0) / (v.length - 1)) : 0;
  return { mean, std, min: Math.min(...v), max: Math.max(...v) };
}

export interface SummaryRow {
  predictor: string;
  loss: string;
  size: number;
  runs: number;
  metrics: Record<string, Stat>;
  /**
   * Per metric, the mean over training sets with a 95% Student-t interval on the set means, and the spread
   * split into between-set and within-set (seed) parts (see {@link clusteredMean}).
   */
  overSets: Record<string, ClusteredMean>;
  fitSeconds: Stat;
}

/** Mean, std, min and max of each summary metric per (predictor, loss, size), in first-seen order. */
export function summarizeRuns(results: readonly PredictorRunResult[]): SummaryRow[] {
  const groups = new Map<string, PredictorRunResult[]>();
  for (const r of results) {
    const k = `${r.spec.predictor}\u0000${r.spec.loss}\u0000${r.spec.size}`;
    let g = groups.get(k);
    if (!g) groups.set(k, (g = []));
    g.push(r);
  }
  return [...groups.values()].map((g) => ({
    predictor: g[0].spec.predictor,
    loss: g[0].spec.loss,
    size: g[0].spec.size,
    runs: g.length,
    metrics: Object.fromEntries(SUMMARY_METRICS.map((m) => [m.id, stat(g.map(m.get))])),
    overSets: Object.fromEntries(
      SUMMARY_METRICS.map((m) => [
        m.id,
        clusteredMean(
          g.map(m.get),
          g.map((r) => r.spec.set),
        ),
      ]),
    ),
    fitSeconds: stat(g.map((r) => r.fitMs / 1000)),
  }));
}

/**
 * The summary as CSV: one row per (predictor, loss, size); per metric `_mean`, `_std`, `_min`, `_max`, then
 * the 95% interval over training sets (`_ci_low`, `_ci_high`) and the between-set / within-set spreads
 * (`_sd_sets`, `_sd_seeds`).
 */
export function summaryCsv(rows: readonly SummaryRow[]): string {
  const cols = ['predictor', 'loss', 'size', 'runs', 'sets'];
  for (const m of SUMMARY_METRICS) {
    cols.push(`${m.id}_mean`, `${m.id}_std`, `${m.id}_min`, `${m.id}_max`);
    cols.push(`${m.id}_ci_low`, `${m.id}_ci_high`, `${m.id}_sd_sets`, `${m.id}_sd_seeds`);
  }
  const lines = rows.map((r) =>
    [
      r.predictor,
      r.loss,
      r.size,
      r.runs,
      r.overSets.kendall.clusters,
      ...SUMMARY_METRICS.flatMap((m) => {
        const s = r.metrics[m.id];
        const c = r.overSets[m.id];
        return [s.mean, s.std, s.min, s.max, c.low, c.high, c.sdBetween, c.sdWithin].map((x) =>
          Number.isFinite(x) ? x.toFixed(6) : '',
        );
      }),
    ].join(','),
  );
  return [cols.join(','), ...lines].join('\n') + '\n';
}

/**
 * The fitting times per (predictor, loss, size) as CSV: measured, so they differ between two runs of the same grid
 * and are kept apart from the results (runs.csv and the summaries are the same whichever machine or shard made them).
 */
export function timingsCsv(rows: readonly SummaryRow[]): string {
  const lines = rows.map((r) =>
    [r.predictor, r.loss, r.size, r.runs, r.fitSeconds.mean.toFixed(3), r.fitSeconds.std.toFixed(3)].join(
      ',',
    ),
  );
  return ['predictor,loss,size,runs,fit_seconds_mean,fit_seconds_std', ...lines].join('\n') + '\n';
}

/** Every run as one CSV row (the raw material of the summary). */
export function runsCsv(results: readonly PredictorRunResult[]): string {
  const cols = ['predictor', 'loss', 'size', 'set', 'seed', ...SUMMARY_METRICS.map((m) => m.id)];
  const lines = results.map((r) =>
    [
      r.spec.predictor,
      r.spec.loss,
      r.spec.size,
      r.spec.set,
      r.spec.seed,
      ...SUMMARY_METRICS.map((m) => {
        const v = m.get(r);
        return Number.isFinite(v) ? v.toFixed(6) : '';
      }),
    ].join(','),
  );
  return [cols.join(','), ...lines].join('\n') + '\n';
}
