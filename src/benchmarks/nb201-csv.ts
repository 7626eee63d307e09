import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { archCode, type Arch } from '../space/arch.js';
import { parseArch } from '../space/arch-string.js';
import type { TruthName } from './truth-names.js';

/** Column mapping from the NB201 CSV exports in shared/data/nb201 to our truth names. */
export const HP200_COLUMNS: Record<string, TruthName> = {
  cifar10_test: 'cifar10',
  cifar100_test: 'cifar100',
  imagenet16_test: 'imagenet16',
};
/** nb201-v1_0-cifar10-paper.csv: the NAS-Bench-201 v1.0 CIFAR-10 truth that the paper's authors used. */
export const V1_0_COLUMNS: Record<string, TruthName> = {
  cifar10_test: 'cifar10-v1.0',
};
export const HP12_COLUMNS: Record<string, TruthName> = {
  cifar10_valid: 'cifar10-valid-hp12',
  cifar10_test: 'cifar10-hp12',
  cifar100_valid: 'cifar100-valid-hp12',
  cifar100_test: 'cifar100-hp12',
  imagenet16_valid: 'imagenet16-valid-hp12',
  imagenet16_test: 'imagenet16-hp12',
};

export interface Nb201Csv {
  archs: Arch[];
  codes: Uint16Array;
  columns: Map<TruthName, Float64Array>;
}

/**
 * Read one NB201 CSV export (`index, arch_str, <accuracy columns>`), checking that rows are in index order, strings
 * parse, and every accuracy is a finite percentage. Errors name the file and line.
 */
export function readNb201Csv(file: string, mapping: Record<string, TruthName>): Nb201Csv {
  const rows: Record<string, string>[] = parse(readFileSync(file, 'utf8'), {
    columns: true,
    skip_empty_lines: true,
  });
  const archs: Arch[] = [];
  const columns = new Map<TruthName, Float64Array>();
  for (const name of Object.values(mapping)) columns.set(name, new Float64Array(rows.length));
  rows.forEach((row, i) => {
    const line = i + 2;
    if (Number(row.index) !== i)
      throw new Error(`${file}:${line}: expected index ${i}, found '${row.index}'`);
    try {
      archs.push(parseArch(row.arch_str));
    } catch (e) {
      throw new Error(`${file}:${line}: ${(e as Error).message}`);
    }
    for (const [col, name] of Object.entries(mapping)) {
      const v = Number(row[col]);
      if (row[col] === undefined || row[col] === '' || !Number.isFinite(v) || v < 0 || v > 100) {
        throw new Error(
          `${file}:${line}: column '${col}' must be an accuracy in [0, 100], found '${row[col]}'`,
        );
      }
      columns.get(name)![i] = v;
    }
  });
  return { archs, codes: Uint16Array.from(archs.map(archCode)), columns };
}
