/** Spearman's rank correlation: Pearson's r of the average ranks (scipy.stats.spearmanr). */
import type { DenseRanks } from './dense-ranks.js';
import { pearsonCore } from './pearson.js';
import { averageRanksFromDense } from './ranks.js';
import { denseRanks } from './sort.js';
import { validatePair, type NumericArray } from './validate.js';

/** Spearman's rho with average ranks for ties. NaN when one side is constant. */
export function spearman(x: NumericArray, y: NumericArray): number {
  const [fx, fy] = validatePair(x, y, 'x', 'y', 'spearman');
  return spearmanCore(denseRanks(fx, true), denseRanks(fy, true));
}

/** Internal: Spearman's rho from the descending dense ranks of x and y. */
export function spearmanCore(
  rx: Pick<DenseRanks, 'dense' | 'distinct'>,
  ry: Pick<DenseRanks, 'dense' | 'distinct'>,
): number {
  return pearsonCore(averageRanksFromDense(rx), averageRanksFromDense(ry));
}
