/**
 * A {@link Predictor} around a {@link NeuralModel} on an engine: every fit builds fresh weights from the seed, trains
 * with the shared loop and keeps the model for predict until dispose.
 */
import type { Engine } from '../engine/engine.js';
import { tfBackendModule, tfjsEngineModule } from '../engine/tfjs-loader.js';
import type { Arch } from '../space/arch.js';
import { Dropout, ParamStore } from './layers.js';
import { checkFitArgs, resolvePredictorConfig, type Predictor, type PredictorConfig } from './predictor.js';
import { Rng } from './rng.js';
import { packOps, predictModel, trainModel, type NeuralModel } from './train-loop.js';

/** Builds a model, creating its parameters in `params` (seeded initialisation). */
export type ModelBuilder = <T>(params: ParamStore<T>) => NeuralModel<T>;

/** Where a predictor runs: the engine of its model (default: tfjs, on its active backend, wasm unless set). */
export interface PredictorRuntime {
  engine?: Engine<unknown>;
}

/** Rows per forward pass when predicting. */
export const PREDICT_CHUNK = 2048;

/** Seed streams derived from the config seed. */
const WEIGHTS_STREAM = 1;
const TRAINING_STREAM = 2;
const DROPOUT_STREAM = 3;

export class NeuralPredictor implements Predictor {
  readonly config: Readonly<PredictorConfig>;
  private params: ParamStore<unknown> | null = null;
  private model: NeuralModel<unknown> | null = null;

  constructor(
    readonly name: string,
    config: Partial<PredictorConfig>,
    private readonly build: ModelBuilder,
    private readonly runtime: PredictorRuntime = {},
    /** Dropout rate of the model's MLP layers during training. */
    readonly dropoutRate = 0.1,
  ) {
    this.config = resolvePredictorConfig(config);
  }

  private async engine(): Promise<Engine<unknown>> {
    if (this.runtime.engine) return this.runtime.engine;
    await (await tfBackendModule()).ensureTensorflow();
    return (await tfjsEngineModule()).tfjsEngine() as Engine<unknown>;
  }

  async fit(archs: readonly Arch[], targets: Float64Array): Promise<void> {
    checkFitArgs(this.name, archs, targets);
    const engine = await this.engine();
    this.dispose();
    const { seed } = this.config;
    const params = new ParamStore(engine, Rng.derive(seed, WEIGHTS_STREAM));
    this.params = params;
    try {
      this.model = this.build(params);
      trainModel(engine, this.model, packOps(archs), targets, {
        ...this.config,
        rng: Rng.derive(seed, TRAINING_STREAM),
        dropout:
          this.dropoutRate > 0 ? new Dropout(this.dropoutRate, Rng.derive(seed, DROPOUT_STREAM)) : null,
      });
    } catch (e) {
      this.dispose();
      throw e;
    }
  }

  async predict(archs: readonly Arch[]): Promise<Float64Array> {
    if (!this.model || !this.params) throw new Error(`${this.name}.predict: call fit first`);
    return predictModel(this.params.engine, this.model, packOps(archs), PREDICT_CHUNK);
  }

  /** Number of trainable scalars (after fit). */
  parameterCount(): number {
    return this.params ? this.params.size() : 0;
  }

  dispose(): void {
    this.params?.dispose();
    this.params = null;
    this.model = null;
  }
}
