/**
 * Percentile bootstrap confidence interval of a paired statistic: resample the N architectures with
 * replacement (N draws, pure-rand xoroshiro128+ seeded by `seed`, so the same seed gives the same interval),
 * evaluate the statistic on each resample, and take the (1 − level)/2 and (1 + level)/2 percentiles of the
 * replicates with numpy's default linear interpolation.
 *
 * Replicates that evaluate to NaN (e.g. a resample where one side is constant) are dropped before taking
 * percentiles; if every replicate is NaN, low and high are NaN.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { assertPositiveInteger, validatePair, type NumericArray } from './validate.js';

/** A paired statistic evaluated on a resample (arrays are fresh and may be kept or mutated). */
export type PairedStatistic = (score: Float64Array, truth: Float64Array) => number;

export interface BootstrapOptions {
  /** Number of bootstrap resamples (default 1000). */
  resamples?: number;
  /** Integer seed of the generator (default 0). */
  seed?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  level?: number;
}

export interface BootstrapInterval {
  low: number;
  high: number;
  level: number;
  resamples: number;
  seed: number;
}

/** Linear-interpolated percentile (numpy's default method) of an ascending-sorted array, q in [0, 1]. */
export function percentileSorted(sorted: Float64Array, q: number): number {
  const m = sorted.length;
  if (m === 0) return NaN;
  const h = (m - 1) * q;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, m - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** Percentile bootstrap interval of `statistic(score, truth)`; see the module comment. */
export function bootstrapInterval(
  score: NumericArray,
  truth: NumericArray,
  statistic: PairedStatistic,
  options: BootstrapOptions = {},
): BootstrapInterval {
  const fn = 'bootstrapInterval';
  const [s, y] = validatePair(score, truth, 'score', 'truth', fn);
  if (typeof statistic !== 'function') {
    throw new Error(`Argument 'statistic' passed to '${fn}' must be a function; got ${typeof statistic}`);
  }
  const resamples = assertPositiveInteger(options.resamples ?? 1000, 'options.resamples', fn);
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new Error(`Argument 'options.seed' passed to '${fn}' must be a safe integer; got ${String(seed)}`);
  }
  const level = options.level ?? 0.95;
  if (typeof level !== 'number' || !(level > 0 && level < 1)) {
    throw new Error(
      `Argument 'options.level' passed to '${fn}' must be a number in (0, 1); got ${String(level)}`,
    );
  }
  return bootstrapCore(s, y, statistic, resamples, seed, level);
}

/** Internal: bootstrap on validated Float64Arrays. */
export function bootstrapCore(
  s: Float64Array,
  y: Float64Array,
  statistic: PairedStatistic,
  resamples: number,
  seed: number,
  level: number,
): BootstrapInterval {
  const n = s.length;
  const rng = xoroshiro128plus(seed);
  const reps = new Float64Array(resamples);
  let valid = 0;
  for (let b = 0; b < resamples; b++) {
    const rs = new Float64Array(n);
    const ry = new Float64Array(n);
    for (let p = 0; p < n; p++) {
      const i = uniformInt(rng, 0, n - 1);
      rs[p] = s[i];
      ry[p] = y[i];
    }
    const v = statistic(rs, ry);
    if (!Number.isNaN(v)) reps[valid++] = v;
  }
  const sorted = reps.subarray(0, valid).sort();
  const alpha = (1 - level) / 2;
  return {
    low: percentileSorted(sorted, alpha),
    high: percentileSorted(sorted, 1 - alpha),
    level,
    resamples,
    seed,
  };
}
