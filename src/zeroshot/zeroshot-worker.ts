/** Worker thread of the zero-shot runner: one untrained supernet and one image batch, then chunks of architectures. */
import { workerData } from 'node:worker_threads';
import { loadGroundTruth, type GroundTruth } from '../benchmarks/ground-truth.js';
import type { Engine, EngineName } from '../engine/engine.js';
import { loadEngine } from '../engine/registry.js';
import { initSupernetWeights, type SupernetConfig } from '../oneshot/supernet-params.js';
import { serveTasks } from '../runners/worker-serve.js';
import type { ZeroShotProxy } from './proxies.js';
import { scoreArchitecture, type ZeroShotInput } from './score-arch.js';
import type { ZeroShotRow } from './run-zeroshot.js';

const data = workerData as {
  backend: EngineName;
  /** Intra-op threads of each worker's torch engine. */
  threads?: number;
  config: SupernetConfig;
  seed: number;
  proxies: ZeroShotProxy[];
  x: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
};
let gt: GroundTruth;
let input: ZeroShotInput<unknown>;
let engine: Engine<unknown>;

serveTasks(
  async () => {
    engine = await loadEngine(data.backend, { threads: data.threads });
    gt = loadGroundTruth();
    input = {
      params: initSupernetWeights(data.config, data.seed, engine),
      config: data.config,
      x: engine.images(data.x, data.shape),
      labels: data.labels,
    };
  },
  async (indices: Int32Array): Promise<ZeroShotRow[]> =>
    Array.from(indices, (index) => {
      const t0 = performance.now();
      const s = scoreArchitecture(input, gt.archs[index], data.proxies, engine);
      return { index, scores: data.proxies.map((p) => s[p] ?? NaN), ms: performance.now() - t0 };
    }),
);
