import type { EvalMode } from '../benchmarks/ground-truth.js';
import type { TruthFileBenchmark } from '../benchmarks/truth-file.js';
import { InputError } from '../io/input-error.js';
import { rankDiffByCostGroup } from '../metrics/cost-groups.js';
import { isoSpread } from '../metrics/iso-spread.js';
import { criteriaSuite } from '../metrics/suite.js';
import type { AlignedScores } from '../scores/align-to-truth.js';
import type { DedupePolicy } from '../scores/resolve-scores.js';
import { DEFAULT_BOOTSTRAP, type EvaluationResult } from './evaluate.js';

/** One score keyed by an opaque id, as read from a score file. */
export interface IdScore {
  /** `file:line`, for messages. */
  where: string;
  id: string;
  score: number;
}

export interface TruthFileEvaluateOptions {
  /** `iso` (default): every scored item; `deiso` / `post-deiso` need the benchmark's classes (as for NB201). */
  mode?: EvalMode;
  bootstrap?: { resamples: number; seed: number } | false;
  /** Duplicate score ids: an error (default) or averaged. */
  dedupe?: DedupePolicy;
  /** The score file, for the coverage message. */
  scoresFile?: string;
}

/**
 * Judge scores keyed by id against a truth file: an exact-id join, items in the truth file's row order (so its
 * order breaks ties), every criterion, a cost-group analysis per cost column and the within-class spread when the
 * benchmark has classes. Score ids absent from the truth are counted (`rows.unmatched`); fewer than 2 matched is an
 * error naming an example.
 */
export function evaluateAgainstTruthFile(
  scores: readonly IdScore[],
  bench: TruthFileBenchmark,
  options: TruthFileEvaluateOptions = {},
): { result: EvaluationResult; aligned: AlignedScores } {
  const mode = options.mode ?? 'iso';
  const dedupe = options.dedupe ?? 'error';
  const nRows = bench.ids.length;
  // Per truth row: the sum and count of its scores.
  const sum = new Float64Array(nRows);
  const count = new Int32Array(nRows);
  const firstWhere = new Map<number, string>();
  let unmatched = 0;
  let example: IdScore | undefined;
  for (const s of scores) {
    const row = bench.rowOf.get(s.id);
    if (row === undefined) {
      unmatched++;
      example ??= s;
      continue;
    }
    if (count[row] > 0 && dedupe !== 'mean') {
      throw new InputError(
        `${s.where}: id '${s.id}' appears again (first at ${firstWhere.get(row)}); use --dedupe mean to average duplicates`,
      );
    }
    if (count[row] === 0) firstWhere.set(row, s.where);
    sum[row] += s.score;
    count[row]++;
  }
  const matchedRows: number[] = [];
  for (let r = 0; r < nRows; r++) if (count[r] > 0) matchedRows.push(r);
  const merged = scores.length - unmatched - matchedRows.length;
  if (matchedRows.length < 2) {
    const from = options.scoresFile ? `${options.scoresFile}: ` : '';
    throw new InputError(
      `${from}only ${matchedRows.length} of ${scores.length} score ids are in the truth file ${bench.file}` +
        (example ? ` (e.g. '${example.id}' at ${example.where} is not)` : '') +
        `; need at least 2 (ids are matched exactly, column '${bench.idColumn}')`,
    );
  }
  const rowScore = (r: number) => sum[r] / count[r];

  let items: number[]; // truth rows standing for the compared items
  let itemScore: Float64Array;
  let itemTruth: Float64Array;
  let total: number;
  if (mode === 'iso') {
    items = matchedRows;
    itemScore = Float64Array.from(items, rowScore);
    itemTruth = Float64Array.from(items, (r) => bench.truth[r]);
    total = nRows;
  } else {
    const classes = bench.classes;
    if (!classes) {
      throw new InputError(
        `--mode ${mode} needs classes: give the truth file's class column with --class-column`,
      );
    }
    const numClasses = classes.names.length;
    const first = new Int32Array(numClasses).fill(-1); // the class's first row in the file: its representative
    const truthSum = new Float64Array(numClasses);
    const members = new Int32Array(numClasses);
    for (let r = 0; r < nRows; r++) {
      const c = classes.of[r];
      if (first[c] < 0) first[c] = r;
      truthSum[c] += bench.truth[r];
      members[c]++;
    }
    // deiso: the scored member first in the file; post-deiso: the mean over the scored members.
    const chosen = new Int32Array(numClasses).fill(-1);
    const scoreSum = new Float64Array(numClasses);
    const scored = new Int32Array(numClasses);
    for (const r of matchedRows) {
      const c = classes.of[r];
      if (chosen[c] < 0) chosen[c] = r;
      scoreSum[c] += rowScore(r);
      scored[c]++;
    }
    const cls: number[] = [];
    for (let c = 0; c < numClasses; c++) if (scored[c] > 0) cls.push(c);
    if (cls.length < 2)
      throw new InputError(`only ${cls.length} class is scored; --mode ${mode} needs at least 2`);
    items = cls.map((c) => first[c]);
    itemScore = Float64Array.from(cls, (c) =>
      mode === 'deiso' ? rowScore(chosen[c]) : scoreSum[c] / scored[c],
    );
    itemTruth = Float64Array.from(cls, (c) => truthSum[c] / members[c]);
    total = numClasses;
  }
  const n = items.length;
  const costs = bench.costs.map((c) => ({
    name: c.name,
    values: Float64Array.from(items, (r) => c.values[r]),
  }));
  const bootstrap = options.bootstrap === undefined ? DEFAULT_BOOTSTRAP : options.bootstrap;
  const criteria = criteriaSuite(itemScore, itemTruth, { cost: costs[0]?.values, bootstrap });
  const costGroups = costs.map((c, j) => ({
    cost: c.name,
    groups:
      j === 0
        ? criteria.flopsGroups!
        : rankDiffByCostGroup(itemScore, itemTruth, c.values).map((g) => ({
            flopsMin: g.costMin,
            flopsMax: g.costMax,
            size: g.size,
            meanRankDiff: g.meanRankDiff,
            kendall: g.kendall,
          })),
  }));
  let spread: EvaluationResult['isoSpread'] = null;
  let spreadTruth: EvaluationResult['isoSpreadTruth'] = null;
  if (bench.classes) {
    const classIds = Int32Array.from(matchedRows, (r) => bench.classes!.of[r]);
    spread = isoSpread(Float64Array.from(matchedRows, rowScore), classIds);
    spreadTruth = isoSpread(
      Float64Array.from(matchedRows, (r) => bench.truth[r]),
      classIds,
    );
  }
  const { n: _n, ...rest } = criteria;
  const result: EvaluationResult = {
    n,
    benchmark: bench.name,
    mode,
    truth: bench.truthColumn,
    coverage: { covered: n, total, fraction: n / total },
    rows: {
      read: scores.length,
      merged,
      unused: mode === 'deiso' ? matchedRows.length - n : 0,
      unmatched,
    },
    ...rest,
    isoSpread: spread,
    isoSpreadTruth: spreadTruth,
    costGroups,
    truthRows: bench.rows,
    ...(bench.classes ? { classColumn: bench.classes.column } : {}),
  };
  const aligned: AlignedScores = {
    mode,
    truthName: bench.truthColumn,
    n,
    total,
    score: itemScore,
    truth: itemTruth,
    flops: costs[0]?.values ?? new Float64Array(n).fill(NaN),
    index: Int32Array.from(items),
    unused: result.rows.unused,
    ids: items.map((r) => bench.ids[r]),
    costs,
  };
  return { result, aligned };
}
