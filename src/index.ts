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
} from './bench/ground-truth.js';
export { TRUTH_NAMES, TRUTH_DESCRIPTIONS, isTruthName, type TruthName } from './bench/truth-names.js';
export {
  evaluate,
  evaluateScoreFile,
  evaluateRows,
  evaluateArchScores,
  DEFAULT_BOOTSTRAP,
  type EvaluateOptions,
  type EvaluationResult,
  type ScoreEntry,
} from './surgery/evaluate.js';
export { FREE_EVALUATORS, freeEvaluatorScores, type FreeEvaluatorName } from './surgery/free-evaluators.js';
export { readScoreFile, parseCsvScores, parseJsonScores, type RawScore } from './scores/read-score-file.js';
export { resolveScores, type ArchScores, type DedupePolicy } from './scores/resolve-scores.js';
export { alignToTruth, type AlignedScores } from './scores/align-to-truth.js';
export { InputError } from './io/input-error.js';
export { writeFileAtomic, writeResultFiles } from './io/atomic-write.js';
export { makeManifest, type Manifest } from './io/manifest.js';
export { evaluationText, evaluationMarkdown } from './report/evaluation-summary.js';
