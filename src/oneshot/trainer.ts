import type * as tf from '../engine/tfjs.js';
import type { Engine } from '../engine/engine.js';
import { defaultEngine } from '../engine/default-engine.js';
import type { Cifar10Data } from '../data/cifar10-binary.js';
import { planTrainEpoch, mixSeed } from '../data/batches.js';
import type { IndexRange } from '../data/splits.js';
import { Rng } from '../predictors/rng.js';
import type { ArchSampler } from './samplers.js';
import { plateauUpdate, sgdStep, type PlateauState, type SgdConfig } from './sgd.js';
import type { SupernetConfig } from './supernet-params.js';
import type { SupernetKernels } from './supernet.js';
import { supernetGradients } from './train-step.js';

/** Everything that changes during training; with the options, it determines the rest of the run exactly. */
export interface TrainState<T = tf.Tensor> {
  params: Map<string, T>;
  /** SGD momentum buffers; their names are the weights touched so far (see `sgdStep`), saved with each checkpoint. */
  momentum: Map<string, T>;
  /** Epochs completed. */
  epoch: number;
  plateau: PlateauState;
  /** Epoch-mean training loss and learning rate of each completed epoch. */
  history: { epoch: number; loss: number; learningRate: number; seconds: number }[];
}

export interface TrainOptions<T = tf.Tensor> {
  /** Default: tfjs with {@link kernels}. */
  engine?: Engine<T>;
  config: SupernetConfig;
  sgd: SgdConfig;
  sampler: ArchSampler;
  data: Cifar10Data;
  trainRange: IndexRange;
  batchSize: number;
  /**
   * Micro-batch size; 0 = whole batches (the paper: BN over the whole batch of 512). The wasm backend's 4 GiB heap
   * fits whole batches of 512 at C8 N1 but only 80 images at C16 N5 (see `wasmMaxMicroBatch`).
   */
  microBatch: number;
  seed: number;
  /** Train until this many epochs are completed. */
  epochs: number;
  kernels?: SupernetKernels;
  /** Called after each step (progress bars). */
  onStep?: (info: { epoch: number; batch: number; batches: number; loss: number }) => void;
  /** Called after each epoch (checkpoints, criteria); awaited. */
  onEpoch?: (state: TrainState<T>) => Promise<void> | void;
  /** Checked after each epoch (after onEpoch): true stops training there (e.g. a time budget). */
  shouldStop?: (state: TrainState<T>) => boolean;
}

export function freshTrainState<T>(params: Map<string, T>, sgd: SgdConfig): TrainState<T> {
  return {
    params,
    momentum: new Map(),
    epoch: 0,
    plateau: { learningRate: sgd.learningRate, best: Infinity, badEpochs: 0 },
    history: [],
  };
}

/**
 * Train the supernet from `state.epoch` to `options.epochs`. Every random choice of epoch e, batch b (image order,
 * augmentation, sampled architectures, dropout) is derived from (seed, e, b), so a run resumed from an end-of-epoch
 * checkpoint continues bit for bit as if it had never stopped.
 */
export async function trainSupernet<T = tf.Tensor>(
  state: TrainState<T>,
  options: TrainOptions<T>,
): Promise<TrainState<T>> {
  const k = options.engine ?? defaultEngine<T>(options.kernels);
  for (let epoch = state.epoch; epoch < options.epochs; epoch++) {
    const t0 = performance.now();
    const plan = planTrainEpoch(options.data, options.trainRange, {
      batchSize: options.batchSize,
      seed: options.seed,
      epoch,
    });
    let lossSum = 0;
    for (let b = 0; b < plan.numBatches; b++) {
      const batch = plan.batch(b);
      const stepSeed = mixSeed(options.seed, epoch, b);
      const archs = options.sampler.sample(Rng.derive(stepSeed, 1));
      const x = k.images(batch.x, batch.shape);
      const { loss, grads } = supernetGradients(state.params, options.config, archs, x, batch.y, {
        engine: k,
        microBatch: options.microBatch,
        dropoutSeed: stepSeed,
      });
      k.dispose(x);
      sgdStep(state.params, grads, state.momentum, options.sgd, state.plateau.learningRate, k);
      k.dispose([...grads.values()]);
      lossSum += loss;
      options.onStep?.({ epoch, batch: b, batches: plan.numBatches, loss });
    }
    const loss = lossSum / plan.numBatches;
    state.history.push({
      epoch: epoch + 1,
      loss,
      learningRate: state.plateau.learningRate,
      seconds: (performance.now() - t0) / 1000,
    });
    state.plateau = plateauUpdate(state.plateau, loss);
    state.epoch = epoch + 1;
    await options.onEpoch?.(state);
    if (options.shouldStop?.(state)) break;
  }
  return state;
}
