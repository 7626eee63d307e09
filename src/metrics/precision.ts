/**
 * P@topK and P@bottomK: |predicted top-k ∩ true top-k| / k (bottom: the last k), k = floor(N·K).
 *
 * Bottom-k convention: the LAST k positions of the stable descending order (ties by ascending index), i.e.
 * among tied values at the boundary the ones with the larger input index are in the bottom. This is what
 * the scipy fixtures encode (nb201-noisy: the "first k of a stable ascending sort" rule gives 0.359 at
 * K = 0.5% where the fixture has 0.2308).
 */
import { kFromRatio } from './ratios.js';
import { invertPermutation, stableArgsort } from './sort.js';
import { assertRatio, validatePair, type NumericArray } from './validate.js';

/** P@topK of `score` against `truth`; NaN when k = floor(N·ratio) < 1. */
export function precisionAtTop(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'precisionAtTop');
  assertRatio(ratio, 'ratio', 'precisionAtTop');
  const k = kFromRatio(s.length, ratio);
  if (k < 1) return NaN;
  return precisionTopCore(stableArgsort(s, true), invertPermutation(stableArgsort(y, true)), k);
}

/** P@bottomK of `score` against `truth`; NaN when k = floor(N·ratio) < 1. */
export function precisionAtBottom(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'precisionAtBottom');
  assertRatio(ratio, 'ratio', 'precisionAtBottom');
  const k = kFromRatio(s.length, ratio);
  if (k < 1) return NaN;
  return precisionBottomCore(stableArgsort(s, true), invertPermutation(stableArgsort(y, true)), k);
}

/**
 * Internal: P@top from the predicted descending order and the true descending ranks (1 ≤ k ≤ N).
 * Element i is in the true top-k iff rankY[i] < k, so no set is built.
 */
export function precisionTopCore(orderS: Uint32Array, rankY: Uint32Array, k: number): number {
  let hit = 0;
  for (let p = 0; p < k; p++) if (rankY[orderS[p]] < k) hit++;
  return hit / k;
}

/** Internal: P@bottom from the predicted descending order and the true descending ranks (1 ≤ k ≤ N). */
export function precisionBottomCore(orderS: Uint32Array, rankY: Uint32Array, k: number): number {
  const n = orderS.length;
  const cut = n - k;
  let hit = 0;
  for (let p = cut; p < n; p++) if (rankY[orderS[p]] >= cut) hit++;
  return hit / k;
}
