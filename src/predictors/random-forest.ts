/**
 * Random-forest predictor (method §5): 100 regression trees on seq6 (op indices as ordinal features),
 * max_features 0.5 (3 of the 6 edges searched at every split), bootstrap samples, fully grown trees: the
 * semantics of scikit-learn's RandomForestRegressor, implemented in {@link fitForest}. The seed fixes the
 * bootstrap and feature draws, so fits are reproducible.
 */
import type { Arch } from '../space/arch.js';
import { NUM_EDGES } from '../space/arch.js';
import { packOps } from '../space/encodings.js';
import { NUM_OPS } from '../space/ops.js';
import { checkFitArgs, resolvePredictorConfig, type Predictor, type PredictorConfig } from './predictor.js';
import { fitForest, predictForest, type RegressionForest } from './regression-forest.js';

export const RF_TREES = 100;
export const RF_MAX_FEATURES = 0.5;

export class RandomForestPredictor implements Predictor {
  readonly name = 'rf';
  readonly config: Readonly<PredictorConfig>;
  private forest: RegressionForest | null = null;

  constructor(config: Partial<PredictorConfig> = {}) {
    this.config = resolvePredictorConfig(config);
  }

  async fit(archs: readonly Arch[], targets: Float64Array): Promise<void> {
    checkFitArgs(this.name, archs, targets);
    const forest = fitForest(packOps(archs), Float64Array.from(targets), NUM_EDGES, {
      trees: RF_TREES,
      maxFeatures: RF_MAX_FEATURES,
      numValues: NUM_OPS,
      seed: this.config.seed,
    });
    this.forest = forest;
  }

  async predict(archs: readonly Arch[]): Promise<Float64Array> {
    if (!this.forest) throw new Error(`${this.name}.predict: call fit first`);
    if (archs.length === 0) return new Float64Array(0);
    return predictForest(this.forest, packOps(archs));
  }

  dispose(): void {
    this.forest = null;
  }
}

export function createRandomForestPredictor(config: Partial<PredictorConfig> = {}): RandomForestPredictor {
  return new RandomForestPredictor(config);
}
