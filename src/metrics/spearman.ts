/** Spearman's rank correlation: Pearson's r of the average ranks (scipy.stats.spearmanr). */
import { pearsonCore } from './pearson.js';
import { averageRanksFromOrder } from './ranks.js';
import { stableArgsort } from './sort.js';
import { validatePair, type NumericArray } from './validate.js';

/** Spearman's rho with average ranks for ties. NaN when one side is constant. */
export function spearman(x: NumericArray, y: NumericArray): number {
  const [fx, fy] = validatePair(x, y, 'x', 'y', 'spearman');
  return spearmanCore(fx, fy, stableArgsort(fx, true), stableArgsort(fy, true));
}

/** Internal: Spearman's rho from precomputed stable descending orders of x and y. */
export function spearmanCore(
  x: Float64Array,
  y: Float64Array,
  orderX: Uint32Array,
  orderY: Uint32Array,
): number {
  return pearsonCore(averageRanksFromOrder(x, orderX), averageRanksFromOrder(y, orderY));
}
