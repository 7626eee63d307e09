/**
 * nas-surgery: how far can you trust a fast neural-architecture evaluator?
 * The public library API; the CLI (`nas-surgery`) is a thin layer over it.
 */
export * from './space/index.js';
export * from './metrics/index.js';
export {
  GroundTruth,
  loadGroundTruth,
  EVAL_MODES,
  type EvalMode,
  type ArchRecord,
  DEFAULT_BUNDLE_PATH,
} from './benchmarks/ground-truth.js';
export { TRUTH_NAMES, TRUTH_DESCRIPTIONS, isTruthName, type TruthName } from './benchmarks/truth-names.js';
export {
  evaluate,
  evaluateScoreFile,
  evaluateRows,
  evaluateArchScores,
  evaluateArchScoresDetailed,
  DEFAULT_BOOTSTRAP,
  type EvaluateOptions,
  type EvaluationResult,
  type ScoreEntry,
} from './surgery/evaluate.js';
export {
  evaluateTable,
  type TableEvaluateOptions,
  type TableEvaluation,
  type ColumnEvaluation,
} from './surgery/evaluate-table.js';
export { evaluateAgainstTruthFile, type IdScore } from './surgery/evaluate-truth-file.js';
export { loadTruthFile, type TruthFileBenchmark, type TruthFileOptions } from './benchmarks/truth-file.js';
export { naslibKeyToArch, archToNaslibKey, readNaslibZc } from './benchmarks/naslib-zc.js';
export { FREE_EVALUATORS, freeEvaluatorScores, type FreeEvaluatorName } from './surgery/free-evaluators.js';
export { readScoreFile, parseCsvScores, parseJsonScores, type RawScore } from './scores/read-score-file.js';
export { resolveScores, type ArchScores, type DedupePolicy } from './scores/resolve-scores.js';
export { alignToTruth, type AlignedScores } from './scores/align-to-truth.js';
export * from './predictors/index.js';
export { initTensorflow } from './engine/tfjs-loader.js';
export { loadEngine, torchAvailable } from './engine/registry.js';
export { BackendUnavailableError } from './engine/engine-errors.js';
export {
  runPredictorProtocol,
  expandGrid,
  PROTOCOL_DEFAULTS,
  type ProtocolOptions,
} from './runners/predictor-protocol.js';
export { trainingSet } from './runners/training-sets.js';
export {
  executePredictorRun,
  runKey,
  type PredictorRunSpec,
  type PredictorRunResult,
} from './runners/predictor-run.js';
export {
  runPredictorSearch,
  type SearchOptions,
  type StageResult,
  type SearchStrategy,
} from './runners/predictor-search.js';
export { summarizeRuns, SUMMARY_METRICS, type SummaryRow } from './runners/aggregate-runs.js';
export { sampleWithoutReplacement } from './runners/training-sets.js';
export { loadTargets } from './scores/targets.js';
export { itemsCsv } from './scores/items-csv.js';
export { InputError } from './io/input-error.js';
export { writeFileAtomic, writeResultFiles } from './io/atomic-write.js';
export { makeManifest, type Manifest } from './io/manifest.js';
export { evaluationText, evaluationMarkdown } from './report/evaluation-summary.js';
export { buildReport, createReport, writeReport, loadRunDir, loadRunDirs } from './report/index.js';
