/**
 * Pair sampling for the ranking loss (method §5): among the pairs (a, b), a < b, of a batch whose targets
 * differ, keep all of them, or at most `maxPairs` chosen uniformly at random without replacement.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from './rng.js';

/** Default cap: 4 pairs per batch member. */
export const PAIRS_PER_ITEM = 4;

/** Above this many candidate pairs, sample by rejection instead of listing them (bounded memory). */
const ENUMERATE_LIMIT = 1 << 22;

let scratch = new Int32Array(0);

/**
 * Returns the kept pairs interleaved, `[a0, b0, a1, b1, ...]` (indices into `targets`, a < b within a pair).
 * When every valid pair is kept they come in lexicographic order and `rng` is not used; otherwise they come in
 * the order drawn (a partial Fisher–Yates shuffle of the lexicographic list; for batches of more than ~2,900
 * items, uniform rejection sampling without replacement).
 */
export function samplePairs(targets: ArrayLike<number>, maxPairs: number, rng: RandomGenerator): Int32Array {
  if (!Number.isInteger(maxPairs) || maxPairs < 0) {
    throw new Error(`samplePairs: maxPairs must be a non-negative integer, got ${maxPairs}`);
  }
  const n = targets.length;
  const total = (n * (n - 1)) / 2;
  if (total > ENUMERATE_LIMIT) return sampleByRejection(targets, maxPairs, rng);
  if (scratch.length < total) scratch = new Int32Array(total);
  // Pair (a, b) is encoded as a * n + b (n ≤ 2,897 here, so the code fits in int32).
  let count = 0;
  for (let a = 0; a < n; a++) {
    const ya = targets[a];
    for (let b = a + 1; b < n; b++) if (targets[b] !== ya) scratch[count++] = a * n + b;
  }
  const k = Math.min(count, maxPairs);
  if (count > k) {
    for (let t = 0; t < k; t++) {
      const j = uniformInt(rng, t, count - 1);
      const tmp = scratch[t];
      scratch[t] = scratch[j];
      scratch[j] = tmp;
    }
  }
  const out = new Int32Array(2 * k);
  for (let t = 0; t < k; t++) {
    const code = scratch[t];
    const a = Math.floor(code / n);
    out[2 * t] = a;
    out[2 * t + 1] = code - a * n;
  }
  return out;
}

/** Number of pairs a < b with different targets: all pairs minus the pairs inside each group of equal targets. */
export function countValidPairs(targets: ArrayLike<number>): number {
  const n = targets.length;
  const sorted = Float64Array.from(targets).sort();
  let tied = 0;
  for (let i = 0; i < n;) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    tied += ((j - i) * (j - i - 1)) / 2;
    i = j;
  }
  return (n * (n - 1)) / 2 - tied;
}

function sampleByRejection(targets: ArrayLike<number>, maxPairs: number, rng: RandomGenerator): Int32Array {
  const n = targets.length;
  const count = countValidPairs(targets);
  const k = Math.min(count, maxPairs);
  if (k === 0) return new Int32Array(0);
  if (2 * k > count) {
    // Dense case: most valid pairs are kept, so list them (count < 2·maxPairs keeps this small).
    const all: number[] = [];
    for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) if (targets[a] !== targets[b]) all.push(a, b);
    for (let t = 0; t < k; t++) {
      const j = uniformInt(rng, t, count - 1);
      [all[2 * t], all[2 * j]] = [all[2 * j], all[2 * t]];
      [all[2 * t + 1], all[2 * j + 1]] = [all[2 * j + 1], all[2 * t + 1]];
    }
    return Int32Array.from(all.slice(0, 2 * k));
  }
  const seen = new Set<number>();
  const out = new Int32Array(2 * k);
  let t = 0;
  while (t < k) {
    let a = uniformInt(rng, 0, n - 1);
    let b = uniformInt(rng, 0, n - 1);
    if (a === b || targets[a] === targets[b]) continue;
    if (a > b) [a, b] = [b, a];
    const code = a * n + b;
    if (seen.has(code)) continue;
    seen.add(code);
    out[2 * t] = a;
    out[2 * t + 1] = b;
    t++;
  }
  return out;
}
