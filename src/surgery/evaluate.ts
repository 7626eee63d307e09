import { loadGroundTruth, type EvalMode, type GroundTruth, EVAL_MODES } from '../benchmarks/ground-truth.js';
import { InputError } from '../io/input-error.js';
import { criteriaSuite, type CriteriaSuiteResult, type FlopsGroup } from '../metrics/suite.js';
import { isoSpread, type IsoSpread } from '../metrics/iso-spread.js';
import { formatArch } from '../space/arch-string.js';
import type { Arch } from '../space/arch.js';
import { alignToTruth, type AlignedScores } from '../scores/align-to-truth.js';
import { readScoreFile, type RawScore } from '../scores/read-score-file.js';
import { resolveScores, type ArchScores, type DedupePolicy } from '../scores/resolve-scores.js';
import { isTruthName, TRUTH_NAMES } from '../benchmarks/truth-names.js';

export interface EvaluateOptions {
  /** Ground truth name (default `cifar10`). */
  truth?: string;
  /** Comparison mode (default `iso`). */
  mode?: EvalMode;
  /** Bootstrap 95% intervals for τ and P@top5%; false disables. Default 200 resamples, seed 0. */
  bootstrap?: { resamples: number; seed: number } | false;
  /** Duplicate architectures: an error (default) or averaged. */
  dedupe?: DedupePolicy;
  /** Ground truth to use (default: the bundled NAS-Bench-201 table). */
  groundTruth?: GroundTruth;
}

/** The bundled benchmark's name in results. */
export const NB201_BENCHMARK = 'NAS-Bench-201';

export const DEFAULT_BOOTSTRAP = { resamples: 200, seed: 0 } as const;

/** The surgery of one evaluator: every criterion plus what was compared. */
export interface EvaluationResult extends Omit<CriteriaSuiteResult, 'isoSpread'> {
  /** The benchmark judged against: `NAS-Bench-201`, or a truth file's name (`--benchmark-name`). */
  benchmark: string;
  mode: EvalMode;
  /** The truth: a bundled truth's name, or a truth file's truth column. */
  truth: string;
  /** Items scored out of the mode's total (architectures for iso, classes otherwise). */
  coverage: { covered: number; total: number; fraction: number };
  /** Rows merged as duplicates (`dedupe: 'mean'`) and rows a deiso comparison did not use. */
  rows: { read: number; merged: number; unused: number; unmatched?: number };
  /**
   * Within-class spread of the scores over classes with ≥ 2 scored architectures (per-architecture rows); null
   * when the benchmark has no classes (a truth file without a class column).
   */
  isoSpread: IsoSpread | null;
  /** Within-class spread of the ground truth over the same architectures: the floor for `isoSpread`. */
  isoSpreadTruth: IsoSpread | null;
  /**
   * A truth file's cost-group analyses, one per cost column (the first is also `flopsGroups`); absent for NB201,
   * whose one cost is FLOPs. An empty array: the file has no cost column.
   */
  costGroups?: { cost: string; groups: FlopsGroup[] }[];
  /** A truth file's rows: read, and merged as duplicates by `dedupe: 'mean'` (absent for NB201). */
  truthRows?: { read: number; merged: number };
  /** The truth file's class column (absent for NB201 and without classes). */
  classColumn?: string;
}

/** One in-memory score: an architecture (string, Arch or NB201 index) and its score (higher = better). */
export interface ScoreEntry {
  arch?: string | Arch;
  index?: number;
  score: number;
}

/**
 * Evaluate scores given to NAS-Bench-201 architectures against the ground truth with the whole criteria suite.
 * `evaluate([{ arch: '|nor_conv_3x3~0|+…', score: 0.9 }, …], { truth: 'cifar10', mode: 'iso' })`
 */
export function evaluate(entries: readonly ScoreEntry[], options: EvaluateOptions = {}): EvaluationResult {
  const rows: RawScore[] = entries.map((e, i) => {
    const where = `scores[${i}]`;
    if (typeof e.score !== 'number' || !Number.isFinite(e.score)) {
      throw new InputError(`${where}.score must be a finite number, found ${e.score}`);
    }
    return {
      where,
      arch: e.arch === undefined ? undefined : typeof e.arch === 'string' ? e.arch : formatArch(e.arch),
      index: e.index === undefined ? undefined : String(e.index),
      score: e.score,
    };
  });
  return evaluateRows(rows, options);
}

/** Read a CSV or JSON score file and evaluate it (see {@link readScoreFile} for the formats). */
export function evaluateScoreFile(
  file: string,
  options: EvaluateOptions & { scoreColumn?: string } = {},
): EvaluationResult {
  checkOptions(options);
  return evaluateRows(readScoreFile(file, { scoreColumn: options.scoreColumn }), options);
}

export function evaluateRows(rows: readonly RawScore[], options: EvaluateOptions = {}): EvaluationResult {
  checkOptions(options);
  if (rows.length === 0) throw new InputError('no scores to evaluate');
  const gt = options.groundTruth ?? loadGroundTruth();
  return evaluateArchScores(resolveScores(rows, gt, options.dedupe ?? 'error'), options, rows.length);
}

/** Evaluate scores already keyed by NB201 index. */
export function evaluateArchScores(
  scores: ArchScores,
  options: EvaluateOptions = {},
  read?: number,
): EvaluationResult {
  return evaluateArchScoresDetailed(scores, options, read).result;
}

/** {@link evaluateArchScores}, also returning the aligned items (score, truth, FLOPs per compared item). */
export function evaluateArchScoresDetailed(
  scores: ArchScores,
  options: EvaluateOptions = {},
  read?: number,
): { result: EvaluationResult; aligned: AlignedScores } {
  checkOptions(options);
  const gt = options.groundTruth ?? loadGroundTruth();
  const mode = options.mode ?? 'iso';
  const truthName = options.truth ?? 'cifar10';
  const aligned = alignToTruth(scores, gt, mode, truthName);
  const bootstrap = options.bootstrap === undefined ? DEFAULT_BOOTSTRAP : options.bootstrap;
  const criteria = criteriaSuite(aligned.score, aligned.truth, { cost: aligned.flops, bootstrap });
  const classOf = gt.iso().classOf;
  // Per-architecture rows in NB201 index order, so that tied ranks never depend on the file's row order.
  const order = Array.from(scores.index.keys()).sort((a, b) => scores.index[a] - scores.index[b]);
  const classIds = Int32Array.from(order, (k) => classOf[scores.index[k]]);
  const truthAll = gt.truth(truthName);
  const perArchScore = Float64Array.from(order, (k) => scores.score[k]);
  const perArchTruth = Float64Array.from(order, (k) => truthAll[scores.index[k]]);
  const { n, ...rest } = criteria;
  const result: EvaluationResult = {
    n,
    benchmark: NB201_BENCHMARK,
    mode,
    truth: truthName,
    coverage: { covered: aligned.n, total: aligned.total, fraction: aligned.n / aligned.total },
    rows: { read: read ?? scores.index.length, merged: scores.merged, unused: aligned.unused },
    ...rest,
    isoSpread: isoSpread(perArchScore, classIds),
    isoSpreadTruth: isoSpread(perArchTruth, classIds),
  };
  return { result, aligned };
}

function checkOptions(options: EvaluateOptions): void {
  if (options.truth !== undefined && !isTruthName(options.truth)) {
    throw new InputError(`unknown truth '${options.truth}' (available: ${TRUTH_NAMES.join(', ')})`);
  }
  if (options.mode !== undefined && !(EVAL_MODES as readonly string[]).includes(options.mode)) {
    throw new InputError(`unknown mode '${options.mode}' (available: ${EVAL_MODES.join(', ')})`);
  }
}
