/**
 * `npm run bench`: every benchmark, warm and in-process, printed as a table with ratios against baselines measured
 * in the same run (absolute times drift on shared machines; ratios are what to compare).
 * `npm run bench -- --save` also writes results/bench-<cpu>-node<major>.csv; `npm run bench -- --backend webgpu` runs
 * the supernet benchmarks on a GPU (see src/engine/tf-backend.ts). `--only criteria,oneshot,zeroshot` runs some
 * groups; with `--save` their rows replace those of the same groups in the saved CSV and the other rows are kept.
 */
import { existsSync, readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TF_BACKENDS, type TfBackendName } from '../src/engine/tf-backend.js';
import { writeFileAtomic } from '../src/io/atomic-write.js';
import { benchCriteria } from './criteria.bench.js';
import { benchOneshot } from './oneshot.bench.js';
import { benchZeroshot } from './zeroshot.bench.js';
import type { BenchRow } from './timing.js';

const backendAt = process.argv.indexOf('--backend');
const backend = (backendAt > 0 ? process.argv[backendAt + 1] : 'wasm') as TfBackendName;
if (!(TF_BACKENDS as readonly string[]).includes(backend)) {
  console.error(`--backend must be one of ${TF_BACKENDS.join(', ')}`);
  process.exit(2);
}
const GROUPS = { criteria: benchCriteria, oneshot: benchOneshot, zeroshot: benchZeroshot } as const;
type GroupName = keyof typeof GROUPS;
const onlyAt = process.argv.indexOf('--only');
const only = (onlyAt > 0 ? process.argv[onlyAt + 1].split(',') : Object.keys(GROUPS)) as GroupName[];
for (const g of only) {
  if (!(g in GROUPS)) {
    console.error(`--only takes a comma list of ${Object.keys(GROUPS).join(', ')}; got '${g}'`);
    process.exit(2);
  }
}
const rows: BenchRow[] = [];
for (const g of Object.keys(GROUPS) as GroupName[]) {
  if (only.includes(g)) rows.push(...(await GROUPS[g](backend)));
}

const fmtValue = (r: BenchRow) =>
  r.unit === 'ms'
    ? `${r.value.toFixed(2)} ms`
    : r.unit === 'ratio'
      ? `${r.value < 10 ? r.value.toFixed(2) : r.value.toFixed(0)}×`
      : `${r.value.toFixed(0)} /s`;
const cpu = cpus()[0]?.model ?? 'unknown cpu';
console.log(`nas-surgery benchmarks — ${cpu} ×${cpus().length}, Node ${process.version}\n`);
let failed = 0;
for (const r of rows) {
  let verdict = '';
  if (r.budget !== undefined) {
    const ok = r.value <= r.budget;
    if (!ok) failed++;
    verdict = `${ok ? 'within' : 'OVER'} budget ≤ ${r.budget} ms`;
  }
  console.log(
    `${r.group.padEnd(27)} ${r.name.padEnd(42)} ${fmtValue(r).padStart(12)}  ${[verdict, r.note].filter(Boolean).join('; ')}`,
  );
}
if (process.argv.includes('--save')) {
  const slug = `${cpu}`
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
  const file = path.join(
    path.dirname(fileURLToPath(import.meta.url)),
    '..',
    'results',
    `bench-${slug}-node${process.versions.node.split('.')[0]}.csv`,
  );
  const fresh = rows.map((r) =>
    [r.group, r.name, r.value.toFixed(4), r.unit, r.budget ?? '', r.ratio?.toFixed(4) ?? '', r.note ?? '']
      .map((v) => `"${String(v).replace(/"/g, '""')}"`)
      .join(','),
  );
  // With --only, the saved rows of the groups not run are kept (told apart by how their group's name starts).
  const prefix: Record<GroupName, string> = {
    criteria: 'criteria',
    oneshot: 'supernet',
    zeroshot: 'zero-shot',
  };
  const kept =
    only.length < Object.keys(GROUPS).length && existsSync(file)
      ? readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .slice(1)
          .filter((line) => !only.some((g) => line.startsWith(`"${prefix[g]}`)))
      : [];
  const csv = ['group,name,value,unit,budget,ratio_to_peer,note', ...fresh, ...kept].join('\n');
  writeFileAtomic(file, csv + '\n');
  console.log(`\nsaved ${path.relative(process.cwd(), file)}`);
}
if (failed) process.exitCode = 1;
