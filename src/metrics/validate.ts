/**
 * Input validation shared by every public criterion (tfjs-style messages that name the argument and the
 * function), plus the conversion of validated inputs to Float64Array.
 */

/** Numeric input accepted by every criterion: a Float64Array, any typed array, or a plain number[]. */
export type NumericArray = ArrayLike<number>;

function describe(v: unknown): string {
  if (typeof v === 'number') return String(v);
  if (typeof v === 'string') return `string '${v}'`;
  if (v === null) return 'null';
  return typeof v;
}

function isArrayLike(v: unknown): v is ArrayLike<unknown> {
  if (v === null || v === undefined) return false;
  if (typeof v === 'string' || typeof v === 'function') return false;
  const len = (v as { length?: unknown }).length;
  return typeof len === 'number' && Number.isInteger(len) && len >= 0;
}

/**
 * Checks that `values` is an array-like of finite numbers and returns it as a Float64Array
 * (the same object when it already is one: callers must not mutate the result).
 */
export function toFiniteFloat64(values: unknown, arg: string, fn: string): Float64Array {
  if (!isArrayLike(values)) {
    throw new Error(
      `Argument '${arg}' passed to '${fn}' must be an array-like of numbers (number[] or typed array); ` +
        `got ${describe(values)}`,
    );
  }
  const n = values.length;
  const out = values instanceof Float64Array ? values : new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(
        `Argument '${arg}' passed to '${fn}' must be finite; found ${describe(v)} at position ${i}`,
      );
    }
    if (out !== values) out[i] = v;
  }
  return out;
}

/** Throws unless both inputs have the same length. */
export function assertSameLength(
  a: ArrayLike<unknown>,
  b: ArrayLike<unknown>,
  argA: string,
  argB: string,
  fn: string,
): void {
  if (a.length !== b.length) {
    throw new Error(
      `Arguments '${argA}' and '${argB}' passed to '${fn}' must have the same length; got ${a.length} and ${b.length}`,
    );
  }
}

/** Throws unless the input has at least `min` elements. */
export function assertMinLength(a: ArrayLike<unknown>, min: number, arg: string, fn: string): void {
  if (a.length < min) {
    throw new Error(
      `Argument '${arg}' passed to '${fn}' must have at least ${min} elements; got ${a.length}`,
    );
  }
}

/** Validates a top/bottom ratio K: a finite number in (0, 1]. */
export function assertRatio(ratio: unknown, arg: string, fn: string): number {
  if (typeof ratio !== 'number' || !Number.isFinite(ratio) || ratio <= 0 || ratio > 1) {
    throw new Error(`Argument '${arg}' passed to '${fn}' must be a number in (0, 1]; got ${describe(ratio)}`);
  }
  return ratio;
}

/** Validates a positive integer option. */
export function assertPositiveInteger(value: unknown, arg: string, fn: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new Error(`Argument '${arg}' passed to '${fn}' must be a positive integer; got ${describe(value)}`);
  }
  return value;
}

/**
 * The usual validation for a pair (x, y): both finite array-likes of equal length with n >= 2.
 * Returns the two inputs as Float64Arrays.
 */
export function validatePair(
  x: unknown,
  y: unknown,
  argX: string,
  argY: string,
  fn: string,
): [Float64Array, Float64Array] {
  const fx = toFiniteFloat64(x, argX, fn);
  const fy = toFiniteFloat64(y, argY, fn);
  assertSameLength(fx, fy, argX, argY, fn);
  assertMinLength(fx, 2, argX, fn);
  return [fx, fy];
}
