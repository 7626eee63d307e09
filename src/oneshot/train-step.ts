import type * as tf from '../engine/tfjs.js';
import type { Engine } from '../engine/engine.js';
import type { Arch } from '../space/arch.js';
import type { SupernetConfig } from './supernet-params.js';
import { forwardEngine, supernetForward, usedParamNames, type SupernetKernels } from './supernet.js';

/**
 * The wasm backend's memory is one WebAssembly heap of at most 4 GiB, and a training step keeps every activation of
 * its forward pass until the backward pass is done, so the images one forward/backward can take are bounded. Measured
 * (tfjs-backend-wasm 4.22, Node 20, engine kernels, the largest cell: nor_conv_3x3 on all six edges; heap after one
 * step, then after later steps, which grow it by 8–9% through fragmentation, then stay):
 *
 * | supernet | images | heap (MiB), first step → later |
 * | --- | ---: | --- |
 * | C8 N1 | 512 | 2,487 → 2,711 |
 * | C16 N5 | 64 | 2,567 → 2,767 |
 * | C16 N5 | 80 | 3,199 → 3,399 |
 * | C16 N5 | 96 | 3,775 → 4,081 (the edge) |
 * | C16 N5 | 112, 128 | out of memory |
 *
 * With C4 N5, C16 N1 and C8 N3 at 64 images, the heap per image fits 0.9 + C·(0.48·N + 0.05) MiB within 5%.
 * Measured with the supernet's pools as single `tf.avgPool` kernels, where the all-nor_conv_3x3 cell is the largest
 * (an all-avg_pool cell takes 17.5 MiB per image at C16 N5, against 39.8): a change to how the ops are computed must
 * measure these again.
 */
export const WASM_HEAP_TARGET_MIB = 3600;
const WASM_FRAGMENTATION = 1.1;

/** Estimated wasm heap (MiB) per image of one training forward/backward (see {@link WASM_HEAP_TARGET_MIB}). */
export function trainMibPerImage(config: Pick<SupernetConfig, 'channels' | 'cellsPerStage'>): number {
  return 0.9 + config.channels * (0.48 * config.cellsPerStage + 0.05);
}

/**
 * The most images of `perImageMib` each that keep the wasm heap, fragmented, below its target after `reserveMib` of
 * other tensors: rounded down to a multiple of 16 (when at least 16), at least 1.
 */
export function wasmImageLimit(perImageMib: number, reserveMib: number): number {
  const n = Math.floor((WASM_HEAP_TARGET_MIB - reserveMib) / (WASM_FRAGMENTATION * perImageMib));
  return Math.max(1, n >= 16 ? n - (n % 16) : n);
}

/** The largest training micro-batch that fits the wasm backend's heap (C8 N1: over 512; C16 N5: 80). */
export function wasmMaxMicroBatch(config: Pick<SupernetConfig, 'channels' | 'cellsPerStage'>): number {
  return wasmImageLimit(trainMibPerImage(config), 64);
}

export interface StepOptions<T = tf.Tensor> {
  /** Default: tfjs with {@link kernels}. */
  engine?: Engine<T>;
  kernels?: SupernetKernels;
  /** Split the batch into micro-batches of at most this many images (gradients are accumulated; BN statistics are
   * those of each micro-batch). 0 = the whole batch at once. */
  microBatch?: number;
  dropoutSeed: number;
}

/**
 * Gradients of one training step: for each sampled architecture, the cross-entropy gradient on the batch (accumulated
 * over micro-batches, weighted by their size); then each parameter's gradient is averaged over the architectures that
 * produced one for it (method §4's mc-S rule; with one architecture it is just its gradient). Returns the mean loss
 * over architectures and the averaged gradients by parameter name (the caller disposes them).
 */
export function supernetGradients(
  params: ReadonlyMap<string, tf.Tensor>,
  config: SupernetConfig,
  archs: readonly Arch[],
  x: tf.Tensor,
  labels: Int32Array,
  options: StepOptions<tf.Tensor>,
): { loss: number; grads: Map<string, tf.Tensor> };
export function supernetGradients<T>(
  params: ReadonlyMap<string, T>,
  config: SupernetConfig,
  archs: readonly Arch[],
  x: T,
  labels: Int32Array,
  options: StepOptions<T>,
): { loss: number; grads: Map<string, T> };
export function supernetGradients<T>(
  params: ReadonlyMap<string, T>,
  config: SupernetConfig,
  archs: readonly Arch[],
  x: T,
  labels: Int32Array,
  options: StepOptions<T>,
): { loss: number; grads: Map<string, T> } {
  const k = forwardEngine(options);
  const b = k.batchSize(x);
  if (labels.length !== b) throw new Error(`supernetGradients: ${b} images but ${labels.length} labels`);
  const micro = options.microBatch && options.microBatch < b ? options.microBatch : b;
  const sums = new Map<string, T>();
  const counts = new Map<string, number>();
  let lossSum = 0;
  archs.forEach((arch, t) => {
    const names = usedParamNames(arch, config, params.keys());
    const used = names.map((n) => params.get(n)!);
    const archGrads = new Map<string, T>();
    for (let start = 0; start < b; start += micro) {
      const size = Math.min(micro, b - start);
      const { value, grads } = k.valueAndGrads(() => {
        const xs = size === b ? x : k.sliceBatch(x, start, size);
        const logits = supernetForward(params, config, arch, xs, {
          training: true,
          engine: k,
          dropoutSeed: options.dropoutSeed * 7919 + t * 131 + start,
        });
        // Weighted so that the micro-batch gradients sum to the gradient of the whole batch's mean loss.
        return k.mulScalar(k.crossEntropy(logits, labels.subarray(start, start + size)), size / b);
      }, used);
      lossSum += value;
      grads.forEach((g, i) => {
        if (!g) return;
        const name = names[i];
        const prev = archGrads.get(name);
        archGrads.set(name, prev ? k.add(prev, g) : g);
        if (prev) k.dispose([prev, g]);
      });
    }
    for (const [name, g] of archGrads) {
      const prev = sums.get(name);
      sums.set(name, prev ? k.add(prev, g) : g);
      counts.set(name, (counts.get(name) ?? 0) + 1);
      if (prev) k.dispose([prev, g]);
    }
  });
  const grads = new Map<string, T>();
  for (const [name, s] of sums) {
    const c = counts.get(name)!;
    grads.set(name, c === 1 ? s : k.mulScalar(s, 1 / c));
    if (c !== 1) k.dispose(s);
  }
  return { loss: lossSum / archs.length, grads };
}
