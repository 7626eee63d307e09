import * as tf from '@tensorflow/tfjs';
import type { Arch } from '../space/arch.js';
import type { SupernetConfig } from './supernet-params.js';
import { supernetForward, usedParamNames, type SupernetKernels } from './supernet.js';

export interface StepOptions {
  kernels?: SupernetKernels;
  /** Split the batch into micro-batches of at most this many images (gradients are accumulated; BN statistics are
   * those of each micro-batch). 0 = the whole batch at once. */
  microBatch?: number;
  dropoutSeed: number;
}

/**
 * Gradients of one training step: for each sampled architecture, the cross-entropy gradient on the batch (accumulated
 * over micro-batches, weighted by their size); then each parameter's gradient is averaged over the architectures that
 * produced one for it (SPEC §4's mc-S rule; with one architecture it is just its gradient). Returns the mean loss
 * over architectures and the averaged gradients by parameter name (the caller disposes them).
 */
export function supernetGradients(
  params: ReadonlyMap<string, tf.Variable>,
  config: SupernetConfig,
  archs: readonly Arch[],
  x: tf.Tensor4D,
  labels: Int32Array,
  options: StepOptions,
): { loss: number; grads: Map<string, tf.Tensor> } {
  const b = x.shape[0];
  if (labels.length !== b) throw new Error(`supernetGradients: ${b} images but ${labels.length} labels`);
  const micro = options.microBatch && options.microBatch < b ? options.microBatch : b;
  const byVarName = new Map([...params].map(([name, v]) => [v.name, name]));
  const sums = new Map<string, tf.Tensor>();
  const counts = new Map<string, number>();
  let lossSum = 0;
  archs.forEach((arch, t) => {
    const used = usedParamNames(arch, config, params.keys()).map((n) => params.get(n)!);
    const archGrads = new Map<string, tf.Tensor>();
    for (let start = 0; start < b; start += micro) {
      const size = Math.min(micro, b - start);
      const { value, grads } = tf.variableGrads(() => {
        const xs = size === b ? x : (tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]) as tf.Tensor4D);
        const ys = tf.oneHot(tf.tensor1d(labels.subarray(start, start + size), 'int32'), config.classes);
        const logits = supernetForward(params, config, arch, xs, {
          training: true,
          kernels: options.kernels,
          dropoutSeed: options.dropoutSeed * 7919 + t * 131 + start,
        });
        // Weighted so that the micro-batch gradients sum to the gradient of the whole batch's mean loss.
        return tf.mul(tf.losses.softmaxCrossEntropy(ys, logits), size / b) as tf.Scalar;
      }, used);
      lossSum += value.dataSync()[0];
      value.dispose();
      for (const [varName, g] of Object.entries(grads)) {
        const name = byVarName.get(varName)!;
        const prev = archGrads.get(name);
        archGrads.set(name, prev ? tf.add(prev, g) : g);
        if (prev) {
          prev.dispose();
          g.dispose();
        }
      }
    }
    for (const [name, g] of archGrads) {
      const prev = sums.get(name);
      sums.set(name, prev ? tf.add(prev, g) : g);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (prev) {
        prev.dispose();
        g.dispose();
      }
    }
  });
  const grads = new Map<string, tf.Tensor>();
  for (const [name, s] of sums) {
    const c = counts.get(name)!;
    grads.set(name, c === 1 ? s : tf.div(s, c));
    if (c !== 1) s.dispose();
  }
  return { loss: lossSum / archs.length, grads };
}
