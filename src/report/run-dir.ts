/**
 * Run directories, the input of `nas-surgery report`: detection by the files present, and validation of each format.
 * Every file problem is an {@link InputError} naming the file (and the field or line).
 *
 * Kinds, detected by a marker file (exactly one must be present):
 *
 * - `evaluate` — `criteria.json` (written by `nas-surgery evaluate --out`), optional `items.csv`
 *   (`index,score,truth,flops,pred_rank,true_rank`) and `manifest.json` (`config.label` names the evaluator; else the
 *   directory's name).
 * - `predictors-run` — `summary.json` (written by `nas-surgery predictors run`): an array of
 *   `{ predictor, loss, size, runs, metrics: { <id>: { mean, std, min, max } }, fitSeconds }`.
 * - `predictors-search` — `stages.json` (written by `nas-surgery predictors search`): an array of
 *   `{ stage, queried, precisionTop01, precisionTop1, kendall, bestTruth, bestIndex, bestRank, fitMs }`;
 *   `manifest.json` `config.predictor`, `config.loss` and `config.strategy` name the search.
 * - `zeroshot` — `zeroshot.json` (written by `nas-surgery zeroshot score`): an array of
 *   `{ evaluator, n, nonFinite, kendall, kendall_ci_low?, kendall_ci_high?, spearman, p_top_1, p_top_5, p_top_10,
 *   br_1, br_5 }`, one per proxy and baseline.
 * - `curve` — `curve.json`, criteria of a one-shot (or any trained) evaluator tracked over training epochs:
 *
 *   ```json
 *   {
 *     "label": "supernet C16 N5 (seed 0)",   // required, non-empty: the evaluator's name in the report
 *     "sampler": "deiso",                    // optional: the architecture sampler used in training
 *     "points": [                            // required, ≥ 1 point, distinct epochs (any order; sorted on load)
 *       { "epoch": 40, "criteria": { … } }   // epoch: finite number ≥ 0; criteria: the object of criteria.json
 *     ]
 *   }
 *   ```
 *
 * The criteria object (criteria.json, and each curve point) needs `n`, `pearson`, `kendall`, `spearman`,
 * `precisionTop`, `precisionBottom`, `bestRank` and `worstRank`; `kendallTop`, `kendallBottom`, `flopsGroups`,
 * `isoSpread`, `isoSpreadTruth`, `ci`, `coverage`, `rows`, `benchmark`, `mode`, `truth`, `costGroups` and
 * `classColumn` are optional (as `nas-surgery evaluate` writes them; the last two for a truth file). Any number may be `null` (an undefined value such as τ of a constant group); it is read as NaN.
 * Ratio maps are keyed by the ratio as a decimal string ("0.001", …, "1.0").
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { InputError } from '../io/input-error.js';
import { parseCsvTable } from '../io/read-table.js';

const num = z
  .number()
  .nullable()
  .transform((v) => (v === null ? NaN : v));
const ratioMap = z
  .record(z.string().regex(/^\d+(\.\d+)?$/, 'ratio keys must be decimal strings such as "0.05"'), num)
  .transform((m) => m as Record<string, number>);
const isoSpreadSchema = z.object({ classes: z.number().int().min(0), meanScoreStd: num, meanRankStd: num });
const intervalSchema = z.object({
  low: num,
  high: num,
  level: z.number(),
  resamples: z.number(),
  seed: z.number(),
});

const groupSchema = z.object({
  flopsMin: z.number(),
  flopsMax: z.number(),
  size: z.number().int().min(0),
  meanRankDiff: num,
  kendall: num,
});

export const criteriaSchema = z.object({
  n: z.number().int().positive(),
  /** The benchmark (written since truth files; NAS-Bench-201 when absent). */
  benchmark: z.string().optional(),
  mode: z.string().optional(),
  truth: z.string().optional(),
  coverage: z
    .object({ covered: z.number().int().min(0), total: z.number().int().min(0), fraction: num })
    .optional(),
  rows: z
    .object({ read: z.number(), merged: z.number(), unused: z.number(), unmatched: z.number().optional() })
    .optional(),
  pearson: num,
  kendall: num,
  spearman: num,
  precisionTop: ratioMap,
  precisionBottom: ratioMap,
  bestRank: ratioMap,
  worstRank: ratioMap,
  kendallTop: ratioMap.optional(),
  kendallBottom: ratioMap.optional(),
  flopsGroups: z.array(groupSchema).nullable().optional(),
  /** A truth file's cost-group analyses by cost column (the first is also `flopsGroups`). */
  costGroups: z.array(z.object({ cost: z.string(), groups: z.array(groupSchema) })).optional(),
  classColumn: z.string().optional(),
  truthRows: z.object({ read: z.number(), merged: z.number() }).optional(),
  isoSpread: isoSpreadSchema.nullable().optional(),
  isoSpreadTruth: isoSpreadSchema.nullable().optional(),
  ci: z.object({ kendall: intervalSchema, precisionTop5: intervalSchema }).nullable().optional(),
});
/** A criteria object as read (nulls are NaN). */
export type ReportCriteria = z.output<typeof criteriaSchema>;

export const curveSchema = z.object({
  label: z.string().min(1),
  sampler: z.string().min(1).optional(),
  points: z
    .array(
      z.object({
        epoch: z.number().finite().min(0),
        criteria: criteriaSchema,
        /** The one-shot mean accuracy (curves written before it lack it). */
        meanAccuracy: num.optional(),
        /** Within-class spread of derived isomorphism-class members, and the truth's over them (optional). */
        iso: z
          .object({ members: z.number().int().min(0), spread: isoSpreadSchema, truth: isoSpreadSchema })
          .optional(),
      }),
    )
    .min(1, 'a curve needs at least one point'),
});
export type CurveFile = z.output<typeof curveSchema>;

const statSchema = z.object({ mean: num, std: num, min: num, max: num });
/** The interval over training sets (see metrics/clustered-mean.ts); absent in summaries written before it. */
const overSetsSchema = z.object({ mean: num, low: num, high: num, clusters: z.number().int().min(0) });
export const predictorSummarySchema = z
  .array(
    z.object({
      predictor: z.string().min(1),
      loss: z.string().min(1),
      size: z.number().int().positive(),
      runs: z.number().int().min(0),
      metrics: z.record(z.string(), statSchema),
      overSets: z.record(z.string(), overSetsSchema).optional(),
      fitSeconds: statSchema.optional(),
    }),
  )
  .min(1, 'the summary has no rows');
export type PredictorSummaryRow = z.output<typeof predictorSummarySchema>[number];

export const searchStagesSchema = z
  .array(
    z.object({
      stage: z.number().int().positive(),
      queried: z.number().int().min(0),
      precisionTop01: num,
      precisionTop1: num,
      kendall: num,
      bestTruth: num,
      bestIndex: z.number().int().min(0),
      bestRank: num,
      fitMs: num.optional(),
    }),
  )
  .min(1, 'the search has no stages');
export type SearchStage = z.output<typeof searchStagesSchema>[number];

export const zeroshotSummarySchema = z
  .array(
    z.object({
      evaluator: z.string().min(1),
      n: z.number().int().min(0),
      nonFinite: z.number().int().min(0),
      kendall: num,
      /** The 95% bootstrap interval of τ (summaries written before it lack it). */
      kendall_ci_low: num.optional(),
      kendall_ci_high: num.optional(),
      spearman: num,
      p_top_1: num,
      p_top_5: num,
      p_top_10: num,
      br_1: num,
      br_5: num,
    }),
  )
  .min(1, 'the summary has no rows');
export type ZeroshotSummaryRow = z.output<typeof zeroshotSummarySchema>[number];

/** One row of items.csv. */
export interface ItemRow {
  /** NB201 index, or a truth file's row (0-based). */
  index: number;
  /** A truth file's id of the item (absent for NB201). */
  id?: string;
  score: number;
  truth: number;
  flops: number;
  predRank: number;
  trueRank: number;
}

interface RunDirBase {
  /** The directory as given. */
  dir: string;
  /** Name shown in the report (unique within a report after {@link loadRunDirs}). */
  label: string;
  /** Files read (for the report's manifest). */
  files: string[];
}

export interface EvaluateRunDir extends RunDirBase {
  kind: 'evaluate';
  criteria: ReportCriteria;
  /** Rows of items.csv, or null when the directory has none. */
  items: ItemRow[] | null;
}

export interface PredictorsRunDir extends RunDirBase {
  kind: 'predictors-run';
  summary: PredictorSummaryRow[];
}

export interface PredictorsSearchDir extends RunDirBase {
  kind: 'predictors-search';
  predictor: string | null;
  loss: string | null;
  strategy: string | null;
  stages: SearchStage[];
}

export interface ZeroshotRunDir extends RunDirBase {
  kind: 'zeroshot';
  rows: ZeroshotSummaryRow[];
}

export interface CurveRunDir extends RunDirBase {
  kind: 'curve';
  sampler: string | null;
  points: CurveFile['points'];
}

export type RunDir = EvaluateRunDir | PredictorsRunDir | PredictorsSearchDir | CurveRunDir | ZeroshotRunDir;
export type RunDirKind = RunDir['kind'];

/** The marker file of each kind. */
export const RUN_DIR_MARKERS: Record<RunDirKind, string> = {
  evaluate: 'criteria.json',
  'predictors-run': 'summary.json',
  'predictors-search': 'stages.json',
  curve: 'curve.json',
  zeroshot: 'zeroshot.json',
};

function readJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new InputError(
      `${file}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`,
    );
  }
  if (text.trim() === '') throw new InputError(`${file}: the file is empty`);
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: not valid JSON (${(e as Error).message})`);
  }
}

function validate<S extends z.ZodType>(schema: S, value: unknown, file: string): z.output<S> {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  const issue = r.error.issues[0];
  const where = issue.path.length ? issue.path.map((p) => String(p)).join('.') : '(top level)';
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more problems)` : '';
  throw new InputError(`${file}: ${where}: ${issue.message}${more}`);
}

/** manifest.json's `config`, or {} when the directory has no manifest. */
function readManifestConfig(dir: string, files: string[]): Record<string, unknown> {
  const file = path.join(dir, 'manifest.json');
  if (!existsSync(file)) return {};
  files.push(file);
  const m = readJson(file);
  if (typeof m !== 'object' || m === null || Array.isArray(m)) {
    throw new InputError(`${file}: expected a JSON object`);
  }
  const config = (m as Record<string, unknown>).config;
  return typeof config === 'object' && config !== null ? (config as Record<string, unknown>) : {};
}

const stringOr = (v: unknown, fallback: string | null): string | null =>
  typeof v === 'string' && v.trim() !== '' ? v : fallback;

const ITEM_COLUMNS = ['index', 'score', 'truth', 'pred_rank', 'true_rank'] as const;

/**
 * Parse items.csv (written by `nas-surgery evaluate --out`; quoted fields allowed, as a truth file's ids need);
 * errors name the file and line.
 */
export function parseItemsCsv(text: string, file: string): ItemRow[] {
  const { columns: header, rows: records } = parseCsvTable(text, file, 'item');
  for (const name of ITEM_COLUMNS) {
    if (!header.includes(name)) {
      throw new InputError(`${file}:1: missing column '${name}' (expected ${ITEM_COLUMNS.join(',')},flops)`);
    }
  }
  const hasFlops = header.includes('flops');
  const hasId = header.includes('id');
  const rows = records.map(({ cells: record, where }): ItemRow => {
    const get = (name: string, integer: boolean): number => {
      const raw = record[name] ?? '';
      const v = raw === '' ? NaN : Number(raw);
      if (!Number.isFinite(v) || (integer && (!Number.isInteger(v) || v < 0))) {
        throw new InputError(
          `${where}: ${name} must be ${integer ? 'a non-negative integer' : 'a finite number'}, found '${raw}'`,
        );
      }
      return v;
    };
    return {
      index: get('index', true),
      ...(hasId ? { id: record.id } : {}),
      score: get('score', false),
      truth: get('truth', false),
      flops: hasFlops ? get('flops', false) : NaN,
      predRank: get('pred_rank', true),
      trueRank: get('true_rank', true),
    };
  });
  return rows;
}

/** Which kind of run directory `dir` is (InputError when it is not a directory or holds no marker, or several). */
/**
 * `timings.csv` of a predictors run (`predictor,loss,size,runs,fit_seconds_mean,fit_seconds_std`): the fitting time
 * per group, kept apart from summary.json since it is measured. Min and max are not in it (NaN).
 */
function parseTimingsCsv(text: string, file: string): Map<string, z.infer<typeof statSchema>> {
  const [header, ...lines] = text.trim().split('\n');
  const cols = header.split(',');
  const at = (name: string) => {
    const k = cols.indexOf(name);
    if (k < 0) throw new InputError(`${file}:1: no column '${name}'`);
    return k;
  };
  const [p, l, n, m, sd] = ['predictor', 'loss', 'size', 'fit_seconds_mean', 'fit_seconds_std'].map(at);
  const out = new Map<string, z.infer<typeof statSchema>>();
  lines.forEach((line, k) => {
    const v = line.split(',');
    const mean = Number(v[m]);
    if (!Number.isFinite(mean))
      throw new InputError(`${file}:${k + 2}: fit_seconds_mean '${v[m]}' is not a number`);
    out.set(`${v[p]},${v[l]},${v[n]}`, { mean, std: Number(v[sd]), min: NaN, max: NaN });
  });
  return out;
}

export function detectRunDirKind(dir: string): RunDirKind {
  if (!existsSync(dir)) throw new InputError(`${dir}: no such directory`);
  if (!statSync(dir).isDirectory())
    throw new InputError(`${dir}: not a directory (a run directory is expected)`);
  const found = (Object.entries(RUN_DIR_MARKERS) as [RunDirKind, string][]).filter(([, f]) =>
    existsSync(path.join(dir, f)),
  );
  if (found.length === 0) {
    throw new InputError(
      `${dir}: not a run directory (expected one of ${Object.values(RUN_DIR_MARKERS).join(', ')}: ` +
        'the output of evaluate, predictors run, predictors search, zeroshot score, or a one-shot curve)',
    );
  }
  if (found.length > 1) {
    throw new InputError(
      `${dir}: holds ${found.map(([, f]) => f).join(' and ')}; cannot tell which kind of run it is`,
    );
  }
  return found[0][0];
}

/** Read and validate one run directory. */
export function loadRunDir(dir: string): RunDir {
  const kind = detectRunDirKind(dir);
  const files: string[] = [];
  const base = path.basename(path.resolve(dir));
  const marker = path.join(dir, RUN_DIR_MARKERS[kind]);
  files.push(marker);
  switch (kind) {
    case 'evaluate': {
      const criteria = validate(criteriaSchema, readJson(marker), marker);
      const itemsFile = path.join(dir, 'items.csv');
      let items: ItemRow[] | null = null;
      if (existsSync(itemsFile)) {
        files.push(itemsFile);
        items = parseItemsCsv(readFileSync(itemsFile, 'utf8'), itemsFile);
      }
      const config = readManifestConfig(dir, files);
      return { kind, dir, label: stringOr(config.label, base)!, files, criteria, items };
    }
    case 'predictors-run': {
      const summary = validate(predictorSummarySchema, readJson(marker), marker);
      const timings = path.join(dir, 'timings.csv');
      if (existsSync(timings)) {
        files.push(timings);
        const fit = parseTimingsCsv(readFileSync(timings, 'utf8'), timings);
        for (const row of summary) {
          const t = fit.get(`${row.predictor},${row.loss},${row.size}`);
          if (row.fitSeconds === undefined && t) row.fitSeconds = t;
        }
      }
      readManifestConfig(dir, files);
      return { kind, dir, label: base, files, summary };
    }
    case 'predictors-search': {
      const stages = validate(searchStagesSchema, readJson(marker), marker).sort((a, b) => a.stage - b.stage);
      const config = readManifestConfig(dir, files);
      const predictor = stringOr(config.predictor, null);
      const loss = stringOr(config.loss, null);
      const strategy = stringOr(config.strategy, null);
      const label = predictor
        ? `${predictor}${loss ? ` · ${loss}` : ''}${strategy ? ` · ${strategy}` : ''}`
        : base;
      return { kind, dir, label, files, predictor, loss, strategy, stages };
    }
    case 'curve': {
      const curve = validate(curveSchema, readJson(marker), marker);
      const points = [...curve.points].sort((a, b) => a.epoch - b.epoch);
      for (let i = 1; i < points.length; i++) {
        if (points[i].epoch === points[i - 1].epoch) {
          throw new InputError(`${marker}: points: epoch ${points[i].epoch} appears twice`);
        }
      }
      return { kind, dir, label: curve.label, files, sampler: curve.sampler ?? null, points };
    }
    case 'zeroshot': {
      const rows = validate(zeroshotSummarySchema, readJson(marker), marker);
      readManifestConfig(dir, files);
      return { kind, dir, label: base, files, rows };
    }
  }
}

/**
 * For each of `dirs`, its nearest path component (counting from the end) that no other directory has at the same
 * depth, so that `a/run-1/eval/score` and `a/run-2/eval/score` give `run-1` and `run-2`; the basename when there is
 * none (the same directory twice).
 */
function distinguishingComponent(dirs: readonly string[]): string[] {
  const parts = dirs.map((d) => path.resolve(d).split(path.sep).filter(Boolean).reverse());
  return parts.map((p, k) => {
    for (let i = 0; i < p.length; i++) {
      if (parts.every((q, j) => j === k || q[i] !== p[i])) return p[i];
    }
    return p[0] ?? dirs[k];
  });
}

/**
 * Give every run a unique label: labels that would repeat get the directory component that tells their directories
 * apart appended (the directory's own name when that differs; `run-1` for `run-1/eval/score` against
 * `run-2/eval/score`), then a counter for a directory given twice, so every evaluator keeps its own colour and
 * column. Returns copies; the input is not changed.
 */
export function withUniqueLabels(runs: readonly RunDir[]): RunDir[] {
  const groups = new Map<string, number[]>();
  runs.forEach((r, i) => groups.set(r.label, [...(groups.get(r.label) ?? []), i]));
  const labels = runs.map((r) => r.label);
  for (const [label, idx] of groups) {
    if (idx.length < 2) continue;
    const parts = distinguishingComponent(idx.map((i) => runs[i].dir));
    idx.forEach((i, k) => (labels[i] = `${label} (${parts[k]})`));
  }
  const seen = new Set<string>();
  return runs.map((r, i) => {
    let unique = labels[i];
    for (let k = 2; seen.has(unique); k++) unique = `${labels[i]} #${k}`;
    seen.add(unique);
    return { ...r, label: unique };
  });
}

/** Load several run directories ({@link loadRunDir}), with unique labels ({@link withUniqueLabels}). */
export function loadRunDirs(dirs: readonly string[]): RunDir[] {
  if (dirs.length === 0) throw new InputError('no run directory given');
  return withUniqueLabels(dirs.map(loadRunDir));
}
