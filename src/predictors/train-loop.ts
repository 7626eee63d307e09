/**
 * The shared training loop of the neural predictors, on any engine: each epoch a seeded shuffle into batches (the
 * last one may be short), the chosen loss, one Adam step per batch, each step inside an engine scope.
 */
import type { Engine } from '../engine/engine.js';
import { NUM_EDGES } from '../space/arch.js';
import { packOps } from '../space/encodings.js';
import type { Dropout } from './layers.js';
import { batchLoss, batchPairs } from './losses.js';
import type { PredictorLoss } from './predictor.js';
import type { Rng } from './rng.js';
import { scaleTargets, type TargetScale } from './target-scale.js';

export { packOps };

/** A differentiable scorer: scores [rows.length] for rows of packed ops (see {@link packOps}). */
export interface NeuralModel<T> {
  readonly variables: readonly T[];
  forward(ops: Uint8Array, rows: ArrayLike<number>, dropout: Dropout | null): T;
}

export interface TrainOptions {
  loss: PredictorLoss;
  /**
   * How the regression loss maps the training targets to [0, 1] (default `percent`: accuracies in %, anything
   * outside [0, 100] is refused); the ranking loss is scale-free and ignores it.
   */
  targetScale?: TargetScale;
  epochs: number;
  batchSize: number;
  learningRate: number;
  /** Drives shuffling and pair sampling. */
  rng: Rng;
  /** Training-time dropout (seeded), or null. */
  dropout: Dropout | null;
  /** Called after each epoch with the mean batch loss. */
  onEpochEnd?: (epoch: number, meanLoss: number) => void;
}

export function trainModel<T>(
  e: Engine<T>,
  model: NeuralModel<T>,
  ops: Uint8Array,
  targets: Float64Array,
  options: TrainOptions,
): void {
  const n = targets.length;
  if (ops.length !== n * NUM_EDGES)
    throw new Error(`trainModel: ${ops.length / NUM_EDGES} archs, ${n} targets`);
  const { loss, epochs, batchSize, rng, dropout, onEpochEnd } = options;
  // The regression loss fits sigmoid(score) to [0, 1]: scale once, over the whole training set (minmax needs it).
  const fitted = loss === 'regression' ? scaleTargets(targets, options.targetScale ?? 'percent') : targets;
  const optimizer = e.adam(model.variables, options.learningRate);
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  const y = new Float64Array(Math.min(batchSize, n));
  try {
    for (let epoch = 0; epoch < epochs; epoch++) {
      rng.shuffle(perm);
      let lossSum = 0;
      let steps = 0;
      for (let start = 0; start < n; start += batchSize) {
        const rows = perm.subarray(start, Math.min(n, start + batchSize));
        const yb = y.subarray(0, rows.length);
        for (let i = 0; i < rows.length; i++) yb[i] = fitted[rows[i]];
        const pairs = batchPairs(loss, yb, rng.gen);
        if (pairs && pairs.length === 0) continue; // every target equal: nothing to rank
        lossSum += e.scope(() => {
          const { value, grads } = e.valueAndGrads(
            () => batchLoss(e, loss, model.forward(ops, rows, dropout), yb, pairs),
            model.variables,
          );
          optimizer.step(grads);
          return value;
        });
        steps++;
      }
      onEpochEnd?.(epoch, steps > 0 ? lossSum / steps : NaN);
    }
  } finally {
    optimizer.dispose();
  }
}

/** Scores of every row, forward pass without dropout, in chunks of `chunk` rows. */
export function predictModel<T>(
  e: Engine<T>,
  model: NeuralModel<T>,
  ops: Uint8Array,
  chunk = 2048,
): Float64Array {
  const n = ops.length / NUM_EDGES;
  const out = new Float64Array(n);
  const rows = new Int32Array(n);
  for (let i = 0; i < n; i++) rows[i] = i;
  for (let start = 0; start < n; start += chunk) {
    const end = Math.min(n, start + chunk);
    const values = e.noGrad(() => e.scope(() => e.read(model.forward(ops, rows.subarray(start, end), null))));
    out.set(values, start);
  }
  return out;
}
