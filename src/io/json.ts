/** JSON for results and machines: NaN and ±Infinity become null, two-space indent. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2);
}
