/**
 * From the scored rows of a zero-shot run to what it reports: one column per proxy (undefined values ranked last),
 * the majority votes, the FLOPs and params baselines, each judged against the truth in a method §2 mode; and the
 * scores as CSV (a score file for `evaluate`, one column per evaluator).
 */
import type { EvalMode, GroundTruth } from '../benchmarks/ground-truth.js';
import { criteriaSuite } from '../metrics/suite.js';
import { alignToTruth } from '../scores/align-to-truth.js';
import { formatArch } from '../space/arch-string.js';
import type { ZeroShotProxy, ZeroShotVote } from './proxies.js';
import { rankLast } from './rank-last.js';
import type { ZeroShotRow } from './run-zeroshot.js';
import { majorityVoteScores } from './vote.js';

export interface ZeroShotSummaryRow {
  evaluator: string;
  /** Items compared (architectures, or classes in the deiso modes). */
  n: number;
  /** Undefined proxy values, ranked last. */
  nonFinite: number;
  kendall: number;
  /** 95% bootstrap interval of Kendall's τ over the compared items (200 resamples, seed 0). */
  kendall_ci_low: number;
  kendall_ci_high: number;
  spearman: number;
  p_top_1: number;
  p_top_5: number;
  p_top_10: number;
  br_1: number;
  br_5: number;
}

/** Score columns by evaluator name, aligned with `rows`. */
export function zeroShotColumns(
  rows: readonly ZeroShotRow[],
  proxies: readonly ZeroShotProxy[],
  votes: readonly ZeroShotVote[],
  gt: GroundTruth,
): { columns: Map<string, Float64Array>; nonFinite: Map<string, number> } {
  const columns = new Map<string, Float64Array>();
  const nonFinite = new Map<string, number>();
  proxies.forEach((p, k) => {
    const { values, replaced } = rankLast(Float64Array.from(rows, (r) => r.scores[k]));
    columns.set(p, values);
    nonFinite.set(p, replaced);
  });
  for (const v of votes) columns.set(v.name, majorityVoteScores(v.proxies.map((p) => columns.get(p)!)));
  const { flops, params } = gt.costs();
  columns.set(
    'flops',
    Float64Array.from(rows, (r) => flops[r.index]),
  );
  columns.set(
    'params',
    Float64Array.from(rows, (r) => params[r.index]),
  );
  return { columns, nonFinite };
}

/** Every column judged against `truthName` in `mode`. */
/** The bootstrap of the summaries' τ intervals (resampling the compared items). */
export const ZEROSHOT_BOOTSTRAP = { resamples: 200, seed: 0 } as const;

export function summarizeZeroShot(
  rows: readonly ZeroShotRow[],
  columns: ReadonlyMap<string, Float64Array>,
  nonFinite: ReadonlyMap<string, number>,
  gt: GroundTruth,
  mode: EvalMode,
  truthName: string,
): ZeroShotSummaryRow[] {
  const index = Int32Array.from(rows, (r) => r.index);
  return [...columns].map(([evaluator, score]) => {
    const aligned = alignToTruth({ index, score, merged: 0 }, gt, mode, truthName);
    const c = criteriaSuite(aligned.score, aligned.truth, { bootstrap: ZEROSHOT_BOOTSTRAP });
    return {
      evaluator,
      n: c.n,
      nonFinite: nonFinite.get(evaluator) ?? 0,
      kendall: c.kendall,
      kendall_ci_low: c.ci?.kendall.low ?? NaN,
      kendall_ci_high: c.ci?.kendall.high ?? NaN,
      spearman: c.spearman,
      p_top_1: c.precisionTop['0.01'] ?? NaN,
      p_top_5: c.precisionTop['0.05'] ?? NaN,
      p_top_10: c.precisionTop['0.1'] ?? NaN,
      br_1: c.bestRank['0.01'] ?? NaN,
      br_5: c.bestRank['0.05'] ?? NaN,
    };
  });
}

/** `index,arch,<column>...` with one row per scored architecture. */
export function zeroShotScoresCsv(
  rows: readonly ZeroShotRow[],
  columns: ReadonlyMap<string, Float64Array>,
  gt: GroundTruth,
): string {
  const values = [...columns.values()];
  return (
    [
      ['index', 'arch', ...columns.keys()].join(','),
      ...rows.map((r, k) =>
        [r.index, formatArch(gt.archs[r.index]), ...values.map((c) => String(c[k]))].join(','),
      ),
    ].join('\n') + '\n'
  );
}
