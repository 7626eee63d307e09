/**
 * Stable argsort of Float64 keys by radix sort on their IEEE-754 bit patterns, on typed arrays (no comparator
 * callbacks, no boxing): the general kernel of `sort.ts`.
 *
 * 1. Each finite double becomes an unsigned 64-bit key (two 32-bit words) whose unsigned order is the numeric order
 *    (`float-keys.ts`; -0 is +0). A descending sort flips every bit once more.
 * 2. The permutation is sorted by the HIGH word (sign, exponent, top 20 mantissa bits) with a least-significant-digit
 *    radix sort: counting passes are stable, so elements with equal keys keep their incoming order.
 * 3. Elements whose high words are equal form contiguous runs; only runs whose LOW words differ are sorted again, by
 *    the low word, inside the run. For most data these runs are exact ties (nothing to do) or tiny, so a full sort
 *    costs about two counting passes instead of the five or six of a 64-bit radix sort.
 *
 * Digits: only the bits that vary inside the range being sorted are used (bits equal in every key cannot change the
 * order), split into as few digits as possible of at most 2^maxBits buckets, maxBits growing with the range length
 * (a short run should not pay for 4,096 empty buckets). Ranges of at most `INSERTION_MAX` elements are sorted by
 * insertion sort instead (strict comparison, so also stable).
 *
 * The walk that checks step 3 also yields the dense ranks along the order, which the rank criteria need next.
 *
 * Internal module: inputs are assumed validated (finite keys; NaN would land somewhere, but not meaningfully).
 */

import type { DenseRanks } from './dense-ranks.js';
import { float64Words, keyHigh, keyLow } from './float-keys.js';

/** Ranges up to this length are insertion-sorted. */
const INSERTION_MAX = 32;
/** Largest digit, in bits (4,096 buckets). */
const MAX_DIGIT_BITS = 12;

/**
 * Reusable scratch buffers, grown on demand (the sort is synchronous and calls nothing back, so one set is enough):
 * the high words, and the second half of each ping-pong pair of the radix passes.
 */
let hiWords = new Uint32Array(0);
let spareKeys = new Uint32Array(0);
let spareOrder = new Uint32Array(0);
/** The histogram (then bucket offsets) of one counting pass. */
const counts = new Uint32Array(1 << MAX_DIGIT_BITS);

function ensureScratch(n: number): void {
  if (hiWords.length < n) {
    const size = Math.max(n, 2 * hiWords.length);
    hiWords = new Uint32Array(size);
    spareKeys = new Uint32Array(size);
    spareOrder = new Uint32Array(size);
  }
}

/**
 * The permutation that sorts `key` ascending (or descending), stably with respect to `init` (equal keys keep their
 * order in `init`; the identity when omitted), with the dense ranks in the same direction.
 */
export function radixArgsort(
  key: Float64Array,
  descending: boolean,
  init?: Uint32Array,
): DenseRanks & { order: Uint32Array } {
  const n = key.length;
  const order = new Uint32Array(n);
  const dense = new Uint32Array(n);
  if (n < 2) {
    if (n === 1) order[0] = init ? init[0] : 0;
    return { order, dense, distinct: n, tiedPairs: 0 };
  }
  ensureScratch(n);

  // 1. Order-preserving high words, by position (they are sorted along with `order`).
  const words = float64Words(key);
  const flip = descending ? 0xffffffff : 0;
  const hi = hiWords;
  if (init) {
    for (let p = 0; p < n; p++) {
      const i = init[p];
      order[p] = i;
      hi[p] = keyHigh(words, i) ^ flip;
    }
  } else {
    for (let i = 0; i < n; i++) {
      order[i] = i;
      hi[i] = keyHigh(words, i) ^ flip;
    }
  }

  // 2. Sort by the high word.
  sortRangeByWord(hi, order, 0, n);

  // 3. Walk the order: a change of value starts a new dense rank, unless the high words are equal (values within
  //    about 2^-20 of each other, relatively, e.g. 68.35 and 68.35000000000001). Then the run of equal values that
  //    ends there is in fact the start of a run of equal high words: that run is sorted by the low word, and the walk
  //    resumes at its start (undoing the tied pairs counted inside it).
  let rank = 0;
  let tiedPairs = 0;
  let runStart = 0;
  let sortedUntil = 0; // runs of equal high words before this position are sorted by the low word
  let prev = key[order[0]];
  for (let p = 1; p < n; p++) {
    const i = order[p];
    const v = key[i];
    if (v !== prev) {
      if (p >= sortedUntil && hi[p] === hi[p - 1]) {
        sortedUntil = sortRunByLowWord(key, descending, words, hi, order, runStart, p);
        tiedPairs -= ((p - runStart) * (p - runStart - 1)) / 2;
        p = runStart;
        prev = key[order[p]];
        dense[order[p]] = rank;
        continue;
      }
      rank++;
      runStart = p;
      prev = v;
    }
    tiedPairs += p - runStart;
    dense[i] = rank;
  }
  return { order, dense, distinct: rank + 1, tiedPairs };
}

/**
 * Sorts the run of equal high words that starts at `start` (hi[start] … hi[p] are equal) by the rest of the key, and
 * returns the end of the run (exclusive). Inside such a run every value has the same sign and exponent, so a short
 * run is simply insertion-sorted by value (strict comparison: stable); a long one is radix-sorted by the low word.
 */
function sortRunByLowWord(
  key: Float64Array,
  descending: boolean,
  words: Uint32Array,
  hi: Uint32Array,
  order: Uint32Array,
  start: number,
  p: number,
): number {
  const n = order.length;
  const h = hi[p];
  let end = p + 1;
  while (end < n && hi[end] === h) end++;
  if (end - start <= INSERTION_MAX) {
    const sign = descending ? -1 : 1;
    for (let q = start + 1; q < end; q++) {
      const o = order[q];
      const v = sign * key[o];
      let r = q - 1;
      while (r >= start && sign * key[order[r]] > v) {
        order[r + 1] = order[r];
        r--;
      }
      order[r + 1] = o;
    }
    return end;
  }
  // Reuse `hi` over the run (its values there are all equal) for the low words, then restore it.
  const flip = descending ? 0xffffffff : 0;
  for (let q = start; q < end; q++) {
    const i = order[q];
    hi[q] = keyLow(words, i) ^ flip;
  }
  sortRangeByWord(hi, order, start, end);
  for (let q = start; q < end; q++) hi[q] = h;
  return end;
}

/**
 * Stable sort of positions [from, to) of `order` by the unsigned words `keys` (keys[p] belongs to order[p]); both
 * arrays are permuted together. Insertion sort for short ranges, else an LSD radix sort over the varying bits.
 */
function sortRangeByWord(keys: Uint32Array, order: Uint32Array, from: number, to: number): void {
  const len = to - from;
  if (len <= INSERTION_MAX) {
    for (let p = from + 1; p < to; p++) {
      const k = keys[p];
      const o = order[p];
      let q = p - 1;
      while (q >= from && keys[q] > k) {
        keys[q + 1] = keys[q];
        order[q + 1] = order[q];
        q--;
      }
      keys[q + 1] = k;
      order[q + 1] = o;
    }
    return;
  }

  // Bits that vary over the range; the others are equal in every key and cannot change the order.
  const k0 = keys[from];
  let varying = 0;
  for (let p = from + 1; p < to; p++) varying |= keys[p] ^ k0;
  if (varying === 0) return;
  const low = 31 - Math.clz32(varying & -varying);
  const width = 32 - Math.clz32(varying) - low;
  // Digits of at most maxBits bits, as few as possible and of equal size (e.g. 23 varying bits: 2 passes of 12 bits);
  // short ranges get smaller digits and more passes, over fewer buckets in all.
  const maxBits = Math.min(MAX_DIGIT_BITS, Math.max(4, 32 - Math.clz32(len) - 2));
  const passes = Math.ceil(width / maxBits);
  const bits = Math.ceil(width / passes);
  const mask = (1 << bits) - 1;

  // LSD passes, ping-ponging between the arrays and the spare pair.
  for (let d = 0; d < passes; d++) {
    const shift = low + d * bits;
    if (d % 2 === 0) countingPass(keys, order, spareKeys, spareOrder, from, to, shift, mask);
    else countingPass(spareKeys, spareOrder, keys, order, from, to, shift, mask);
  }
  if (passes % 2 === 1) {
    keys.set(spareKeys.subarray(from, to), from);
    order.set(spareOrder.subarray(from, to), from);
  }
}

/**
 * One stable counting pass over positions [from, to): moves (key, order) pairs from the source arrays to the same
 * positions range of the destination arrays, ordered by the digit (key >>> shift) & mask. (A function of its own:
 * with the arrays as parameters rather than swapped locals, V8 compiles the loops markedly tighter.)
 */
function countingPass(
  srcK: Uint32Array,
  srcO: Uint32Array,
  dstK: Uint32Array,
  dstO: Uint32Array,
  from: number,
  to: number,
  shift: number,
  mask: number,
): void {
  counts.fill(0, 0, mask + 1);
  for (let p = from; p < to; p++) counts[(srcK[p] >>> shift) & mask]++;
  let sum = from;
  for (let b = 0; b <= mask; b++) {
    const c = counts[b];
    counts[b] = sum;
    sum += c;
  }
  for (let p = from; p < to; p++) {
    const k = srcK[p];
    const at = counts[(k >>> shift) & mask]++;
    dstK[at] = k;
    dstO[at] = srcO[p];
  }
}
