import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from './input-error.js';

/** One row of a table file: where it came from (for messages) and its cells as text (absent = missing). */
export interface TableRow {
  /** `file:line` (CSV) or `file: [i]` (JSON), or a key path for nested formats. */
  where: string;
  cells: Record<string, string | undefined>;
}

/** A file read as a table: column names in file order and the rows in file order. */
export interface Table {
  file: string;
  columns: string[];
  rows: TableRow[];
}

/** Read the text of an input file; an {@link InputError} naming it when it cannot be read or is blank. */
export function readInputText(file: string, what: string): string {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read ${what} (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  if (text.trim().length === 0) throw new InputError(`${file}: the file is empty`);
  return text;
}

/** True when a file is to be read as JSON: its extension is `.json`, or its first non-blank character opens one. */
export function looksLikeJson(file: string, text: string): boolean {
  return path.extname(file).toLowerCase() === '.json' || /^\s*[[{]/.test(text);
}

/**
 * Read a CSV (with a header; quoted fields may hold commas, quotes and newlines) or a JSON array of flat objects
 * (numbers and strings; `null` is a missing cell) as a {@link Table}. A header-only CSV or an empty array is an
 * error, as is a JSON value nested inside a row.
 */
export function readTable(file: string, what = 'table'): Table {
  const text = readInputText(file, what);
  const noun = what.replace(/ file$/, '');
  return looksLikeJson(file, text) ? parseJsonTable(text, file) : parseCsvTable(text, file, noun);
}

export function parseCsvTable(text: string, file: string, noun = 'table'): Table {
  let records: { record: Record<string, string>; info: { lines: number } }[];
  let header: string[];
  try {
    header = (parse(text, { bom: true, to_line: 1, trim: true }) as string[][])[0] ?? [];
    records = parse(text, { columns: true, bom: true, info: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new InputError(`${file}${err.lines ? `:${err.lines}` : ''}: invalid CSV (${err.message})`);
  }
  const seen = new Set<string>();
  for (const h of header) {
    if (seen.has(h)) throw new InputError(`${file}:1: column '${h}' appears twice in the header`);
    seen.add(h);
  }
  if (records.length === 0) throw new InputError(`${file}: no ${noun} rows after the header`);
  return {
    file,
    columns: header,
    rows: records.map(({ record, info }) => ({ where: `${file}:${info.lines}`, cells: record })),
  };
}

export function parseJsonTable(text: string, file: string): Table {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data)) throw new InputError(`${file}: expected a JSON array of objects, one per row`);
  if (data.length === 0) throw new InputError(`${file}: the array is empty`);
  const columns: string[] = [];
  const known = new Set<string>();
  const rows = data.map((item, i): TableRow => {
    const where = `${file}: [${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new InputError(`${where}: expected an object (one row)`);
    }
    const cells: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(item as Record<string, unknown>)) {
      if (!known.has(key)) {
        known.add(key);
        columns.push(key);
      }
      cells[key] = jsonCell(value, `${where}.${key}`);
    }
    return { where, cells };
  });
  return { file, columns, rows };
}

/** A JSON value as cell text: numbers and strings as they are, null as missing; anything else is an error. */
export function jsonCell(value: unknown, where: string): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
    return String(value);
  throw new InputError(
    `${where}: expected a number or a string, found ${Array.isArray(value) ? 'an array' : 'an object'}`,
  );
}

/** Cell text as a finite number, or undefined when it is missing, blank or not a finite number. */
export function finiteCell(raw: string | undefined): number | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const v = Number(raw);
  return Number.isFinite(v) ? v : undefined;
}

/** Columns of `table` whose every cell is a finite number (candidates for `--score-column all`). */
export function numericColumns(
  table: Table,
  exclude: ReadonlySet<string>,
): { numeric: string[]; other: string[] } {
  const numeric: string[] = [];
  const other: string[] = [];
  for (const c of table.columns) {
    if (exclude.has(c)) continue;
    (table.rows.every((r) => finiteCell(r.cells[c]) !== undefined) ? numeric : other).push(c);
  }
  return { numeric, other };
}
