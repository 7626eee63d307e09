/**
 * Criteria benchmark (SPEC §3): warm median times on n = 15,625 (the NB201 noisy fixture's score against the
 * cifar10_test ground truth) of the whole suite without bootstrap, the O(n log n) Kendall tau and the O(n²)
 * reference, plus the naive/fast ratio. No top-level side effects: call `benchCriteria()`.
 */
import { readFile } from 'node:fs/promises';
import { criteriaSuite, kendallTau, kendallTauNaive } from '../src/metrics/index.js';

export interface BenchRow {
  name: string;
  ms: number;
  note?: string;
}

async function loadData(): Promise<{ score: Float64Array; truth: Float64Array }> {
  const fixture = JSON.parse(
    await readFile(new URL('../../shared/fixtures/criteria/nb201-noisy.json', import.meta.url), 'utf8'),
  ) as { score: number[] };
  const csv = await readFile(new URL('../../shared/data/nb201/nb201-hp200.csv', import.meta.url), 'utf8');
  const lines = csv.trim().split(/\r?\n/);
  const col = lines[0].split(',').indexOf('cifar10_test');
  if (col < 0) throw new Error('benchCriteria: column cifar10_test not found in nb201-hp200.csv');
  const truth = Float64Array.from(lines.slice(1), (line) => Number(line.split(',')[col]));
  const score = Float64Array.from(fixture.score);
  if (truth.length !== score.length) {
    throw new Error(`benchCriteria: ${score.length} scores but ${truth.length} truth rows`);
  }
  return { score, truth };
}

/** Warm median of `runs` timed calls after `warmup` untimed ones. */
function medianMs(fn: () => unknown, warmup: number, runs: number): number {
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

export async function benchCriteria(): Promise<Array<{ name: string; ms: number; note?: string }>> {
  const { score, truth } = await loadData();
  const n = score.length;
  // Synthetic FLOPs-like cost with 28 distinct values, and a synthetic grouping into classes of 1–4 members.
  const cost = Float64Array.from({ length: n }, (_, i) => 15 + 12.5 * ((i * 7919) % 28));
  const classIds = Int32Array.from({ length: n }, (_, i) =>
    Math.floor((((i * 2654435761) % 2 ** 32) / 2 ** 32) * (n / 2.5)),
  );

  const suiteMs = medianMs(() => criteriaSuite(score, truth, { cost, classIds, bootstrap: false }), 5, 15);
  const fastMs = medianMs(() => kendallTau(score, truth), 5, 21);
  let naive = NaN;
  const naiveMs = medianMs(() => (naive = kendallTauNaive(score, truth)), 1, 3);
  const fast = kendallTau(score, truth);
  return [
    {
      name: 'criteriaSuite (n=15625, cost + classIds, no bootstrap)',
      ms: suiteMs,
      note: 'median of 15 warm runs',
    },
    { name: 'kendallTau O(n log n) (n=15625)', ms: fastMs, note: 'median of 21 warm runs' },
    {
      name: 'kendallTauNaive O(n²) (n=15625)',
      ms: naiveMs,
      note: `median of 3 warm runs; |fast − naive| = ${Math.abs(fast - naive).toExponential(2)}`,
    },
    { name: 'kendall speed-up naive/fast', ms: naiveMs / fastMs, note: 'ratio (dimensionless), not ms' },
  ];
}
