/** Pearson's linear correlation coefficient. */
import { validatePair, type NumericArray } from './validate.js';

/**
 * Pearson's r between `x` and `y` (two-pass, centred). Returns NaN when either side is constant (as scipy).
 * Throws when the inputs are not finite, differ in length, or have fewer than 2 elements.
 */
export function pearson(x: NumericArray, y: NumericArray): number {
  const [fx, fy] = validatePair(x, y, 'x', 'y', 'pearson');
  return pearsonCore(fx, fy);
}

/** Internal: Pearson's r on validated Float64Arrays of equal length ≥ 2. */
export function pearsonCore(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < n; i++) {
    sx += x[i];
    sy += y[i];
  }
  const mx = sx / n;
  const my = sy / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    sxy += dx * dy;
    sxx += dx * dx;
    syy += dy * dy;
  }
  if (sxx === 0 || syy === 0) return NaN;
  const r = sxy / (Math.sqrt(sxx) * Math.sqrt(syy));
  return Math.min(1, Math.max(-1, r));
}
