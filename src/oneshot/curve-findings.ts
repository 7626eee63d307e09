/**
 * Reading a criteria-vs-epoch curve: when a criterion settles, and how a stretch of checkpoints compares with
 * another. Pure functions over plain arrays; the one-shot tables and findings scripts use them.
 */

/**
 * The first epoch from which `values` stays within `frac` of its whole range (max − min over the run) of its last
 * value. A constant series settles at its first epoch.
 */
export function settleEpoch(epochs: readonly number[], values: readonly number[], frac = 0.1): number {
  if (epochs.length !== values.length || epochs.length === 0)
    throw new Error(`settleEpoch: ${epochs.length} epochs and ${values.length} values (need the same, ≥ 1)`);
  const last = values[values.length - 1];
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of values) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const tol = frac * (hi - lo);
  let k = values.length - 1;
  while (k > 0 && Math.abs(values[k - 1] - last) <= tol) k--;
  return epochs[k];
}

export interface MeanSd {
  n: number;
  mean: number;
  /** Sample standard deviation (n − 1); 0 for a single value. */
  sd: number;
}

/** Mean and sample standard deviation of the values whose epoch lies in [from, to]. */
export function statsBetween(
  epochs: readonly number[],
  values: readonly number[],
  from: number,
  to: number,
): MeanSd {
  const v = values.filter((_, i) => epochs[i] >= from && epochs[i] <= to);
  if (v.length === 0) return { n: 0, mean: NaN, sd: NaN };
  const mean = v.reduce((a, b) => a + b, 0) / v.length;
  const ss = v.reduce((a, b) => a + (b - mean) ** 2, 0);
  return { n: v.length, mean, sd: v.length > 1 ? Math.sqrt(ss / (v.length - 1)) : 0 };
}

/**
 * Paired comparison of two curves at their common epochs: how often `a` is better than `b` (higher, or lower with
 * `lowerIsBetter`), ties apart, and the mean difference a − b.
 */
export function pairedWins(
  a: ReadonlyMap<number, number>,
  b: ReadonlyMap<number, number>,
  lowerIsBetter = false,
): { epochs: number[]; aBetter: number; bBetter: number; ties: number; meanDiff: number } {
  const epochs = [...a.keys()].filter((e) => b.has(e)).sort((x, y) => x - y);
  let aBetter = 0;
  let bBetter = 0;
  let ties = 0;
  let sum = 0;
  for (const e of epochs) {
    const d = a.get(e)! - b.get(e)!;
    sum += d;
    const better = lowerIsBetter ? -d : d;
    if (better > 0) aBetter++;
    else if (better < 0) bBetter++;
    else ties++;
  }
  return { epochs, aBetter, bBetter, ties, meanDiff: epochs.length ? sum / epochs.length : NaN };
}

/**
 * Two-sided sign test: the probability, under a fair coin, of a split at least as uneven as `wins : losses`
 * (ties left out). Exact binomial sum.
 */
export function signTestP(wins: number, losses: number): number {
  const n = wins + losses;
  if (n === 0) return 1;
  const k = Math.min(wins, losses);
  let term = 2 ** -n; // C(n, 0) / 2^n
  let tail = term;
  for (let i = 1; i <= k; i++) {
    term = (term * (n - i + 1)) / i;
    tail += term;
  }
  return Math.min(1, 2 * tail);
}
