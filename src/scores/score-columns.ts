import { InputError } from '../io/input-error.js';
import { numericColumns, type Table } from '../io/read-table.js';

/** The evaluators chosen from a score table, and the non-numeric columns that `all` passed over. */
export interface ScoreColumnChoice {
  columns: string[];
  skipped: string[];
}

/**
 * The score columns named by `--score-column`: one name, a comma list, or `all` (every column whose cells are all
 * finite numbers, except `exclude`: ids, the truth, costs and classes). Unknown names are an error on line 1.
 */
export function chooseScoreColumns(
  table: Table,
  spec: string,
  exclude: ReadonlySet<string>,
): ScoreColumnChoice {
  if (spec.trim() === 'all') {
    const { numeric, other } = numericColumns(table, exclude);
    if (numeric.length === 0) {
      throw new InputError(
        `${table.file}:1: --score-column all found no numeric score column (columns: ${table.columns.join(', ')})`,
      );
    }
    return { columns: numeric, skipped: other };
  }
  const columns = [...new Set(spec.split(',').map((c) => c.trim()))];
  if (columns.some((c) => c === '')) throw new InputError(`--score-column: empty column name in '${spec}'`);
  for (const c of columns) {
    if (!table.columns.includes(c)) {
      throw new InputError(
        `${table.file}:1: no score column '${c}' (columns: ${table.columns.join(', ')}); choose with --score-column`,
      );
    }
  }
  return { columns, skipped: [] };
}

/** A folder name for each evaluator under `--out`: the column name with unsafe characters replaced, unique. */
export function evaluatorFolders(columns: readonly string[]): string[] {
  const seen = new Set<string>();
  return columns.map((c) => {
    const base = c.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^[.]+/, '_') || 'score';
    let name = base;
    for (let k = 2; seen.has(name.toLowerCase()); k++) name = `${base}-${k}`;
    seen.add(name.toLowerCase());
    return name;
  });
}
