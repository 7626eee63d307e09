/**
 * KT@topK / KT@bottomK: Kendall's tau-b between score and truth restricted to the architectures in the
 * predicted top (bottom) k, k = floor(N·K). The bottom k is the last k of the stable descending order of
 * the score (same rule as P@bottomK).
 */
import { kendallCore } from './kendall.js';
import { kFromRatio } from './ratios.js';
import { stableArgsort } from './sort.js';
import { assertRatio, validatePair, type NumericArray } from './validate.js';

/** KT@topK; NaN when k < 2 (or when score or truth is constant inside the subset). */
export function kendallAtTop(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'kendallAtTop');
  assertRatio(ratio, 'ratio', 'kendallAtTop');
  const k = kFromRatio(s.length, ratio);
  return kendallSubsetCore(s, y, stableArgsort(s, true), 0, k);
}

/** KT@bottomK; NaN when k < 2 (or when score or truth is constant inside the subset). */
export function kendallAtBottom(score: NumericArray, truth: NumericArray, ratio: number): number {
  const [s, y] = validatePair(score, truth, 'score', 'truth', 'kendallAtBottom');
  assertRatio(ratio, 'ratio', 'kendallAtBottom');
  const k = kFromRatio(s.length, ratio);
  return kendallSubsetCore(s, y, stableArgsort(s, true), s.length - k, k);
}

/** Internal: tau-b over the k architectures at positions start..start+k-1 of `orderS`. */
export function kendallSubsetCore(
  s: Float64Array,
  y: Float64Array,
  orderS: Uint32Array,
  start: number,
  k: number,
): number {
  if (k < 2) return NaN;
  const xs = new Float64Array(k);
  const ys = new Float64Array(k);
  for (let p = 0; p < k; p++) {
    const i = orderS[start + p];
    xs[p] = s[i];
    ys[p] = y[i];
  }
  return kendallCore(xs, ys);
}
