/**
 * `evaluate` over a score table: one or many score columns (evaluators), judged against a bundled NB201 truth or
 * against a truth file (any benchmark). The score file may be a CSV, a JSON array or a NASLib zc file; it may be the
 * truth file itself.
 */
import { loadGroundTruth, type EvalMode } from '../benchmarks/ground-truth.js';
import { NASLIB_KEY_COLUMN, NASLIB_TRUTH_KEY, naslibKeyToArch } from '../benchmarks/naslib-zc.js';
import {
  idOf,
  loadTruthFile,
  numberCell,
  readTableFile,
  resolveFormat,
  type TableFormat,
  type TruthFileBenchmark,
  type TruthFileOptions,
} from '../benchmarks/truth-file.js';
import { InputError } from '../io/input-error.js';
import type { Table } from '../io/read-table.js';
import type { AlignedScores } from '../scores/align-to-truth.js';
import type { RawScore } from '../scores/read-score-file.js';
import { resolveScores, type DedupePolicy } from '../scores/resolve-scores.js';
import { chooseScoreColumns } from '../scores/score-columns.js';
import { formatArch } from '../space/arch-string.js';
import { evaluateArchScoresDetailed, type EvaluationResult } from './evaluate.js';
import { evaluateAgainstTruthFile, type IdScore } from './evaluate-truth-file.js';

export interface TableEvaluateOptions {
  scoresFile: string;
  /** Layout of the score file (default `auto`). */
  format?: TableFormat;
  /** Task of a NASLib zc file. */
  task?: string;
  /** `--score-column`: a name, a comma list or `all` (default `score`). */
  scoreColumn?: string;
  /** Id column of the scores (and the truth file). Default: `arch` (NB201 also reads `arch_str` and `index`). */
  idColumn?: string;
  lowerIsBetter?: boolean;
  dedupe?: DedupePolicy;
  mode?: EvalMode;
  bootstrap?: { resamples: number; seed: number } | false;
  /** A bundled NB201 truth (default `cifar10`), used when `truthFile` is absent. */
  truth?: string;
  /** A benchmark as a file: judged by exact id. */
  truthFile?: Omit<TruthFileOptions, 'idColumn' | 'dedupe'> & { file: string };
}

export interface ColumnEvaluation {
  column: string;
  result: EvaluationResult;
  aligned: AlignedScores;
}

export interface TableEvaluation {
  evaluations: ColumnEvaluation[];
  /** Non-numeric columns that `--score-column all` passed over. */
  skipped: string[];
  /** The truth file's benchmark, or null for a bundled truth. */
  benchmark: TruthFileBenchmark | null;
  /** Rows in the score file. */
  rows: number;
}

/** Evaluate every chosen score column of a score file; see the module comment. */
export function evaluateTable(o: TableEvaluateOptions): TableEvaluation {
  const format = resolveFormat(o.scoresFile, o.format ?? 'auto', 'score file');
  const table = readTableFile(o.scoresFile, format, o.task, 'score file');
  const sign = o.lowerIsBetter ? -1 : 1;
  const spec = o.scoreColumn ?? 'score';
  if (o.truthFile) {
    const idColumn = o.idColumn ?? (format === 'naslib-zc' ? NASLIB_KEY_COLUMN : 'arch');
    const bench = loadTruthFile(o.truthFile.file, { ...o.truthFile, idColumn, dedupe: o.dedupe });
    if (!table.columns.includes(idColumn)) {
      throw new InputError(
        `${o.scoresFile}:1: no id column '${idColumn}' (columns: ${table.columns.join(', ')}); name it with --id-column`,
      );
    }
    const exclude = new Set([idColumn, bench.truthColumn]);
    if (bench.classes) exclude.add(bench.classes.column);
    if (format === 'naslib-zc') exclude.add(NASLIB_TRUTH_KEY);
    const choice = chooseScoreColumns(table, spec, exclude);
    const ids = table.rows.map((r) => idOf(r, idColumn));
    const evaluations = choice.columns.map((column) => {
      const scores: IdScore[] = table.rows.map((r, k) => ({
        where: r.where,
        id: ids[k],
        score: sign * numberCell(r, column, 'score'),
      }));
      const { result, aligned } = evaluateAgainstTruthFile(scores, bench, {
        mode: o.mode,
        bootstrap: o.bootstrap,
        dedupe: o.dedupe,
        scoresFile: o.scoresFile,
      });
      return { column, result, aligned };
    });
    return { evaluations, skipped: choice.skipped, benchmark: bench, rows: table.rows.length };
  }

  const ids = nb201Ids(table, format, o.idColumn);
  const exclude = new Set([ids.arch, ids.index].filter((c): c is string => c !== undefined));
  if (format === 'naslib-zc') exclude.add(NASLIB_TRUTH_KEY);
  const choice = chooseScoreColumns(table, spec, exclude);
  const gt = loadGroundTruth();
  const base = table.rows.map((r) => {
    let arch = ids.arch === undefined ? undefined : r.cells[ids.arch];
    if (format === 'naslib-zc' && arch !== undefined) {
      try {
        arch = formatArch(naslibKeyToArch(arch));
      } catch (e) {
        throw new InputError(`${r.where}: ${(e as Error).message}`);
      }
    }
    return { where: r.where, arch, index: ids.index === undefined ? undefined : r.cells[ids.index] };
  });
  const evaluations = choice.columns.map((column) => {
    const rows: RawScore[] = table.rows.map((r, k) => ({
      ...base[k],
      score: sign * numberCell(r, column, 'score'),
    }));
    const { result, aligned } = evaluateArchScoresDetailed(
      resolveScores(rows, gt, o.dedupe ?? 'error'),
      { truth: o.truth, mode: o.mode, bootstrap: o.bootstrap },
      rows.length,
    );
    return { column, result, aligned };
  });
  return { evaluations, skipped: choice.skipped, benchmark: null, rows: table.rows.length };
}

/** The NB201 id columns of a score table: the arch string column and/or the index column. */
function nb201Ids(
  table: Table,
  format: string,
  idColumn: string | undefined,
): { arch?: string; index?: string } {
  const has = (c: string) => table.columns.includes(c);
  if (idColumn !== undefined) {
    if (!has(idColumn)) {
      throw new InputError(
        `${table.file}:1: no id column '${idColumn}' (columns: ${table.columns.join(', ')})`,
      );
    }
    return idColumn === 'index'
      ? { index: idColumn }
      : { arch: idColumn, index: has('index') ? 'index' : undefined };
  }
  if (format === 'naslib-zc') return { arch: NASLIB_KEY_COLUMN };
  const arch = has('arch') ? 'arch' : has('arch_str') ? 'arch_str' : undefined;
  const index = has('index') ? 'index' : undefined;
  if (!arch && !index) {
    throw new InputError(
      `${table.file}:1: the header needs an 'arch' or 'index' column (found: ${table.columns.join(', ')})`,
    );
  }
  return { arch, index };
}
