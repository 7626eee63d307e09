import type * as tf from '../engine/tfjs.js';
import type { Batch } from '../data/batches.js';
import type { Engine } from '../engine/engine.js';
import type { Arch } from '../space/arch.js';
import type { SupernetConfig } from './supernet-params.js';
import { forwardEngine, supernetForward, type SupernetKernels } from './supernet.js';
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
 * Score architectures with the shared weights ("derive", method §4): the same fixed held-out batches for every
 * architecture, BN in train mode (batch statistics), dropout off, no gradient.
 */
export function deriveScores<T = tf.Tensor>(
  params: ReadonlyMap<string, T>,
  config: SupernetConfig,
  archs: readonly Arch[],
  batches: readonly Batch[],
  options: { engine?: Engine<T>; kernels?: SupernetKernels; onArch?: (done: number) => void } = {},
): DeriveScores {
  if (batches.length === 0) throw new Error('deriveScores: no held-out batches');
  const k = forwardEngine(options);
  const accuracy = new Float64Array(archs.length);
  const negLoss = new Float64Array(archs.length);
  const xs = batches.map((b) => k.images(b.x, b.shape));
  try {
    k.noGrad(() =>
      archs.forEach((arch, j) => {
        let acc = 0;
        let loss = 0;
        for (let i = 0; i < batches.length; i++) {
          const [a, l] = k.scope(() => {
            const logits = supernetForward(params, config, arch, xs[i], { training: false, engine: k });
            return [k.accuracy(logits, batches[i].y), k.read(k.crossEntropy(logits, batches[i].y))[0]];
          });
          acc += a;
          loss += l;
        }
        accuracy[j] = acc / batches.length;
        negLoss[j] = -loss / batches.length;
        options.onArch?.(j + 1);
      }),
    );
  } finally {
    k.dispose(xs);
  }
  return { accuracy, negLoss };
}
