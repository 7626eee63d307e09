/**
 * Undefined proxy values (NaN, ±∞) as the lowest score: each becomes the lowest finite value minus 1 (0 when no value
 * is finite), so that the architecture ranks last and every criterion stays defined. Returns the count replaced.
 */
export function rankLast(values: Float64Array): { values: Float64Array; replaced: number } {
  let min = Infinity;
  for (const v of values) if (Number.isFinite(v) && v < min) min = v;
  const floor = Number.isFinite(min) ? min - 1 : 0;
  let replaced = 0;
  const out = Float64Array.from(values, (v) => {
    if (Number.isFinite(v)) return v;
    replaced++;
    return floor;
  });
  return { values: out, replaced };
}
