/**
 * Predictor training losses (SPEC §5), as tfjs ops, with plain-JS reference versions for tests.
 *
 * - ranking: over sampled pairs (a, b) with y_a ≠ y_b, mean of max(0, margin − sign(y_a − y_b)·(s_a − s_b))
 *   on raw scores, margin 0.1;
 * - regression: mean of (sigmoid(s) − y)², y a target already in [0, 1]: the training loop maps the training set's
 *   targets there first, as the config's target scale says (`percent`: accuracy / 100; `minmax`: affinely over the
 *   training set; see target-scale.ts).
 *
 * The ranking loss only uses the signs of target differences, so no target scale applies to it.
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from './layers.js';
import { HOST_BACKENDS } from './optimizer.js';
import { PAIRS_PER_ITEM, samplePairs } from './pair-sampling.js';
import type { PredictorLoss } from './predictor.js';
import type { RandomGenerator } from './rng.js';

export const RANKING_MARGIN = 0.1;

function splitPairs(pairs: Int32Array): { first: Int32Array; second: Int32Array } {
  if (pairs.length % 2 !== 0)
    throw new Error('pairs must hold an even number of indices (a0, b0, a1, b1, ...)');
  const k = pairs.length / 2;
  const first = new Int32Array(k);
  const second = new Int32Array(k);
  for (let t = 0; t < k; t++) {
    first[t] = pairs[2 * t];
    second[t] = pairs[2 * t + 1];
  }
  return { first, second };
}

/**
 * s[a_t] − s[b_t] for each pair t. Forward by gather; gather's own gradient is missing on the wasm backend, so
 * the gradient (a scatter-add of ±dy) is computed on the host for the wasm and cpu backends (O(pairs)), and as a
 * product with the dense ±1 pair matrix elsewhere.
 */
export function pairwiseDifference(
  scores: tf.Tensor1D,
  pairs: Int32Array,
  hostGradient = HOST_BACKENDS.has(tf.getBackend()),
): tf.Tensor1D {
  const { first, second } = splitPairs(pairs);
  const n = scores.shape[0];
  const k = first.length;
  const op = customOp(([s], save) => {
    const ia = tf.tensor1d(first, 'int32');
    const ib = tf.tensor1d(second, 'int32');
    save([ia, ib]); // saved, not captured: the forward pass's tidy disposes what it does not return or save
    return {
      value: tf.sub(tf.gather(s, ia), tf.gather(s, ib)),
      gradFunc: (dy, saved) => {
        if (hostGradient) {
          const g = dy.dataSync();
          const ds = new Float32Array(n);
          for (let t = 0; t < k; t++) {
            ds[first[t]] += g[t];
            ds[second[t]] -= g[t];
          }
          return tf.tensor1d(ds);
        }
        const [sa, sb] = saved;
        // int32 one-hot then a cast: tfjs-backend-wasm 4.22's OneHot writes int32 bits into a float32 output.
        const d = tf.cast(tf.sub(tf.oneHot(sa, n), tf.oneHot(sb, n)), 'float32') as tf.Tensor2D;
        return tf.reshape(tf.matMul(tf.reshape(dy, [1, k]), d), [n]);
      },
    };
  });
  return op(scores) as tf.Tensor1D;
}

/** Ranking hinge loss on the given pairs (interleaved a, b); 0 when there are no pairs. */
export function rankingLoss(
  scores: tf.Tensor1D,
  targets: ArrayLike<number>,
  pairs: Int32Array,
  margin = RANKING_MARGIN,
): tf.Scalar {
  if (targets.length !== scores.shape[0]) {
    throw new Error(`rankingLoss: ${scores.shape[0]} scores but ${targets.length} targets`);
  }
  const k = pairs.length / 2;
  if (k === 0) return tf.scalar(0);
  const sign = new Float32Array(k);
  for (let t = 0; t < k; t++) sign[t] = Math.sign(targets[pairs[2 * t]] - targets[pairs[2 * t + 1]]);
  return tf.tidy(() => {
    const agreement = tf.mul(pairwiseDifference(scores, pairs), tf.tensor1d(sign));
    return tf.mean(tf.relu(tf.sub(margin, agreement))) as tf.Scalar;
  });
}

/** MSE between sigmoid(score) and targets in [0, 1] (scaled beforehand by the training loop, see target-scale.ts). */
export function regressionLoss(scores: tf.Tensor1D, targets: ArrayLike<number>): tf.Scalar {
  if (targets.length !== scores.shape[0]) {
    throw new Error(`regressionLoss: ${scores.shape[0]} scores but ${targets.length} targets`);
  }
  const y = Float32Array.from(targets);
  return tf.tidy(() => tf.mean(tf.squaredDifference(tf.sigmoid(scores), tf.tensor1d(y))) as tf.Scalar);
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
export function batchLoss(
  loss: PredictorLoss,
  scores: tf.Tensor1D,
  targets: ArrayLike<number>,
  pairs: Int32Array | null,
): tf.Scalar {
  if (loss === 'regression') return regressionLoss(scores, targets);
  return rankingLoss(scores, targets, pairs ?? new Int32Array(0));
}

/** The ranking pairs of a batch (at most 4·n), or null for the regression loss. */
export function batchPairs(
  loss: PredictorLoss,
  targets: ArrayLike<number>,
  rng: RandomGenerator,
): Int32Array | null {
  return loss === 'ranking' ? samplePairs(targets, PAIRS_PER_ITEM * targets.length, rng) : null;
}
