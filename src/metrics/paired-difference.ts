/**
 * Paired bootstrap of the difference between two evaluators on the same architectures: is evaluator A's criterion
 * really above evaluator B's, or is the gap inside the noise of which architectures happened to be scored?
 *
 * Each resample draws N architecture indices with replacement (pure-rand xoroshiro128+ seeded by `seed`) and uses
 * the same indices for both evaluators, so what the two share (the truth, the architectures) cancels. The replicate
 * is statistic(a[idx], truth[idx]) − statistic(b[idx], truth[idx]); the interval is the percentile interval of the
 * replicates (numpy's linear interpolation), and `pBelowZero` is the share of replicates ≤ 0, a one-sided bootstrap
 * p-value for "A is not above B". Replicates where either side is NaN are dropped.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { percentileSorted, type BootstrapOptions, type PairedStatistic } from './bootstrap.js';
import { assertPositiveInteger, validatePair, type NumericArray } from './validate.js';

export interface PairedDifference {
  /** statistic(a, truth) − statistic(b, truth) on all architectures. */
  difference: number;
  low: number;
  high: number;
  /** Share of the valid replicates whose difference is ≤ 0. */
  pBelowZero: number;
  level: number;
  resamples: number;
  seed: number;
}

/** The paired bootstrap of statistic(a) − statistic(b) against one truth; see the module comment. */
export function pairedDifference(
  a: NumericArray,
  b: NumericArray,
  truth: NumericArray,
  statistic: PairedStatistic,
  options: BootstrapOptions = {},
): PairedDifference {
  const fn = 'pairedDifference';
  const [sa, y] = validatePair(a, truth, 'a', 'truth', fn);
  const [sb] = validatePair(b, truth, 'b', 'truth', fn);
  const resamples = assertPositiveInteger(options.resamples ?? 1000, 'options.resamples', fn);
  const seed = options.seed ?? 0;
  if (!Number.isSafeInteger(seed))
    throw new Error(`Argument 'options.seed' passed to '${fn}' must be a safe integer; got ${String(seed)}`);
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1))
    throw new Error(
      `Argument 'options.level' passed to '${fn}' must be a number in (0, 1); got ${String(level)}`,
    );
  const n = y.length;
  const rng = xoroshiro128plus(seed);
  const reps = new Float64Array(resamples);
  let valid = 0;
  let atOrBelow = 0;
  const ra = new Float64Array(n);
  const rb = new Float64Array(n);
  const ry = new Float64Array(n);
  for (let r = 0; r < resamples; r++) {
    for (let p = 0; p < n; p++) {
      const i = uniformInt(rng, 0, n - 1);
      ra[p] = sa[i];
      rb[p] = sb[i];
      ry[p] = y[i];
    }
    // The statistic may keep or mutate its arguments: give each side fresh copies.
    const v = statistic(ra.slice(), ry.slice()) - statistic(rb.slice(), ry.slice());
    if (Number.isNaN(v)) continue;
    reps[valid++] = v;
    if (v <= 0) atOrBelow++;
  }
  const sorted = reps.subarray(0, valid).sort();
  const alpha = (1 - level) / 2;
  return {
    difference: statistic(sa.slice(), y.slice()) - statistic(sb.slice(), y.slice()),
    low: percentileSorted(sorted, alpha),
    high: percentileSorted(sorted, 1 - alpha),
    pBelowZero: valid ? atOrBelow / valid : NaN,
    level,
    resamples,
    seed,
  };
}
