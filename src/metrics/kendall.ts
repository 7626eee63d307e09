/**
 * Kendall's tau-b (tie-corrected), identical to `scipy.stats.kendalltau(x, y)` with default arguments.
 *
 * Fast path: Knight's O(n log n) algorithm.
 *   1. order the pairs lexicographically by (x, y) (two stable merge sorts: by y, then by x);
 *   2. count x-ties and joint (x, y) ties from runs in that order;
 *   3. count discordant pairs as the inversions of the y sequence with a bottom-up merge sort;
 *   4. count y-ties from runs of the now sorted y.
 *   tau = (P - Q) / sqrt((T - Tx)(T - Ty)) with P - Q = T - Tx - Ty + Txy - 2 Q.
 * Both sorts are descending (tau is invariant when both variables are negated), so a precomputed
 * descending order of y can be reused (see `kendallCore`).
 */
import { stableArgsort } from './sort.js';
import { validatePair, type NumericArray } from './validate.js';

/** Kendall's tau-b in O(n log n). NaN when one side is constant (as scipy). */
export function kendallTau(x: NumericArray, y: NumericArray): number {
  const [fx, fy] = validatePair(x, y, 'x', 'y', 'kendallTau');
  return kendallCore(fx, fy);
}

/** Reference O(n²) Kendall's tau-b over all pairs (test oracle and benchmark baseline). */
export function kendallTauNaive(x: NumericArray, y: NumericArray): number {
  const [fx, fy] = validatePair(x, y, 'x', 'y', 'kendallTauNaive');
  const n = fx.length;
  let s = 0; // concordant − discordant
  let nx = 0; // pairs not tied in x
  let ny = 0; // pairs not tied in y
  for (let i = 0; i < n; i++) {
    const xi = fx[i];
    const yi = fy[i];
    for (let j = i + 1; j < n; j++) {
      const dx = xi - fx[j];
      const dy = yi - fy[j];
      const sx = dx > 0 ? 1 : dx < 0 ? -1 : 0;
      const sy = dy > 0 ? 1 : dy < 0 ? -1 : 0;
      if (sx !== 0) nx++;
      if (sy !== 0) ny++;
      s += sx * sy;
    }
  }
  if (nx === 0 || ny === 0) return NaN;
  const tau = s / Math.sqrt(nx) / Math.sqrt(ny);
  return Math.min(1, Math.max(-1, tau));
}

/**
 * Internal: tau-b on validated Float64Arrays of equal length (n < 2 gives NaN).
 * `orderYDesc`, when given, must be the stable descending argsort of `y` (it saves one sort).
 */
export function kendallCore(x: Float64Array, y: Float64Array, orderYDesc?: Uint32Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  // (x desc, y desc) lexicographic order: stable sort by x of the y-sorted permutation.
  const order = stableArgsort(x, true, orderYDesc ?? stableArgsort(y, true));

  let xtie = 0;
  let ntie = 0;
  const ys = new Float64Array(n);
  let runX = 1;
  let runXY = 1;
  ys[0] = y[order[0]];
  let prevX = x[order[0]];
  for (let p = 1; p < n; p++) {
    const i = order[p];
    const xv = x[i];
    const yv = y[i];
    ys[p] = yv;
    if (xv === prevX) {
      runX++;
      if (yv === ys[p - 1]) runXY++;
      else {
        ntie += (runXY * (runXY - 1)) / 2;
        runXY = 1;
      }
    } else {
      xtie += (runX * (runX - 1)) / 2;
      ntie += (runXY * (runXY - 1)) / 2;
      runX = 1;
      runXY = 1;
      prevX = xv;
    }
  }
  xtie += (runX * (runX - 1)) / 2;
  ntie += (runXY * (runXY - 1)) / 2;

  // Discordant pairs: i < j with ys[i] < ys[j] (the sequence "should" be descending).
  const sorted = { values: ys };
  const dis = countAscendingPairsAndSortDesc(sorted);
  const ysSorted = sorted.values;
  let ytie = 0;
  let runY = 1;
  for (let p = 1; p < n; p++) {
    if (ysSorted[p] === ysSorted[p - 1]) runY++;
    else {
      ytie += (runY * (runY - 1)) / 2;
      runY = 1;
    }
  }
  ytie += (runY * (runY - 1)) / 2;

  const tot = (n * (n - 1)) / 2;
  if (xtie === tot || ytie === tot) return NaN;
  const conMinusDis = tot - xtie - ytie + ntie - 2 * dis;
  const tau = conMinusDis / Math.sqrt(tot - xtie) / Math.sqrt(tot - ytie);
  return Math.min(1, Math.max(-1, tau));
}

const RUN = 32;

/**
 * Sorts `holder.values` descending (replacing it with the sorted buffer) and returns the number of pairs
 * i < j with values[i] < values[j] in the original sequence (equal values are not counted).
 */
function countAscendingPairsAndSortDesc(holder: { values: Float64Array }): number {
  let a = holder.values;
  const n = a.length;
  let count = 0;
  // Insertion sort on small runs: each shift past a strictly smaller element is one counted pair.
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const v = a[i];
      let j = i - 1;
      while (j >= lo && a[j] < v) {
        a[j + 1] = a[j];
        j--;
      }
      count += i - 1 - j;
      a[j + 1] = v;
    }
  }
  if (n > RUN) {
    let b: Float64Array = new Float64Array(n);
    for (let width = RUN; width < n; width *= 2) {
      for (let lo = 0; lo < n; lo += 2 * width) {
        const mid = Math.min(lo + width, n);
        const hi = Math.min(lo + 2 * width, n);
        if (mid >= hi || a[mid - 1] >= a[mid]) {
          b.set(a.subarray(lo, hi), lo);
          continue;
        }
        let i = lo;
        let j = mid;
        let o = lo;
        while (i < mid && j < hi) {
          if (a[j] > a[i]) {
            // a[j] beats every remaining left element: that many ascending pairs.
            count += mid - i;
            b[o++] = a[j++];
          } else {
            b[o++] = a[i++];
          }
        }
        while (i < mid) b[o++] = a[i++];
        while (j < hi) b[o++] = a[j++];
      }
      const t = a;
      a = b;
      b = t;
    }
  }
  holder.values = a;
  return count;
}
