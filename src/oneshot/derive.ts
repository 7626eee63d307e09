import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/batches.js';
import type { Arch } from '../space/arch.js';
import type { SupernetConfig } from './supernet-params.js';
import { supernetForward, type SupernetKernels } from './supernet.js';
import { wasmImageLimit } from './train-step.js';

/**
 * Estimated wasm heap (MiB) per image of one derive forward pass: its activations stay until the pass ends. Measured
 * like the table in train-step.ts (largest cell): C8 N1 at 512 images 739 → 839 MiB; C16 N5 at 256 images
 * 3,032 → 3,129 MiB, at 384 out of memory (an all-avg_pool cell: 1,294 MiB at 256); C4 N5, C16 N1, C8 N3 at 256:
 * 816, 813, 963 MiB. Fits within 10%.
 */
export function deriveMibPerImage(config: Pick<SupernetConfig, 'channels' | 'cellsPerStage'>): number {
  return 0.1 + config.channels * (0.14 * config.cellsPerStage + 0.05);
}

/**
 * The largest derive batch that fits the wasm backend's heap beside `heldOutImages` images held as tensors
 * (C8 N1: over 512; C16 N5: 256).
 */
export function wasmMaxDeriveBatch(
  config: Pick<SupernetConfig, 'channels' | 'cellsPerStage'>,
  heldOutImages: number,
): number {
  return wasmImageLimit(deriveMibPerImage(config), 64 + (heldOutImages * 3072 * 4) / 2 ** 20);
}

export interface DeriveScores {
  /** Mean over the held-out batches of the batch accuracy (0–1). */
  accuracy: Float64Array;
  /** −(mean over batches of the batch's mean cross-entropy). */
  negLoss: Float64Array;
}

/**
 * Score architectures with the shared weights ("derive", SPEC §4): the same fixed held-out batches for every
 * architecture, BN in train mode (batch statistics), dropout off, no gradient.
 */
export function deriveScores(
  params: ReadonlyMap<string, tf.Tensor>,
  config: SupernetConfig,
  archs: readonly Arch[],
  batches: readonly Batch[],
  options: { kernels?: SupernetKernels; onArch?: (done: number) => void } = {},
): DeriveScores {
  if (batches.length === 0) throw new Error('deriveScores: no held-out batches');
  const accuracy = new Float64Array(archs.length);
  const negLoss = new Float64Array(archs.length);
  const xs = batches.map((b) => tf.tensor4d(b.x, b.shape));
  const ys = batches.map((b) => tf.tidy(() => tf.oneHot(tf.tensor1d(b.y, 'int32'), config.classes)));
  try {
    archs.forEach((arch, k) => {
      let acc = 0;
      let loss = 0;
      for (let i = 0; i < batches.length; i++) {
        const [a, l] = tf.tidy(() => {
          const logits = supernetForward(params, config, arch, xs[i], {
            training: false,
            kernels: options.kernels,
          });
          const correct = tf.mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.argMax(ys[i], 1)), 'float32'));
          return [correct.dataSync()[0], tf.losses.softmaxCrossEntropy(ys[i], logits).dataSync()[0]];
        });
        acc += a;
        loss += l;
      }
      accuracy[k] = acc / batches.length;
      negLoss[k] = -loss / batches.length;
      options.onArch?.(k + 1);
    });
  } finally {
    tf.dispose([...xs, ...ys]);
  }
  return { accuracy, negLoss };
}

/** The items of shard i of n (0-based): every n-th, starting at i, so shards are balanced and merge by position. */
export function shardItems<T>(items: readonly T[], shard: number, shards: number): T[] {
  if (!Number.isInteger(shards) || shards < 1 || !Number.isInteger(shard) || shard < 0 || shard >= shards) {
    throw new Error(`shard must be i/n with 0 ≤ i < n, got ${shard}/${shards}`);
  }
  return items.filter((_, k) => k % shards === shard);
}
