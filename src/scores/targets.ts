import type { GroundTruth } from '../benchmarks/ground-truth.js';
import { InputError } from '../io/input-error.js';
import { finiteRange, firstOutsidePercent, type TargetScale } from '../predictors/target-scale.js';
import { readScoreFile } from './read-score-file.js';
import { resolveScores } from './resolve-scores.js';

export type TargetsSource = { truth: string } | { file: string; column?: string };

/**
 * Training targets for all architectures in NB201 index order: a ground truth, or the scores of a file (any evaluator,
 * e.g. one-shot scores; duplicates averaged; architectures missing from the file are NaN and never drawn).
 */
export function loadTargets(gt: GroundTruth, source: TargetsSource): Float64Array {
  if ('truth' in source) return Float64Array.from(gt.truth(source.truth));
  const scores = resolveScores(readScoreFile(source.file, { scoreColumn: source.column }), gt, 'mean');
  const targets = new Float64Array(gt.n).fill(NaN);
  scores.index.forEach((i, k) => (targets[i] = scores.score[k]));
  return targets;
}

/**
 * Refuse targets that the `percent` scale cannot take (outside [0, 100]), naming their source (file and column, or
 * the truth) and the fix, in one line. `minmax` takes any finite targets.
 */
export function checkTargetScale(
  targets: ArrayLike<number>,
  scale: TargetScale,
  source: TargetsSource,
): void {
  if (scale !== 'percent') return;
  const bad = firstOutsidePercent(targets);
  if (!bad) return;
  const { min, max } = finiteRange(targets);
  const where =
    'truth' in source ? `truth '${source.truth}'` : `${source.file}: column '${source.column ?? 'score'}'`;
  throw new InputError(
    `${where}: target scale 'percent' takes accuracies in [0, 100], but the target of architecture ` +
      `${bad.index} is ${bad.value} (targets range ${min} … ${max}); use --target-scale minmax for other scores`,
  );
}
