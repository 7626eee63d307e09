/**
 * The sorting kernel behind every rank-based criterion: a stable, bottom-up merge sort of an index
 * permutation by a Float64 key, on typed arrays (no comparator callbacks, no boxing).
 *
 * Internal module: inputs are assumed validated (finite keys).
 */

const RUN = 32;

/**
 * Returns the permutation that sorts `key` ascending (or descending), stably with respect to `init`:
 * elements with equal keys keep the relative order they have in `init` (identity when omitted, so ties
 * are broken by ascending input position).
 */
export function stableArgsort(key: ArrayLike<number>, descending: boolean, init?: Uint32Array): Uint32Array {
  const n = key.length;
  let idx = new Uint32Array(n);
  let k = new Float64Array(n);
  if (init) {
    if (init.length !== n) throw new Error(`stableArgsort: init has length ${init.length}, expected ${n}`);
    idx.set(init);
  } else {
    for (let i = 0; i < n; i++) idx[i] = i;
  }
  // Sorting the negated key ascending is a stable descending sort (-0 === 0, so ties are preserved).
  if (descending) for (let i = 0; i < n; i++) k[i] = -key[idx[i]];
  else for (let i = 0; i < n; i++) k[i] = key[idx[i]];

  // 1. Insertion sort on runs of RUN elements (strict comparison keeps equal keys in place: stable).
  for (let lo = 0; lo < n; lo += RUN) {
    const hi = Math.min(lo + RUN, n);
    for (let i = lo + 1; i < hi; i++) {
      const kv = k[i];
      const iv = idx[i];
      let j = i - 1;
      while (j >= lo && k[j] > kv) {
        k[j + 1] = k[j];
        idx[j + 1] = idx[j];
        j--;
      }
      k[j + 1] = kv;
      idx[j + 1] = iv;
    }
  }
  if (n <= RUN) return idx;

  // 2. Bottom-up merges, ping-ponging between two buffers. On equal keys the left run wins (stable).
  let kb = new Float64Array(n);
  let ib = new Uint32Array(n);
  for (let width = RUN; width < n; width *= 2) {
    for (let lo = 0; lo < n; lo += 2 * width) {
      const mid = Math.min(lo + width, n);
      const hi = Math.min(lo + 2 * width, n);
      if (mid >= hi || k[mid - 1] <= k[mid]) {
        // Already in order (or a lone run): copy through.
        kb.set(k.subarray(lo, hi), lo);
        ib.set(idx.subarray(lo, hi), lo);
        continue;
      }
      let i = lo;
      let j = mid;
      let o = lo;
      while (i < mid && j < hi) {
        if (k[j] < k[i]) {
          kb[o] = k[j];
          ib[o++] = idx[j++];
        } else {
          kb[o] = k[i];
          ib[o++] = idx[i++];
        }
      }
      while (i < mid) {
        kb[o] = k[i];
        ib[o++] = idx[i++];
      }
      while (j < hi) {
        kb[o] = k[j];
        ib[o++] = idx[j++];
      }
    }
    const tk = k;
    k = kb;
    kb = tk;
    const ti = idx;
    idx = ib;
    ib = ti;
  }
  return idx;
}

/** Inverse of a permutation: `inv[order[p]] = p`. */
export function invertPermutation(order: Uint32Array): Uint32Array {
  const inv = new Uint32Array(order.length);
  for (let p = 0; p < order.length; p++) inv[order[p]] = p;
  return inv;
}
