/**
 * Build the report of one or more run directories: figures rendered to SVG in Node, tables, and one self-contained
 * HTML page.
 */
import { InputError } from '../io/input-error.js';
import { packageInfo } from '../io/manifest.js';
import {
  curveCriteriaFigure,
  curveIsoSpreadFigure,
  curvePrecisionFigure,
  flopsGroupsFigure,
  Palette,
  predictorSizeFigure,
  rankScatterFigure,
  searchStagesFigure,
  zeroshotKendallFigure,
  topKFigure,
  type EvaluatorCriteria,
  type FigureDef,
} from './figures.js';
import { reportHtml, type HtmlBlock, type HtmlSection } from './html.js';
import { inlineSvg, renderVegaLiteSvg } from './render.js';
import {
  headlineCriteriaTable,
  inputsTable,
  isoSpreadTable,
  predictorTable,
  samplingTable,
  searchTable,
  zeroshotTable,
  type TableDef,
} from './report-tables.js';
import {
  loadRunDir,
  withUniqueLabels,
  type CurveRunDir,
  type EvaluateRunDir,
  type PredictorsRunDir,
  type PredictorsSearchDir,
  type ZeroshotRunDir,
  type RunDir,
} from './run-dir.js';

export interface ReportFigure extends FigureDef {
  /** Figure number in the page. */
  number: number;
  /** The standalone SVG (with its XML namespaces). */
  svg: string;
}

export interface ReportTable extends TableDef {
  number: number;
}

export interface Report {
  html: string;
  figures: ReportFigure[];
  tables: ReportTable[];
  runs: RunDir[];
}

export interface BuildReportOptions {
  /** Page title (default: "nas-surgery report"). */
  title?: string;
  /** Time stamp shown in the page (default: now). */
  generatedAt?: Date;
  /**
   * Relative folder (from the HTML file) where the figures are exported as `<id>.svg` / `<id>.png`; the captions
   * link to them. Null or omitted: no links.
   */
  figuresHref?: string | null;
}

/** The folder name of the exported figures of `FILE.html`: `FILE-figures`. */
export function figuresFolderName(htmlFile: string): string {
  const base = htmlFile.replace(/\\/g, '/').split('/').pop() ?? htmlFile;
  return `${base.replace(/\.html?$/i, '')}-figures`;
}

/**
 * Build the report: `runs` are run directories (paths, loaded with {@link loadRunDir}) or already loaded ones.
 * Figures and tables appear when their data is present; an evaluator keeps its colour across figures.
 */
export async function buildReport(
  runs: readonly (string | RunDir)[],
  options: BuildReportOptions = {},
): Promise<Report> {
  if (runs.length === 0) throw new InputError('no run directory given');
  const loaded = withUniqueLabels(runs.map((r) => (typeof r === 'string' ? loadRunDir(r) : r)));
  const evals = loaded.filter((r): r is EvaluateRunDir => r.kind === 'evaluate');
  const curves = loaded.filter((r): r is CurveRunDir => r.kind === 'curve');
  const predictors = loaded.filter((r): r is PredictorsRunDir => r.kind === 'predictors-run');
  const searches = loaded.filter((r): r is PredictorsSearchDir => r.kind === 'predictors-search');
  const zeroshots = loaded.filter((r): r is ZeroshotRunDir => r.kind === 'zeroshot');

  // Evaluators (evaluate dirs and curves) keep one colour across figures; predictors and searches have their own.
  const palette = new Palette();
  for (const r of [...evals, ...curves]) palette.color(r.label);
  const finals: EvaluatorCriteria[] = markMixed([
    ...evals.map((e) => ({ label: e.label, criteria: e.criteria, colorKey: e.label })),
    ...curves.map((c) => {
      const last = c.points[c.points.length - 1];
      return { label: `${c.label} (epoch ${last.epoch})`, criteria: last.criteria, colorKey: c.label };
    }),
  ]);

  let figureNo = 0;
  let tableNo = 0;
  const figures: ReportFigure[] = [];
  const tables: ReportTable[] = [];
  const figure = async (def: FigureDef | null): Promise<HtmlBlock[]> => {
    if (!def) return [];
    const svg = await renderVegaLiteSvg(def.spec);
    const f: ReportFigure = { ...def, number: ++figureNo, svg };
    figures.push(f);
    const href = options.figuresHref;
    return [
      {
        kind: 'figure',
        figure: {
          id: f.id,
          number: f.number,
          title: f.title,
          caption: f.caption,
          svg: inlineSvg(svg, `fig-${f.id}`),
          files: href ? { svg: `${href}/${f.id}.svg`, png: `${href}/${f.id}.png` } : null,
        },
      },
    ];
  };
  const table = (def: TableDef | null): HtmlBlock[] => {
    if (!def) return [];
    const t: ReportTable = { ...def, number: ++tableNo };
    tables.push(t);
    return [{ kind: 'table', table: t }];
  };

  const sections: HtmlSection[] = [];
  const section = (id: string, title: string, intro: string, blocks: HtmlBlock[]) => {
    if (blocks.length) sections.push({ id, title, intro, blocks });
  };
  // Built in page order so that figures and tables are numbered as they appear.
  section(
    'sec-evaluators',
    'Evaluators against the ground truth',
    'Every evaluate run directory (and every one-shot curve at its last checkpoint) judged with the criteria of ' +
      'A Surgery of the Neural Architecture Evaluators. Higher = better except BR@K, WR@K and rank errors.',
    [
      ...table(headlineCriteriaTable(evals)),
      ...(await figure(topKFigure(finals, palette))),
      ...(await figure(rankScatterFigure(evals, palette))),
      ...(await figure(flopsGroupsFigure(finals, palette))),
      ...table(isoSpreadTable(evals)),
    ],
  );
  section(
    'sec-curves',
    'One-shot evaluators during training',
    'Criteria of one-shot (parameter-sharing) evaluators at training checkpoints.',
    [
      ...(await figure(curveCriteriaFigure(curves, palette))),
      ...(await figure(curvePrecisionFigure(curves, palette))),
      ...(await figure(curveIsoSpreadFigure(curves, palette))),
      ...table(samplingTable(curves)),
    ],
  );
  section(
    'sec-predictors',
    'Predictor-based evaluators',
    'Learned performance predictors trained on samples of the space and judged on all architectures.',
    [...(await figure(predictorSizeFigure(predictors, new Palette()))), ...table(predictorTable(predictors))],
  );
  section(
    'sec-zeroshot',
    'Zero-shot proxies',
    'Training-free estimators computed on an untrained network from one batch of images (docs/method.md §6 of nas-surgery).',
    [...(await figure(zeroshotKendallFigure(zeroshots, new Palette()))), ...table(zeroshotTable(zeroshots))],
  );
  section(
    'sec-search',
    'Predictor-based search',
    'Multi-stage search: query architectures, retrain the predictor on everything queried, repeat.',
    [...(await figure(searchStagesFigure(searches, new Palette()))), ...table(searchTable(searches))],
  );

  const pkg = packageInfo();
  const when = (options.generatedAt ?? new Date())
    .toISOString()
    .replace('T', ' ')
    .replace(/\.\d+Z$/, ' UTC');
  const html = reportHtml({
    title: options.title ?? 'nas-surgery report',
    meta:
      `Generated by ${pkg.name} ${pkg.version} on ${when} from ${loaded.length} run ` +
      `director${loaded.length === 1 ? 'y' : 'ies'}: ${figures.length} figures, ${tables.length} tables. ` +
      'This page is self-contained and loads nothing from the network.',
    inputs: inputsTable(loaded),
    sections,
  });
  return { html, figures, tables, runs: loaded };
}

/**
 * Evaluators judged on different item sets (another N) or modes are not comparable point for point: when they are
 * shown side by side, each label says its N and mode (e.g. "flops [N 6466, deiso]").
 */
export function markMixed(finals: EvaluatorCriteria[]): EvaluatorCriteria[] {
  const ns = new Set(finals.map((f) => f.criteria.n));
  const modes = new Set(finals.map((f) => f.criteria.mode ?? 'iso'));
  if (ns.size <= 1 && modes.size <= 1) return finals;
  return finals.map((f) => ({
    ...f,
    label: `${f.label} [N ${f.criteria.n}, ${f.criteria.mode ?? 'iso'}]`,
  }));
}
