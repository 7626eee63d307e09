/**
 * Random-forest predictor (SPEC §5): 100 regression trees on seq6 (op indices as ordinal features),
 * max_features 0.5, via ml-random-forest.
 *
 * Differences from scikit-learn's RandomForestRegressor that a reader should know: ml-random-forest draws the
 * feature subset once per tree (3 of the 6 edges, without replacement), not at every split; each tree is fitted
 * on a bootstrap sample (as sklearn's default), and trees are ml-cart regression trees (no depth limit). The
 * seed fixes the bootstrap and feature draws, so fits are reproducible.
 */
import { RandomForestRegression } from 'ml-random-forest';
import type { Arch } from '../space/arch.js';
import { checkFitArgs, resolvePredictorConfig, type Predictor, type PredictorConfig } from './predictor.js';

export const RF_TREES = 100;
export const RF_MAX_FEATURES = 0.5;

function seq6Rows(archs: readonly Arch[]): number[][] {
  return archs.map((a) => Array.from(a));
}

export class RandomForestPredictor implements Predictor {
  readonly name = 'rf';
  readonly config: Readonly<PredictorConfig>;
  private forest: RandomForestRegression | null = null;

  constructor(config: Partial<PredictorConfig> = {}) {
    this.config = resolvePredictorConfig(config);
  }

  async fit(archs: readonly Arch[], targets: Float64Array): Promise<void> {
    checkFitArgs(this.name, archs, targets);
    const forest = new RandomForestRegression({
      nEstimators: RF_TREES,
      maxFeatures: RF_MAX_FEATURES,
      replacement: false,
      useSampleBagging: true,
      noOOB: true,
      // ml-random-forest wants a 32-bit integer seed.
      seed: this.config.seed | 0,
    });
    forest.train(seq6Rows(archs), Array.from(targets));
    this.forest = forest;
  }

  async predict(archs: readonly Arch[]): Promise<Float64Array> {
    if (!this.forest) throw new Error(`${this.name}.predict: call fit first`);
    if (archs.length === 0) return new Float64Array(0);
    return Float64Array.from(this.forest.predict(seq6Rows(archs)));
  }

  dispose(): void {
    this.forest = null;
  }
}

export function createRandomForestPredictor(config: Partial<PredictorConfig> = {}): RandomForestPredictor {
  return new RandomForestPredictor(config);
}
