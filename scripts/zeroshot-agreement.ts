/**
 * How much two zero-shot runs over the same architectures agree, proxy by proxy: Kendall τ between their scores
 * (e.g. two weight seeds, or the full network against a proxy model). Rows are matched by NB201 index.
 * Usage: node --import tsx scripts/zeroshot-agreement.ts A/scores.csv B/scores.csv
 */
import { readFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { kendallTau } from '../src/metrics/kendall.js';

const [a, b] = process.argv.slice(2);
if (!a || !b) {
  console.error('usage: zeroshot-agreement A/scores.csv B/scores.csv');
  process.exit(2);
}
const read = (file: string) => {
  const rows = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
  return new Map(rows.map((r) => [r.index, r]));
};
const ra = read(a);
const rb = read(b);
const shared = [...ra.keys()].filter((i) => rb.has(i));
if (shared.length < 2) {
  console.error(`${a} and ${b} share ${shared.length} architectures`);
  process.exit(2);
}
const columns = Object.keys(ra.get(shared[0])!).filter(
  (c) => c !== 'index' && c !== 'arch' && c in rb.get(shared[0])!,
);
console.log(`${shared.length} architectures in both; Kendall τ between the two runs' scores:`);
for (const c of columns) {
  const x = Float64Array.from(shared, (i) => Number(ra.get(i)![c]));
  const y = Float64Array.from(shared, (i) => Number(rb.get(i)![c]));
  console.log(`  ${c.padEnd(12)} ${kendallTau(x, y).toFixed(4)}`);
}
