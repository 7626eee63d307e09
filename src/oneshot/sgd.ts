import * as tf from '@tensorflow/tfjs';

/** SGD settings of the supernet (SPEC §4). */
export interface SgdConfig {
  learningRate: number;
  momentum: number;
  weightDecay: number;
  /** Global gradient-norm clip (0 = off). */
  clipNorm: number;
}

export const PAPER_SGD: SgdConfig = { learningRate: 0.05, momentum: 0.9, weightDecay: 5e-4, clipNorm: 5 };

/**
 * One SGD step as PyTorch does it after `clip_grad_norm_`: gradients are clipped to a global norm, then for each
 * parameter that has a gradient, buf = momentum·buf + (g + wd·w) and w −= lr·buf. Parameters without a gradient
 * (ops no sampled architecture used) are left alone, momentum included. Disposes nothing it was given.
 */
export function sgdStep(
  params: ReadonlyMap<string, tf.Variable>,
  grads: ReadonlyMap<string, tf.Tensor>,
  momentum: Map<string, tf.Tensor>,
  config: SgdConfig,
  learningRate = config.learningRate,
): { gradNorm: number } {
  const names = [...grads.keys()];
  const norm = tf.tidy(
    () => tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads.get(n)!))))).dataSync()[0],
  );
  const scale = config.clipNorm > 0 && norm > config.clipNorm ? config.clipNorm / (norm + 1e-6) : 1;
  for (const name of names) {
    const w = params.get(name);
    if (!w) throw new Error(`sgdStep: gradient for unknown parameter '${name}'`);
    const prev = momentum.get(name);
    const buf = tf.tidy(() => {
      const d = tf.add(tf.mul(grads.get(name)!, scale), tf.mul(w, config.weightDecay));
      return prev ? tf.add(tf.mul(prev, config.momentum), d) : d;
    });
    prev?.dispose();
    momentum.set(name, buf);
    tf.tidy(() => w.assign(tf.sub(w, tf.mul(buf, learningRate))));
  }
  return { gradNorm: norm };
}

/** ReduceLROnPlateau(factor 0.5, patience 30) on the epoch-mean training loss, as the paper's schedule. */
export interface PlateauState {
  learningRate: number;
  best: number;
  badEpochs: number;
}

export function plateauUpdate(s: PlateauState, epochLoss: number, patience = 30, factor = 0.5): PlateauState {
  // PyTorch default: an improvement must beat the best by a relative 1e-4.
  if (epochLoss < s.best * (1 - 1e-4)) return { ...s, best: epochLoss, badEpochs: 0 };
  const bad = s.badEpochs + 1;
  return bad > patience
    ? { learningRate: s.learningRate * factor, best: s.best, badEpochs: 0 }
    : { ...s, badEpochs: bad };
}
