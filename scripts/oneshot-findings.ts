/**
 * The paper's one-shot findings, checked on curve.json files (from `nas-surgery oneshot curve`):
 * - criteria per epoch (τ, P@top5%, BR@1%, BR@5%) side by side;
 * - when each criterion settles: the first checkpoint from which it stays within 10% of its whole range over the
 *   run of its final value (does BR@K settle before τ?);
 * - each criterion's mean ± std over the last 5 checkpoints (one checkpoint is a noisy reading);
 * - the mean rank difference per FLOPs group at the last checkpoint (positive = over-estimated).
 *
 * Usage: node --import tsx scripts/oneshot-findings.ts LABEL=path/curve.json [LABEL=path/curve.json ...]
 * Prints Markdown.
 */
import { readFileSync } from 'node:fs';
import { settleEpoch } from '../src/oneshot/curve-findings.js';

interface Criteria {
  n: number;
  kendall: number;
  precisionTop: Record<string, number>;
  bestRank: Record<string, number>;
  flopsGroups: { flopsMin: number; flopsMax: number; size: number; meanRankDiff: number; kendall: number }[];
}
interface Curve {
  label: string;
  points: { epoch: number; criteria: Criteria }[];
}

const SERIES: { name: string; get: (c: Criteria) => number; lowerIsBetter?: boolean }[] = [
  { name: 'τ', get: (c) => c.kendall },
  { name: 'P@top5%', get: (c) => c.precisionTop['0.05'] },
  { name: 'BR@1%', get: (c) => c.bestRank['0.01'], lowerIsBetter: true },
  { name: 'BR@5%', get: (c) => c.bestRank['0.05'], lowerIsBetter: true },
];

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');

const curves: Curve[] = process.argv.slice(2).map((arg) => {
  const eq = arg.indexOf('=');
  const label = eq > 0 ? arg.slice(0, eq) : arg;
  const file = eq > 0 ? arg.slice(eq + 1) : arg;
  const curve = JSON.parse(readFileSync(file, 'utf8')) as Curve;
  return { ...curve, label };
});
if (curves.length === 0) {
  console.error('usage: oneshot-findings LABEL=curve.json ...');
  process.exit(2);
}

for (const curve of curves) {
  const pts = curve.points;
  console.log(`### ${curve.label} (${pts[0].criteria.n} architectures)\n`);
  console.log(`| epoch | ${SERIES.map((s) => s.name).join(' | ')} |`);
  console.log(`| --- | ${SERIES.map(() => '---').join(' | ')} |`);
  for (const p of pts)
    console.log(`| ${p.epoch} | ${SERIES.map((s) => fmt(s.get(p.criteria))).join(' | ')} |`);
  const epochs = pts.map((p) => p.epoch);
  const settle = SERIES.map(
    (s) =>
      `${s.name} ${settleEpoch(
        epochs,
        pts.map((p) => s.get(p.criteria)),
      )}`,
  );
  console.log(`\nSettles (within 10% of its range of the final value from): ${settle.join(', ')}\n`);
  const tail = pts.slice(-5);
  const stats = SERIES.map((s) => {
    const v = tail.map((p) => s.get(p.criteria));
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    const sd = Math.sqrt(v.reduce((a, b) => a + (b - m) ** 2, 0) / Math.max(1, v.length - 1));
    return `${s.name} ${fmt(m)} ± ${fmt(sd)}`;
  });
  console.log(
    `Last ${tail.length} checkpoints (epochs ${tail.map((p) => p.epoch).join(', ')}), mean ± std: ${stats.join(', ')}\n`,
  );
  const last = pts[pts.length - 1].criteria;
  console.log(
    `FLOPs groups at epoch ${pts[pts.length - 1].epoch} (mean rank difference, + = over-estimated):\n`,
  );
  console.log('| FLOPs (M) | size | mean rank diff | τ in group |');
  console.log('| --- | --- | --- | --- |');
  for (const g of last.flopsGroups) {
    console.log(
      `| ${(g.flopsMin / 1e6).toFixed(1)}–${(g.flopsMax / 1e6).toFixed(1)} | ${g.size} | ${fmt(g.meanRankDiff)} | ${fmt(g.kendall)} |`,
    );
  }
  console.log('');
}
