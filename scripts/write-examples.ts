/**
 * Writes the example inputs of the README's "any benchmark" commands into examples/:
 * - nb101-synthetic-{truth,scores}.csv and nb301-synthetic-{truth,scores}.csv: SYNTHETIC benchmarks in the style of
 *   NAS-Bench-101 and NAS-Bench-301 (test/helpers/synthetic-benchmarks.ts; invented numbers, real-looking ids);
 * - zc_nasbench201-ours.json: our own zero-shot scores of 500 NB201 class representatives
 *   (results/zeroshot-c16n5-deiso500-torch/scores.csv) written in NASLib's zc layout, with the bundled cifar10 truth
 *   as `val_accuracy`.
 *
 *   node --import tsx scripts/write-examples.ts
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { parse } from 'csv-parse/sync';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { archToNaslibKey } from '../src/benchmarks/naslib-zc.js';
import { parseArch } from '../src/space/arch-string.js';
import { nb101Items, nb301Items, scoresCsv, truthCsv } from '../test/helpers/synthetic-benchmarks.js';

const out = 'examples';
mkdirSync(out, { recursive: true });
const nb101 = nb101Items(150);
const nb301 = nb301Items(300);
writeFileSync(`${out}/nb101-synthetic-truth.csv`, truthCsv(nb101));
writeFileSync(`${out}/nb101-synthetic-scores.csv`, scoresCsv(nb101));
writeFileSync(`${out}/nb301-synthetic-truth.csv`, truthCsv(nb301));
writeFileSync(`${out}/nb301-synthetic-scores.csv`, scoresCsv(nb301));

const source = 'results/zeroshot-c16n5-deiso500-torch/scores.csv';
const rows = parse(readFileSync(source, 'utf8'), { columns: true }) as Record<string, string>[];
const c10 = loadGroundTruth().truth('cifar10');
const skip = new Set(['index', 'arch']);
const task = Object.fromEntries(
  rows.map((r) => [
    archToNaslibKey(parseArch(r.arch)),
    {
      ...Object.fromEntries(
        Object.entries(r)
          .filter(([k]) => !skip.has(k))
          .map(([k, v]) => [k, { score: Number(v), time: null }]),
      ),
      val_accuracy: c10[Number(r.index)],
    },
  ]),
);
writeFileSync(`${out}/zc_nasbench201-ours.json`, JSON.stringify({ cifar10: task }) + '\n');
console.log(`wrote examples/: ${nb101.length} + ${nb301.length} synthetic items, ${rows.length} zc entries`);
