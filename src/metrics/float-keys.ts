/**
 * The IEEE-754 words of Float64 keys, read through a Uint32Array view, and their order-preserving unsigned form
 * (shared by the sort kernels).
 *
 * Order-preserving key of a finite double, as two unsigned 32-bit words (high, low) compared high first: -0 is taken
 * as +0 (the two compare equal, as with `===`); then a negative number has every bit flipped, a non-negative one only
 * its sign bit. Unsigned order of the keys is then the numeric order of the doubles.
 */

/** Index of the high and the low 32-bit word of a double in a Uint32Array view (platform byte order). */
const HI = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1 ? 1 : 0;
const LO = 1 - HI;

/** The 2n 32-bit words of `values` (no copy), for the accessors below. */
export function float64Words(values: Float64Array): Uint32Array {
  return new Uint32Array(values.buffer, values.byteOffset, 2 * values.length);
}

/** High IEEE word (sign, exponent, top 20 mantissa bits) of element i. */
export function highWord(words: Uint32Array, i: number): number {
  return words[2 * i + HI];
}

/** Low IEEE word (the other 32 mantissa bits) of element i. */
export function lowWord(words: Uint32Array, i: number): number {
  return words[2 * i + LO];
}

/** High word of the order-preserving key of element i. */
export function keyHigh(words: Uint32Array, i: number): number {
  const high = words[2 * i + HI];
  if (high === 0x80000000 && words[2 * i + LO] === 0) return 0x80000000; // -0 → the key of +0
  return high ^ ((high >> 31) | 0x80000000); // negative: flip every bit; else only the sign bit
}

/** Low word of the order-preserving key of element i. */
export function keyLow(words: Uint32Array, i: number): number {
  const high = words[2 * i + HI];
  const low = words[2 * i + LO];
  if (high === 0x80000000 && low === 0) return 0;
  return low ^ (high >> 31);
}
