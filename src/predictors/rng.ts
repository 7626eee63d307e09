/**
 * Seeded randomness for the predictors: one pure-rand xoroshiro128+ stream per purpose (weights, training,
 * dropout), plus a fast xorshift32 generator for bulk draws (dropout masks), seeded from a stream.
 */
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

export type { RandomGenerator };

export class Rng {
  readonly gen: RandomGenerator;

  constructor(seed: number | RandomGenerator) {
    this.gen = typeof seed === 'number' ? xoroshiro128plus(seed | 0) : seed;
  }

  /** A generator for an independent purpose (weights, training, ...), seeded by `seed` and a purpose number. */
  static derive(seed: number, purpose: number): Rng {
    const high = Math.floor(seed / 4294967296) | 0;
    return new Rng(mix32((seed | 0) ^ mix32(high ^ mix32(purpose))));
  }

  /** Uniform 32-bit unsigned integer. */
  uint32(): number {
    return this.gen.next() >>> 0;
  }

  /** Uniform integer in [from, to] (both included). */
  int(from: number, to: number): number {
    return uniformInt(this.gen, from, to);
  }

  /** Uniform float in [0, 1) with 53 random bits. */
  float(): number {
    const hi = this.gen.next() >>> 5; // 27 bits
    const lo = this.gen.next() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Standard normal (Box–Muller). */
  normal(): number {
    let u = this.float();
    while (u === 0) u = this.float();
    const v = this.float();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** In-place Fisher–Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: number }>(a: T): T {
    for (let i = a.length - 1; i > 0; i--) {
      const j = uniformInt(this.gen, 0, i);
      const t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return a;
  }
}

/** A 32-bit integer hash (the SplitMix32 / murmur3 finaliser). */
export function mix32(x: number): number {
  x = (x + 0x9e3779b9) | 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Inverted-dropout mask: each entry is 0 with probability `rate` (rounded to a multiple of 2^-16), else
 * 1 / (1 − that probability), so the expectation is exactly 1. Bulk draws (a GATES step needs ~770k) come from
 * a xorshift32 sequence seeded by `seed`, 16 bits per entry: ~1 ns per entry.
 */
export function fillDropoutMask(out: Float32Array, rate: number, seed: number): Float32Array {
  const threshold = Math.round(rate * 65536);
  const keep = 1 / (1 - threshold / 65536);
  let x = mix32(seed) | 0 || 0x2545f491; // xorshift32 needs a non-zero state
  const n = out.length;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x & 0xffff) < threshold ? 0 : keep;
    out[i + 1] = x >>> 16 < threshold ? 0 : keep;
  }
  if (i < n) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x & 0xffff) < threshold ? 0 : keep;
  }
  return out;
}
