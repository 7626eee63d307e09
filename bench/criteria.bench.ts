/**
 * Criteria benchmark (SPEC §3) on the bundled NB201 data, n = 15,625: a noisy score (truth + seeded Gaussian noise,
 * rounded to 0.1 so there are many ties) against the cifar10 truth, with the real FLOPs and isomorphism classes.
 * Warm medians of the whole suite (no bootstrap), of Kendall's τ-b and Spearman's ρ alone, and of the O(n²) τ, with
 * scipy's kendalltau and spearmanr timed on the same vectors in the same run (bench/scipy-criteria.py, run by the
 * first python3 on PATH that imports scipy): ours, scipy's, and the ratio ours/scipy (≤ 1: as fast or faster).
 * Our medians are taken right before and right after scipy's and averaged, so that a drifting machine load hits
 * both sides alike. Without a python3 with scipy the scipy rows are left out with a note.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { scipyPython } from '../src/doctor/python-peers.js';
import { criteriaSuite, kendallTau, kendallTauNaive, spearman } from '../src/metrics/index.js';
import { evaluateArchScores } from '../src/surgery/evaluate.js';
import { medianMs, type BenchRow } from './timing.js';

const SCIPY_SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'scipy-criteria.py');
/** Warm-up calls and timed calls per median, ours and scipy's. */
const WARMUP = 10;
const ROUNDS = 101;

/** What bench/scipy-criteria.py prints. */
interface ScipyTimes {
  kendall_ms: number;
  spearman_ms: number;
  kendall: number;
  spearman: number;
  scipy: string;
  numpy: string;
}

/** scipy's warm medians on the same vectors (sent as little-endian float64 through a temp file), or why not. */
function timeScipy(score: Float64Array, truth: Float64Array): { times?: ScipyTimes; why?: string } {
  const py = scipyPython();
  if (!py.python) return { why: py.why };
  const n = score.length;
  const dir = mkdtempSync(path.join(tmpdir(), 'nas-criteria-bench-'));
  try {
    const file = path.join(dir, 'score-truth.f64');
    const buf = Buffer.alloc(16 * n);
    for (let i = 0; i < n; i++) {
      buf.writeDoubleLE(score[i], 8 * i);
      buf.writeDoubleLE(truth[i], 8 * (n + i));
    }
    writeFileSync(file, buf);
    const r = spawnSync(py.python, [SCIPY_SCRIPT, file, String(n), String(WARMUP), String(ROUNDS)], {
      encoding: 'utf8',
      timeout: 300_000,
    });
    if (r.status !== 0) {
      const why = (r.stderr || r.error?.message || `exit status ${r.status}`).trim().split('\n').pop();
      return { why: `the scipy reference failed: ${why}` };
    }
    return { times: JSON.parse(r.stdout) as ScipyTimes };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The rows ours / scipy's / ratio for one statistic. */
function peerRows(
  group: string,
  label: string,
  scipyName: string,
  oursMs: number,
  scipyMs: number,
  diff: number,
  version: string,
): BenchRow[] {
  const ratio = oursMs / scipyMs;
  return [
    {
      group,
      name: `${label}, scipy.stats.${scipyName}`,
      value: scipyMs,
      unit: 'ms',
      note: `scipy ${version}`,
    },
    {
      group,
      name: `${label}: time ours/scipy`,
      value: ratio,
      unit: 'ratio',
      ratio,
      note: `${ratio.toFixed(2)}× scipy's time (${ratio <= 1 ? 'as fast or faster' : 'SLOWER than scipy'}); |ours − scipy| = ${diff.toExponential(1)}`,
    },
  ];
}

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

  const suiteMs = medianMs(() => criteriaSuite(score, truth, { cost, classIds, bootstrap: false }), 5, 41);
  const tauBefore = medianMs(() => kendallTau(score, truth), WARMUP, ROUNDS);
  const rhoBefore = medianMs(() => spearman(score, truth), WARMUP, ROUNDS);
  const peer = timeScipy(score, truth);
  const fastMs = (tauBefore + medianMs(() => kendallTau(score, truth), WARMUP, ROUNDS)) / 2;
  const rhoMs = (rhoBefore + medianMs(() => spearman(score, truth), WARMUP, ROUNDS)) / 2;
  if (!peer.times) process.stderr.write(`bench: ${peer.why}; the scipy rows are left out\n`);
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
  const sp = peer.times;
  const noScipy = sp ? undefined : `no scipy ratio: ${peer.why}`;
  return [
    { group, name: 'whole criteria suite (no bootstrap)', value: suiteMs, unit: 'ms', budget: 15 },
    { group, name: 'Kendall τ-b, O(n log n)', value: fastMs, unit: 'ms', budget: 10, note: noScipy },
    ...(sp
      ? peerRows(
          group,
          'Kendall τ-b',
          'kendalltau',
          fastMs,
          sp.kendall_ms,
          Math.abs(kendallTau(score, truth) - sp.kendall),
          sp.scipy,
        )
      : []),
    { group, name: "Spearman's ρ", value: rhoMs, unit: 'ms', note: noScipy },
    ...(sp
      ? peerRows(
          group,
          "Spearman's ρ",
          'spearmanr',
          rhoMs,
          sp.spearman_ms,
          Math.abs(spearman(score, truth) - sp.spearman),
          sp.scipy,
        )
      : []),
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
