/**
 * Rank difference by cost group (SPEC §3): sort architectures by cost ascending (stable, ties by index),
 * split them into `groups` contiguous chunks exactly as `numpy.array_split` does (the first n % groups chunks
 * get one extra element), and report per chunk the mean of (trueRank − predRank) / N — GLOBAL 0-based
 * descending ranks over all N, positive = the evaluator over-estimates the group — and Kendall's tau-b of
 * score vs truth inside the chunk.
 *
 * When groups > n, numpy would also yield empty chunks; those are dropped here (every returned group has
 * size ≥ 1). A one-element group has kendall = NaN.
 */
import { kendallCore } from './kendall.js';
import { invertPermutation, stableArgsort } from './sort.js';
import {
  assertMinLength,
  assertPositiveInteger,
  assertSameLength,
  toFiniteFloat64,
  type NumericArray,
} from './validate.js';

export interface CostGroup {
  /** Smallest cost in the group. */
  costMin: number;
  /** Largest cost in the group. */
  costMax: number;
  /** Number of architectures in the group. */
  size: number;
  /** Mean over the group of (trueRank − predRank) / N (global ranks). */
  meanRankDiff: number;
  /** Kendall's tau-b of score vs truth inside the group (NaN if size < 2 or one side constant). */
  kendall: number;
}

/** Chunk sizes of `numpy.array_split(range(n), groups)` (may contain zeros when groups > n). */
export function arraySplitSizes(n: number, groups: number): number[] {
  const q = Math.floor(n / groups);
  const r = n % groups;
  const sizes: number[] = [];
  for (let g = 0; g < groups; g++) sizes.push(g < r ? q + 1 : q);
  return sizes;
}

/** Per-cost-group rank difference and Kendall's tau; see the module comment. */
export function rankDiffByCostGroup(
  score: NumericArray,
  truth: NumericArray,
  cost: NumericArray,
  groups = 10,
): CostGroup[] {
  const fn = 'rankDiffByCostGroup';
  const s = toFiniteFloat64(score, 'score', fn);
  const y = toFiniteFloat64(truth, 'truth', fn);
  const c = toFiniteFloat64(cost, 'cost', fn);
  assertSameLength(s, y, 'score', 'truth', fn);
  assertSameLength(s, c, 'score', 'cost', fn);
  assertMinLength(s, 2, 'score', fn);
  assertPositiveInteger(groups, 'groups', fn);
  const rankS = invertPermutation(stableArgsort(s, true));
  const rankY = invertPermutation(stableArgsort(y, true));
  return costGroupsCore(s, y, c, rankS, rankY, groups);
}

/** Internal: cost groups from precomputed global descending ranks of score and truth. */
export function costGroupsCore(
  s: Float64Array,
  y: Float64Array,
  cost: Float64Array,
  rankS: Uint32Array,
  rankY: Uint32Array,
  groups: number,
): CostGroup[] {
  const n = s.length;
  const orderC = stableArgsort(cost, false);
  const out: CostGroup[] = [];
  let start = 0;
  for (const size of arraySplitSizes(n, groups)) {
    if (size === 0) continue;
    const xs = new Float64Array(size);
    const ys = new Float64Array(size);
    let diff = 0;
    for (let p = 0; p < size; p++) {
      const i = orderC[start + p];
      xs[p] = s[i];
      ys[p] = y[i];
      diff += rankY[i] - rankS[i];
    }
    out.push({
      costMin: cost[orderC[start]],
      costMax: cost[orderC[start + size - 1]],
      size,
      meanRankDiff: diff / size / n,
      kendall: kendallCore(xs, ys),
    });
    start += size;
  }
  return out;
}
