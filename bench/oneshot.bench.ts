/**
 * Supernet speed (SPEC §4) on each engine against PyTorch-CPU in the same run: one SGD step (forward, cross-entropy,
 * backward, clip, SGD with momentum and weight decay) at C16 N5 batch 64, C8 N1 batch 128 and C16 N5 batch 512, and
 * derive at C16 N5 batch 256 (BN in train mode, no gradient). Both sides run the same uniformly sampled
 * architectures on random images with the same thread count (bench/pytorch-reference.py is the PyTorch side). Each of
 * 3 rounds times every engine and PyTorch back to back; a row is the median over rounds of the mean step time.
 */
import { availableParallelism } from 'node:os';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import type { Engine } from '../src/engine/engine.js';
import { loadEngine, torchAvailable } from '../src/engine/registry.js';
import type { TfBackendName } from '../src/engine/tf-backend.js';
import { deriveScores } from '../src/oneshot/derive.js';
import { createSampler } from '../src/oneshot/samplers.js';
import { PAPER_SGD, sgdStep } from '../src/oneshot/sgd.js';
import { initSupernetWeights, type SupernetConfig } from '../src/oneshot/supernet-params.js';
import { supernetGradients, wasmMaxMicroBatch } from '../src/oneshot/train-step.js';
import { Rng } from '../src/predictors/rng.js';
import type { Arch } from '../src/space/arch.js';
import { runPytorch, torchPython } from './pytorch.js';
import type { BenchRow } from './timing.js';

const ROUNDS = 3;
const CASES = [
  { name: 'C16 N5 b64', channels: 16, cells: 5, batch: 64, steps: 6, tfjsSteps: 2 },
  { name: 'C8 N1 b128', channels: 8, cells: 1, batch: 128, steps: 10, tfjsSteps: 3 },
  { name: 'C16 N5 b512', channels: 16, cells: 5, batch: 512, steps: 2, tfjsSteps: 1 },
] as const;

const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

function randomImages(n: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * 3072 }, () => 2 * rng.float() - 1);
}

/** Mean ms of `archs.length - 1` training steps after one warm-up step. */
function timeSteps<T>(
  e: Engine<T>,
  params: Map<string, T>,
  momentum: Map<string, T>,
  config: SupernetConfig,
  archs: readonly Arch[],
  images: Float32Array,
  labels: Int32Array,
  microBatch: number,
): number {
  const times: number[] = [];
  archs.forEach((arch, k) => {
    const t0 = performance.now();
    const x = e.images(images, [labels.length, 32, 32, 3]);
    const { grads } = supernetGradients(params, config, [arch], x, labels, {
      engine: e,
      dropoutSeed: k,
      microBatch,
    });
    sgdStep(params, grads, momentum, PAPER_SGD, PAPER_SGD.learningRate, e);
    e.dispose([x, ...grads.values()]);
    e.read(params.values().next().value!); // waits for queued GPU work (no-op on CPU engines)
    if (k > 0) times.push(performance.now() - t0);
  });
  return mean(times);
}

export async function benchOneshot(tfBackend: TfBackendName = 'wasm'): Promise<BenchRow[]> {
  const threads = availableParallelism();
  const engines: { label: string; engine: Engine<unknown> }[] = [];
  if (torchAvailable()) engines.push({ label: 'torch', engine: await loadEngine('torch', { threads }) });
  else process.stderr.write('bench: the torch engine is not built; its rows are left out\n');
  const tf = await loadEngine(tfBackend);
  engines.push({ label: tf.name, engine: tf });
  const py = torchPython();
  if (!py.python) process.stderr.write(`bench: ${py.why}; the PyTorch ratios are left out\n`);
  const sampler = createSampler('uniform', loadGroundTruth());
  const rows: BenchRow[] = [];

  for (const c of CASES) {
    const config: SupernetConfig = {
      channels: c.channels,
      cellsPerStage: c.cells,
      classes: 10,
      dropout: 0.1,
    };
    const images = randomImages(c.batch, 1);
    const labels = Int32Array.from({ length: c.batch }, (_, i) => i % 10);
    const state = engines.map(({ engine }) => ({
      params: initSupernetWeights(config, 0, engine),
      momentum: new Map<string, unknown>(),
    }));
    const ours: number[][] = engines.map(() => []);
    const theirs: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const rng = new Rng(100 + round);
      const archs = Array.from({ length: c.steps + 1 }, () => sampler.sample(rng)[0]);
      engines.forEach(({ engine }, i) => {
        const isTorch = engine.name === 'torch';
        const micro = engine.name === 'wasm' ? Math.min(c.batch, wasmMaxMicroBatch(config)) : c.batch;
        const list = isTorch ? archs : archs.slice(0, c.tfjsSteps + 1);
        ours[i].push(
          timeSteps(engine, state[i].params, state[i].momentum, config, list, images, labels, micro),
        );
      });
      if (py.python)
        theirs.push(
          mean(
            runPytorch({
              mode: 'train',
              channels: c.channels,
              cells: c.cells,
              batch: c.batch,
              threads,
              archs,
              warmup: 1,
            }),
          ),
        );
    }
    engines.forEach(({ label, engine }, i) => {
      const ms = median(ours[i]);
      const micro = engine.name === 'wasm' ? Math.min(c.batch, wasmMaxMicroBatch(config)) : c.batch;
      const ratio = py.python ? ms / median(theirs) : undefined;
      rows.push({
        group: `supernet (${label})`,
        name: `training images/s, ${c.name}`,
        value: (c.batch * 1000) / ms,
        unit: 'items/s',
        ratio,
        note:
          `${ms.toFixed(0)} ms/step` +
          (py.python
            ? `; PyTorch ${median(theirs).toFixed(0)} ms/step, step time ${ratio!.toFixed(2)}× PyTorch's`
            : '') +
          (micro < c.batch ? `; micro-batches of ${micro} (wasm heap)` : ''),
      });
    });
    state.forEach((s, i) => engines[i].engine.dispose([...s.params.values(), ...s.momentum.values()]));
  }

  // Derive: C16 N5, one held-out batch of 256, BN in train mode, no gradient.
  const config: SupernetConfig = { channels: 16, cellsPerStage: 5, classes: 10, dropout: 0.1 };
  const batch = {
    x: randomImages(256, 2),
    y: Int32Array.from({ length: 256 }, (_, i) => i % 10),
    indices: Int32Array.from({ length: 256 }, (_, i) => i),
    shape: [256, 32, 32, 3] as [number, number, number, number],
    epoch: 0,
    batch: 0,
  };
  const ours: number[][] = engines.map(() => []);
  const theirs: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const rng = new Rng(200 + round);
    const archs = Array.from({ length: 5 }, () => sampler.sample(rng)[0]);
    engines.forEach(({ engine }, i) => {
      const params = initSupernetWeights(config, 0, engine);
      const stamps: number[] = [];
      const t0 = performance.now();
      deriveScores(params, config, archs, [batch], { engine, onArch: () => stamps.push(performance.now()) });
      const per = stamps.map((s, k) => s - (k === 0 ? t0 : stamps[k - 1]));
      ours[i].push(mean(per.slice(1)));
      engine.dispose([...params.values()]);
    });
    if (py.python)
      theirs.push(
        mean(runPytorch({ mode: 'derive', channels: 16, cells: 5, batch: 256, threads, archs, warmup: 1 })),
      );
  }
  engines.forEach(({ label }, i) => {
    const ms = median(ours[i]);
    const ratio = py.python ? ms / median(theirs) : undefined;
    rows.push({
      group: `supernet (${label})`,
      name: 'derive images/s, C16 N5 b256',
      value: (256 * 1000) / ms,
      unit: 'items/s',
      ratio,
      note:
        `${ms.toFixed(0)} ms/arch` +
        (py.python
          ? `; PyTorch ${median(theirs).toFixed(0)} ms/arch, ${ratio!.toFixed(2)}× PyTorch's time`
          : ''),
    });
  });
  return rows;
}
