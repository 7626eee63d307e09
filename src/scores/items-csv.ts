import { ranksDescending } from '../metrics/ranks.js';
import type { AlignedScores } from './align-to-truth.js';

/** A CSV field: quoted (quotes doubled) when it holds a comma, a quote, a line break or edge spaces (RFC 4180). */
export function csvField(text: string): string {
  return /[",\r\n]|^\s|\s$/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * The compared items as CSV, for plots and for checking a result by hand, with 0-based predicted and true ranks
 * (descending, ties by item order). NB201: `index,score,truth,flops,pred_rank,true_rank` (the NB201 index, the class
 * representative's in deiso modes). A truth file: `index,id,score,truth,<cost columns>,pred_rank,true_rank` (the
 * truth file's row, 0-based, and the id as written).
 */
export function itemsCsv(a: AlignedScores): string {
  const pred = ranksDescending(a.score);
  const trueRank = ranksDescending(a.truth);
  if (a.ids) {
    const costs = a.costs ?? [];
    const lines = [
      ['index', 'id', 'score', 'truth', ...costs.map((c) => c.name), 'pred_rank', 'true_rank']
        .map(csvField)
        .join(','),
    ];
    for (let k = 0; k < a.n; k++) {
      const cells = [String(a.index[k]), csvField(a.ids[k]), String(a.score[k]), String(a.truth[k])];
      for (const c of costs) cells.push(String(c.values[k]));
      cells.push(String(pred[k]), String(trueRank[k]));
      lines.push(cells.join(','));
    }
    return lines.join('\n') + '\n';
  }
  const lines = ['index,score,truth,flops,pred_rank,true_rank'];
  for (let k = 0; k < a.n; k++) {
    lines.push(`${a.index[k]},${a.score[k]},${a.truth[k]},${a.flops[k]},${pred[k]},${trueRank[k]}`);
  }
  return lines.join('\n') + '\n';
}
