import { ranksDescending } from '../metrics/ranks.js';
import type { AlignedScores } from './align-to-truth.js';

/**
 * The compared items as CSV, for plots and for checking a result by hand: NB201 index (the class representative in
 * deiso modes), score, truth, FLOPs, and 0-based predicted and true ranks (descending, ties by NB201 index).
 */
export function itemsCsv(a: AlignedScores): string {
  const pred = ranksDescending(a.score);
  const trueRank = ranksDescending(a.truth);
  const lines = ['index,score,truth,flops,pred_rank,true_rank'];
  for (let k = 0; k < a.n; k++) {
    lines.push(`${a.index[k]},${a.score[k]},${a.truth[k]},${a.flops[k]},${pred[k]},${trueRank[k]}`);
  }
  return lines.join('\n') + '\n';
}
