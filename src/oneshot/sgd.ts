import type * as tf from '../engine/tfjs.js';
import type { Engine } from '../engine/engine.js';
import { defaultEngine } from '../engine/default-engine.js';

/**
 * What a step does to a parameter that has been trained before but gets no gradient in this step (no sampled
 * architecture uses it): `decay` (the reference, aw_nas on torch 1.x, whose `zero_grad` leaves a zero-filled
 * gradient on every parameter that ever had one, so torch's SGD keeps applying weight decay and momentum to it) or
 * `skip` (leave it and its momentum alone: nas-surgery's behaviour before this option existed).
 */
export type SgdUntouched = 'decay' | 'skip';
export const SGD_UNTOUCHED: readonly SgdUntouched[] = ['decay', 'skip'];

/** SGD settings of the supernet (method §4). */
export interface SgdConfig {
  learningRate: number;
  momentum: number;
  weightDecay: number;
  /** Global gradient-norm clip (0 = off). */
  clipNorm: number;
  /** Parameters trained before that get no gradient in a step; default `decay` (the reference). */
  untouched?: SgdUntouched;
}

export const PAPER_SGD: SgdConfig = {
  learningRate: 0.05,
  momentum: 0.9,
  weightDecay: 5e-4,
  clipNorm: 5,
  untouched: 'decay',
};

/**
 * One SGD step as PyTorch (torch 1.x) does it after `zero_grad()` and `clip_grad_norm_`.
 *
 * The gradients of this step are clipped to a global norm (computed over the gradients of this step only: the
 * reference's zero-filled gradients of unused parameters add nothing to it, and scaling them changes nothing). Then for
 * each parameter with a gradient g: d = g + wd·w; buf = d on its first step, else momentum·buf + d; w −= lr·buf.
 *
 * A parameter is "touched" once it has a momentum buffer, i.e. once it has had a gradient (the buffer is kept even with
 * momentum 0, so `momentum`'s keys are exactly the touched set, and a checkpoint that stores the buffers restores it).
 * A touched parameter without a gradient in this step gets, with `untouched: 'decay'` (the default), the reference's
 * update with g = 0 (d = wd·w, momentum carried on); with `'skip'`, nothing. A parameter never touched is left alone
 * in both modes, as torch skips a parameter whose grad is None. Disposes nothing it was given.
 */
export function sgdStep<T = tf.Tensor>(
  params: ReadonlyMap<string, T>,
  grads: ReadonlyMap<string, T>,
  momentum: Map<string, T>,
  config: SgdConfig,
  learningRate = config.learningRate,
  engine: Engine<T> = defaultEngine<T>(),
): { gradNorm: number } {
  const untouched = config.untouched ?? 'decay';
  if (!SGD_UNTOUCHED.includes(untouched)) throw new Error(`sgdStep: unknown untouched mode '${untouched}'`);
  const names = [...grads.keys()];
  for (const name of names)
    if (!params.has(name)) throw new Error(`sgdStep: gradient for unknown parameter '${name}'`);
  const norm = engine.globalNorm(names.map((n) => grads.get(n)!));
  const scale = config.clipNorm > 0 && norm > config.clipNorm ? config.clipNorm / (norm + 1e-6) : 1;
  const settings = {
    learningRate,
    momentum: config.momentum,
    weightDecay: config.weightDecay,
    gradScale: scale,
  };
  // Parameters in a fixed order (the model's), so that the update does not depend on which map was filled first.
  for (const [name, w] of params) {
    const g = grads.get(name);
    const prev = momentum.get(name);
    if (!g && (!prev || untouched === 'skip')) continue;
    momentum.set(name, engine.sgdUpdate(w, g, prev, settings));
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
