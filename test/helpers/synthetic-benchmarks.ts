/**
 * SYNTHETIC benchmarks in the style of NAS-Bench-101 and NAS-Bench-301, for tests and examples of
 * `evaluate --truth-file`: ids shaped like the real ones (NB101: a cell's adjacency matrix and op list, with its
 * 32-hex graph hash as the class; NB301: a DARTS genotype string, quotes, commas, brackets and spaces included),
 * invented accuracies and costs, and score files whose rows are shuffled, with ids the truth does not have.
 * Nothing here is real benchmark data.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { csvField } from '../../src/scores/items-csv.js';

export interface SyntheticItem {
  id: string;
  truth: number;
  costs: Record<string, number>;
  cls?: string;
}

function rng(seed: number) {
  const g = xoroshiro128plus(seed);
  const u = () => uniformFloat64(g);
  const int = (lo: number, hi: number) => uniformInt(g, lo, hi);
  const gauss = () => Math.sqrt(-2 * Math.log(u() + 2 ** -54)) * Math.cos(2 * Math.PI * u());
  return { u, int, gauss };
}

const NB101_OPS = ['conv3x3-bn-relu', 'conv1x1-bn-relu', 'maxpool3x3'];
const DARTS_OPS = [
  'sep_conv_3x3',
  'sep_conv_5x5',
  'dil_conv_3x3',
  'dil_conv_5x5',
  'max_pool_3x3',
  'avg_pool_3x3',
  'skip_connect',
];

/**
 * NB101-style items: `n` classes, each with 1–3 member cells (spec strings differing in the order of their
 * intermediate nodes, as isomorphic NB101 cells do), sharing the class's hash and truth up to seed noise.
 */
export function nb101Items(classes: number, seed = 1): SyntheticItem[] {
  const r = rng(seed);
  const items: SyntheticItem[] = [];
  const seen = new Set<string>();
  for (let c = 0; c < classes; c++) {
    const inner = r.int(1, 5);
    const ops = Array.from({ length: inner }, () => NB101_OPS[r.int(0, 2)]);
    // One class per op sequence and its reverse (their cells are the members below).
    const key = ops.join();
    if (seen.has(key) || seen.has([...ops].reverse().join())) {
      if (seen.size > 150) throw new Error('nb101Items: at most 150 classes');
      c--;
      continue;
    }
    seen.add(key);
    const hash = Array.from({ length: 32 }, () => '0123456789abcdef'[r.int(0, 15)]).join('');
    const quality = ops.filter((o) => o.startsWith('conv3')).length / 5 + r.u() * 0.4;
    const params =
      0.2e6 +
      ops.reduce((s, o) => s + (o.startsWith('conv3') ? 9 : o.startsWith('conv1') ? 1 : 0), 0) * 0.5e6;
    const members = r.int(1, 3);
    for (let m = 0; m < members; m++) {
      const order = m % 2 === 1 ? [...ops].reverse() : ops;
      const size = inner + 2;
      const matrix = Array.from({ length: size }, (_, i) =>
        Array.from({ length: size }, (_, j) => (j === i + 1 || (i === 0 && j === size - 1) ? 1 : 0)),
      );
      const spec =
        `([${matrix.map((row) => `[${row.join(', ')}]`).join(', ')}], ` +
        `['input', ${order.map((o) => `'${o}'`).join(', ')}, 'output'])` +
        (m > 0 ? ` #${m}` : '');
      items.push({
        id: spec,
        truth: 80 + 14 * quality + 0.2 * r.gauss(),
        costs: { params, training_time: 1000 + params / 5000 + 50 * r.u() },
        cls: hash,
      });
    }
  }
  return items;
}

/** NB301-style items: DARTS genotype strings with invented accuracies and parameter counts. */
export function nb301Items(n: number, seed = 2): SyntheticItem[] {
  const r = rng(seed);
  const cell = () =>
    '[' +
    Array.from(
      { length: 8 },
      (_, k) => `('${DARTS_OPS[r.int(0, 6)]}', ${r.int(0, Math.floor(k / 2) + 1)}, ${Math.floor(k / 2) + 2})`,
    ).join(', ') +
    ']';
  return Array.from({ length: n }, () => {
    const normal = cell();
    const reduce = cell();
    const convs = (normal.match(/conv/g) ?? []).length;
    return {
      id: `Genotype(normal=${normal}, normal_concat=[2, 3, 4, 5], reduce=${reduce}, reduce_concat=[2, 3, 4, 5])`,
      truth: 93 + 0.25 * convs + 0.5 * r.gauss(),
      costs: { params: 1.5e6 + convs * 0.25e6 + 1e5 * r.u() },
    };
  });
}

/** The truth file as CSV: `arch,<truth>,<costs…>[,class]`, ids quoted as CSV needs. */
export function truthCsv(items: readonly SyntheticItem[], truthColumn = 'val_accuracy'): string {
  const costs = Object.keys(items[0].costs);
  const hasClass = items.some((i) => i.cls !== undefined);
  const lines = [['arch', truthColumn, ...costs, ...(hasClass ? ['class'] : [])].join(',')];
  for (const it of items) {
    lines.push(
      [
        csvField(it.id),
        String(it.truth),
        ...costs.map((c) => String(it.costs[c])),
        ...(hasClass ? [it.cls!] : []),
      ].join(','),
    );
  }
  return lines.join('\n') + '\n';
}

/**
 * A score file for `items`: rows shuffled, columns `arch`, `predictor` (truth plus noise), `params_proxy` (a cost)
 * and `note` (text, skipped by `--score-column all`), plus `extra` rows whose ids the truth lacks.
 */
export function scoresCsv(items: readonly SyntheticItem[], seed = 3, extra = 3): string {
  const r = rng(seed);
  const rows = items.map((it) => ({
    id: it.id,
    predictor: it.truth + 1.5 * r.gauss(),
    proxy: Object.values(it.costs)[0],
  }));
  for (let k = 0; k < extra; k++) rows.push({ id: `not-in-the-truth-${k}`, predictor: 90, proxy: 1 });
  for (let i = rows.length - 1; i > 0; i--) {
    const j = r.int(0, i);
    [rows[i], rows[j]] = [rows[j], rows[i]];
  }
  const lines = ['arch,predictor,params_proxy,note'];
  for (const row of rows) lines.push(`${csvField(row.id)},${row.predictor},${row.proxy},"a, b"`);
  return lines.join('\n') + '\n';
}
