import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { InputError } from '../io/input-error.js';

/** One score as read from a file, before the architecture is resolved. */
export interface RawScore {
  /** Where it came from, for messages: `file:line` (CSV) or `file: [i]` (JSON). */
  where: string;
  arch?: string;
  index?: string;
  score: number;
}

export interface ReadScoreOptions {
  /** Column (CSV) or key (JSON) holding the score. Default `score`. */
  scoreColumn?: string;
  /**
   * Read only which architectures the file lists (an architecture list, e.g. for derive): no score column is
   * needed, and every score reads as 0.
   */
  architecturesOnly?: boolean;
}

/**
 * Read a score file: CSV with a header (an `arch` (or `arch_str`) and/or `index` column and a score column; extra
 * columns allowed) or
 * JSON (an array of `{ arch | index, score }` objects). The format follows the extension (`.json` → JSON), else the
 * first non-blank character. Every problem is an {@link InputError} naming the file and line or element.
 */
export function readScoreFile(file: string, options: ReadScoreOptions = {}): RawScore[] {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new InputError(`${file}: cannot read score file (${code === 'ENOENT' ? 'no such file' : code})`);
  }
  if (text.trim().length === 0) throw new InputError(`${file}: the file is empty`);
  const isJson = path.extname(file).toLowerCase() === '.json' || /^\s*[[{]/.test(text);
  return isJson ? parseJsonScores(text, file, options) : parseCsvScores(text, file, options);
}

export function parseCsvScores(text: string, file: string, options: ReadScoreOptions = {}): RawScore[] {
  const scoreColumn = options.scoreColumn ?? 'score';
  let records: { record: Record<string, string>; info: { lines: number } }[];
  try {
    records = parse(text, { columns: true, bom: true, info: true, skip_empty_lines: true, trim: true });
  } catch (e) {
    const err = e as Error & { lines?: number };
    throw new InputError(`${file}${err.lines ? `:${err.lines}` : ''}: invalid CSV (${err.message})`);
  }
  const header: string[] = parse(text, { bom: true, to_line: 1, trim: true })[0] ?? [];
  // `arch_str` is NB201's own name for the string column.
  const archColumn = header.includes('arch') ? 'arch' : header.includes('arch_str') ? 'arch_str' : undefined;
  if (!archColumn && !header.includes('index')) {
    throw new InputError(
      `${file}:1: the header needs an 'arch' or 'index' column (found: ${header.join(', ')})`,
    );
  }
  const noScore = options.architecturesOnly === true;
  if (!noScore && !header.includes(scoreColumn)) {
    throw new InputError(
      `${file}:1: no score column '${scoreColumn}' (columns: ${header.join(', ')}); choose one with --score-column`,
    );
  }
  if (records.length === 0) throw new InputError(`${file}: no score rows after the header`);
  return records.map(({ record, info }) => {
    const where = `${file}:${info.lines}`;
    return {
      where,
      arch: archColumn ? record[archColumn] : undefined,
      index: header.includes('index') ? record.index : undefined,
      score: noScore ? 0 : parseScore(record[scoreColumn], where, scoreColumn),
    };
  });
}

export function parseJsonScores(text: string, file: string, options: ReadScoreOptions = {}): RawScore[] {
  const scoreKey = options.scoreColumn ?? 'score';
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(data))
    throw new InputError(`${file}: expected a JSON array of {arch|index, ${scoreKey}} objects`);
  if (data.length === 0) throw new InputError(`${file}: the array is empty`);
  return data.map((item, i) => {
    const where = `${file}: [${i}]`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      throw new InputError(`${where}: expected an object with 'arch' or 'index' and '${scoreKey}'`);
    }
    const o = item as Record<string, unknown>;
    if (o.arch === undefined && o.index === undefined)
      throw new InputError(`${where}: needs 'arch' or 'index'`);
    if (o.arch !== undefined && typeof o.arch !== 'string')
      throw new InputError(`${where}.arch must be a string`);
    if (o.index !== undefined && typeof o.index !== 'number' && typeof o.index !== 'string') {
      throw new InputError(`${where}.index must be an integer`);
    }
    if (options.architecturesOnly) {
      return {
        where,
        arch: o.arch as string | undefined,
        index: o.index === undefined ? undefined : String(o.index),
        score: 0,
      };
    }
    if (!(scoreKey in o)) throw new InputError(`${where}: no '${scoreKey}' field`);
    const raw = o[scoreKey];
    if (typeof raw !== 'number' && typeof raw !== 'string') {
      throw new InputError(
        `${where}.${scoreKey} must be a number, found ${raw === null ? 'null' : typeof raw}`,
      );
    }
    return {
      where,
      arch: o.arch as string | undefined,
      index: o.index === undefined ? undefined : String(o.index),
      score: parseScore(String(raw), `${where}.${scoreKey}`, scoreKey),
    };
  });
}

function parseScore(raw: string | undefined, where: string, column: string): number {
  if (raw === undefined || raw.trim() === '')
    throw new InputError(`${where}: empty score in column '${column}'`);
  const v = Number(raw);
  if (!Number.isFinite(v))
    throw new InputError(`${where}: score '${raw}' in column '${column}' is not a finite number`);
  return v;
}
