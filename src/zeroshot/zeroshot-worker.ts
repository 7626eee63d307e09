/** Worker thread of the zero-shot runner: one untrained supernet and one image batch, then chunks of architectures. */
import { workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import { loadGroundTruth, type GroundTruth } from '../bench/ground-truth.js';
import { initTensorflow, type TfBackendName } from '../engine/tf-backend.js';
import { initSupernetWeights, type SupernetConfig } from '../oneshot/supernet-params.js';
import { serveTasks } from '../runners/worker-serve.js';
import type { ZeroShotProxy } from './proxies.js';
import { scoreArchitecture, type ZeroShotInput } from './score-arch.js';
import type { ZeroShotRow } from './run-zeroshot.js';

const data = workerData as {
  backend: TfBackendName;
  config: SupernetConfig;
  seed: number;
  proxies: ZeroShotProxy[];
  x: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
};
let gt: GroundTruth;
let input: ZeroShotInput;

serveTasks(
  async () => {
    await initTensorflow(data.backend);
    gt = loadGroundTruth();
    input = {
      params: initSupernetWeights(data.config, data.seed),
      config: data.config,
      x: tf.tensor4d(data.x, data.shape),
      labels: data.labels,
    };
  },
  async (indices: Int32Array): Promise<ZeroShotRow[]> =>
    Array.from(indices, (index) => {
      const t0 = performance.now();
      const s = scoreArchitecture(input, gt.archs[index], data.proxies);
      return { index, scores: data.proxies.map((p) => s[p] ?? NaN), ms: performance.now() - t0 };
    }),
);
