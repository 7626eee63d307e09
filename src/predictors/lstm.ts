/**
 * LSTM predictor (SPEC §5): seq6 → embedding(5, 100) → 1-layer LSTM (hidden 100) → last output →
 * MLP (200, 200, 200), ReLU, dropout 0.1 → score.
 *
 * Computed exactly, with three economies:
 * - gates in PyTorch's order (i, f, g, o), each with its own matrices, so no step slices a [B, 400] tensor
 *   (slices are slow on wasm);
 * - the input projection of an op is the same at every step: computed once per forward pass for the 5-row
 *   embedding table (emb · W_ih + b_ih + b_hh) and selected per step by one-hot products;
 * - the state after t steps depends only on the first t ops, so the first steps run on tables of all 5, 25,
 *   125 (and 625) prefixes, as many as are not larger than the batch, and the next step selects each
 *   architecture's row of the last table (one-hot products, exact and differentiable on wasm where gather has no
 *   gradient). The remaining steps run per architecture.
 */
import * as tf from '@tensorflow/tfjs';
import { NUM_EDGES } from '../space/arch.js';
import { NUM_OPS } from '../space/ops.js';
import { MlpHead, dense, fastTanh, lookup, oneHotRows, type Dropout, type ParamStore } from './layers.js';
import { NeuralPredictor } from './neural-predictor.js';
import type { PredictorConfig } from './predictor.js';
import type { NeuralModel } from './train-loop.js';

export const LSTM_EMBEDDING = 100;
export const LSTM_HIDDEN = 100;
export const LSTM_HEAD = [200, 200, 200] as const;

const GATES = 4; // i, f, g, o
/**
 * At most this many leading steps run on prefix tables (5^t rows at step t). Leaving the tables costs two
 * one-hot selections of 5^t columns per row (h and c): 25k multiply-adds per row after 3 table steps, against
 * the 80k of the two recurrent steps it saves; after 4 it would cost more than it saves.
 */
const MAX_TABLE_STEPS = 3;

/** Leading steps worth running on prefix tables for a batch of b rows: those whose table is not larger. */
export function lstmTableSteps(b: number): number {
  let t = 0;
  while (t < MAX_TABLE_STEPS && NUM_OPS ** (t + 1) <= b) t++;
  return t;
}

interface Step {
  /** One-hot of the step's op per row, or null for the identity (step 1: row = op). */
  input: tf.Tensor2D | null;
  /** One-hot of each row's parent row in the previous step's table, or null when rows are the same. */
  parent: tf.Tensor2D | null;
}

/**
 * The parameters, created in this order (the order of `params.variables`): embedding [5, 100] ~ N(0, 1) (PyTorch's
 * nn.Embedding); W_ih [100, 100] × 4 gates, W_hh [100, 100] × 4, b_ih [100] × 4, b_hh [100] × 4, all
 * U(±1/√hidden) (PyTorch's nn.LSTM, which keeps the two biases as separate parameters and adds both in every
 * gate: the effective bias b_ih + b_hh is the sum of two independent draws, and each is trained); then the MLP
 * head (PyTorch-default linear layers).
 */
export function buildLstm(params: ParamStore): NeuralModel {
  const emb = params.normal([NUM_OPS, LSTM_EMBEDDING]);
  const bound = 1 / Math.sqrt(LSTM_HIDDEN);
  const wih = Array.from({ length: GATES }, () => params.uniform([LSTM_EMBEDDING, LSTM_HIDDEN], bound));
  const whh = Array.from({ length: GATES }, () => params.uniform([LSTM_HIDDEN, LSTM_HIDDEN], bound));
  const bih = Array.from({ length: GATES }, () => params.uniform([LSTM_HIDDEN], bound));
  const bhh = Array.from({ length: GATES }, () => params.uniform([LSTM_HIDDEN], bound));
  const head = new MlpHead(params, LSTM_HIDDEN, LSTM_HEAD);

  // Prefix tables: row p of step t (t = 2, 3) is the prefix with code p (base 5, first op most significant);
  // its parent is p / 5 and its last op p % 5.
  const tableSteps: Step[] = [{ input: null, parent: null }];
  for (let t = 2; t <= MAX_TABLE_STEPS; t++) {
    const rows = NUM_OPS ** t;
    tableSteps.push({
      input: params.constant(
        oneHotRows(
          Int32Array.from({ length: rows }, (_, p) => p % NUM_OPS),
          NUM_OPS,
        ),
      ),
      parent: params.constant(
        oneHotRows(
          Int32Array.from({ length: rows }, (_, p) => Math.floor(p / NUM_OPS)),
          NUM_OPS ** (t - 1),
        ),
      ),
    });
  }

  const forward = (ops: Uint8Array, rows: ArrayLike<number>, dropout: Dropout | null): tf.Tensor1D => {
    const b = rows.length;
    const opsAt = (t: number) => Int32Array.from({ length: b }, (_, i) => ops[rows[i] * NUM_EDGES + t]);
    const nTable = lstmTableSteps(b);
    const prefix = Int32Array.from({ length: b }, (_, i) => {
      let code = 0;
      for (let t = 0; t < nTable; t++) code = code * NUM_OPS + ops[rows[i] * NUM_EDGES + t];
      return code;
    });
    const steps: Step[] = tableSteps.slice(0, nTable);
    for (let t = nTable; t < NUM_EDGES; t++) {
      steps.push({
        input: oneHotRows(opsAt(t), NUM_OPS),
        parent: t === nTable && t > 0 ? oneHotRows(prefix, NUM_OPS ** nTable) : null,
      });
    }
    const tables = wih.map((w, k) =>
      dense(emb as tf.Tensor2D, w as tf.Tensor2D, tf.add(bih[k], bhh[k]) as tf.Tensor1D, false),
    );
    let h: tf.Tensor2D | null = null;
    let c: tf.Tensor2D | null = null;
    for (const { input, parent } of steps) {
      if (parent) {
        h = lookup(parent, h!);
        c = lookup(parent, c!);
      }
      const z = tables.map((table, k) => {
        const zin = input ? lookup(input, table) : table;
        return h ? tf.add(zin, dense(h, whh[k] as tf.Tensor2D, null, false)) : zin;
      });
      const i = tf.sigmoid(z[0]);
      const f = tf.sigmoid(z[1]);
      const g = fastTanh(z[2]);
      const o = tf.sigmoid(z[3]);
      c = (c ? tf.add(tf.mul(f, c), tf.mul(i, g)) : tf.mul(i, g)) as tf.Tensor2D;
      h = tf.mul(o, fastTanh(c)) as tf.Tensor2D;
    }
    return head.forward(h!, dropout);
  };
  return { variables: params.variables, forward };
}

export function createLstmPredictor(config: Partial<PredictorConfig> = {}): NeuralPredictor {
  return new NeuralPredictor('lstm', config, buildLstm);
}
