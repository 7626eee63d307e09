/**
 * The sorting behind every rank-based criterion: stable argsorts and dense ranks of Float64 keys (ties broken by
 * ascending input position, -0 equal to 0), on typed arrays.
 *
 * Two kernels: `radix-sort.ts` sorts any keys (a radix sort on the IEEE bit patterns); `distinct-hash.ts` handles
 * keys with many ties faster, by hashing them to their distinct values and sorting only those, after which a
 * stable order is one counting sort by rank (`dense-ranks.ts`). The hash path is tried first; it gives up by itself
 * on (nearly) all-distinct keys. Both give the same orders and ranks.
 *
 * Internal module: inputs are assumed validated (finite keys).
 */
import { orderFromDenseRanks, type DenseRanks } from './dense-ranks.js';
import { denseRanksByHashing } from './distinct-hash.js';
import { radixArgsort } from './radix-sort.js';

/** Below this length the hash table does not pay for itself. */
const HASH_MIN = 256;

/**
 * Returns the permutation that sorts `values` ascending (or descending), stably with respect to `init`: equal keys
 * keep the relative order they have in `init` (the identity when omitted, so ties are broken by ascending input
 * position).
 */
export function stableArgsort(
  values: ArrayLike<number>,
  descending: boolean,
  init?: Uint32Array,
): Uint32Array {
  const key = values instanceof Float64Array ? values : Float64Array.from(values);
  if (init) {
    if (init.length !== key.length) {
      throw new Error(`stableArgsort: init has length ${init.length}, expected ${key.length}`);
    }
    return radixArgsort(key, descending, init).order;
  }
  return rankedArgsort(key, descending).order;
}

/** `stableArgsort(values, descending)` together with the dense ranks in the same direction. */
export function rankedArgsort(
  values: Float64Array,
  descending: boolean,
): DenseRanks & { order: Uint32Array } {
  const hashed = values.length >= HASH_MIN ? denseRanksByHashing(values, descending) : null;
  if (hashed) return { ...hashed, order: orderFromDenseRanks(hashed.dense, hashed.distinct) };
  return radixArgsort(values, descending);
}

/** Dense ranks of `values` in the given direction (0 = the largest value when `descending`). */
export function denseRanks(values: Float64Array, descending: boolean): DenseRanks {
  const hashed = values.length >= HASH_MIN ? denseRanksByHashing(values, descending) : null;
  return hashed ?? radixArgsort(values, descending);
}

/** Inverse of a permutation: `inv[order[p]] = p`. */
export function invertPermutation(order: Uint32Array): Uint32Array {
  const inv = new Uint32Array(order.length);
  for (let p = 0; p < order.length; p++) inv[order[p]] = p;
  return inv;
}
