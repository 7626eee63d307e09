import type { GroundTruth } from '../bench/ground-truth.js';
import { readScoreFile } from './read-score-file.js';
import { resolveScores } from './resolve-scores.js';

/**
 * Training targets for all architectures in NB201 index order: a ground truth, or the scores of a file (any evaluator,
 * e.g. one-shot scores; duplicates averaged; architectures missing from the file are NaN and never drawn).
 */
export function loadTargets(
  gt: GroundTruth,
  source: { truth: string } | { file: string; column?: string },
): Float64Array {
  if ('truth' in source) return Float64Array.from(gt.truth(source.truth));
  const scores = resolveScores(readScoreFile(source.file, { scoreColumn: source.column }), gt, 'mean');
  const targets = new Float64Array(gt.n).fill(NaN);
  scores.index.forEach((i, k) => (targets[i] = scores.score[k]));
  return targets;
}
