/**
 * BR@K and WR@K: (best / worst true rank among the predicted top-k + 1) / N, k = floor(N·K).
 * True ranks are 0-based positions in the stable descending order of the truth. Lower is better.
 */
import { kFromRatio } from './ratios.js';
import { invertPermutation, stableArgsort } from './sort.js';
import { assertRatio, validatePair, type NumericArray } from './validate.js';

/** BR@K; NaN when k = floor(N·ratio) < 1. */
export function bestRankAtK(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'bestRankAtK');
  assertRatio(ratio, 'ratio', 'bestRankAtK');
  const k = kFromRatio(s.length, ratio);
  if (k < 1) return NaN;
  return bestRankCore(stableArgsort(s, true), invertPermutation(stableArgsort(y, true)), k);
}

/** WR@K; NaN when k = floor(N·ratio) < 1. */
export function worstRankAtK(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'worstRankAtK');
  assertRatio(ratio, 'ratio', 'worstRankAtK');
  const k = kFromRatio(s.length, ratio);
  if (k < 1) return NaN;
  return worstRankCore(stableArgsort(s, true), invertPermutation(stableArgsort(y, true)), k);
}

/** Internal: BR@K from the predicted descending order and the true ranks (1 ≤ k ≤ N). */
export function bestRankCore(orderS: Uint32Array, rankY: Uint32Array, k: number): number {
  let best = Infinity;
  for (let p = 0; p < k; p++) {
    const r = rankY[orderS[p]];
    if (r < best) best = r;
  }
  return (best + 1) / orderS.length;
}

/** Internal: WR@K from the predicted descending order and the true ranks (1 ≤ k ≤ N). */
export function worstRankCore(orderS: Uint32Array, rankY: Uint32Array, k: number): number {
  let worst = -1;
  for (let p = 0; p < k; p++) {
    const r = rankY[orderS[p]];
    if (r > worst) worst = r;
  }
  return (worst + 1) / orderS.length;
}
