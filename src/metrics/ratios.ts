/**
 * The top/bottom ratios K of method §3, the k = floor(N·K) rule, and the map keys used in reports and fixtures.
 */

/** Ratios for P@top/P@bottom and KT@top/KT@bottom: 0.1%, 0.5%, 1%, 5%, 10%, 50%, 100%. */
export const PRECISION_RATIOS: readonly number[] = Object.freeze([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0]);

/** Ratios for BR@K/WR@K: 0.1%, 0.5%, 1%, 5%, 10%, 20%. */
export const RANK_RATIOS: readonly number[] = Object.freeze([0.001, 0.005, 0.01, 0.05, 0.1, 0.2]);

/**
 * k = floor(N·K), with a 1e-9 guard so that a product that should be an integer but lands just below it
 * through floating-point error (e.g. 0.29 * 100 = 28.999999999999996) still gives that integer.
 */
export function kFromRatio(n: number, ratio: number): number {
  return Math.floor(n * ratio + 1e-9);
}

/** Map key of a ratio as written in the fixtures: "0.001", "0.1", "0.2", and "1.0" (not "1"). */
export function ratioKey(ratio: number): string {
  return Number.isInteger(ratio) ? ratio.toFixed(1) : String(ratio);
}
