/**
 * `nas-surgery report`: one self-contained HTML report (inline SVG charts rendered in Node with vega-lite, HTML
 * tables) from one or more run directories, with every figure also exported as SVG and PNG.
 *
 *   const { report, written } = await createReport(['runs/flops', 'runs/gates'], 'out/report.html');
 *   const report = await buildReport([loadRunDir('runs/flops')]);   // html + figures in memory
 */
export {
  loadRunDir,
  loadRunDirs,
  detectRunDirKind,
  withUniqueLabels,
  parseItemsCsv,
  criteriaSchema,
  curveSchema,
  predictorSummarySchema,
  searchStagesSchema,
  RUN_DIR_MARKERS,
  type RunDir,
  type RunDirKind,
  type EvaluateRunDir,
  type PredictorsRunDir,
  type PredictorsSearchDir,
  type CurveRunDir,
  type ZeroshotRunDir,
  type CurveFile,
  type ReportCriteria,
  type ItemRow,
  type PredictorSummaryRow,
  type SearchStage,
} from './run-dir.js';
export {
  buildReport,
  figuresFolderName,
  type Report,
  type ReportFigure,
  type ReportTable,
  type BuildReportOptions,
} from './build-report.js';
export {
  writeReport,
  createReport,
  reportPaths,
  type WriteReportOptions,
  type WrittenReport,
} from './write-report.js';
export { renderVegaLiteSvg, svgToPng, inlineSvg } from './render.js';
export { subsampleByTrueRank, SCATTER_MAX_POINTS, type FigureDef } from './figures.js';
export { escapeHtml, tableHtml } from './html.js';
