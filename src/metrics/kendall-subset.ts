/**
 * KT@topK / KT@bottomK: Kendall's tau-b between score and truth restricted to the architectures in the
 * predicted top (bottom) k, k = floor(N·K). The bottom k is the last k of the stable descending order of
 * the score (same rule as P@bottomK).
 *
 * The top-k sets of all ratios are prefixes of the score's descending order, so one `kendallPrefixes` pass over that
 * order gives every KT@top (and, at k = N, the full tau); the bottom-k sets are prefixes of the reversed order.
 */
import { kendallPrefixes } from './kendall-scan.js';
import { descendingRanking } from './ranking.js';
import { kFromRatio } from './ratios.js';
import { assertRatio, validatePair, type NumericArray } from './validate.js';

/** KT@topK; NaN when k < 2 (or when score or truth is constant inside the subset). */
export function kendallAtTop(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'kendallAtTop');
  assertRatio(ratio, 'ratio', 'kendallAtTop');
  const ry = descendingRanking(y);
  return kendallTopCore(s, descendingRanking(s).order, ry.dense, ry.distinct, [
    kFromRatio(s.length, ratio),
  ])[0];
}

/** KT@bottomK; NaN when k < 2 (or when score or truth is constant inside the subset). */
export function kendallAtBottom(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'kendallAtBottom');
  assertRatio(ratio, 'ratio', 'kendallAtBottom');
  const ry = descendingRanking(y);
  const k = kFromRatio(s.length, ratio);
  return kendallBottomCore(s, descendingRanking(s).order, ry.dense, ry.distinct, [k])[0];
}

/**
 * Internal: tau-b over the first k of `orderS` (the score's stable descending order) for each k of `ks`
 * (non-decreasing, ≤ N), given the truth's descending dense ranks.
 */
export function kendallTopCore(
  s: Float64Array,
  orderS: Uint32Array,
  yDense: Uint32Array,
  yDistinct: number,
  ks: ArrayLike<number>,
): Float64Array {
  return kendallPrefixes(orderS, s, yDense, yDistinct, ks);
}

/** Internal: tau-b over the last k of `orderS` for each k of `ks` (non-decreasing, ≤ N). */
export function kendallBottomCore(
  s: Float64Array,
  orderS: Uint32Array,
  yDense: Uint32Array,
  yDistinct: number,
  ks: ArrayLike<number>,
): Float64Array {
  // Walked backwards, the score ascends against descending truth ranks: the scan gives −tau (0 − t: never −0).
  const taus = kendallPrefixes(orderS.slice().reverse(), s, yDense, yDistinct, ks);
  for (let c = 0; c < taus.length; c++) taus[c] = 0 - taus[c];
  return taus;
}
