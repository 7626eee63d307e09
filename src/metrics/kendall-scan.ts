/**
 * Kendall's tau-b of every prefix of a sequence ordered by x, in one pass: the kernel behind `kendallTau`, KT@topK,
 * KT@bottomK and the per-cost-group tau (Knight's O(n log n) algorithm, counting inversions with a tree of counts,
 * `count-tree.ts`, instead of a merge sort).
 *
 * Input: `seq`, element indices ordered by x (either direction; equal x contiguous), and `yRank`, an integer rank
 * 0 … yDistinct − 1 per element that is a monotone function of y (equal y ⇔ equal rank). Walking `seq`, element j is
 * compared with every earlier element i (i before j):
 *   - x tied:               i is in j's run of equal x (counted as j's offset in that run);
 *   - y tied:               equal rank (counted with one counter per rank);
 *   - x and y tied:         equal rank inside j's run of equal x (counters cleared at the end of each run);
 *   - "inverted":           x differs and yRank[i] > yRank[j] — the tree of counts holds the ranks of the elements
 *                           of the earlier runs only (a run is added when it ends), so x-tied pairs are never counted.
 * When x decreases along `seq` and yRank increases as y decreases (descending ranks), or when both increase, the
 * inverted pairs are exactly the discordant pairs and the result is tau-b; in the mixed case (e.g. a descending
 * order walked backwards against descending ranks) the inverted pairs are the concordant ones and the result is
 * −tau-b, exactly (negation commutes with IEEE rounding).
 *
 * All counts are integers (exact in doubles), and tau-b is formed as in scipy:
 *   tau = (T − Tx − Ty + Txy − 2·D) / √(T − Tx) / √(T − Ty),  T = m(m − 1)/2, clamped to [−1, 1],
 * NaN when m < 2 or when x or y is constant over the prefix.
 */
import { addValue, countAbove, countTree } from './count-tree.js';

/**
 * tau-b (see the module comment for the sign) of the prefixes seq[0 … cut) for each `cuts` value, which must be
 * non-decreasing and within 0 … seq.length (a cut below 2 gives NaN).
 */
export function kendallPrefixes(
  seq: Uint32Array,
  x: Float64Array,
  yRank: Uint32Array,
  yDistinct: number,
  cuts: ArrayLike<number>,
): Float64Array {
  const out = new Float64Array(cuts.length).fill(NaN);
  const n = seq.length;
  let c = 0;
  if (cuts.length > 0 && cuts[cuts.length - 1] > n) {
    throw new Error(`kendallPrefixes: cut ${cuts[cuts.length - 1]} beyond the sequence length ${n}`);
  }
  while (c < cuts.length && cuts[c] < 2) c++;
  if (c === cuts.length) return out;

  const tree = countTree(yDistinct);
  const sameY = new Int32Array(yDistinct);
  const sameXY = new Int32Array(yDistinct);
  let xTies = 0;
  let yTies = 0;
  let xyTies = 0;
  let inverted = 0;
  let runStart = 0;
  let runX = x[seq[0]];
  for (let p = 0; p < n; p++) {
    const i = seq[p];
    const r = yRank[i];
    const xv = x[i];
    if (xv !== runX) {
      // The run of equal x ends: its elements become "earlier runs" for the rest of the sequence.
      for (let q = runStart; q < p; q++) {
        const rq = yRank[seq[q]];
        addValue(tree, rq);
        sameXY[rq] = 0;
      }
      runStart = p;
      runX = xv;
    }
    xTies += p - runStart;
    yTies += sameY[r]++;
    xyTies += sameXY[r]++;
    // Elements of earlier runs ranked strictly above r.
    inverted += countAbove(tree, r);
    while (c < cuts.length && cuts[c] === p + 1) {
      out[c++] = tauB(p + 1, xTies, yTies, xyTies, inverted);
    }
    if (c === cuts.length) break;
  }
  return out;
}

/** tau-b from the pair counts of m elements (see the module comment). */
export function tauB(m: number, xTies: number, yTies: number, xyTies: number, discordant: number): number {
  const tot = (m * (m - 1)) / 2;
  if (xTies === tot || yTies === tot) return NaN;
  const conMinusDis = tot - xTies - yTies + xyTies - 2 * discordant;
  const tau = conMinusDis / Math.sqrt(tot - xTies) / Math.sqrt(tot - yTies);
  return Math.min(1, Math.max(-1, tau));
}
