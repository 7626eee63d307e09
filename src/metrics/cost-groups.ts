/**
 * Rank difference by cost group (method §3, the paper's Fig 3c): sort architectures by cost ascending, cut the
 * sorted list into at most `groups` contiguous groups, and report per group its cost range, its size, the mean of
 * (trueRank − predRank) / N — GLOBAL 0-based descending ranks over all N, positive = the evaluator over-estimates
 * the group — and Kendall's tau-b of score vs truth inside the group.
 *
 * Ties in cost: every distinct cost value goes wholly into one group, so two architectures of the same cost are
 * always in the same group (NB201 has only 28 distinct FLOPs values, and one of them, 47.10 M, holds 2,430 of the
 * 15,625 architectures: more than a tenth). The cuts are therefore only allowed between runs of equal cost.
 *
 * Which cuts (`costGroupSizes`): with n items, G = `groups`, and the distinct cost values in ascending order with
 * counts c_1 … c_m, choose G contiguous, possibly empty, groups of whole values that minimise
 *
 *   Σ_g (size_g − n/G)²      (= Σ_g size_g² − n²/G, since the sizes sum to n),
 *
 * i.e. the group sizes as equal as the ties allow. Among equal minima (the objective is an integer, so ties are
 * exact) the vector of sizes that is lexicographically largest is taken: cheaper groups get the extra items. With
 * all costs distinct this is exactly `numpy.array_split` (the first n % G groups have one more item). The optimum
 * is computed exactly by dynamic programming over value boundaries, f_k(i) = min_{j ≥ i} (P_j − P_i)² + f_{k−1}(j)
 * with P the prefix sums of the counts; the cost (P_j − P_i)² is Monge, so the largest minimising j is
 * non-decreasing in i and each of the G layers is solved by divide and conquer in O(m log m).
 *
 * Fewer groups: splitting a group that holds two or more distinct values into two non-empty parts strictly lowers
 * Σ size², so the optimum leaves a group empty only when there are fewer distinct values than groups (m < G). Then
 * each distinct value is its own group and m groups are returned; empty groups are never returned (every returned
 * group has size ≥ 1). A one-element group, or one whose score or truth is constant, has kendall = NaN.
 */
import { kendallPrefixes } from './kendall-scan.js';
import { descendingRanking, type Ranking } from './ranking.js';
import { stableArgsort } from './sort.js';
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
  /** Largest cost in the group (no other group holds a cost in [costMin, costMax]). */
  costMax: number;
  /** Number of architectures in the group. */
  size: number;
  /** Mean over the group of (trueRank − predRank) / N (global ranks). */
  meanRankDiff: number;
  /** Kendall's tau-b of score vs truth inside the group (NaN if size < 2 or one side constant). */
  kendall: number;
}

/**
 * Chunk sizes of `numpy.array_split(range(n), groups)` (may contain zeros when groups > n). Cost groups no longer
 * use it (they never split a run of equal costs); predictor search splits its per-stage queries with it.
 */
export function arraySplitSizes(n: number, groups: number): number[] {
  const q = Math.floor(n / groups);
  const r = n % groups;
  const sizes: number[] = [];
  for (let g = 0; g < groups; g++) sizes.push(g < r ? q + 1 : q);
  return sizes;
}

/**
 * Sizes of the cost groups for distinct cost values with the given counts (ascending cost), into at most `groups`
 * groups of whole values; see the module comment for the objective and the tie rule. Returns only non-empty groups:
 * min(groups, number of values) of them.
 */
export function costGroupSizes(counts: ArrayLike<number>, groups: number): number[] {
  const fn = 'costGroupSizes';
  assertPositiveInteger(groups, 'groups', fn);
  const m = counts.length;
  const prefix = new Float64Array(m + 1);
  for (let v = 0; v < m; v++) {
    const c = counts[v];
    if (!Number.isSafeInteger(c) || c < 1) {
      throw new Error(
        `Argument 'counts' passed to '${fn}' must hold positive integers; found ${c} at position ${v}`,
      );
    }
    prefix[v + 1] = prefix[v] + c;
  }
  if (m === 0) return [];
  // layers[k][i]: least Σ size² for values i … m−1 in at most k groups (k = 1 … groups − 1; layer 0 is implicit:
  // 0 at i = m, impossible elsewhere).
  const layers: Float64Array[] = [new Float64Array(0)];
  const total = prefix[m];
  const layer1 = new Float64Array(m + 1);
  for (let i = 0; i <= m; i++) layer1[i] = (total - prefix[i]) ** 2;
  layers.push(layer1);
  for (let k = 2; k < groups; k++) {
    const prev = layers[k - 1];
    const cur = new Float64Array(m + 1);
    // Rows lo … hi, whose largest minimising j lies in [jLo, jHi] (monotone in the row: Monge cost).
    const solve = (lo: number, hi: number, jLo: number, jHi: number): void => {
      if (lo > hi) return;
      const mid = (lo + hi) >> 1;
      let best = Infinity;
      let arg = Math.max(mid, jLo);
      for (let j = Math.max(mid, jLo); j <= jHi; j++) {
        const d = prefix[j] - prefix[mid];
        const v = d * d + prev[j];
        if (v <= best) {
          best = v;
          arg = j;
        }
      }
      cur[mid] = best;
      solve(lo, mid - 1, jLo, arg);
      solve(mid + 1, hi, arg, jHi);
    };
    solve(0, m, 0, m);
    layers.push(cur);
    // Once every value can have its own group, more groups change nothing.
    if (k >= m) break;
  }
  // Reconstruct from the left: each group as large as an optimal completion allows (lexicographically largest).
  const sizes: number[] = [];
  let i = 0;
  for (let k = groups; k >= 1 && i < m; k--) {
    let j = m;
    if (k > 1) {
      const rest = layers[Math.min(k - 1, layers.length - 1)];
      let best = Infinity;
      for (let t = i; t <= m; t++) {
        const d = prefix[t] - prefix[i];
        const v = d * d + rest[t];
        if (v <= best) {
          best = v;
          j = t;
        }
      }
    }
    if (j > i) sizes.push(prefix[j] - prefix[i]);
    i = j;
  }
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
  return costGroupsCore(s, c, descendingRanking(s), descendingRanking(y), groups);
}

/**
 * Internal: cost groups from the precomputed descending rankings of score and truth. Each group's tau walks the
 * group's members in the score's descending order (a stable counting sort of that order by group) against the
 * truth's global dense ranks (`kendallPrefixes`; a subset of a monotone ranking is still monotone).
 */
export function costGroupsCore(
  s: Float64Array,
  cost: Float64Array,
  rankingS: Ranking,
  rankingY: Ranking,
  groups: number,
): CostGroup[] {
  const n = s.length;
  const rankS = rankingS.position;
  const rankY = rankingY.position;
  const orderC = stableArgsort(cost, false);
  // Counts of the distinct cost values, ascending (-0 and 0 are one value, as in the sort).
  const counts: number[] = [];
  for (let p = 0; p < n; p++) {
    if (p > 0 && cost[orderC[p]] === cost[orderC[p - 1]]) counts[counts.length - 1]++;
    else counts.push(1);
  }
  const sizes = costGroupSizes(counts, groups);

  // Group of each element, and the members of each group in the score's descending order.
  const groupOf = new Uint32Array(n);
  const starts = new Uint32Array(sizes.length + 1);
  for (let g = 0, p = 0; g < sizes.length; g++) {
    starts[g + 1] = starts[g] + sizes[g];
    for (; p < starts[g + 1]; p++) groupOf[orderC[p]] = g;
  }
  const next = starts.slice(0, sizes.length); // write cursor of each group
  const members = new Uint32Array(n);
  for (let p = 0; p < n; p++) {
    const i = rankingS.order[p];
    members[next[groupOf[i]]++] = i;
  }

  const out: CostGroup[] = [];
  for (let g = 0; g < sizes.length; g++) {
    const start = starts[g];
    const size = sizes[g];
    let diff = 0;
    for (let p = start; p < start + size; p++) {
      const i = orderC[p];
      diff += rankY[i] - rankS[i];
    }
    const seq = members.subarray(start, start + size);
    out.push({
      costMin: cost[orderC[start]],
      costMax: cost[orderC[start + size - 1]],
      size,
      meanRankDiff: diff / size / n,
      kendall: kendallPrefixes(seq, s, rankingY.dense, rankingY.distinct, [size])[0],
    });
  }
  return out;
}
