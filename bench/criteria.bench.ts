/**
 * Criteria benchmark (SPEC §3) on the bundled NB201 data, n = 15,625: a noisy score (truth + seeded Gaussian noise,
 * rounded to 0.1 so there are many ties) against the cifar10 truth, with the real FLOPs and isomorphism classes.
 * Warm medians of the whole suite (no bootstrap), of Kendall's τ-b alone, and of the O(n²) τ measured in the same run.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { criteriaSuite, kendallTau, kendallTauNaive } from '../src/metrics/index.js';
import { evaluateArchScores } from '../src/surgery/evaluate.js';
import { medianMs, type BenchRow } from './timing.js';

function noisyScores(truth: Float64Array, seed: number): Float64Array {
  const rng = xoroshiro128plus(seed);
  const u = () => uniformFloat64(rng) + 2 ** -54;
  return Float64Array.from(truth, (t) => {
    const g = Math.sqrt(-2 * Math.log(u())) * Math.cos(2 * Math.PI * u());
    return Math.round((t + 5 * g) * 10) / 10;
  });
}

export async function benchCriteria(): Promise<BenchRow[]> {
  const gt = loadGroundTruth();
  const truth = gt.truth('cifar10');
  const score = noisyScores(truth, 7);
  const cost = gt.costs().flops;
  const classIds = gt.iso().classOf;
  const group = 'criteria (n=15,625)';

  const suiteMs = medianMs(() => criteriaSuite(score, truth, { cost, classIds, bootstrap: false }), 5, 21);
  const fastMs = medianMs(() => kendallTau(score, truth), 5, 21);
  let naive = NaN;
  const naiveMs = medianMs(() => (naive = kendallTauNaive(score, truth)), 1, 3);
  const diff = Math.abs(kendallTau(score, truth) - naive);
  const index = Int32Array.from({ length: gt.n }, (_, i) => i);
  const evalMs = medianMs(
    () => evaluateArchScores({ index, score, merged: 0 }, { bootstrap: false }, gt.n),
    3,
    11,
  );
  const bootMs = medianMs(
    () => criteriaSuite(score, truth, { bootstrap: { resamples: 200, seed: 0 } }),
    1,
    3,
  );
  return [
    { group, name: 'whole criteria suite (no bootstrap)', value: suiteMs, unit: 'ms', budget: 50 },
    { group, name: 'Kendall τ-b, O(n log n)', value: fastMs, unit: 'ms', budget: 10 },
    {
      group,
      name: 'Kendall τ-b, O(n²) baseline',
      value: naiveMs,
      unit: 'ms',
      note: `|fast − naive| = ${diff.toExponential(1)}`,
    },
    { group, name: 'speed-up of O(n log n) τ over O(n²)', value: naiveMs / fastMs, unit: 'ratio' },
    { group, name: 'evaluate(): align + suite + iso spread', value: evalMs, unit: 'ms' },
    { group, name: 'suite with 200 bootstrap resamples', value: bootMs, unit: 'ms', note: 'the CLI default' },
  ];
}
