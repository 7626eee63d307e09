import type { GroundTruth } from '../bench/ground-truth.js';
import { readScoreFile } from '../scores/read-score-file.js';
import { resolveScores } from '../scores/resolve-scores.js';
import { sampleWithoutReplacement } from '../runners/training-sets.js';

/**
 * Which architectures to derive, as NB201 indices: `deiso` (the 6,466 class representatives), `iso` (all 15,625),
 * `deiso:K` (K representatives drawn with `seed`, for pilots), or a score file's architectures.
 */
export function archList(gt: GroundTruth, spec: string, seed = 0): Int32Array {
  const reps = gt.iso().representative;
  if (spec === 'deiso') return Int32Array.from(reps);
  if (spec === 'iso') return Int32Array.from({ length: gt.n }, (_, i) => i);
  const m = /^deiso:(\d+)$/.exec(spec);
  if (m) {
    const k = Math.min(Number(m[1]), reps.length);
    return sampleWithoutReplacement(reps, k, seed).sort();
  }
  return Int32Array.from(resolveScores(readScoreFile(spec), gt, 'mean').index).sort();
}
