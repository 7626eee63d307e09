/**
 * Rebuild data/nb201-truth.bin.gz from the NAS-Bench-201 CSV exports in ../shared/data/nb201.
 * Usage: npm run bundle-truth [-- SHARED_NB201_DIR]
 */
import { writeFileSync, renameSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { HP12_COLUMNS, HP200_COLUMNS, V1_0_COLUMNS, readNb201Csv } from '../src/benchmarks/nb201-csv.js';
import { encodeBundle } from '../src/benchmarks/truth-bundle-format.js';
import { TRUTH_NAMES } from '../src/benchmarks/truth-names.js';
import { BUNDLE_SOURCE, BUNDLE_LICENSE, DEFAULT_BUNDLE_PATH } from '../src/benchmarks/ground-truth.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? path.join(root, '..', 'shared', 'data', 'nb201');
const hp200 = readNb201Csv(path.join(dir, 'nb201-hp200.csv'), HP200_COLUMNS);
const hp12 = readNb201Csv(path.join(dir, 'nb201-hp12.csv'), HP12_COLUMNS);
const v10 = readNb201Csv(path.join(dir, 'nb201-v1_0-cifar10-paper.csv'), V1_0_COLUMNS);
for (const [name, other] of [
  ['nb201-hp12.csv', hp12],
  ['nb201-v1_0-cifar10-paper.csv', v10],
] as const) {
  if (hp200.codes.length !== other.codes.length || hp200.codes.some((c, i) => c !== other.codes[i])) {
    throw new Error(`nb201-hp200.csv and ${name} disagree on the architecture of some index`);
  }
}
const columns = new Map<string, Float64Array>();
for (const name of TRUTH_NAMES) {
  columns.set(name, hp200.columns.get(name) ?? hp12.columns.get(name) ?? v10.columns.get(name)!);
}
const out = fileURLToPath(DEFAULT_BUNDLE_PATH);
const tmp = `${out}.${process.pid}.tmp`;
writeFileSync(tmp, encodeBundle(hp200.codes, columns, { source: BUNDLE_SOURCE, license: BUNDLE_LICENSE }));
renameSync(tmp, out);
console.log(
  `wrote ${path.relative(process.cwd(), out)} (${hp200.codes.length} architectures, ${columns.size} truths)`,
);
