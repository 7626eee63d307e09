/**
 * Sample run directories for the report's tests and its documentation screenshot.
 *
 * - evaluate directories: REAL surgeries of free evaluators (FLOPs, 12-epoch validation accuracy, CIFAR-100
 *   accuracy) against the bundled NAS-Bench-201 ground truth, written exactly as `nas-surgery evaluate --out` writes them;
 * - predictors run, predictors search and one-shot curve directories: SYNTHETIC numbers (labelled "synthetic"), in
 *   the formats those commands write. The curve's criteria are the real criteria of synthetic scores (the truth plus
 *   noise that shrinks with the epoch), so every field is consistent; the predictor and search numbers are made up.
 *
 * Not part of the public API.
 */
import path from 'node:path';
import { loadGroundTruth, type GroundTruth } from '../benchmarks/ground-truth.js';
import { writeResultFiles } from '../io/atomic-write.js';
import { makeManifest } from '../io/manifest.js';
import { itemsCsv } from '../scores/items-csv.js';
import { evaluateArchScores, evaluateArchScoresDetailed } from '../surgery/evaluate.js';
import { freeEvaluatorScores, type FreeEvaluatorName } from '../surgery/free-evaluators.js';

/** JSON with NaN/±Infinity as null (as the CLI writes it). */
export function toReportJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n'
  );
}

/** A small seeded generator (mulberry32) for the synthetic numbers. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
function gaussian(r: () => number): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/**
 * Write an evaluate directory (real criteria on the bundled data) of a free evaluator, or of another truth used as
 * the evaluator (e.g. CIFAR-100 accuracy judged against CIFAR-10).
 */
export function writeFreeEvaluatorRun(
  dir: string,
  name: FreeEvaluatorName | `truth:${string}`,
  label: string,
  options: { gt?: GroundTruth; bootstrap?: number; truth?: string } = {},
): string {
  const gt = options.gt ?? loadGroundTruth();
  const scores = name.startsWith('truth:')
    ? {
        index: Int32Array.from({ length: gt.n }, (_, i) => i),
        score: Float64Array.from(gt.truth(name.slice('truth:'.length))),
        merged: 0,
      }
    : freeEvaluatorScores(name as FreeEvaluatorName, gt);
  const started = new Date();
  const truth = options.truth ?? 'cifar10';
  const bootstrap = options.bootstrap ? { resamples: options.bootstrap, seed: 0 } : false;
  const { result, aligned } = evaluateArchScoresDetailed(scores, {
    truth,
    mode: 'iso',
    bootstrap,
    groundTruth: gt,
  });
  const manifest = makeManifest({
    command: 'evaluate',
    config: { scores: name, truth, mode: 'iso', bootstrap, label },
    startedAt: started,
    timingsMs: {},
  });
  writeResultFiles(
    dir,
    {
      'criteria.json': toReportJson(result),
      'items.csv': itemsCsv(aligned),
      'manifest.json': toReportJson(manifest),
    },
    true,
  );
  return dir;
}

/**
 * Write a SYNTHETIC one-shot curve: at each epoch the scores are the class-mean truth plus Gaussian noise whose size
 * shrinks with the epoch (`noiseAt(epoch)`, in accuracy points), evaluated in deiso mode.
 */
export function writeSyntheticCurve(
  dir: string,
  o: { label: string; sampler?: string; epochs: number[]; noiseAt: (epoch: number) => number; seed: number },
  gt: GroundTruth = loadGroundTruth(),
): string {
  const iso = gt.iso();
  const truth = gt.classMeanTruth('cifar10');
  const reps = Int32Array.from(iso.representative);
  const points = o.epochs.map((epoch, e) => {
    const r = rng(o.seed * 1000 + e);
    const sigma = o.noiseAt(epoch);
    const score = Float64Array.from(reps, (_i, c) => truth[c] + sigma * gaussian(r));
    const criteria = evaluateArchScores(
      { index: reps, score, merged: 0 },
      { truth: 'cifar10', mode: 'deiso', bootstrap: false, groundTruth: gt },
    );
    // As a fraction, like a derive's accuracy; the within-class spread of isomorphic cells shrinks with the noise
    // towards the truth's floor (0.19 points, method §3).
    const meanAccuracy = score.reduce((a, v) => a + v, 0) / score.length / 100;
    const isoStd = (0.19 + sigma / 2) / 100;
    const iso = {
      members: 400,
      spread: { classes: 50, meanScoreStd: isoStd, meanRankStd: 40 * isoStd * 100 },
      truth: { classes: 50, meanScoreStd: 0.19, meanRankStd: 10 },
    };
    return { epoch, criteria, meanAccuracy, iso };
  });
  writeResultFiles(
    dir,
    { 'curve.json': toReportJson({ label: o.label, ...(o.sampler ? { sampler: o.sampler } : {}), points }) },
    true,
  );
  return dir;
}

const stat = (mean: number, std: number) => ({ mean, std, min: mean - 1.5 * std, max: mean + 1.5 * std });

/** Write a SYNTHETIC `predictors run` directory (summary.json in the format of src/runners/aggregate-runs.ts). */
export function writeSyntheticPredictorRun(dir: string, seed = 1): string {
  const r = rng(seed);
  const sizes = [39, 78, 390, 781];
  const settings = [
    { predictor: 'gates', loss: 'ranking', base: 0.62, slope: 0.06 },
    { predictor: 'lstm', loss: 'ranking', base: 0.45, slope: 0.08 },
    { predictor: 'mlp', loss: 'ranking', base: 0.4, slope: 0.08 },
    { predictor: 'gates', loss: 'regression', base: 0.45, slope: 0.07 },
  ];
  const rows = settings.flatMap((s) =>
    sizes.map((size, i) => {
      const tau = Math.min(0.9, s.base + s.slope * i + 0.01 * gaussian(r));
      const spread = s.loss === 'regression' ? 0.12 / (i + 1) : 0.03 / (i + 1);
      return {
        predictor: `${s.predictor} (synthetic)`,
        loss: s.loss,
        size,
        runs: 9,
        metrics: {
          kendall: stat(tau, spread),
          spearman: stat(Math.min(0.97, tau * 1.25), spread),
          p_top_1: stat(tau * 0.45, spread),
          p_top_5: stat(tau * 0.7, spread),
          p_bottom_5: stat(Math.min(0.95, tau * 1.1), spread),
          br_1: stat(0.04 * (1 - tau) ** 2, (0.01 * (1 - tau)) / (i + 1)),
          'br_0.1': stat(0.08 * (1 - tau) ** 2, (0.02 * (1 - tau)) / (i + 1)),
        },
        overSets: {
          kendall: { mean: tau, low: tau - 2.5 * spread, high: tau + 2.5 * spread, clusters: 3 },
        },
        fitSeconds: stat(2 + size / 40, 0.3),
      };
    }),
  );
  writeResultFiles(
    dir,
    {
      'summary.json': toReportJson(rows),
      'manifest.json': toReportJson({ command: 'predictors run', config: { synthetic: true } }),
    },
    true,
  );
  return dir;
}

/** Write a SYNTHETIC `predictors search` directory (stages.json in the format of src/runners/predictor-search.ts). */
export function writeSyntheticSearch(dir: string, predictor: string, strength: number, seed = 2): string {
  const r = rng(seed);
  const stages = [1, 2, 3, 4, 5].map((stage) => ({
    stage,
    queried: 78 * stage,
    precisionTop01: Math.min(1, 0.1 + strength * 0.12 * (stage - 1) + 0.03 * r()),
    precisionTop1: Math.min(1, 0.3 + strength * 0.1 * (stage - 1) + 0.03 * r()),
    kendall: 0.6 + 0.02 * stage * strength,
    bestTruth: 93.2 + Math.min(1.17, strength * 0.3 * (stage - 1) + 0.2 * r()),
    bestIndex: 1000 * stage + Math.floor(100 * r()),
    bestRank: 0.01 / stage ** (1 + strength),
    fitMs: 1500 * stage,
  }));
  writeResultFiles(
    dir,
    {
      'stages.json': toReportJson(stages),
      'manifest.json': toReportJson({
        command: 'predictors search',
        config: { predictor: `${predictor} (synthetic)`, loss: 'ranking', strategy: 'top', synthetic: true },
      }),
    },
    true,
  );
  return dir;
}

/** Every kind of run directory under `root`; returns the directories (evaluate ones first). */
export function writeSampleRunDirs(root: string, options: { bootstrap?: number } = {}): string[] {
  const gt = loadGroundTruth();
  const epochs = [20, 40, 80, 120, 160, 200, 300, 400, 600, 800, 1000];
  return [
    writeFreeEvaluatorRun(path.join(root, 'eval-flops'), 'flops', 'FLOPs', { gt, ...options }),
    writeFreeEvaluatorRun(
      path.join(root, 'eval-cifar100'),
      'truth:cifar100',
      'CIFAR-100 accuracy (proxy task)',
      {
        gt,
        ...options,
      },
    ),
    writeFreeEvaluatorRun(path.join(root, 'eval-hp12'), 'hp12-valid', '12-epoch validation accuracy', {
      gt,
      ...options,
    }),
    writeSyntheticCurve(
      path.join(root, 'curve-deiso'),
      {
        label: 'synthetic supernet (deiso)',
        sampler: 'deiso',
        epochs,
        noiseAt: (e) => 0.9 + 40 / (1 + e / 25),
        seed: 1,
      },
      gt,
    ),
    writeSyntheticCurve(
      path.join(root, 'curve-uniform'),
      {
        label: 'synthetic supernet (uniform)',
        sampler: 'uniform',
        epochs,
        noiseAt: (e) => 1.6 + 40 / (1 + e / 20),
        seed: 2,
      },
      gt,
    ),
    writeSyntheticPredictorRun(path.join(root, 'predictors-synthetic')),
    writeSyntheticSearch(path.join(root, 'search-gates-synthetic'), 'gates', 1),
    writeSyntheticSearch(path.join(root, 'search-lstm-synthetic'), 'lstm', 0.6, 3),
    writeSyntheticZeroshotRun(path.join(root, 'zeroshot-synthetic')),
  ];
}

/** Write a SYNTHETIC `zeroshot score` directory (zeroshot.json in the format of src/cli/zeroshot-command.ts). */
export function writeSyntheticZeroshotRun(dir: string, seed = 4): string {
  const r = rng(seed);
  const names = ['synflow', 'jacob_cov', 'snip', 'relu_logdet', 'grasp', 'vote_paper', 'flops', 'params'];
  const rows = names.map((name, k) => {
    const tau = 0.6 - 0.08 * k + 0.02 * gaussian(r);
    return {
      evaluator: `${name} (synthetic)`,
      n: 500,
      nonFinite: name === 'jacob_cov' ? 3 : 0,
      kendall: tau,
      spearman: Math.min(0.95, tau * 1.3),
      p_top_1: null,
      p_top_5: Math.max(0, tau * 0.6),
      p_top_10: Math.max(0, tau * 0.7),
      br_1: 0.01 * (1 - tau),
      br_5: 0.002 * (1 - tau),
    };
  });
  writeResultFiles(
    dir,
    {
      'zeroshot.json': toReportJson(rows),
      'manifest.json': toReportJson({ command: 'zeroshot score', config: { synthetic: true } }),
    },
    true,
  );
  return dir;
}
