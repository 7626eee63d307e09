/**
 * The models, on every engine here (tfjs wasm, and torch where its addon is built), against direct per-architecture
 * reference implementations in plain JS (float64), with the same weights: checks the method §5 semantics and that the
 * table and row-selection economies of gates.ts and lstm.ts are exact.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { EDGES } from '../space/arch.js';
import type { Engine } from '../engine/engine.js';
import { loadEngine, torchAvailable } from '../engine/registry.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { tfjsEngine } from '../engine/tfjs-engine.js';
import { archFromCode, type Arch } from '../space/arch.js';
import { toOneHot30 } from '../space/encodings.js';
import { buildGates, GATES_LAYERS } from './gates.js';
import { ParamStore } from './layers.js';
import { buildLstm } from './lstm.js';
import { buildMlp } from './mlp.js';
import { Rng } from './rng.js';
import { packOps, type NeuralModel } from './train-loop.js';

await initTensorflow();
const ENGINES: [string, Engine<unknown>][] = [['wasm', tfjsEngine() as Engine<unknown>]];
if (torchAvailable()) ENGINES.push(['torch', await loadEngine('torch', { threads: 1 })]);

type Mat = number[][];
/** The engine whose tensors the helpers below read (set by each test). */
let E: Engine<unknown> = ENGINES[0][1];
const vecOf = (v: unknown): number[] => Array.from(E.readCanonical(v));
const matOf = (v: unknown): Mat => {
  const shape = E.canonicalShape(v);
  const flat = vecOf(v);
  if (shape.length === 1) return [flat];
  return Array.from({ length: shape[0] }, (_, i) => flat.slice(i * shape[1], (i + 1) * shape[1]));
};
const matVec = (x: number[], w: Mat): number[] =>
  w[0].map((_, j) => x.reduce((s, xi, i) => s + xi * w[i][j], 0));
const add = (a: number[], b: number[]) => a.map((v, i) => v + b[i]);
const mul = (a: number[], b: number[]) => a.map((v, i) => v * b[i]);
const relu = (a: number[]) => a.map((v) => Math.max(0, v));
const sigmoid = (a: number[]) => a.map((v) => 1 / (1 + Math.exp(-v)));
const tanh = (a: number[]) => a.map(Math.tanh);

/** Head layers [(w, b)...]: ReLU between, linear last. */
function headRef(x: number[], layers: [Mat, number[]][]): number {
  let h = x;
  layers.forEach(([w, b], i) => {
    h = add(matVec(h, w), b);
    if (i < layers.length - 1) h = relu(h);
  });
  return h[0];
}

function headParams(vars: readonly unknown[], from: number): [Mat, number[]][] {
  const out: [Mat, number[]][] = [];
  for (let i = from; i < vars.length; i += 2) out.push([matOf(vars[i]), vecOf(vars[i + 1])]);
  return out;
}

/** A spread of architectures: every op on every edge, dead edges, cells that cannot reach the output. */
const ARCHS: Arch[] = [0, 1, 7, 1234, 3906, 5555, 7812, 9999, 12345, 15624, 15000, 4321, 2500, 625].map(
  archFromCode,
);

function modelScores(model: NeuralModel<unknown>, archs: Arch[]): Float32Array {
  const ops = packOps(archs);
  return E.noGrad(() =>
    E.scope(() =>
      E.read(
        model.forward(
          ops,
          Array.from(archs, (_, i) => i),
          null,
        ),
      ),
    ),
  );
}

function assertClose(ours: ArrayLike<number>, ref: number[], what: string) {
  ref.forEach((r, i) =>
    assert.ok(
      Math.abs(ours[i] - r) <= 1e-4 * Math.max(1, Math.abs(r)),
      `${what} arch ${i}: ${ours[i]} vs ${r}`,
    ),
  );
}

for (const [name, engine] of ENGINES) {
  test(`MLP on ${name} = onehot30 → (200, 200, 200) ReLU → 1`, () => {
    E = engine;
    const params = new ParamStore(E, new Rng(1));
    const model = buildMlp(params);
    const head = headParams(params.variables, 0);
    const ref = ARCHS.map((a) => headRef(Array.from(toOneHot30(a)), head));
    assertClose(modelScores(model, ARCHS), ref, 'mlp');
    params.dispose();
  });

  test(`LSTM on ${name} = embedding → LSTM(100), last output → MLP head, computed per architecture`, () => {
    E = engine;
    const params = new ParamStore(E, new Rng(2));
    const model = buildLstm(params);
    const v = params.variables;
    const emb = matOf(v[0]);
    const wih = [1, 2, 3, 4].map((i) => matOf(v[i]));
    const whh = [5, 6, 7, 8].map((i) => matOf(v[i]));
    // PyTorch's two gate biases, b_ih and b_hh, both added in every gate.
    const bias = [9, 10, 11, 12].map((i) => add(vecOf(v[i]), vecOf(v[i + 4])));
    const head = headParams(v, 17);
    const ref = ARCHS.map((arch) => {
      let h = new Array(100).fill(0);
      let c = new Array(100).fill(0);
      for (const op of arch) {
        const z = [0, 1, 2, 3].map((k) => add(add(matVec(emb[op], wih[k]), bias[k]), matVec(h, whh[k])));
        const [i, f, g, o] = [sigmoid(z[0]), sigmoid(z[1]), tanh(z[2]), sigmoid(z[3])];
        c = add(mul(f, c), mul(i, g));
        h = mul(o, tanh(c));
      }
      return headRef(h, head);
    });
    assertClose(modelScores(model, ARCHS), ref, 'lstm');
    // A batch large enough to run on prefix tables (≥ 125 rows) gives the same scores.
    const many = [...ARCHS, ...Array.from({ length: 200 }, (_, i) => archFromCode((i * 7919) % 15625))];
    assertClose(modelScores(model, many).subarray(0, ARCHS.length), ref, 'lstm (prefix tables)');
    params.dispose();
  });
}

test("LSTM initialisation follows PyTorch's nn.LSTM and nn.Embedding, seeded", () => {
  const hidden = 100;
  const bound = 1 / Math.sqrt(hidden);
  E = ENGINES[0][1];
  const draw = (seed: number) => {
    const params = new ParamStore(E, new Rng(seed));
    buildLstm(params);
    const v = params.variables;
    const values = (i: number) => vecOf(v[i]);
    const shapeOf = (i: number) => E.canonicalShape(v[i]);
    // After the embedding and the 8 weight matrices, every 1-D [hidden] variable before the head is a gate bias:
    // b_ih of the 4 gates, then b_hh of the 4 gates; a gate's effective bias is their sum.
    const biasVars: number[] = [];
    for (let i = 9; shapeOf(i).length === 1 && shapeOf(i)[0] === hidden; i++) biasVars.push(i);
    const gates = 4;
    const perGate = biasVars.length / gates;
    const effective = Array.from({ length: gates }, (_, k) => {
      const b = new Array<number>(hidden).fill(0);
      for (let j = 0; j < perGate; j++) values(biasVars[k + j * gates]).forEach((x, n) => (b[n] += x));
      return b;
    }).flat();
    const out = {
      shapes: v.slice(0, 9).map((_, i) => shapeOf(i)),
      emb: values(0),
      weights: [1, 2, 3, 4, 5, 6, 7, 8].flatMap(values),
      effective,
    };
    params.dispose();
    return out;
  };
  const a = draw(7);
  assert.deepEqual(a.shapes, [[5, 100], ...new Array(8).fill([100, 100])]);
  // Embedding N(0, 1): 500 draws, mean ≈ 0, variance ≈ 1.
  const moments = (x: number[]) => {
    const m = x.reduce((s, y) => s + y, 0) / x.length;
    return { mean: m, variance: x.reduce((s, y) => s + (y - m) ** 2, 0) / (x.length - 1) };
  };
  const e = moments(a.emb);
  assert.ok(Math.abs(e.mean) < 0.15 && Math.abs(e.variance - 1) < 0.2, `embedding ${JSON.stringify(e)}`);
  // W_ih, W_hh: U(±1/√hidden), variance bound²/3.
  assert.ok(a.weights.every((x) => Math.abs(x) <= bound));
  const w = moments(a.weights);
  assert.ok(Math.abs(w.variance / (bound ** 2 / 3) - 1) < 0.05, `weights ${JSON.stringify(w)}`);
  // The effective gate bias b_ih + b_hh: within ±2/√hidden, variance 2·(1/√hidden)²/3, and not confined to
  // one draw's ±1/√hidden.
  assert.equal(a.effective.length, 4 * hidden);
  assert.ok(a.effective.every((x) => Math.abs(x) <= 2 * bound));
  const b = moments(a.effective);
  const expected = (2 * bound ** 2) / 3;
  assert.ok(
    Math.abs(b.variance / expected - 1) < 0.2,
    `bias variance ${b.variance}, expected ${expected} (one U(±${bound}) would give ${bound ** 2 / 3})`,
  );
  assert.ok(
    a.effective.some((x) => Math.abs(x) > bound),
    'some effective bias outside ±1/√hidden',
  );
  assert.deepEqual(draw(7), a, 'same seed, same initialisation');
  assert.notDeepEqual(draw(8).effective, a.effective, 'another seed, another initialisation');
});

for (const [name, engine] of ENGINES) {
  test(`GATES on ${name} = op-as-attention GNN over the cell, node-3 readout → MLP head, computed per architecture`, () => {
    E = engine;
    const params = new ParamStore(E, new Rng(3));
    const model = buildGates(params);
    const v = params.variables;
    const opEmb = matOf(v[0]);
    const inputNode = matOf(v[1])[0];
    const [we, be] = [matOf(v[2]), vecOf(v[3])];
    const layers = GATES_LAYERS.map((_, l) => ({
      w: matOf(v[4 + 3 * l]),
      gw: matOf(v[5 + 3 * l]),
      gb: vecOf(v[6 + 3 * l]),
    }));
    const head = headParams(v, 4 + 3 * GATES_LAYERS.length);
    const edges = EDGES;
    const ref = ARCHS.map((arch) => {
      // nodes 1–3 start from zero vectors, node 0 from the learned input vector; then the linear map 48→96
      let x = [add(matVec(inputNode, we), be), be, be, be];
      layers.forEach(({ w, gw, gb }, l) => {
        const s = x.map((xi) => matVec(xi, w));
        const next = [s[0], ...[1, 2, 3].map(() => new Array(s[0].length).fill(0))];
        edges.forEach(([from, to], e) => {
          const op = arch[e];
          if (op === 0) return; // [op ≠ none]
          const gate = sigmoid(add(matVec(opEmb[op], gw), gb));
          next[to] = add(next[to], mul(gate, s[from]));
        });
        x = l < layers.length - 1 ? next.map(relu) : next;
      });
      return headRef(x[3], head);
    });
    assertClose(modelScores(model, ARCHS), ref, 'gates');
    params.dispose();
  });
}
