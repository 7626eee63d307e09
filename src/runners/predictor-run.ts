import type { GroundTruth } from '../benchmarks/ground-truth.js';
import type { Engine } from '../engine/engine.js';
import { criteriaSuite, type CriteriaSuiteResult } from '../metrics/suite.js';
import { createPredictor } from '../predictors/registry.js';
import type { PredictorConfig } from '../predictors/predictor.js';
import { trainingSet } from './training-sets.js';
import { targetsVectorSha256, type TargetsSpec } from './targets-spec.js';

export type LossName = PredictorConfig['loss'];

/**
 * One cell of the predictor protocol: a predictor trained on one training set with one seed. The
 * {@link TargetsSpec} fields say what it was trained on (a spec saved before they existed was trained on the truth
 * with the `percent` scale, and is read so on resume).
 */
export interface PredictorRunSpec extends TargetsSpec {
  predictor: string;
  loss: LossName;
  size: number;
  /** Which of the training sets of this size (0-based). */
  set: number;
  /** Initialisation / batching / pair-sampling seed. */
  seed: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Base seed of the training-set draws. */
  setSeed: number;
  /** Ground truth the predictions are judged against. */
  truth: string;
}

export interface PredictorRunResult {
  key: string;
  spec: PredictorRunSpec;
  /** NB201 indices of the training set. */
  train: number[];
  criteria: CriteriaSuiteResult;
  fitMs: number;
  predictMs: number;
  /** The engine that trained it (torch, wasm, cpu or webgpu). */
  backend: string;
  /** The predicted scores of all 15,625 architectures, when asked for (not part of the run's JSON). */
  predictions?: Float64Array;
}

export function runKey(s: PredictorRunSpec): string {
  return `${s.predictor}-${s.loss}-n${s.size}-set${s.set}-seed${s.seed}`;
}

/**
 * Train the predictor of `spec` on its training set (targets: the truth, or any evaluator's scores), predict all
 * 15,625 architectures and judge the prediction against the ground truth with the whole criteria suite, training a
 * neural predictor on `engine` (others need none; `options.backend` is then the engine name the run records).
 */
export async function executePredictorRun(
  spec: PredictorRunSpec,
  gt: GroundTruth,
  targets: Float64Array,
  engine: Engine<unknown> | undefined,
  options: { keepPredictions?: boolean; backend?: string } = {},
): Promise<PredictorRunResult> {
  if (spec.targetsSha256 !== undefined && targetsVectorSha256(targets) !== spec.targetsSha256) {
    throw new Error(`${runKey(spec)}: the targets given are not the ones its spec names (targetsSha256)`);
  }
  const train = trainingSet(targets, spec.size, spec.set, spec.setSeed);
  const predictor = createPredictor(
    spec.predictor,
    {
      loss: spec.loss,
      targetScale: spec.targetScale ?? 'percent',
      epochs: spec.epochs,
      batchSize: spec.batchSize,
      learningRate: spec.learningRate,
      seed: spec.seed,
    },
    engine ? { engine } : {},
  );
  try {
    const t0 = performance.now();
    await predictor.fit(
      Array.from(train, (i) => gt.archs[i]),
      Float64Array.from(train, (i) => targets[i]),
    );
    const t1 = performance.now();
    const scores = await predictor.predict(gt.archs);
    const t2 = performance.now();
    const criteria = criteriaSuite(scores, gt.truth(spec.truth), {
      cost: gt.costs().flops,
      classIds: gt.iso().classOf,
      bootstrap: false,
    });
    return {
      key: runKey(spec),
      spec,
      train: Array.from(train),
      criteria,
      fitMs: t1 - t0,
      predictMs: t2 - t1,
      backend: engine?.name ?? options.backend ?? 'none',
      ...(options.keepPredictions ? { predictions: scores } : {}),
    };
  } finally {
    predictor.dispose();
  }
}
