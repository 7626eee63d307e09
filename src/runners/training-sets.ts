import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';

/**
 * k distinct items drawn uniformly from `pool` (partial Fisher–Yates), reproducible from `seed`.
 * Returned in draw order.
 */
export function sampleWithoutReplacement(pool: ArrayLike<number>, k: number, seed: number): Int32Array {
  if (!Number.isInteger(k) || k < 0 || k > pool.length) {
    throw new Error(`sampleWithoutReplacement: cannot draw ${k} of ${pool.length} items`);
  }
  const a = Int32Array.from(pool);
  const rng = xoroshiro128plus(seed);
  for (let i = 0; i < k; i++) {
    const j = uniformInt(rng, i, a.length - 1);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a.slice(0, k);
}

/** A random permutation of `items`, reproducible from `seed`. */
export function shuffled(items: ArrayLike<number>, seed: number): Int32Array {
  return sampleWithoutReplacement(items, items.length, seed);
}

/**
 * The seed of training set `set` of size `size` in the predictor protocol: fixed by (base seed, size, set), so that
 * every predictor, loss and seed sees the same training sets.
 */
export function trainingSetSeed(baseSeed: number, size: number, set: number): number {
  return (
    (Math.imul(baseSeed + 1, 0x9e3779b1) ^ Math.imul(size, 0x85ebca6b) ^ Math.imul(set + 1, 0xc2b2ae35)) | 0
  );
}

/**
 * The training set of a run: `size` architectures drawn uniformly from those that have a (finite) target.
 * The same (setSeed, size, set) gives the same set for every predictor, loss and seed.
 */
export function trainingSet(targets: Float64Array, size: number, set: number, setSeed: number): Int32Array {
  const pool: number[] = [];
  for (let i = 0; i < targets.length; i++) if (Number.isFinite(targets[i])) pool.push(i);
  if (size > pool.length)
    throw new Error(`cannot draw ${size} training architectures from ${pool.length} with targets`);
  return sampleWithoutReplacement(pool, size, trainingSetSeed(setSeed, size, set)).sort();
}
