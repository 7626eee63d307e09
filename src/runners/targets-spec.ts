/**
 * What a predictor run was trained on, as recorded in its spec (and compared on resume): the source of the
 * targets (the truth, or a score file by path, sha256 and column), a hash of the target vector itself, the target
 * scale of the regression loss and the training-set universe (the architectures with a target, from which the
 * training sets are drawn).
 */
import { createHash } from 'node:crypto';
import path from 'node:path';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { sha256File } from '../io/manifest.js';
import type { TargetScale } from '../predictors/target-scale.js';

export interface TargetsSpec {
  /** The score file the targets came from (as given, normalised), or null: the ground truth named by `truth`. */
  targetsFile: string | null;
  /** sha256 of that file, null for the truth. */
  targetsFileSha256: string | null;
  /** Its score column, null for the truth. */
  targetsColumn: string | null;
  /** sha256 of the training targets of all architectures (float64 little-endian, NB201 order, NaN = none). */
  targetsSha256: string;
  /**
   * How the regression loss maps the targets to [0, 1] (`percent` or `minmax`). Recorded for every run but only
   * compared for the regression loss: the ranking loss is scale-free.
   */
  targetScale: TargetScale;
  /** How many architectures have a target: the training sets are drawn uniformly from these. */
  trainingPool: number;
  /** sha256 of their NB201 indices (int32 little-endian, ascending). */
  trainingPoolSha256: string;
}

export const TARGETS_SPEC_FIELDS: readonly (keyof TargetsSpec)[] = [
  'targetsFile',
  'targetsFileSha256',
  'targetsColumn',
  'targetsSha256',
  'targetScale',
  'trainingPool',
  'trainingPoolSha256',
];

/** sha256 of a target vector; every NaN hashes alike. */
export function targetsVectorSha256(targets: ArrayLike<number>): string {
  const canonical = Float64Array.from(targets, (v) => (Number.isNaN(v) ? NaN : v));
  return createHash('sha256').update(new Uint8Array(canonical.buffer)).digest('hex');
}

/** The indices of the architectures with a finite target (the pool training sets are drawn from). */
export function trainingPoolOf(targets: ArrayLike<number>): Int32Array {
  const pool: number[] = [];
  for (let i = 0; i < targets.length; i++) if (Number.isFinite(targets[i])) pool.push(i);
  return Int32Array.from(pool);
}

/** Describe training targets: `file` null for the truth, else the score file (hashed here) and its column. */
export function describeTargets(
  targets: ArrayLike<number>,
  file: { file: string; column: string } | null,
  targetScale: TargetScale,
): TargetsSpec {
  const pool = trainingPoolOf(targets);
  return {
    targetsFile: file ? path.normalize(file.file) : null,
    targetsFileSha256: file ? sha256File(file.file) : null,
    targetsColumn: file ? file.column : null,
    targetsSha256: targetsVectorSha256(targets),
    targetScale,
    trainingPool: pool.length,
    trainingPoolSha256: createHash('sha256').update(new Uint8Array(pool.buffer)).digest('hex'),
  };
}

const truthSpecs = new Map<string, TargetsSpec>();

/**
 * The targets of a run trained on the ground truth `truth` with the default scale (`percent`): what a saved spec
 * written before these fields existed was trained on.
 */
export function truthTargetsSpec(truth: string): TargetsSpec {
  let spec = truthSpecs.get(truth);
  if (!spec) {
    spec = describeTargets(loadGroundTruth().truth(truth), null, 'percent');
    truthSpecs.set(truth, spec);
  }
  return spec;
}
