import type { GroundTruth } from '../benchmarks/ground-truth.js';
import type { ArchScores } from '../scores/resolve-scores.js';

/** Evaluators that cost nothing: they need no training of the candidate (method §6 baselines). */
export const FREE_EVALUATORS = {
  flops: 'FLOPs of the CIFAR-10 network (more = better)',
  params: 'parameters of the CIFAR-10 network (more = better)',
  'hp12-valid': 'CIFAR-10 validation accuracy after the separate 12-epoch schedule (low fidelity)',
} as const;
export type FreeEvaluatorName = keyof typeof FREE_EVALUATORS;

/** Scores of a free evaluator for every NB201 architecture. */
export function freeEvaluatorScores(name: FreeEvaluatorName, gt: GroundTruth): ArchScores {
  const index = Int32Array.from({ length: gt.n }, (_, i) => i);
  const score =
    name === 'flops'
      ? gt.costs().flops
      : name === 'params'
        ? gt.costs().params
        : gt.truth('cifar10-valid-hp12');
  return { index, score: Float64Array.from(score), merged: 0 };
}
