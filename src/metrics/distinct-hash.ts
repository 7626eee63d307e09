/**
 * Dense ranks of a vector with many ties, by hashing: the fast path of `sort.ts` for data such as accuracies rounded
 * to a few decimals, where sorting all n values is mostly spent on ties.
 *
 * 1. One pass over the values with an open-addressing hash table (linear probing, keyed by the IEEE bit pattern,
 *    -0 hashed as +0 and values compared with `===`, so that -0 and 0 are one value) gives each element the id of
 *    its value, in order of first appearance, and counts each value's occurrences.
 * 2. Only the m distinct values are sorted (`radixArgsort`); a value's rank is its position in that order.
 * 3. Each element's dense rank is its value's rank.
 *
 * When the values turn out to be (nearly) all distinct, hashing cannot save anything: after the first quarter of the
 * input, if at least 95% of the values seen so far are new, it gives up (returns null) and the caller sorts directly.
 *
 * Internal module: inputs are assumed validated (finite).
 */
import type { DenseRanks } from './dense-ranks.js';
import { float64Words, highWord, lowWord } from './float-keys.js';
import { radixArgsort } from './radix-sort.js';

/** Reusable hash table (slot = 1 + id of the value stored there, 0 = empty), grown on demand. */
let slots = new Int32Array(0);

/** Dense ranks (0 = the largest value when `descending`, else the smallest) by hashing, or null (see above). */
export function denseRanksByHashing(values: Float64Array, descending: boolean): DenseRanks | null {
  const n = values.length;
  const words = float64Words(values);
  // A power of two ≥ 2n slots: the table is at most half full.
  const bits = Math.max(4, 32 - Math.clz32(2 * n - 1));
  const size = 2 ** bits;
  const shift = 32 - bits;
  const mask = size - 1;
  if (slots.length < size) slots = new Int32Array(size);
  else slots.fill(0, 0, size);

  const ids = new Uint32Array(n);
  const distinctValues = new Float64Array(n);
  const counts = new Uint32Array(n);
  const checkAt = n >> 2;
  let m = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    const hash =
      v === 0 ? 0 : Math.imul(highWord(words, i) ^ Math.imul(lowWord(words, i), 0x9e3779b1), 0x85ebca77);
    for (let s = hash >>> shift; ; s = (s + 1) & mask) {
      const slot = slots[s];
      if (slot === 0) {
        slots[s] = m + 1;
        distinctValues[m] = v;
        counts[m] = 1;
        ids[i] = m++;
        break;
      }
      if (distinctValues[slot - 1] === v) {
        ids[i] = slot - 1;
        counts[slot - 1]++;
        break;
      }
    }
    if (i === checkAt && 20 * m >= 19 * (i + 1)) return null;
  }

  const { order } = radixArgsort(distinctValues.subarray(0, m), descending);
  const rankOfId = new Uint32Array(m);
  let tiedPairs = 0;
  for (let r = 0; r < m; r++) {
    const id = order[r];
    rankOfId[id] = r;
    const c = counts[id];
    tiedPairs += (c * (c - 1)) / 2;
  }
  const dense = new Uint32Array(n);
  for (let i = 0; i < n; i++) dense[i] = rankOfId[ids[i]];
  return { dense, distinct: m, tiedPairs };
}
