/**
 * Predictor-based evaluators (method §5), NASLib-style: fit on (architecture, score) pairs, predict scores for
 * any architectures. Scores are "higher = better" both ways.
 */
import type { Arch } from '../space/arch.js';
import { TARGET_SCALES, type TargetScale } from './target-scale.js';

export interface Predictor {
  readonly name: string;
  /**
   * Train from scratch (a second call starts again from the seed's initial weights).
   * `targets`: any score, higher = better; the regression loss maps them to [0, 1] as the config's
   * `targetScale` says (`percent`, the default, takes accuracies in % and refuses anything outside [0, 100]).
   */
  fit(archs: readonly Arch[], targets: Float64Array): Promise<void>;
  /** Scores for `archs`, higher = better. */
  predict(archs: readonly Arch[]): Promise<Float64Array>;
  /** Release tensors and models; the predictor can be fitted again afterwards. */
  dispose(): void;
}

export const PREDICTOR_LOSSES = ['ranking', 'regression'] as const;
export type PredictorLoss = (typeof PREDICTOR_LOSSES)[number];

export interface PredictorConfig {
  /**
   * `ranking`: pairwise hinge on raw scores; `regression`: MSE of sigmoid(score) against the targets mapped to
   * [0, 1] by `targetScale`.
   */
  loss: PredictorLoss;
  /**
   * How the regression loss maps targets to [0, 1] (see target-scale.ts): `percent` (y / 100, targets must be in
   * [0, 100]) or `minmax` (over the training set). The ranking loss, the random forest and the training-free
   * baselines are scale-free and ignore it.
   */
  targetScale: TargetScale;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Integer seed; fixes weight initialisation, shuffling, pair sampling, dropout and tree sampling. */
  seed: number;
}

/**
 * method §5: ranking loss, Adam lr 1e-3, batch 512, 200 epochs (seed 20 = the protocol's first seed); regression
 * targets in % (the paper's NB201 accuracies).
 */
export const DEFAULT_PREDICTOR_CONFIG: Readonly<PredictorConfig> = Object.freeze({
  loss: 'ranking',
  targetScale: 'percent',
  epochs: 200,
  batchSize: 512,
  learningRate: 1e-3,
  seed: 20,
});

/** Fill in defaults and check every field. */
export function resolvePredictorConfig(config: Partial<PredictorConfig> = {}): PredictorConfig {
  const c: PredictorConfig = { ...DEFAULT_PREDICTOR_CONFIG };
  for (const [k, v] of Object.entries(config))
    if (v !== undefined) (c as unknown as Record<string, unknown>)[k] = v;
  if (!(PREDICTOR_LOSSES as readonly string[]).includes(c.loss)) {
    throw new Error(`predictor config: unknown loss '${c.loss}' (available: ${PREDICTOR_LOSSES.join(', ')})`);
  }
  if (!(TARGET_SCALES as readonly string[]).includes(c.targetScale)) {
    throw new Error(
      `predictor config: unknown targetScale '${c.targetScale}' (available: ${TARGET_SCALES.join(', ')})`,
    );
  }
  if (!Number.isInteger(c.epochs) || c.epochs < 0) {
    throw new Error(`predictor config: epochs must be a non-negative integer, got ${c.epochs}`);
  }
  if (!Number.isInteger(c.batchSize) || c.batchSize < 1) {
    throw new Error(`predictor config: batchSize must be a positive integer, got ${c.batchSize}`);
  }
  if (!(Number.isFinite(c.learningRate) && c.learningRate > 0)) {
    throw new Error(`predictor config: learningRate must be a positive number, got ${c.learningRate}`);
  }
  if (!Number.isSafeInteger(c.seed)) {
    throw new Error(`predictor config: seed must be an integer, got ${c.seed}`);
  }
  return c;
}

/** Shared argument checks for `fit`. */
export function checkFitArgs(name: string, archs: readonly Arch[], targets: Float64Array): void {
  if (archs.length !== targets.length) {
    throw new Error(`${name}.fit: ${archs.length} architectures but ${targets.length} targets`);
  }
  if (archs.length === 0) throw new Error(`${name}.fit: no training architectures`);
  for (let i = 0; i < targets.length; i++) {
    if (!Number.isFinite(targets[i]))
      throw new Error(`${name}.fit: target ${i} is not finite (${targets[i]})`);
  }
}
