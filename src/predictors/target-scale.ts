/**
 * How the regression loss reads its targets: it fits sigmoid(score) to a number in [0, 1], so the targets must be
 * brought to [0, 1] first, and which map does that has to be stated, not guessed.
 *
 * - `percent`: y / 100. The paper's convention for NAS-Bench-201 accuracies, which are in %; targets outside
 *   [0, 100] are refused (fractions in [0, 1] are accepted but then fill only the bottom 1% of the sigmoid's
 *   range: declare them `minmax`).
 * - `minmax`: (y − min) / (max − min) over the training set of the fit (min → 0, max → 1), for any score where
 *   higher is better (fractions, negative one-shot scores, ...). Any increasing affine change of the targets gives
 *   the same training targets. A training set whose targets are all equal maps to 0.5.
 *
 * The ranking loss only looks at the sign of target differences, so it is scale-free: it never uses this, and
 * neither does the random forest (an affine change of its targets changes its predictions by the same affine map,
 * so not their ranking) nor the training-free baselines.
 */
export const TARGET_SCALES = ['percent', 'minmax'] as const;
export type TargetScale = (typeof TARGET_SCALES)[number];

/** Value of a constant training set under `minmax`. */
export const MINMAX_CONSTANT = 0.5;

/** The first finite target outside [0, 100] as `{ index, value }`, or null when all are in range (NaN skipped). */
export function firstOutsidePercent(targets: ArrayLike<number>): { index: number; value: number } | null {
  for (let i = 0; i < targets.length; i++) {
    const v = targets[i];
    if (Number.isFinite(v) && (v < 0 || v > 100)) return { index: i, value: v };
  }
  return null;
}

/** Smallest and largest finite target (NaN skipped); ±Infinity when there is none. */
export function finiteRange(targets: ArrayLike<number>): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < targets.length; i++) {
    const v = targets[i];
    if (!Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * The regression loss's training targets in [0, 1] (see the module comment). Throws for an unknown scale and,
 * with `percent`, for a target outside [0, 100] (naming its position, the target range and the fix).
 */
export function scaleTargets(targets: ArrayLike<number>, scale: TargetScale): Float64Array {
  const out = new Float64Array(targets.length);
  if (scale === 'percent') {
    const bad = firstOutsidePercent(targets);
    if (bad) {
      const { min, max } = finiteRange(targets);
      throw new Error(
        `target scale 'percent' takes accuracies in [0, 100], but target ${bad.index} is ${bad.value} ` +
          `(targets range ${min} … ${max}); use target scale 'minmax' for other scores`,
      );
    }
    for (let i = 0; i < out.length; i++) out[i] = targets[i] / 100;
    return out;
  }
  if (scale === 'minmax') {
    const { min, max } = finiteRange(targets);
    const span = max - min;
    for (let i = 0; i < out.length; i++) out[i] = span > 0 ? (targets[i] - min) / span : MINMAX_CONSTANT;
    return out;
  }
  throw new Error(`unknown target scale '${scale as string}' (known: ${TARGET_SCALES.join(', ')})`);
}
