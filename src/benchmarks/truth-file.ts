/**
 * A benchmark given as a file (`evaluate --truth-file`): any search space, ids as opaque strings. A CSV or JSON
 * table (or a NASLib zc file) with an id column, a truth column (higher = better), optional cost columns (for the
 * cost-group analysis) and an optional class column (for isomorphism-style groups). Rows keep the file's order,
 * which breaks ties in every rank criterion.
 */
import path from 'node:path';
import { InputError } from '../io/input-error.js';
import {
  finiteCell,
  looksLikeJson,
  readInputText,
  readTable,
  type Table,
  type TableRow,
} from '../io/read-table.js';
import { NASLIB_TRUTH_KEY, readNaslibZc } from './naslib-zc.js';

/** How a score or truth file is laid out: a table (CSV, JSON array), a NASLib zc file, or `auto` (by content). */
export type TableFormat = 'auto' | 'table' | 'naslib-zc';
export const TABLE_FORMATS: readonly TableFormat[] = ['auto', 'table', 'naslib-zc'];

export interface TruthFileOptions {
  /** Column with each architecture's id (default `arch`). */
  idColumn?: string;
  /** Column with the truth (default `truth`; `val_accuracy` in a NASLib zc file). */
  truthColumn?: string;
  /** Cost columns, each giving a cost-group analysis. */
  costColumns?: readonly string[];
  /** Column naming each architecture's class (isomorphism-style groups). */
  classColumn?: string;
  /** Duplicate ids: an error (default) or averaged (truth and costs; the class must agree). */
  dedupe?: 'error' | 'mean';
  format?: TableFormat;
  /** The task of a NASLib zc file. */
  task?: string;
  /** Name of the benchmark in summaries and reports (default: the file's name without its extension). */
  name?: string;
}

export interface TruthFileBenchmark {
  name: string;
  file: string;
  idColumn: string;
  truthColumn: string;
  /** Ids in file order (after merging duplicates, the first appearance's position). */
  ids: string[];
  truth: Float64Array;
  costs: { name: string; values: Float64Array }[];
  /** Class of each item (0-based, in order of first appearance) and the class names; null without a class column. */
  classes: { column: string; of: Int32Array; names: string[] } | null;
  /** Position of each id. */
  rowOf: Map<string, number>;
  /** Rows read and rows merged by `dedupe: 'mean'`. */
  rows: { read: number; merged: number };
}

/** The format of a file: as given, or with `auto` a NASLib zc file when it is a JSON object, else a table. */
export function resolveFormat(file: string, format: TableFormat, what: string): Exclude<TableFormat, 'auto'> {
  if (format !== 'auto') return format;
  const text = readInputText(file, what);
  if (!looksLikeJson(file, text) || !/^\s*\{/.test(text)) return 'table';
  // A zc file: {task: {arch: {proxy: …}}}. Any other JSON is read as a table (and rejected there if not an array).
  try {
    const task = Object.values(JSON.parse(text) as object)[0] as unknown;
    const arch = isObject(task) ? Object.values(task)[0] : undefined;
    return isObject(arch) ? 'naslib-zc' : 'table';
  } catch {
    return 'table';
  }
}

const isObject = (v: unknown): v is object => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Read a table in the given format (a NASLib zc file needs its task). */
export function readTableFile(
  file: string,
  format: Exclude<TableFormat, 'auto'>,
  task: string | undefined,
  what: string,
): Table {
  return format === 'naslib-zc' ? readNaslibZc(file, task) : readTable(file, what);
}

/** Check that `columns` are all in the table: an error on line 1 naming the missing one and the available ones. */
export function requireColumns(table: Table, columns: readonly string[], flag: (c: string) => string): void {
  for (const c of columns) {
    if (!table.columns.includes(c)) {
      throw new InputError(
        `${table.file}:1: no column '${c}' (${flag(c)}; columns: ${table.columns.join(', ')})`,
      );
    }
  }
}

/** Read a truth file into a benchmark; every problem is an {@link InputError} naming the file and line. */
export function loadTruthFile(file: string, options: TruthFileOptions = {}): TruthFileBenchmark {
  const format = resolveFormat(file, options.format ?? 'auto', 'truth file');
  const table = readTableFile(file, format, options.task, 'truth file');
  const idColumn = options.idColumn ?? 'arch';
  const truthColumn = options.truthColumn ?? (format === 'naslib-zc' ? NASLIB_TRUTH_KEY : 'truth');
  const costColumns = [...new Set(options.costColumns ?? [])];
  const classColumn = options.classColumn;
  requireColumns(table, [idColumn], () => 'the id column, --id-column');
  requireColumns(table, [truthColumn], () => 'the truth column, --truth-column');
  requireColumns(table, costColumns, () => 'a cost column, --cost-column');
  if (classColumn !== undefined)
    requireColumns(table, [classColumn], () => 'the class column, --class-column');

  const dedupe = options.dedupe ?? 'error';
  const rowOf = new Map<string, number>();
  const firstWhere: string[] = [];
  const ids: string[] = [];
  const sum: number[] = [];
  const costSum: number[][] = costColumns.map(() => []);
  const count: number[] = [];
  const classOfRow: string[] = [];
  for (const row of table.rows) {
    const id = idOf(row, idColumn);
    const truth = numberCell(row, truthColumn, 'truth');
    const costs = costColumns.map((c) => numberCell(row, c, 'cost'));
    const cls = classColumn === undefined ? '' : textCell(row, classColumn, 'class');
    const at = rowOf.get(id);
    if (at === undefined) {
      rowOf.set(id, ids.length);
      ids.push(id);
      firstWhere.push(row.where);
      sum.push(truth);
      costs.forEach((v, j) => costSum[j].push(v));
      count.push(1);
      classOfRow.push(cls);
    } else if (dedupe === 'mean') {
      if (cls !== classOfRow[at]) {
        throw new InputError(
          `${row.where}: id '${id}' is in class '${cls}' here and '${classOfRow[at]}' at ${firstWhere[at]}`,
        );
      }
      sum[at] += truth;
      costs.forEach((v, j) => (costSum[j][at] += v));
      count[at]++;
    } else {
      throw new InputError(
        `${row.where}: id '${id}' appears again (first at ${firstWhere[at]}); use --dedupe mean to average duplicates`,
      );
    }
  }
  if (ids.length < 2)
    throw new InputError(`${file}: the truth needs at least 2 architectures, found ${ids.length}`);
  let classes: TruthFileBenchmark['classes'] = null;
  if (classColumn !== undefined) {
    const names: string[] = [];
    const idOfName = new Map<string, number>();
    const of = Int32Array.from(classOfRow, (c) => {
      let k = idOfName.get(c);
      if (k === undefined) {
        k = names.length;
        idOfName.set(c, k);
        names.push(c);
      }
      return k;
    });
    classes = { column: classColumn, of, names };
  }
  return {
    name: options.name ?? path.basename(file).replace(/\.(csv|json|tsv)$/i, ''),
    file,
    idColumn,
    truthColumn,
    ids,
    truth: Float64Array.from(sum, (v, k) => v / count[k]),
    costs: costColumns.map((name, j) => ({
      name,
      values: Float64Array.from(costSum[j], (v, k) => v / count[k]),
    })),
    classes,
    rowOf,
    rows: { read: table.rows.length, merged: table.rows.length - ids.length },
  };
}

/** The id of a row: its text as written (ids are opaque); an error when it is missing or blank. */
export function idOf(row: TableRow, column: string): string {
  const id = row.cells[column];
  if (id === undefined || id.trim() === '')
    throw new InputError(`${row.where}: missing id in column '${column}'`);
  return id;
}

function textCell(row: TableRow, column: string, what: string): string {
  const v = row.cells[column];
  if (v === undefined || v.trim() === '')
    throw new InputError(`${row.where}: missing ${what} in column '${column}'`);
  return v;
}

/** A numeric cell (truth, cost or score); an error naming the row when it is missing or not a finite number. */
export function numberCell(row: TableRow, column: string, what: string): number {
  const raw = row.cells[column];
  if (raw === undefined || raw.trim() === '') {
    throw new InputError(
      `${row.where}: ${raw === undefined ? 'missing' : 'empty'} ${what} in column '${column}'`,
    );
  }
  const v = finiteCell(raw);
  if (v === undefined) {
    throw new InputError(`${row.where}: ${what} '${raw}' in column '${column}' is not a finite number`);
  }
  return v;
}
