/**
 * The report's figures as vega-lite specs (inline data only). Each builder returns null when its data is absent.
 * Every figure has a title, axis titles on every panel, and a caption telling a reader how to read it.
 */
import type { TopLevelSpec } from 'vega-lite';
import { ratioLabel } from './table.js';
import type {
  CurveRunDir,
  EvaluateRunDir,
  ItemRow,
  PredictorsRunDir,
  PredictorsSearchDir,
  ZeroshotRunDir,
  ReportCriteria,
} from './run-dir.js';

/** A figure before rendering. */
export interface FigureDef {
  /** File-name-safe id, also the HTML anchor. */
  id: string;
  title: string;
  /** How to read the figure (plain text). */
  caption: string;
  /** Every axis title that appears in the figure (for checks). */
  axisTitles: string[];
  spec: TopLevelSpec;
}

/** An evaluator judged once: an evaluate directory, or a curve at its last epoch. */
export interface EvaluatorCriteria {
  label: string;
  criteria: ReportCriteria;
  /** Colour key (the curve's label for a curve's last point). */
  colorKey: string;
}

/** Colour of each series, shared by every figure so an evaluator keeps its colour. */
export class Palette {
  static readonly COLORS = [
    '#4c78a8',
    '#f58518',
    '#e45756',
    '#54a24b',
    '#b279a2',
    '#72b7b2',
    '#9d755d',
    '#eeca3b',
    '#ff9da6',
    '#79706e',
  ];
  private readonly map = new Map<string, string>();
  color(key: string): string {
    let c = this.map.get(key);
    if (!c) this.map.set(key, (c = Palette.COLORS[this.map.size % Palette.COLORS.length]));
    return c;
  }
  alias(key: string, sameAs: string): void {
    this.map.set(key, this.color(sameAs));
  }
  /** A vega-lite colour scale for these labels (in this order). */
  scale(labels: readonly string[]): { domain: string[]; range: string[] } {
    return { domain: [...labels], range: labels.map((l) => this.color(l)) };
  }
}

const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);
const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];
const PANEL_W = 250;

/** Powers of ten covering the positive values (tick values of a log axis). */
function decades(values: readonly number[]): number[] {
  const pos = values.filter((v) => v > 0);
  if (pos.length === 0) return [];
  const lo = Math.floor(Math.log10(Math.min(...pos)) + 1e-9);
  const hi = Math.ceil(Math.log10(Math.max(...pos)) - 1e-9);
  const out: number[] = [];
  for (let e = lo; e <= hi; e++) out.push(Number(`1e${e}`));
  return out;
}

/**
 * A linear y scale that need not include 0; a constant series (which would give an empty domain) gets a small
 * domain around its value instead.
 */
function looseScale(values: readonly (number | null | undefined)[]): Record<string, unknown> {
  const v = values.filter(finite);
  if (v.length > 0 && Math.max(...v) - Math.min(...v) < 1e-12) {
    const d = Math.abs(v[0]) * 0.01 || 0.05;
    return { zero: false, domain: [v[0] - d, v[0] + d] };
  }
  return { zero: false };
}

/** The criteria that depend on the ranking alone. */
const RANK_KEYS = [
  'n',
  'mode',
  'truth',
  'kendall',
  'spearman',
  'precisionTop',
  'precisionBottom',
  'bestRank',
  'flopsGroups',
] as const;

/**
 * Groups of evaluators whose criteria are identical (the same ranking of the same items, e.g. FLOPs and params on
 * NB201): their lines and bars coincide, so only the one drawn last is visible. A sentence for the caption, or ''.
 */
export function coincidentNote(evals: readonly EvaluatorCriteria[]): string {
  const byKey = new Map<string, string[]>();
  for (const e of evals) {
    // Rank criteria only: Pearson's r differs between two scores that order the items the same way.
    const key = JSON.stringify(RANK_KEYS.map((k) => e.criteria[k]));
    byKey.set(key, [...(byKey.get(key) ?? []), e.label]);
  }
  const groups = [...byKey.values()].filter((g) => g.length > 1);
  if (groups.length === 0) return '';
  const list = (g: string[]) => `${g.slice(0, -1).join(', ')} and ${g[g.length - 1]}`;
  return (
    ' ' +
    groups
      .map(
        (g) => `${list(g)} have identical criteria (they rank the items the same way): their marks coincide.`,
      )
      .join(' ')
  );
}

/** Legend of a strokeDash channel: dashed line symbols. */
const DASH_LEGEND = {
  symbolType: 'stroke',
  symbolSize: 400,
  symbolStrokeWidth: 2,
  encode: { symbols: { update: { stroke: { value: '#444' }, fill: { value: 'transparent' } } } },
};
const PANEL_H = 170;

function colorEnc(palette: Palette, labels: readonly string[], title = 'evaluator') {
  return {
    field: 'label',
    type: 'nominal',
    title,
    scale: palette.scale(labels),
    sort: [...labels],
  };
}

// ---------------------------------------------------------------------------------------------------------------
// One-shot curves (paper Fig 2)

interface CurveMetric {
  title: string;
  get: (p: CurveRunDir['points'][number]) => number | undefined;
  log?: boolean;
}

const CURVE_METRICS: CurveMetric[] = [
  { title: 'Kendall τ', get: (p) => p.criteria.kendall },
  { title: 'Spearman ρ', get: (p) => p.criteria.spearman },
  { title: 'Pearson r', get: (p) => p.criteria.pearson },
  { title: 'P@top 5%', get: (p) => p.criteria.precisionTop['0.05'] },
  { title: 'P@bottom 5%', get: (p) => p.criteria.precisionBottom['0.05'] },
  { title: 'BR@1% (lower = better)', get: (p) => p.criteria.bestRank['0.01'], log: true },
  { title: 'BR@5% (lower = better)', get: (p) => p.criteria.bestRank['0.05'], log: true },
  { title: 'one-shot mean accuracy', get: (p) => p.meanAccuracy },
];

/** Criteria against training epoch, one panel per criterion, one line per curve (Fig 2a). */
export function curveCriteriaFigure(curves: readonly CurveRunDir[], palette: Palette): FigureDef | null {
  if (curves.length === 0) return null;
  const labels = curves.map((c) => c.label);
  const xTitle = 'training epoch';
  const panels = CURVE_METRICS.map((m) => ({
    m,
    values: curves.flatMap((c) =>
      c.points
        .map((p) => ({ label: c.label, epoch: p.epoch, value: m.get(p) }))
        .filter((r) => finite(r.value) && (!m.log || (r.value as number) > 0)),
    ),
  })).filter((p) => p.values.length > 0);
  if (panels.length === 0) return null;
  const spec = {
    title: { text: 'Criteria of the one-shot evaluator against training epoch' },
    columns: 3,
    concat: panels.map(({ m, values }) => ({
      width: PANEL_W,
      height: PANEL_H,
      data: { values },
      mark: { type: 'line', point: { size: 28 }, strokeWidth: 2 },
      encoding: {
        x: { field: 'epoch', type: 'quantitative', title: xTitle },
        y: {
          field: 'value',
          type: 'quantitative',
          title: m.title,
          scale: m.log ? { type: 'log' } : looseScale(values.map((v) => v.value)),
          axis: m.log ? { format: '~%', values: decades(values.map((v) => v.value as number)) } : {},
        },
        color: colorEnc(palette, labels),
      },
    })),
  } as unknown as TopLevelSpec;
  return {
    id: 'curve-criteria',
    title: 'Criteria of the one-shot evaluator against training epoch',
    caption:
      'Each panel tracks one criterion of the evaluator’s ranking of the architectures (against the ground truth) ' +
      'at the training checkpoints; one line per one-shot run (colour). Correlations (Kendall τ, Spearman ρ, ' +
      'Pearson r) and P@top/bottom 5% (overlap of the predicted and true top/bottom 5%) are higher = better; BR@1% ' +
      '(the best true rank, as a fraction of all compared architectures, among the predicted top 1%) and BR@5% are ' +
      'lower = better and drawn on a log scale; the one-shot mean accuracy is the mean held-out accuracy of the ' +
      'architectures with the shared weights. The paper’s finding: BR@K converges first, P@K next and the ' +
      'correlations last. Y axes are independent per panel.',
    axisTitles: [xTitle, ...panels.map((p) => p.m.title)],
    spec,
  };
}

/** P@top 5% and P@top 50% against epoch (Fig 2b). */
export function curvePrecisionFigure(curves: readonly CurveRunDir[], palette: Palette): FigureDef | null {
  if (curves.length === 0) return null;
  const labels = curves.map((c) => c.label);
  const keys = ['0.05', '0.5'];
  const values = curves.flatMap((c) =>
    c.points.flatMap((p) =>
      keys
        .map((k) => ({
          label: c.label,
          epoch: p.epoch,
          K: `P@top ${ratioLabel(k)}`,
          value: p.criteria.precisionTop[k],
        }))
        .filter((r) => finite(r.value)),
    ),
  );
  if (values.length === 0) return null;
  const xTitle = 'training epoch';
  const yTitle = 'P@top K (overlap with the true top K)';
  const spec = {
    title: { text: 'P@top 5% and P@top 50% against training epoch' },
    width: 520,
    height: 280,
    data: { values },
    mark: { type: 'line', point: { size: 28 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: xTitle },
      y: { field: 'value', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } },
      color: colorEnc(palette, labels),
      strokeDash: {
        field: 'K',
        type: 'nominal',
        title: 'K',
        sort: keys.map((k) => `P@top ${ratioLabel(k)}`),
        legend: DASH_LEGEND,
      },
    },
  } as unknown as TopLevelSpec;
  return {
    id: 'curve-precision',
    title: 'P@top 5% and P@top 50% against training epoch',
    caption:
      'The fraction of the truly best 5% (solid) and best 50% (dashed) architectures that the evaluator also puts ' +
      'in its top 5% / top 50%, at each training checkpoint; one colour per one-shot run. 1 = the evaluator finds ' +
      'exactly the right set; a random ranking gives K (0.05 and 0.5). The paper notes that P@5% may decline late ' +
      'in training while P@50% keeps rising.',
    axisTitles: [xTitle, yTitle],
    spec,
  };
}

/** Within-class spread of isomorphic cells against epoch, with the truth's own spread as the floor (Tab 2). */
export function curveIsoSpreadFigure(curves: readonly CurveRunDir[], palette: Palette): FigureDef | null {
  const withIso = curves.filter((c) => c.points.some((p) => p.iso));
  if (withIso.length === 0) return null;
  const labels = withIso.map((c) => c.label);
  const SCORE = 'one-shot accuracy';
  const TRUTH = 'ground truth (floor)';
  const values = withIso.flatMap((c) =>
    c.points.flatMap((p) =>
      p.iso
        ? [
            { label: c.label, epoch: p.epoch, of: SCORE, value: p.iso.spread.meanScoreStd },
            // The truth is in % and the one-shot accuracy a fraction: the floor is drawn as a fraction too.
            { label: c.label, epoch: p.epoch, of: TRUTH, value: p.iso.truth.meanScoreStd / 100 },
          ].filter((r) => finite(r.value))
        : [],
    ),
  );
  if (values.length === 0) return null;
  const xTitle = 'training epoch';
  const yTitle = 'mean within-class std of accuracy (fraction)';
  const spec = {
    title: { text: 'Spread of isomorphic cells against training epoch' },
    width: 520,
    height: 280,
    data: { values },
    mark: { type: 'line', point: { size: 28 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'epoch', type: 'quantitative', title: xTitle },
      y: { field: 'value', type: 'quantitative', title: yTitle },
      color: colorEnc(palette, labels),
      strokeDash: {
        field: 'of',
        type: 'nominal',
        title: 'spread of',
        sort: [SCORE, TRUTH],
        legend: DASH_LEGEND,
      },
    },
  } as unknown as TopLevelSpec;
  return {
    id: 'curve-iso-spread',
    title: 'Spread of isomorphic cells against training epoch',
    caption:
      'For a fixed sample of isomorphism classes (cells that compute the same function), the standard deviation of ' +
      'the one-shot accuracy within a class, averaged over the classes (solid), at each checkpoint; dashed, the ' +
      'same for the ground truth over the same cells, the floor that training noise alone gives. An evaluator that ' +
      'treats isomorphic cells alike stays near the floor (the paper’s Tab 2).',
    axisTitles: [xTitle, yTitle],
    spec,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Per-evaluator criteria (evaluate dirs and the last point of each curve)

/** A FLOPs group's range in MFLOPs: one value when the group holds a single FLOPs value. */
function flopsRange(min: number, max: number): string {
  const lo = (min / 1e6).toFixed(1);
  const hi = (max / 1e6).toFixed(1);
  return min === max ? `${lo} M` : `${lo}–${hi} M`;
}

/** A truth file's cost group's range in the column's own units (4 significant digits). */
function plainRange(min: number, max: number): string {
  const v = (x: number) => String(Number(x.toPrecision(4)));
  return min === max ? v(min) : `${v(min)}–${v(max)}`;
}

/** The cost of an evaluator's groups: FLOPs (NB201), or a truth file's first cost column. */
function groupCost(e: EvaluatorCriteria): { name: string; range: (min: number, max: number) => string } {
  const cost = e.criteria.costGroups?.[0]?.cost;
  return cost === undefined ? { name: 'FLOPs', range: flopsRange } : { name: cost, range: plainRange };
}

/** Groups smaller than this are marked in the FLOPs-group figure (τ on a few items is noise). */
const SMALL_GROUP = 20;

/** Kendall τ and mean rank difference per FLOPs group (Fig 3c). */
export function flopsGroupsFigure(evals: readonly EvaluatorCriteria[], palette: Palette): FigureDef | null {
  const withGroups = evals.filter((e) => e.criteria.flopsGroups && e.criteria.flopsGroups.length > 0);
  if (withGroups.length === 0) return null;
  const labels = withGroups.map((e) => e.label);
  for (const e of withGroups) palette.alias(e.label, e.colorKey);
  const costNames = uniq(withGroups.map((e) => groupCost(e).name));
  // "FLOPs", a truth file's cost column, or "cost" when the evaluators shown are grouped by different costs.
  const cost = costNames.length === 1 ? costNames[0] : 'cost';
  const values = withGroups.flatMap((e) =>
    e.criteria.flopsGroups!.map((g, i) => ({
      label: e.label,
      group: i + 1,
      range: groupCost(e).range(g.flopsMin, g.flopsMax),
      diff: finite(g.meanRankDiff) ? g.meanRankDiff : null,
      kendall: finite(g.kendall) ? g.kendall : null,
      size: g.size,
    })),
  );
  const xTitle = `${cost} group (1 = lowest ${cost})`;
  const y1 = 'mean (true rank − predicted rank) / N';
  const y2 = 'Kendall τ within the group';
  const x = { field: 'group', type: 'ordinal', title: xTitle, axis: { labelAngle: 0 } };
  const xOffset = { field: 'label', type: 'nominal', sort: labels };
  const panel = (field: string, yTitle: string, sizes: boolean) => ({
    width: 420,
    height: 220,
    layer: [
      {
        mark: { type: 'bar' },
        encoding: {
          x,
          xOffset,
          y: { field, type: 'quantitative', title: yTitle },
          color: colorEnc(palette, labels),
          // A group of fewer than 20 architectures gives a noisy τ: pale.
          opacity: { condition: { test: `datum.size < ${SMALL_GROUP}`, value: 0.35 }, value: 1 },
        },
      },
      {
        mark: { type: 'rule', color: '#333' },
        encoding: { y: { datum: 0, type: 'quantitative', title: yTitle } },
      },
      ...(sizes
        ? [
            {
              // The group's size, written upwards from the top of the bar (or from 0 for a negative one).
              transform: [{ calculate: `max(datum.${field}, 0)`, as: 'labelY' }],
              mark: {
                type: 'text',
                fontSize: 7,
                angle: -90,
                align: 'left',
                baseline: 'middle',
                dx: 3,
                color: '#333',
              },
              encoding: {
                x,
                xOffset,
                y: { field: 'labelY', type: 'quantitative', title: yTitle },
                text: { field: 'size', type: 'quantitative' },
              },
            },
          ]
        : []),
    ],
  });
  const rangesOf = (e: EvaluatorCriteria) =>
    e.criteria
      .flopsGroups!.map((g, i) => `${i + 1} = ${groupCost(e).range(g.flopsMin, g.flopsMax)} (${g.size})`)
      .join(', ');
  const all = uniq(withGroups.map(rangesOf));
  const ranges =
    all.length === 1
      ? `For every evaluator shown (${cost} range, number of architectures): group ${all[0]}.`
      : `The evaluators compare different architectures, so their groups differ (${cost} range, number of ` +
        `architectures): ${withGroups.map((e) => `${e.label}: group ${rangesOf(e)}`).join('; ')}.`;
  const small = withGroups.some((e) => e.criteria.flopsGroups!.some((g) => g.size < SMALL_GROUP));
  const spec = {
    title: { text: `Rank error and Kendall τ by ${cost} group` },
    data: { values },
    hconcat: [panel('diff', y1, false), panel('kendall', y2, true)],
  } as unknown as TopLevelSpec;
  return {
    id: 'flops-groups',
    title: `Rank error and Kendall τ by ${cost} group`,
    caption:
      `The compared architectures are split into 10 groups by ${cost} (ascending). Each ${cost} value lies wholly in ` +
      'one group, so the sizes are only as equal as the ties allow (the split of least squared deviation from ' +
      `N/10; one group per value when there are fewer than 10 values). ${ranges} Left: the mean of (true rank − ` +
      'predicted rank) / N in each group; above 0 the evaluator over-estimates that group (ranks it better than it ' +
      'is), below 0 it under-estimates it. Right: Kendall τ inside each group, i.e. how well the evaluator orders ' +
      'architectures of similar cost; the number on each bar is the size of its group' +
      (small
        ? `, and pale bars are groups of fewer than ${SMALL_GROUP} architectures, whose τ is noisy`
        : '') +
      '. One bar per evaluator (colour); curves enter with their last checkpoint.' +
      coincidentNote(withGroups),
    axisTitles: [xTitle, y1, y2],
    spec,
  };
}

/** P@K and BR@K against K (log x) per evaluator. */
export function topKFigure(evals: readonly EvaluatorCriteria[], palette: Palette): FigureDef | null {
  if (evals.length === 0) return null;
  const labels = evals.map((e) => e.label);
  for (const e of evals) palette.alias(e.label, e.colorKey);
  const pValues = evals.flatMap((e) =>
    (['top', 'bottom'] as const).flatMap((end) =>
      Object.entries(end === 'top' ? e.criteria.precisionTop : e.criteria.precisionBottom)
        .map(([k, v]) => ({ label: e.label, K: Number(k), end: `P@${end} K`, value: v }))
        .filter((r) => finite(r.value) && r.K > 0),
    ),
  );
  const bValues = evals.flatMap((e) =>
    Object.entries(e.criteria.bestRank)
      .map(([k, v]) => ({ label: e.label, K: Number(k), value: v }))
      .filter((r) => finite(r.value) && r.value > 0 && r.K > 0),
  );
  if (pValues.length === 0 && bValues.length === 0) return null;
  const xTitle = 'K (fraction of architectures, log scale)';
  const yP = 'P@K (overlap with the true top/bottom K)';
  const yB = 'BR@K (best true rank / N; lower = better)';
  const ticks = (vals: { K: number }[]) => uniq(vals.map((v) => v.K)).sort((a, b) => a - b);
  const x = (vals: { K: number }[]) => ({
    field: 'K',
    type: 'quantitative',
    title: xTitle,
    scale: { type: 'log', nice: false, padding: 10 },
    axis: { values: ticks(vals), format: '~%', labelAngle: -40, labelOverlap: false },
  });
  const panels: unknown[] = [];
  const axisTitles = [xTitle];
  if (pValues.length) {
    axisTitles.push(yP);
    const y = { field: 'value', type: 'quantitative', title: yP, scale: { domain: [0, 1] } };
    panels.push({
      width: 380,
      height: 240,
      layer: [
        {
          data: { values: pValues },
          mark: { type: 'line', point: { size: 24 }, strokeWidth: 2 },
          encoding: {
            x: x(pValues),
            y,
            color: colorEnc(palette, labels),
            strokeDash: {
              field: 'end',
              type: 'nominal',
              title: 'criterion',
              sort: ['P@top K', 'P@bottom K'],
              legend: DASH_LEGEND,
            },
          },
        },
        {
          // A random ranking: P@K = K.
          data: { values: ticks(pValues).map((K) => ({ K, value: K })) },
          mark: { type: 'line', color: '#888', strokeDash: [2, 3], strokeWidth: 1.5 },
          encoding: { x: x(pValues), y },
        },
      ],
    });
  }
  // BR@K cannot go below 1/N (the best architecture found): each evaluator's floor, dotted in its colour.
  const floors = evals.map((e) => ({ label: e.label, value: 1 / e.criteria.n }));
  if (bValues.length) {
    axisTitles.push(yB);
    const y = {
      field: 'value',
      type: 'quantitative',
      title: yB,
      scale: { type: 'log' },
      axis: { format: '~%', values: decades([...bValues, ...floors].map((v) => v.value)) },
    };
    panels.push({
      width: 380,
      height: 240,
      layer: [
        {
          data: { values: bValues },
          mark: { type: 'line', point: { size: 24 }, strokeWidth: 2 },
          encoding: { x: x(bValues), y, color: colorEnc(palette, labels) },
        },
        {
          data: { values: floors },
          mark: { type: 'rule', strokeDash: [2, 3], strokeWidth: 1.5 },
          encoding: { y, color: colorEnc(palette, labels) },
        },
      ],
    });
  }
  const spec = {
    title: { text: 'P@K and BR@K against K' },
    hconcat: panels,
    resolve: { scale: { strokeDash: 'independent' } },
  } as unknown as TopLevelSpec;
  return {
    id: 'top-k',
    title: 'P@K and BR@K against K',
    caption:
      'Left: P@top K (solid) is the fraction of the truly best K·N architectures that the evaluator also ranks in ' +
      'its top K·N; P@bottom K (dashed) the same for the worst. A random ranking gives P@K ≈ K (the dotted grey ' +
      'line). Right: BR@K is the best true rank, as a fraction of N, among the evaluator’s top K·N: how good the ' +
      'best architecture you would find by training the evaluator’s top K is (lower = better). It cannot go below ' +
      '1/N, the dotted line in the evaluator’s colour: an evaluator there has found the best architecture, however ' +
      'high 1/N is for a small N. Both axes of the right panel are logarithmic. One line per evaluator (colour); ' +
      'curves enter with their last checkpoint.' +
      coincidentNote(evals),
    axisTitles,
    spec,
  };
}

/**
 * A deterministic subsample of at most `max` items, evenly spaced along the true rank: the items at positions
 * round(j·(n−1)/(max−1)) of the order by true rank (all items when n ≤ max).
 */
export function subsampleByTrueRank(items: readonly ItemRow[], max: number): ItemRow[] {
  const sorted = [...items].sort((a, b) => a.trueRank - b.trueRank || a.index - b.index);
  if (sorted.length <= max) return sorted;
  if (max <= 1) return sorted.slice(0, Math.max(0, max));
  const out: ItemRow[] = [];
  for (let j = 0; j < max; j++) out.push(sorted[Math.round((j * (sorted.length - 1)) / (max - 1))]);
  return out;
}

/** Points per rank-scatter figure, over all its panels. */
export const SCATTER_MAX_POINTS = 3000;

/** True against predicted rank (normalised), one panel per evaluate directory with items.csv. */
export function rankScatterFigure(evals: readonly EvaluateRunDir[], palette: Palette): FigureDef | null {
  const withItems = evals.filter((e) => e.items && e.items.length > 0);
  if (withItems.length === 0) return null;
  const labels = withItems.map((e) => e.label);
  const perPanel = Math.floor(SCATTER_MAX_POINTS / withItems.length);
  const xTitle = 'true rank / N (0 = best)';
  const yTitle = 'predicted rank / N (0 = best)';
  const notes: string[] = [];
  const panels = withItems.map((e) => {
    const items = e.items!;
    const n = items.length;
    const sample = subsampleByTrueRank(items, perPanel);
    notes.push(
      sample.length < n ? `${e.label}: ${sample.length} of ${n} items` : `${e.label}: all ${n} items`,
    );
    const denom = Math.max(1, n - 1);
    const values = sample.map((it) => ({
      label: e.label,
      t: +(it.trueRank / denom).toFixed(5),
      p: +(it.predRank / denom).toFixed(5),
    }));
    return {
      title: { text: e.label, fontSize: 13, fontWeight: 'normal' },
      width: 240,
      height: 240,
      layer: [
        {
          data: { values: [{ a: 0 }, { a: 1 }] },
          mark: { type: 'line', color: '#888', strokeDash: [4, 3], strokeWidth: 1 },
          encoding: {
            x: { field: 'a', type: 'quantitative', title: xTitle, scale: { domain: [0, 1] } },
            y: { field: 'a', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } },
          },
        },
        {
          data: { values },
          mark: { type: 'circle', size: 7, opacity: 0.45, aria: false },
          encoding: {
            x: { field: 't', type: 'quantitative', title: xTitle, scale: { domain: [0, 1] } },
            y: { field: 'p', type: 'quantitative', title: yTitle, scale: { domain: [0, 1] } },
            color: colorEnc(palette, labels),
          },
        },
      ],
    };
  });
  const spec = {
    title: { text: 'True rank against predicted rank' },
    columns: 3,
    concat: panels,
  } as unknown as TopLevelSpec;
  return {
    id: 'rank-scatter',
    title: 'True rank against predicted rank',
    caption:
      'Each dot is one compared architecture (or isomorphism class): its rank by the ground truth (x) against its ' +
      'rank by the evaluator (y), both divided by N so that 0 is the best and 1 the worst. A perfect evaluator puts ' +
      'every dot on the dashed diagonal; dots below it are over-estimated, dots above it under-estimated. The ' +
      'corner near (0, 0) is what matters for search. To keep this page small each panel shows a deterministic ' +
      `subsample evenly spaced in true rank, at most ${SCATTER_MAX_POINTS} points per figure (${notes.join('; ')}); ` +
      'items.csv in each run directory has every item.',
    axisTitles: [xTitle, yTitle],
    spec,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Predictors (Fig 4, Fig 5)

const PREDICTOR_METRICS: { id: string; title: string }[] = [
  { id: 'kendall', title: 'Kendall τ' },
  { id: 'p_top_5', title: 'P@top 5%' },
  { id: 'br_1', title: 'BR@1% (lower = better)' },
];

/** Series name of a predictor × loss (prefixed by the run's label when several runs are shown). */
/** Predictors that ignore the loss: the random forest and the training-free baselines. */
export const LOSS_AGNOSTIC_PREDICTORS: ReadonlySet<string> = new Set(['rf', 'flops', 'params']);

/**
 * The summary rows of predictor runs with their series names, a loss-agnostic predictor once: its rows of another
 * loss (the same numbers, trained alike) are dropped and its series is named "any loss".
 */
export function predictorRows(
  runs: readonly PredictorsRunDir[],
): { series: string; run: PredictorsRunDir; r: PredictorsRunDir['summary'][number] }[] {
  const many = runs.length > 1;
  const seen = new Set<string>();
  const out: { series: string; run: PredictorsRunDir; r: PredictorsRunDir['summary'][number] }[] = [];
  for (const run of runs) {
    for (const r of run.summary) {
      if (LOSS_AGNOSTIC_PREDICTORS.has(r.predictor)) {
        const key = JSON.stringify([r.predictor, r.size, r.runs, r.metrics]);
        if (seen.has(key)) continue;
        seen.add(key);
      }
      const loss = LOSS_AGNOSTIC_PREDICTORS.has(r.predictor) ? 'any loss' : r.loss;
      out.push({ series: predictorSeries(run, r.predictor, loss, many), run, r });
    }
  }
  return out;
}

export function predictorSeries(
  run: PredictorsRunDir,
  predictor: string,
  loss: string,
  many: boolean,
): string {
  return `${many ? `${run.label}: ` : ''}${predictor} · ${loss}`;
}

/** Criteria against training-set size, mean ± std over the runs, one line per predictor × loss (Fig 4). */
export function predictorSizeFigure(runs: readonly PredictorsRunDir[], palette: Palette): FigureDef | null {
  if (runs.length === 0) return null;
  const rows = predictorRows(runs);
  const labels = uniq(rows.map((x) => x.series));
  const xTitle = 'training-set size (architectures, log scale)';
  const sizes = uniq(rows.map((x) => x.r.size)).sort((a, b) => a - b);
  const panels = PREDICTOR_METRICS.map((m) => ({
    m,
    values: rows
      .filter((x) => x.r.metrics[m.id] && finite(x.r.metrics[m.id].mean))
      .map((x) => {
        const s = x.r.metrics[m.id];
        const std = finite(s.std) ? s.std : 0;
        return {
          label: x.series,
          size: x.r.size,
          mean: s.mean,
          lo: s.mean - std,
          hi: s.mean + std,
          runs: x.r.runs,
        };
      }),
  })).filter((p) => p.values.length > 0);
  if (panels.length === 0) return null;
  const x = {
    field: 'size',
    type: 'quantitative',
    title: xTitle,
    scale: { type: 'log', nice: false, padding: 12 },
    axis: { values: sizes, format: '~r', labelOverlap: false },
  };
  const spec = {
    title: { text: 'Predictor criteria against training-set size' },
    hconcat: panels.map(({ m, values }) => ({
      width: 250,
      height: 200,
      data: { values },
      layer: [
        {
          mark: { type: 'errorbar', ticks: { size: 6 } },
          encoding: {
            x,
            y: {
              field: 'lo',
              type: 'quantitative',
              title: m.title,
              scale: looseScale(values.flatMap((v) => [v.lo, v.hi])),
            },
            y2: { field: 'hi' },
            color: colorEnc(palette, labels, 'predictor · loss'),
          },
        },
        {
          mark: { type: 'line', point: { size: 30 }, strokeWidth: 2 },
          encoding: {
            x,
            y: { field: 'mean', type: 'quantitative', title: m.title },
            color: colorEnc(palette, labels, 'predictor · loss'),
          },
        },
      ],
    })),
  } as unknown as TopLevelSpec;
  return {
    id: 'predictor-size',
    title: 'Predictor criteria against training-set size',
    caption:
      'Each predictor is trained on a sample of architectures of the given size (x) and judged on all ' +
      'architectures. Points are the mean over the runs (training sets × seeds) of each setting, error bars ± one ' +
      'standard deviation across those runs. Kendall τ and P@top 5% are higher = better; BR@1% (best true rank ' +
      'among the predicted top 1%, as a fraction of N) is lower = better. One line per predictor × loss (colour).',
    axisTitles: [xTitle, ...panels.map((p) => p.m.title)],
    spec,
  };
}

/** P@top 0.1% and the best truth found per stage of a multi-stage search (Fig 5). */
export function searchStagesFigure(
  searches: readonly PredictorsSearchDir[],
  palette: Palette,
): FigureDef | null {
  if (searches.length === 0) return null;
  const labels = searches.map((s) => s.label);
  const values = searches.flatMap((s) =>
    s.stages.map((st) => ({
      label: s.label,
      stage: st.stage,
      queried: st.queried,
      p01: finite(st.precisionTop01) ? st.precisionTop01 : null,
      best: finite(st.bestTruth) ? st.bestTruth : null,
    })),
  );
  const xTitle = 'search stage';
  const y1 = 'P@top 0.1% of the retrained predictor';
  const y2 = 'best true accuracy found so far (%)';
  const stages = uniq(values.map((v) => v.stage)).sort((a, b) => a - b);
  const panel = (field: string, yTitle: string) => ({
    width: 330,
    height: 220,
    mark: { type: 'line', point: { size: 36 }, strokeWidth: 2 },
    encoding: {
      x: { field: 'stage', type: 'quantitative', title: xTitle, axis: { values: stages, format: '~r' } },
      y: {
        field,
        type: 'quantitative',
        title: yTitle,
        scale: field === 'p01' ? { domain: [0, 1] } : looseScale(values.map((v) => v.best)),
      },
      color: colorEnc(palette, labels, 'search (predictor · loss · strategy)'),
    },
  });
  const spec = {
    title: { text: 'Multi-stage predictor-based search' },
    data: { values },
    hconcat: [panel('p01', y1), panel('best', y2)],
  } as unknown as TopLevelSpec;
  const queried = searches
    .map((s) => `${s.label}: ${s.stages.map((st) => st.queried).join(', ')}`)
    .join('; ');
  return {
    id: 'search-stages',
    title: 'Multi-stage predictor-based search',
    caption:
      'Each stage queries the truth of new architectures (stage 1 at random, later ones the best predicted among ' +
      'those not yet queried) and retrains the predictor on everything queried so far. Left: P@top 0.1% of the ' +
      'retrained predictor over all architectures (the fraction of the true best 0.1% it ranks in its own top ' +
      '0.1%). Right: the best ground-truth accuracy among the architectures queried so far. One line per search ' +
      `(colour). Architectures queried after each stage: ${queried}.`,
    axisTitles: [xTitle, y1, y2],
    spec,
  };
}

const ZEROSHOT_BASELINES = new Set(['flops', 'params']);

/** Kendall τ of every zero-shot evaluator as bars, best first; baselines and the vote told apart by colour. */
export function zeroshotKendallFigure(runs: readonly ZeroshotRunDir[], palette: Palette): FigureDef | null {
  if (runs.length === 0) return null;
  const many = runs.length > 1;
  const kindOf = (e: string) =>
    ZEROSHOT_BASELINES.has(e) ? 'free baseline' : e.startsWith('vote') ? 'vote' : 'proxy';
  const values = runs.flatMap((run) =>
    run.rows
      .filter((r) => finite(r.kendall))
      .map((r) => ({
        label: run.label,
        evaluator: r.evaluator,
        kendall: r.kendall,
        kind: kindOf(r.evaluator),
      })),
  );
  if (values.length === 0) return null;
  const best = new Map<string, number>();
  for (const v of values) best.set(v.evaluator, Math.max(best.get(v.evaluator) ?? -Infinity, v.kendall));
  const order = [...best].sort((a, b) => b[1] - a[1]).map(([e]) => e);
  const xTitle = 'Kendall τ against the ground truth';
  const yTitle = 'evaluator';
  const kinds = ['proxy', 'vote', 'free baseline'];
  const spec = {
    title: { text: 'Zero-shot proxies: Kendall τ' },
    data: { values },
    width: 420,
    height: { step: many ? 10 * runs.length : 18 },
    mark: { type: 'bar' },
    encoding: {
      y: { field: 'evaluator', type: 'nominal', title: yTitle, sort: order },
      x: { field: 'kendall', type: 'quantitative', title: xTitle, scale: { domain: [-1, 1] } },
      ...(many
        ? {
            yOffset: { field: 'label' },
            color: colorEnc(
              palette,
              runs.map((r) => r.label),
              'run',
            ),
          }
        : {
            color: {
              field: 'kind',
              type: 'nominal',
              title: 'kind',
              scale: { domain: kinds, range: ['#4c78a8', '#f58518', '#79706e'] },
            },
          }),
    },
  } as unknown as TopLevelSpec;
  const n = uniq(runs.map((r) => r.rows[0].n)).join(' / ');
  return {
    id: 'zeroshot-kendall',
    title: 'Zero-shot proxies: Kendall τ',
    caption:
      `Kendall τ of each zero-shot proxy, their majority vote and the free FLOPs/params baselines over the run’s ` +
      `${n} items, best first. A proxy is only worth its cost where its bar passes the FLOPs bar.` +
      (many ? ' One colour per run.' : ''),
    axisTitles: [xTitle, yTitle],
    spec,
  };
}
