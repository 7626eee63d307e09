/**
 * How much a k-set protocol mean moves with the draw of its training sets. From a large predictor run (many
 * training sets × the same seeds, `predictors run ... --sets 30`), take every choice of k of its sets (or, when
 * there are too many, 20,000 seeded random choices), average the runs of those k sets, and report the
 * distribution of that protocol mean and how often it reaches a threshold.
 *
 * Usage: node --import tsx scripts/protocol-spread.ts RUNS.csv --predictor gates --loss ranking --size 78 \
 *          [--k 3] [--metric kendall] [--threshold 0.76]
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse/sync';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { percentileSorted } from '../src/metrics/bootstrap.js';
import { clusteredMean } from '../src/metrics/clustered-mean.js';

const { values: o, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    predictor: { type: 'string', default: 'gates' },
    loss: { type: 'string', default: 'ranking' },
    size: { type: 'string', default: '78' },
    k: { type: 'string', default: '3' },
    metric: { type: 'string', default: 'kendall' },
    threshold: { type: 'string' },
  },
});
const file = positionals[0];
if (!file) {
  console.error(
    'usage: protocol-spread RUNS.csv [--predictor P] [--loss L] [--size N] [--k 3] [--threshold X]',
  );
  process.exit(2);
}
const records = parse(readFileSync(file, 'utf8'), { columns: true }) as Record<string, string>[];
const rows = records.filter(
  (r) => r.predictor === o.predictor && r.loss === o.loss && r.size === o.size && r[o.metric!] !== '',
);
if (rows.length === 0) {
  console.error(`${file}: no runs of ${o.predictor} / ${o.loss} / N=${o.size} with '${o.metric}'`);
  process.exit(2);
}
const bySet = new Map<string, number[]>();
for (const r of rows) {
  const v = Number(r[o.metric!]);
  const g = bySet.get(r.set) ?? [];
  g.push(v);
  bySet.set(r.set, g);
}
const sets = [...bySet.values()];
const k = Number(o.k);
if (!(Number.isInteger(k) && k >= 1 && k <= sets.length)) {
  console.error(`--k must be an integer in [1, ${sets.length}]`);
  process.exit(2);
}
const setSums = sets.map((g) => g.reduce((a, b) => a + b, 0));
const setCounts = sets.map((g) => g.length);

function binomial(n: number, r: number): number {
  let c = 1;
  for (let i = 1; i <= r; i++) c = (c * (n - r + i)) / i;
  return c;
}
const means: number[] = [];
const protocolMean = (chosen: number[]) =>
  chosen.reduce((a, i) => a + setSums[i], 0) / chosen.reduce((a, i) => a + setCounts[i], 0);
const LIMIT = 20000;
let how: string;
if (binomial(sets.length, k) <= LIMIT) {
  how = `all ${binomial(sets.length, k)} choices`;
  const pick = (start: number, chosen: number[]) => {
    if (chosen.length === k) return void means.push(protocolMean(chosen));
    for (let i = start; i < sets.length; i++) pick(i + 1, [...chosen, i]);
  };
  pick(0, []);
} else {
  how = `${LIMIT} random choices (seed 0)`;
  const rng = xoroshiro128plus(0);
  for (let b = 0; b < LIMIT; b++) {
    const chosen = new Set<number>();
    while (chosen.size < k) chosen.add(uniformInt(rng, 0, sets.length - 1));
    means.push(protocolMean([...chosen]));
  }
}
const sorted = Float64Array.from(means).sort();
const all = clusteredMean(
  rows.map((r) => Number(r[o.metric!])),
  rows.map((r) => r.set),
);
const q = (p: number) => percentileSorted(sorted, p).toFixed(4);
console.log(`${file}: ${o.predictor} / ${o.loss} / N=${o.size}, ${o.metric}`);
console.log(
  `all ${rows.length} runs over ${sets.length} sets: mean ${all.mean.toFixed(4)} ` +
    `(95% CI ${all.low.toFixed(4)}–${all.high.toFixed(4)}); sd between sets ${all.sdBetween.toFixed(4)}, ` +
    `within a set (seeds) ${all.sdWithin.toFixed(4)}`,
);
console.log(`mean of a ${k}-set protocol, over ${how}:`);
console.log(
  `  min ${q(0)}  5% ${q(0.05)}  25% ${q(0.25)}  median ${q(0.5)}  75% ${q(0.75)}  95% ${q(0.95)}  max ${q(1)}`,
);
if (o.threshold !== undefined) {
  const t = Number(o.threshold);
  const hits = means.filter((m) => m >= t).length;
  console.log(`  reaches ≥ ${t}: ${hits} of ${means.length} (${((100 * hits) / means.length).toFixed(1)}%)`);
}
