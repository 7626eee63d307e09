/** Timing helpers for the benchmarks: warm medians, so that noisy machines still give stable ratios. */
export interface BenchRow {
  group: string;
  name: string;
  /** Median milliseconds, or a dimensionless value when `unit` says so. */
  value: number;
  unit: 'ms' | 'ratio' | 'items/s';
  /** Budget from an issue (e.g. ≤ 50 ms), checked and printed. */
  budget?: number;
  /** Time relative to the peer measured in the same run (PyTorch, scipy): < 1 is faster. */
  ratio?: number;
  note?: string;
}

/** Warm median of `runs` timed calls after `warmup` untimed ones, in ms. */
export function medianMs(fn: () => unknown, warmup: number, runs: number): number {
  for (let i = 0; i < warmup; i++) fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const mid = times.length >> 1;
  return times.length % 2 ? times[mid] : (times[mid - 1] + times[mid]) / 2;
}
