/** Public API of the predictor-based evaluators (method §5). */
export {
  DEFAULT_PREDICTOR_CONFIG,
  PREDICTOR_LOSSES,
  resolvePredictorConfig,
  type Predictor,
  type PredictorConfig,
  type PredictorLoss,
} from './predictor.js';
export {
  registerPredictor,
  unregisterPredictor,
  createPredictor,
  listPredictors,
  predictorDescription,
  type PredictorEntry,
} from './registry.js';
export {
  TARGET_SCALES,
  MINMAX_CONSTANT,
  scaleTargets,
  firstOutsidePercent,
  type TargetScale,
} from './target-scale.js';
export { samplePairs, countValidPairs, PAIRS_PER_ITEM } from './pair-sampling.js';
export {
  RANKING_MARGIN,
  rankingLoss,
  regressionLoss,
  rankingLossReference,
  regressionLossReference,
} from './losses.js';
export {
  NeuralPredictor,
  PREDICT_CHUNK,
  type ModelBuilder,
  type PredictorRuntime,
} from './neural-predictor.js';
export { trainModel, predictModel, packOps, type NeuralModel, type TrainOptions } from './train-loop.js';
export { createMlpPredictor, buildMlp } from './mlp.js';
export { createLstmPredictor, buildLstm } from './lstm.js';
export { createGatesPredictor, buildGates } from './gates.js';
export { RandomForestPredictor, createRandomForestPredictor } from './random-forest.js';
export { CostPredictor, type CostKind } from './cost-baselines.js';
export { Rng } from './rng.js';
