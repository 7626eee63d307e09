/**
 * MLP predictor (method §5): onehot30 → MLP (200, 200, 200), ReLU, dropout 0.1 → 1 score.
 */
import { NUM_EDGES } from '../space/arch.js';
import { NUM_OPS } from '../space/ops.js';
import { MlpHead, type Dropout, type ParamStore } from './layers.js';
import { NeuralPredictor, type PredictorRuntime } from './neural-predictor.js';
import type { PredictorConfig } from './predictor.js';
import type { NeuralModel } from './train-loop.js';

export const MLP_HIDDEN = [200, 200, 200] as const;

/** `onehot30` rows (edge-major, as `toOneHot30`) of the given rows of packed ops. */
export function oneHot30Rows(ops: Uint8Array, rows: ArrayLike<number>): Float32Array {
  const width = NUM_EDGES * NUM_OPS;
  const buf = new Float32Array(rows.length * width);
  for (let i = 0; i < rows.length; i++) {
    const base = rows[i] * NUM_EDGES;
    for (let e = 0; e < NUM_EDGES; e++) buf[i * width + e * NUM_OPS + ops[base + e]] = 1;
  }
  return buf;
}

export function buildMlp<T>(params: ParamStore<T>): NeuralModel<T> {
  const head = new MlpHead(params, NUM_EDGES * NUM_OPS, MLP_HIDDEN);
  const e = params.engine;
  return {
    variables: params.variables,
    forward: (ops: Uint8Array, rows: ArrayLike<number>, dropout: Dropout | null) =>
      head.forward(
        e.tensor(oneHot30Rows(ops, rows), [rows.length, NUM_EDGES * NUM_OPS]),
        rows.length,
        dropout,
      ),
  };
}

export function createMlpPredictor(
  config: Partial<PredictorConfig> = {},
  runtime: PredictorRuntime = {},
): NeuralPredictor {
  return new NeuralPredictor('mlp', config, buildMlp, runtime);
}
