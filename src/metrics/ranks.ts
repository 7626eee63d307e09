/**
 * Rank utilities. Convention (method §3): ranks are 0-based positions after sorting DESCENDING, ties broken by
 * ascending input position (a stable sort); rank 0 = best.
 */
import { rankStarts, type DenseRanks } from './dense-ranks.js';
import { denseRanks, invertPermutation, stableArgsort } from './sort.js';
import { toFiniteFloat64, type NumericArray } from './validate.js';

/**
 * Indices that sort `values` descending; equal values keep ascending index order (stable).
 * `argsortDescending([1, 3, 3, 2])` → `[1, 2, 3, 0]`.
 */
export function argsortDescending(values: NumericArray): Uint32Array {
  return stableArgsort(toFiniteFloat64(values, 'values', 'argsortDescending'), true);
}

/**
 * Rank position of each element in the stable descending order (0 = largest; ties by ascending index).
 * `ranksDescending([1, 3, 3, 2])` → `[3, 0, 1, 2]`.
 */
export function ranksDescending(values: NumericArray): Uint32Array {
  return invertPermutation(stableArgsort(toFiniteFloat64(values, 'values', 'ranksDescending'), true));
}

/**
 * 1-based average ranks in ASCENDING value order with ties sharing the mean of their positions, exactly as
 * `scipy.stats.rankdata(values, method='average')`. `averageRanks([1, 3, 3, 2])` → `[1, 3.5, 3.5, 2]`.
 */
export function averageRanks(values: NumericArray): Float64Array {
  return averageRanksFromDense(denseRanks(toFiniteFloat64(values, 'values', 'averageRanks'), true));
}

/**
 * Internal: average ranks from descending dense ranks. The elements of rank d occupy the descending positions
 * i = starts[d] … j = starts[d + 1] − 1, i.e. the ascending 1-based positions n − j … n − i, whose mean is
 * n − (i + j) / 2.
 */
export function averageRanksFromDense(ranks: Pick<DenseRanks, 'dense' | 'distinct'>): Float64Array {
  const { dense, distinct } = ranks;
  const n = dense.length;
  const starts = rankStarts(dense, distinct);
  const byRank = new Float64Array(distinct);
  for (let d = 0; d < distinct; d++) byRank[d] = n - (starts[d] + starts[d + 1] - 1) / 2;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = byRank[dense[i]];
  return out;
}
