/**
 * The neural predictors on the torch engine against the same code on tfjs-cpu: one training step (loss and every
 * gradient), Adam, a whole fit, and no tensors left behind.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Engine } from '../engine/engine.js';
import { loadEngine } from '../engine/registry.js';
import { archFromCode } from '../space/arch.js';
import { torchOrSkip } from '../../test/helpers/torch-or-skip.js';
import { buildGates } from './gates.js';
import { Dropout, ParamStore } from './layers.js';
import { batchLoss, batchPairs } from './losses.js';
import { buildLstm } from './lstm.js';
import { buildMlp } from './mlp.js';
import { createPredictor } from './registry.js';
import { Rng } from './rng.js';
import { packOps, type NeuralModel } from './train-loop.js';
import type { PredictorLoss } from './predictor.js';
import { kendallTau } from '../metrics/kendall.js';

/** max |a − b| relative to max |b| (one scale per tensor). */
function relDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return m === 0 ? d : d / m;
}

const maxAbs = (x: Float32Array) => x.reduce((m, v) => Math.max(m, Math.abs(v)), 0);

const BUILDERS = { gates: buildGates, lstm: buildLstm, mlp: buildMlp } as const;
// 200 architectures: enough rows for the LSTM's prefix tables (≥ 125) and every op on every edge.
const ARCHS = Array.from({ length: 200 }, (_, i) => archFromCode((i * 7919 + 3) % 15625));
const TARGETS = Float64Array.from(ARCHS, (a, i) => 80 + 10 * Math.sin(i) + a[0]);

/** One step's loss and gradients (canonical values), from the same seeds on any engine. */
function step(e: Engine<unknown>, name: keyof typeof BUILDERS, loss: PredictorLoss) {
  const params = new ParamStore(e, new Rng(31));
  const model: NeuralModel<unknown> = BUILDERS[name](params);
  const rows = Int32Array.from({ length: 150 }, (_, i) => (i * 37) % ARCHS.length);
  const y = Float64Array.from(rows, (r) => (loss === 'regression' ? TARGETS[r] / 100 : TARGETS[r]));
  const pairs = batchPairs(loss, y, new Rng(5).gen);
  const dropout = new Dropout(0.1, new Rng(6));
  const out = e.scope(() => {
    const { value, grads } = e.valueAndGrads(
      () => batchLoss(e, loss, model.forward(packOps(ARCHS), rows, dropout), y, pairs),
      model.variables,
    );
    return { value, grads: grads.map((g) => (g ? e.readCanonical(g) : undefined)) };
  });
  params.dispose();
  return out;
}

for (const name of ['gates', 'lstm', 'mlp'] as const) {
  test(`one ${name} training step on torch and on cpu: same loss and every gradient to 1e-4 relative`, async (t) => {
    const torch = await torchOrSkip(t);
    if (!torch) return;
    const cpu = await loadEngine('cpu');
    for (const loss of ['ranking', 'regression'] as const) {
      const tr = step(torch as Engine<unknown>, name, loss);
      const cr = step(cpu, name, loss);
      assert.ok(
        Math.abs(tr.value - cr.value) <= 1e-4 * Math.abs(cr.value),
        `${loss}: loss ${tr.value} vs ${cr.value}`,
      );
      assert.equal(tr.grads.length, cr.grads.length);
      const largest = Math.max(...cr.grads.map((g) => (g ? maxAbs(g) : 0)));
      cr.grads.forEach((g, i) => {
        // GATES's first two layers of gates get none on both: with no residual for nodes 1–3, a node-1 state holds
        // only the last layer's gate, so only the last three layers' gates reach node 3.
        assert.equal(
          tr.grads[i] === undefined,
          g === undefined,
          `${loss}: variable ${i} has a gradient on one engine only`,
        );
        if (!g) return;
        if (loss === 'ranking' && i === cr.grads.length - 1) {
          // The output bias: the ranking loss sees score differences only, so its gradient is 0 but for rounding.
          for (const x of [g[0], tr.grads[i]![0]])
            assert.ok(Math.abs(x) <= 1e-5 * largest, `output bias ${x}`);
          return;
        }
        const d = relDiff(tr.grads[i]!, g);
        assert.ok(d <= 1e-4, `${loss}: gradient of variable ${i}: relative difference ${d}`);
      });
    }
  });
}

test('Adam on torch equals the host Adam of tfjs-cpu, step for step', async (t) => {
  const torch = await torchOrSkip(t);
  if (!torch) return;
  const cpu = await loadEngine('cpu');
  const run = (e: Engine<unknown>) => {
    const w = e.variable(
      Float32Array.from({ length: 12 }, (_, i) => Math.sin(i)),
      [4, 3],
    );
    const x = e.tensor(
      Float32Array.from({ length: 20 }, (_, i) => Math.cos(i)),
      [5, 4],
    );
    const adam = e.adam([w], 0.01);
    for (let k = 0; k < 25; k++) {
      e.scope(() => {
        const { grads } = e.valueAndGrads(
          () => e.mean(e.square(e.addScalar(e.dense(x, w, null, true), -1))),
          [w],
        );
        adam.step(grads);
      });
    }
    adam.dispose();
    const values = e.readCanonical(w);
    e.dispose([w, x]);
    return values;
  };
  const d = relDiff(run(torch as Engine<unknown>), run(cpu));
  assert.ok(d <= 1e-5, `relative difference ${d}`);
});

test('a GATES fit on torch predicts like the same fit on cpu, and leaves no tensor behind', async (t) => {
  const torch = await torchOrSkip(t);
  if (!torch) return;
  const cpu = await loadEngine('cpu');
  const config = { epochs: 3, batchSize: 64, seed: 4 };
  const fitPredict = async (e: Engine<unknown>) => {
    const p = createPredictor('gates', config, { engine: e });
    await p.fit(ARCHS.slice(0, 120), TARGETS.subarray(0, 120));
    const s = await p.predict(ARCHS);
    p.dispose();
    return s;
  };
  const live = torch.addon.liveTensors();
  const onTorch = await fitPredict(torch as Engine<unknown>);
  assert.equal(torch.addon.liveTensors(), live, 'every tensor of the fit was freed');
  const onCpu = await fitPredict(cpu);
  // Float32 training on two engines drifts apart by rounding, which Adam amplifies while the scores of an untrained
  // model still nearly tie: wasm and cpu, both tfjs, differ as much (τ 0.977 between them with these settings).
  const tau = kendallTau(onTorch, onCpu);
  assert.ok(tau > 0.95, `τ(torch, cpu) = ${tau}`);
});
