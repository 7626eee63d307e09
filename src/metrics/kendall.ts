/**
 * Kendall's tau-b (tie-corrected), identical to `scipy.stats.kendalltau(x, y)` with default arguments.
 *
 * Fast path: Knight's O(n log n) algorithm on integer ranks (see `kendallCore` and `walkPairs`):
 *   1. rank x and y descending (`sort.ts`), giving dense integer ranks and the x and y ties;
 *   2. put the pairs in lexicographic order by two stable counting sorts of the ranks;
 *   3. walk that order, counting joint ties from runs and the discordant pairs as the inversions of the ranks with a
 *      tree of counts (`count-tree.ts`);
 *   tau = (P - Q) / sqrt((T - Tx)(T - Ty)) with P - Q = T - Tx - Ty + Txy - 2 Q.
 */
import { countAboveThenAdd, countTree } from './count-tree.js';
import { tauB } from './kendall-scan.js';
import { orderFromDenseRanks, rankStarts, type DenseRanks } from './dense-ranks.js';
import { denseRanks } from './sort.js';
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
 * Internal: tau-b on validated Float64Arrays of equal length (n < 2 gives NaN); see the module comment.
 * The side with fewer distinct values goes into the tree of counts (a shallower tree): discordant pairs and joint ties
 * are symmetric in x and y, and the tie counts are handed to `tauB` in the (x, y) order either way, so the result
 * does not depend on the choice.
 */
export function kendallCore(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  if (n < 2) return NaN;
  const rx = denseRanks(x, true);
  const ry = denseRanks(y, true);
  const { discordant, jointTies } = ry.distinct <= rx.distinct ? walkPairs(rx, ry) : walkPairs(ry, rx);
  return tauB(n, rx.tiedPairs, ry.tiedPairs, jointTies, discordant);
}

/**
 * Discordant pairs and pairs tied on both sides, between a "walk" side W and a "tree" side F given by their
 * descending dense ranks. Two stable counting sorts (by F's rank, then by W's) give the lexicographic
 * (W desc, F desc) order, in buckets of equal W. Walking it:
 *   - joint ties are the runs of equal F rank inside a bucket;
 *   - an earlier element with a larger F rank has a larger W (same-W elements come sorted by F rank) and a smaller
 *     F value: the pair is discordant; a tree of counts over F's ranks counts these.
 */
function walkPairs(w: DenseRanks, f: DenseRanks): { discordant: number; jointTies: number } {
  const n = w.dense.length;
  const wDense = w.dense;
  const fDense = f.dense;
  const fOrder = orderFromDenseRanks(fDense, f.distinct);
  const starts = rankStarts(wDense, w.distinct);
  const next = starts.slice(0, w.distinct);
  const ranks = new Uint32Array(n); // F's ranks in (W desc, F desc) order
  for (let p = 0; p < n; p++) {
    const i = fOrder[p];
    ranks[next[wDense[i]]++] = fDense[i];
  }

  const tree = countTree(f.distinct);
  let discordant = 0;
  let jointTies = 0;
  for (let b = 0, p = 0; b < w.distinct; b++) {
    const end = starts[b + 1];
    let runStart = p;
    for (; p < end; p++) {
      const r = ranks[p];
      if (r !== ranks[runStart]) runStart = p;
      jointTies += p - runStart;
      discordant += countAboveThenAdd(tree, r);
    }
  }
  return { discordant, jointTies };
}
