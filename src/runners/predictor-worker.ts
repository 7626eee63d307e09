/** Worker thread of the predictor protocol: loads its engine once, then trains and judges runs one by one. */
import { workerData } from 'node:worker_threads';
import { loadGroundTruth, type GroundTruth } from '../bench/ground-truth.js';
import type { Engine, EngineName } from '../engine/engine.js';
import { loadEngine } from '../engine/registry.js';
import { executePredictorRun, type PredictorRunSpec } from './predictor-run.js';
import { serveTasks } from './worker-serve.js';

const { targets, backend, threads, savePredictions } = workerData as {
  targets: Float64Array;
  backend: EngineName;
  threads?: number;
  savePredictions?: boolean;
};
let gt: GroundTruth;
let engine: Engine<unknown>;

serveTasks(
  async () => {
    engine = await loadEngine(backend, { threads });
    gt = loadGroundTruth();
  },
  (spec: PredictorRunSpec) =>
    executePredictorRun(spec, gt, targets, engine, { keepPredictions: savePredictions }),
);
