/**
 * Rank utilities. Convention (method §3): ranks are 0-based positions after sorting DESCENDING, ties broken by
 * ascending input position (a stable sort); rank 0 = best.
 */
import { invertPermutation, stableArgsort } from './sort.js';
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
  const v = toFiniteFloat64(values, 'values', 'averageRanks');
  return averageRanksFromOrder(v, stableArgsort(v, true));
}

/**
 * Internal: average ranks given a precomputed descending order of `v`. Tied values are contiguous in that
 * order; descending position p is ascending 1-based position n - p, so a tie run p = i..j gets n - (i + j) / 2.
 */
export function averageRanksFromOrder(v: Float64Array, orderDesc: Uint32Array): Float64Array {
  const n = v.length;
  const out = new Float64Array(n);
  let i = 0;
  while (i < n) {
    const val = v[orderDesc[i]];
    let j = i;
    while (j + 1 < n && v[orderDesc[j + 1]] === val) j++;
    const r = n - (i + j) / 2;
    for (let p = i; p <= j; p++) out[orderDesc[p]] = r;
    i = j + 1;
  }
  return out;
}
