/**
 * Predictor training losses (method §5), over any engine, with plain-JS reference versions for tests.
 *
 * - ranking: over sampled pairs (a, b) with y_a ≠ y_b, mean of max(0, margin − sign(y_a − y_b)·(s_a − s_b))
 *   on raw scores, margin 0.1;
 * - regression: mean of (sigmoid(s) − y)², y a target already in [0, 1]: the training loop maps the training set's
 *   targets there first, as the config's target scale says (`percent`: accuracy / 100; `minmax`: affinely over the
 *   training set; see target-scale.ts).
 *
 * The ranking loss only uses the signs of target differences, so no target scale applies to it.
 */
import type { Engine } from '../engine/engine.js';
import { PAIRS_PER_ITEM, samplePairs } from './pair-sampling.js';
import type { PredictorLoss } from './predictor.js';
import type { RandomGenerator } from './rng.js';

export const RANKING_MARGIN = 0.1;

/** Ranking hinge loss on the given pairs (interleaved a, b); 0 when there are no pairs. */
export function rankingLoss<T>(
  e: Engine<T>,
  scores: T,
  targets: ArrayLike<number>,
  pairs: Int32Array,
  margin = RANKING_MARGIN,
): T {
  const n = e.canonicalShape(scores)[0];
  if (targets.length !== n) throw new Error(`rankingLoss: ${n} scores but ${targets.length} targets`);
  const k = pairs.length / 2;
  if (k === 0) return e.tensor(new Float32Array(1), []);
  const sign = new Float32Array(k);
  for (let t = 0; t < k; t++) sign[t] = Math.sign(targets[pairs[2 * t]] - targets[pairs[2 * t + 1]]);
  return e.scope(() => {
    const agreement = e.mul(e.pairDifference(scores, pairs), e.tensor(sign, [k]));
    // margin − agreement, written −agreement + margin (the same float).
    return e.mean(e.relu(e.addScalar(e.mulScalar(agreement, -1), margin)));
  });
}

/** MSE between sigmoid(score) and targets in [0, 1] (scaled beforehand by the training loop, see target-scale.ts). */
export function regressionLoss<T>(e: Engine<T>, scores: T, targets: ArrayLike<number>): T {
  const n = e.canonicalShape(scores)[0];
  if (targets.length !== n) throw new Error(`regressionLoss: ${n} scores but ${targets.length} targets`);
  const y = Float32Array.from(targets);
  return e.scope(() => e.mean(e.square(e.sub(e.sigmoid(scores), e.tensor(y, [n])))));
}

/** Plain-JS reference of {@link rankingLoss} (float64). */
export function rankingLossReference(
  scores: ArrayLike<number>,
  targets: ArrayLike<number>,
  pairs: Int32Array,
  margin = RANKING_MARGIN,
): number {
  const k = pairs.length / 2;
  if (k === 0) return 0;
  let sum = 0;
  for (let t = 0; t < k; t++) {
    const a = pairs[2 * t];
    const b = pairs[2 * t + 1];
    sum += Math.max(0, margin - Math.sign(targets[a] - targets[b]) * (scores[a] - scores[b]));
  }
  return sum / k;
}

/** Plain-JS reference of {@link regressionLoss} (float64). */
export function regressionLossReference(scores: ArrayLike<number>, targets: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < scores.length; i++) {
    const d = 1 / (1 + Math.exp(-scores[i])) - targets[i];
    sum += d * d;
  }
  return sum / scores.length;
}

/**
 * The loss of one batch (`pairs` from {@link batchPairs}; ignored by the regression loss). `targets`: raw for the
 * ranking loss, in [0, 1] for the regression loss.
 */
export function batchLoss<T>(
  e: Engine<T>,
  loss: PredictorLoss,
  scores: T,
  targets: ArrayLike<number>,
  pairs: Int32Array | null,
): T {
  if (loss === 'regression') return regressionLoss(e, scores, targets);
  return rankingLoss(e, scores, targets, pairs ?? new Int32Array(0));
}

/** The ranking pairs of a batch (at most 4·n), or null for the regression loss. */
export function batchPairs(
  loss: PredictorLoss,
  targets: ArrayLike<number>,
  rng: RandomGenerator,
): Int32Array | null {
  return loss === 'ranking' ? samplePairs(targets, PAIRS_PER_ITEM * targets.length, rng) : null;
}
