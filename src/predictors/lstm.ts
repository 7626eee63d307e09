/**
 * LSTM predictor (method §5): seq6 → embedding(5, 100) → 1-layer LSTM (hidden 100) → last output →
 * MLP (200, 200, 200), ReLU, dropout 0.1 → score.
 *
 * Computed exactly, with three economies:
 * - gates in PyTorch's order (i, f, g, o), each with its own matrices, so no step slices a [B, 400] tensor
 *   (slices are slow on wasm);
 * - the input projection of an op is the same at every step: computed once per forward pass for the 5-row
 *   embedding table (emb · W_ih + b_ih + b_hh) and selected per step by row selection;
 * - the state after t steps depends only on the first t ops, so the first steps run on tables of all 5, 25,
 *   125 (and 625) prefixes, as many as are not larger than the batch, and the next step selects each
 *   architecture's row of the last table (the engine's row selection: exact, a one-hot product on tfjs, where
 *   gather has no gradient on wasm). The remaining steps run per architecture.
 */
import { NUM_EDGES } from '../space/arch.js';
import { NUM_OPS } from '../space/ops.js';
import { MlpHead, type Dropout, type ParamStore } from './layers.js';
import { NeuralPredictor, type PredictorRuntime } from './neural-predictor.js';
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

interface Step<T> {
  /** Selector of the step's op per row, or null for the identity (step 1: row = op). */
  input: T | null;
  /** Selector of each row's parent row in the previous step's table, or null when rows are the same. */
  parent: T | null;
}

/**
 * The parameters, created in this order (the order of `params.variables`): embedding [5, 100] ~ N(0, 1) (PyTorch's
 * nn.Embedding); W_ih [100, 100] × 4 gates, W_hh [100, 100] × 4, b_ih [100] × 4, b_hh [100] × 4, all
 * U(±1/√hidden) (PyTorch's nn.LSTM, which keeps the two biases as separate parameters and adds both in every
 * gate: the effective bias b_ih + b_hh is the sum of two independent draws, and each is trained); then the MLP
 * head (PyTorch-default linear layers).
 */
export function buildLstm<T>(params: ParamStore<T>): NeuralModel<T> {
  const e = params.engine;
  const emb = params.normal([NUM_OPS, LSTM_EMBEDDING]);
  const bound = 1 / Math.sqrt(LSTM_HIDDEN);
  const wih = Array.from({ length: GATES }, () => params.uniform([LSTM_EMBEDDING, LSTM_HIDDEN], bound));
  const whh = Array.from({ length: GATES }, () => params.uniform([LSTM_HIDDEN, LSTM_HIDDEN], bound));
  const bih = Array.from({ length: GATES }, () => params.uniform([LSTM_HIDDEN], bound));
  const bhh = Array.from({ length: GATES }, () => params.uniform([LSTM_HIDDEN], bound));
  const head = new MlpHead(params, LSTM_HIDDEN, LSTM_HEAD);

  // Prefix tables: row p of step t (t = 2, 3) is the prefix with code p (base 5, first op most significant);
  // its parent is p / 5 and its last op p % 5.
  const tableSteps: Step<T>[] = [{ input: null, parent: null }];
  for (let t = 2; t <= MAX_TABLE_STEPS; t++) {
    const rows = NUM_OPS ** t;
    tableSteps.push({
      input: params.constant(
        e.rowSelector(
          Int32Array.from({ length: rows }, (_, p) => p % NUM_OPS),
          NUM_OPS,
        ),
      ),
      parent: params.constant(
        e.rowSelector(
          Int32Array.from({ length: rows }, (_, p) => Math.floor(p / NUM_OPS)),
          NUM_OPS ** (t - 1),
        ),
      ),
    });
  }

  const forward = (ops: Uint8Array, rows: ArrayLike<number>, dropout: Dropout | null): T => {
    const b = rows.length;
    const opsAt = (t: number) => Int32Array.from({ length: b }, (_, i) => ops[rows[i] * NUM_EDGES + t]);
    const nTable = lstmTableSteps(b);
    const prefix = Int32Array.from({ length: b }, (_, i) => {
      let code = 0;
      for (let t = 0; t < nTable; t++) code = code * NUM_OPS + ops[rows[i] * NUM_EDGES + t];
      return code;
    });
    const steps: Step<T>[] = tableSteps.slice(0, nTable);
    for (let t = nTable; t < NUM_EDGES; t++) {
      steps.push({
        input: e.rowSelector(opsAt(t), NUM_OPS),
        parent: t === nTable && t > 0 ? e.rowSelector(prefix, NUM_OPS ** nTable) : null,
      });
    }
    const tables = wih.map((w, k) => e.dense(emb, w, e.add(bih[k], bhh[k]), false));
    let h: T | null = null;
    let c: T | null = null;
    for (const { input, parent } of steps) {
      if (parent) {
        h = e.gatherRows(h!, parent);
        c = e.gatherRows(c!, parent);
      }
      const z = tables.map((table, k) => {
        const zin = input ? e.gatherRows(table, input) : table;
        return h ? e.add(zin, e.dense(h, whh[k], null, false)) : zin;
      });
      const i = e.sigmoid(z[0]);
      const f = e.sigmoid(z[1]);
      const g = e.tanh(z[2]);
      const o = e.sigmoid(z[3]);
      c = c ? e.add(e.mul(f, c), e.mul(i, g)) : e.mul(i, g);
      h = e.mul(o, e.tanh(c));
    }
    return head.forward(h!, b, dropout);
  };
  return { variables: params.variables, forward };
}

export function createLstmPredictor(
  config: Partial<PredictorConfig> = {},
  runtime: PredictorRuntime = {},
): NeuralPredictor {
  return new NeuralPredictor('lstm', config, buildLstm, runtime);
}
