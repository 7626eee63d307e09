/**
 * The whole criteria suite of method §3 in one call, with the JSON contract used by reports:
 *
 *   n, pearson, kendall, spearman,
 *   precisionTop, precisionBottom, kendallTop, kendallBottom   (keys "0.001" … "0.5", "1.0")
 *   bestRank, worstRank                                        (keys "0.001" … "0.1", "0.2")
 *   flopsGroups  (array of { flopsMin, flopsMax, size, meanRankDiff, kendall } or null without `cost`)
 *   isoSpread    ({ classes, meanScoreStd, meanRankStd } or null without `classIds`)
 *   ci           ({ kendall, precisionTop5 } bootstrap intervals, or null when bootstrap is off)
 *
 * Ratios whose k = floor(N·K) < 1 are absent from the P@/BR@/WR@ maps; for KT@ maps those with k < 2.
 * Values that are undefined (e.g. tau with a constant side) are NaN (JSON.stringify writes null).
 * The bootstrap is OFF unless `options.bootstrap` is given (it is ~1000× the cost of the suite).
 *
 * Speed: the descending rankings of score and truth (one sort each, `sort.ts`, with the inverse permutation and the
 * dense ranks) are computed once and shared by every criterion; one `kendallPrefixes` pass over the score's order
 * gives the full tau and every KT@top, one over the reversed order every KT@bottom.
 */
import { bestRankCore, worstRankCore } from './best-rank.js';
import { bootstrapCore, type BootstrapInterval } from './bootstrap.js';
import { costGroupsCore } from './cost-groups.js';
import { isoSpreadCore, type IsoSpread } from './iso-spread.js';
import { kendallCore } from './kendall.js';
import { kendallBottomCore, kendallTopCore } from './kendall-subset.js';
import { pearsonCore } from './pearson.js';
import { precisionBottomCore, precisionTopCore } from './precision.js';
import { kFromRatio, PRECISION_RATIOS, RANK_RATIOS, ratioKey } from './ratios.js';
import { descendingRanking } from './ranking.js';
import { invertPermutation, stableArgsort } from './sort.js';
import { spearmanCore } from './spearman.js';
import {
  assertPositiveInteger,
  assertSameLength,
  toFiniteFloat64,
  validatePair,
  type NumericArray,
} from './validate.js';

export interface CriteriaSuiteOptions {
  /** Per-architecture cost (e.g. FLOPs): enables `flopsGroups`. */
  cost?: NumericArray;
  /** Per-architecture class id (e.g. isomorphism class): enables `isoSpread`. */
  classIds?: NumericArray;
  /** Number of cost groups (default 10). */
  groups?: number;
  /** Bootstrap settings for `ci`; omitted or false = no bootstrap (`ci: null`). */
  bootstrap?: { resamples: number; seed: number; level?: number } | false;
}

export interface FlopsGroup {
  flopsMin: number;
  flopsMax: number;
  size: number;
  meanRankDiff: number;
  kendall: number;
}

export interface CriteriaSuiteResult {
  n: number;
  pearson: number;
  kendall: number;
  spearman: number;
  precisionTop: Record<string, number>;
  precisionBottom: Record<string, number>;
  bestRank: Record<string, number>;
  worstRank: Record<string, number>;
  kendallTop: Record<string, number>;
  kendallBottom: Record<string, number>;
  flopsGroups: FlopsGroup[] | null;
  isoSpread: IsoSpread | null;
  ci: { kendall: BootstrapInterval; precisionTop5: BootstrapInterval } | null;
}

/** P@top5% on a resample (bootstrap statistic). */
function precisionTop5(s: Float64Array, y: Float64Array): number {
  const k = kFromRatio(s.length, 0.05);
  if (k < 1) return NaN;
  return precisionTopCore(stableArgsort(s, true), invertPermutation(stableArgsort(y, true)), k);
}

/** Computes every criterion of method §3 for one evaluator; see the module comment for the contract. */
export function criteriaSuite(
  score: NumericArray,
  truth: NumericArray,
  options: CriteriaSuiteOptions = {},
): CriteriaSuiteResult {
  const fn = 'criteriaSuite';
  const [s, y] = validatePair(score, truth, 'score', 'truth', fn);
  const n = s.length;
  let cost: Float64Array | null = null;
  if (options.cost !== undefined) {
    cost = toFiniteFloat64(options.cost, 'options.cost', fn);
    assertSameLength(s, cost, 'score', 'options.cost', fn);
  }
  let classIds: Float64Array | null = null;
  if (options.classIds !== undefined) {
    classIds = toFiniteFloat64(options.classIds, 'options.classIds', fn);
    assertSameLength(s, classIds, 'score', 'options.classIds', fn);
  }
  const groups = assertPositiveInteger(options.groups ?? 10, 'options.groups', fn);
  const boot = options.bootstrap ?? false;
  if (boot !== false) {
    if (typeof boot !== 'object' || boot === null) {
      throw new Error(`Argument 'options.bootstrap' passed to '${fn}' must be an object or false`);
    }
    assertPositiveInteger(boot.resamples, 'options.bootstrap.resamples', fn);
    if (typeof boot.seed !== 'number' || !Number.isSafeInteger(boot.seed)) {
      throw new Error(
        `Argument 'options.bootstrap.seed' passed to '${fn}' must be a safe integer; got ${String(boot.seed)}`,
      );
    }
    const level = boot.level ?? 0.95;
    if (typeof level !== 'number' || !(level > 0 && level < 1)) {
      throw new Error(
        `Argument 'options.bootstrap.level' passed to '${fn}' must be a number in (0, 1); got ${String(level)}`,
      );
    }
  }

  // Shared orders and ranks.
  const rankingS = descendingRanking(s);
  const rankingY = descendingRanking(y);
  const orderS = rankingS.order;
  const rankY = rankingY.position;

  const precisionTop: Record<string, number> = {};
  const precisionBottom: Record<string, number> = {};
  for (const r of PRECISION_RATIOS) {
    const k = kFromRatio(n, r);
    if (k < 1) continue;
    const key = ratioKey(r);
    precisionTop[key] = precisionTopCore(orderS, rankY, k);
    precisionBottom[key] = precisionBottomCore(orderS, rankY, k);
  }
  // KT@top/bottom for every ratio with k ≥ 2 (k grows with the ratio), plus the full tau (the top n).
  const ktRatios = PRECISION_RATIOS.filter((r) => kFromRatio(n, r) >= 2);
  const ks = [...ktRatios.map((r) => kFromRatio(n, r)), n];
  const taus = kendallTopCore(s, orderS, rankingY.dense, rankingY.distinct, ks);
  const tausBottom = kendallBottomCore(s, orderS, rankingY.dense, rankingY.distinct, ks.slice(0, -1));
  const kendallTop: Record<string, number> = {};
  const kendallBottom: Record<string, number> = {};
  ktRatios.forEach((r, j) => {
    kendallTop[ratioKey(r)] = taus[j];
    kendallBottom[ratioKey(r)] = tausBottom[j];
  });
  const bestRank: Record<string, number> = {};
  const worstRank: Record<string, number> = {};
  for (const r of RANK_RATIOS) {
    const k = kFromRatio(n, r);
    if (k < 1) continue;
    const key = ratioKey(r);
    bestRank[key] = bestRankCore(orderS, rankY, k);
    worstRank[key] = worstRankCore(orderS, rankY, k);
  }

  const flopsGroups: FlopsGroup[] | null =
    cost === null
      ? null
      : costGroupsCore(s, cost, rankingS, rankingY, groups).map((g) => ({
          flopsMin: g.costMin,
          flopsMax: g.costMax,
          size: g.size,
          meanRankDiff: g.meanRankDiff,
          kendall: g.kendall,
        }));

  let ci: CriteriaSuiteResult['ci'] = null;
  if (boot !== false) {
    const level = boot.level ?? 0.95;
    ci = {
      kendall: bootstrapCore(s, y, (a, b) => kendallCore(a, b), boot.resamples, boot.seed, level),
      precisionTop5: bootstrapCore(s, y, precisionTop5, boot.resamples, boot.seed, level),
    };
  }

  return {
    n,
    pearson: pearsonCore(s, y),
    kendall: taus[taus.length - 1],
    spearman: spearmanCore(rankingS, rankingY),
    precisionTop,
    precisionBottom,
    bestRank,
    worstRank,
    kendallTop,
    kendallBottom,
    flopsGroups,
    isoSpread: classIds === null ? null : isoSpreadCore(s, classIds, rankingS.position),
    ci,
  };
}
