/**
 * GATES predictor (method §5; Ning et al., "A Generic Graph-based Neural Architecture Encoding Scheme", ECCV 2020):
 * an op-as-attention graph network over the 4-node NB201 cell.
 *
 * - op embedding table 5×48; node 0 starts from a learned 48-d vector, nodes 1–3 from zeros; a linear map
 *   48→96 (with bias) for every node;
 * - 5 layers of width 128: S = X·W (no bias); gate(i←j) = sigmoid(Linear_l(opEmb(op of j→i))) ⊙ [op ≠ none];
 *   X'_i = Σ_{j<i} gate(i←j) ⊙ S_j for i = 1..3, X'_0 = S_0 (the residual, node 0 only); ReLU between layers;
 * - read out node 3; head MLP (5 × 300, ReLU, dropout 0.1) → 1.
 *
 * Computed exactly, but per distinct input rather than per architecture (messages only flow from lower to
 * higher nodes, so a node's state depends only on the ops of the edges that can reach it):
 * - node 0 never receives messages: one row, the same for every architecture;
 * - node 1 depends only on op(1←0): a 5-row table; node 2 only on op(1←0), op(2←0), op(2←1): a 125-row table;
 * - node 3 is never a source, so it is computed once, at the last layer, per architecture: there the rows of
 *   the node-1 and node-2 tables are selected per architecture (the engine's row selection: a one-hot product on
 *   tfjs, where gather has no gradient on wasm, index_select on torch).
 * The gates of a layer form a 5-row table sigmoid(opEmb·W_g + b_g) ⊙ [op ≠ none], also selected by rows.
 * The GNN thus costs almost nothing next to the 5 × 300 head.
 */
import { NUM_EDGES } from '../space/arch.js';
import { NUM_OPS, NONE } from '../space/ops.js';
import { MlpHead, type Dropout, type ParamStore } from './layers.js';
import { NeuralPredictor, type PredictorRuntime } from './neural-predictor.js';
import type { PredictorConfig } from './predictor.js';
import type { NeuralModel } from './train-loop.js';

export const GATES_OP_EMBEDDING = 48;
export const GATES_NODE_EMBEDDING = 48;
export const GATES_HIDDEN = 96;
export const GATES_LAYERS = [128, 128, 128, 128, 128] as const;
export const GATES_HEAD = [300, 300, 300, 300, 300] as const;

/** Node-2 inputs: code q = 25·op(1←0) + 5·op(2←0) + op(2←1). */
const NODE2_STATES = NUM_OPS ** 3;

export function buildGates<T>(params: ParamStore<T>): NeuralModel<T> {
  const e = params.engine;
  const opEmb = params.normal([NUM_OPS, GATES_OP_EMBEDDING]);
  const inputNode = params.normal([1, GATES_NODE_EMBEDDING]);
  const embed = params.linear(GATES_NODE_EMBEDDING, GATES_HIDDEN);
  const layers: { w: T; gw: T; gb: T }[] = [];
  let din = GATES_HIDDEN;
  for (const d of GATES_LAYERS) {
    // GCN-style init of the node transform, U(±1/√out); the gate is a PyTorch-default nn.Linear.
    const w = params.uniform([din, d], 1 / Math.sqrt(d));
    const gate = params.linear(GATES_OP_EMBEDDING, d);
    layers.push({ w, gw: gate.w, gb: gate.b! });
    din = d;
  }
  const head = new MlpHead(params, GATES_LAYERS[GATES_LAYERS.length - 1], GATES_HEAD);

  // Constants: [op ≠ none] per op, and for each node-2 state q its three ops as row selectors.
  const notNone = params.constant(
    e.tensor(
      Float32Array.from({ length: NUM_OPS }, (_, op) => (op === NONE ? 0 : 1)),
      [NUM_OPS, 1],
    ),
  );
  const qOps = (digit: number) =>
    Int32Array.from({ length: NODE2_STATES }, (_, q) => Math.floor(q / NUM_OPS ** (2 - digit)) % NUM_OPS);
  const q10 = params.constant(e.rowSelector(qOps(0), NUM_OPS));
  const q20 = params.constant(e.rowSelector(qOps(1), NUM_OPS));
  const q21 = params.constant(e.rowSelector(qOps(2), NUM_OPS));

  const forward = (ops: Uint8Array, rows: ArrayLike<number>, dropout: Dropout | null): T => {
    const b = rows.length;
    const edge = (k: number) => Int32Array.from({ length: b }, (_, i) => ops[rows[i] * NUM_EDGES + k]);
    const pick = (k: number) => e.rowSelector(edge(k), NUM_OPS);
    const node2 = Int32Array.from({ length: b }, (_, i) => {
      const base = rows[i] * NUM_EDGES;
      return ops[base] * 25 + ops[base + 1] * 5 + ops[base + 2];
    });
    const last = layers.length - 1;
    // Layer-0 states: node 0 = embed(input vector); nodes 1, 2 = embed(0) = the bias, in every table row.
    let h0 = e.dense(inputNode, embed.w, embed.b, false); // [1, d]
    let h1 = e.repeatRows(embed.b!, NUM_OPS); // [5, d], by op(1←0)
    let h2 = e.repeatRows(embed.b!, NODE2_STATES); // [125, d], by q
    for (let l = 0; ; l++) {
      const { w, gw, gb } = layers[l];
      const gates = e.mul(e.sigmoid(e.dense(opEmb, gw, gb, false)), notNone); // [5, d]
      const s0 = e.dense(h0, w, null, false);
      const s1 = e.dense(h1, w, null, false);
      if (l < last) {
        const x1 = e.mul(gates, s0); // gate(1←0) ⊙ S_0
        const x2 = e.add(
          e.mul(e.gatherRows(gates, q20), s0), // gate(2←0) ⊙ S_0
          e.mul(e.gatherRows(gates, q21), e.gatherRows(s1, q10)), // gate(2←1) ⊙ S_1
        );
        h0 = e.relu(s0);
        h1 = e.relu(x1);
        h2 = e.relu(x2);
        continue;
      }
      const s2 = e.dense(h2, w, null, false);
      const x3 = e.addN([
        e.mul(e.gatherRows(gates, pick(3)), s0), // gate(3←0) ⊙ S_0
        e.mul(e.gatherRows(gates, pick(4)), e.gatherRows(s1, pick(0))), // gate(3←1) ⊙ S_1
        e.mul(e.gatherRows(gates, pick(5)), e.gatherRows(s2, e.rowSelector(node2, NODE2_STATES))), // ⊙ S_2
      ]);
      return head.forward(x3, b, dropout);
    }
  };
  return { variables: params.variables, forward };
}

export function createGatesPredictor(
  config: Partial<PredictorConfig> = {},
  runtime: PredictorRuntime = {},
): NeuralPredictor {
  return new NeuralPredictor('gates', config, buildGates, runtime);
}
