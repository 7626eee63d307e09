/**
 * Supernet throughput on the wasm backend (SPEC §4): training images/s of one SGD step at (C16, N5, batch 64) and
 * (C8, N1, batch 128), and derive images/s at C16, N5 (forward only, BN in train mode). Random images; the
 * architectures are the deiso sampler's. Reference on this machine: PyTorch on CPU trains 651 and 4,046 images/s.
 */
import * as tf from '@tensorflow/tfjs';
import { loadGroundTruth } from '../src/bench/ground-truth.js';
import { initTensorflow, type TfBackendName } from '../src/engine/tf-backend.js';
import { Rng } from '../src/predictors/rng.js';
import { createSampler } from '../src/oneshot/samplers.js';
import { PAPER_SGD, sgdStep } from '../src/oneshot/sgd.js';
import { initSupernetWeights, type SupernetConfig } from '../src/oneshot/supernet-params.js';
import { supernetForward } from '../src/oneshot/supernet.js';
import { supernetGradients } from '../src/oneshot/train-step.js';
import type { BenchRow } from './timing.js';

const PYTORCH_CPU = { 'C16 N5 b64': 651, 'C8 N1 b128': 4046 } as Record<string, number>;

function images(b: number): tf.Tensor4D {
  return tf.randomNormal([b, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
}

/** Waits for queued GPU work (a no-op on wasm and cpu, whose kernels run synchronously). */
function flush(params: Map<string, tf.Variable> | ReadonlyMap<string, tf.Tensor>): void {
  const first = params.values().next().value;
  if (first) tf.tidy(() => tf.sum(first).dataSync());
}

export async function benchOneshot(backendName: TfBackendName = 'wasm'): Promise<BenchRow[]> {
  const backend = await initTensorflow(backendName);
  const sampler = createSampler('deiso', loadGroundTruth());
  const group = `supernet (${backend})`;
  const rows: BenchRow[] = [];
  for (const [name, channels, cells, batch, steps] of [
    ['C16 N5 b64', 16, 5, 64, 4],
    ['C8 N1 b128', 8, 1, 128, 6],
  ] as const) {
    const config: SupernetConfig = { channels, cellsPerStage: cells, classes: 10, dropout: 0.1 };
    const params = initSupernetWeights(config, 0);
    const momentum = new Map<string, tf.Tensor>();
    const x = images(batch);
    const labels = Int32Array.from({ length: batch }, (_, i) => i % 10);
    const rng = new Rng(1);
    const step = () => {
      const { grads } = supernetGradients(params, config, sampler.sample(rng), x, labels, {
        dropoutSeed: 1,
        microBatch: 64,
      });
      sgdStep(params, grads, momentum, PAPER_SGD);
      grads.forEach((g) => g.dispose());
    };
    step(); // warm-up
    flush(params);
    const t0 = performance.now();
    for (let s = 0; s < steps; s++) step();
    flush(params);
    const seconds = (performance.now() - t0) / 1000;
    const perSecond = (steps * batch) / seconds;
    rows.push({
      group,
      name: `training images/s, ${name}`,
      value: perSecond,
      unit: 'items/s',
      note: `${((seconds / steps) * 1000).toFixed(0)} ms/step; PyTorch CPU here: ${PYTORCH_CPU[name]} /s (${(perSecond / PYTORCH_CPU[name]).toFixed(2)}×)`,
    });
    if (name === 'C16 N5 b64') {
      const xd = images(256);
      const archs = Array.from({ length: 4 }, () => sampler.sample(rng)[0]);
      const fwd = (a: (typeof archs)[number]) =>
        tf.tidy(() => supernetForward(params, config, a, xd, { training: false }).dataSync());
      fwd(archs[0]);
      const t1 = performance.now();
      for (const a of archs) fwd(a);
      const s1 = (performance.now() - t1) / 1000;
      rows.push({
        group,
        name: 'derive images/s, C16 N5 b256',
        value: (archs.length * 256) / s1,
        unit: 'items/s',
      });
      xd.dispose();
    }
    tf.dispose([x, ...momentum.values()]);
    params.forEach((v) => v.dispose());
  }
  return rows;
}
