/** Worker thread of the predictor protocol: trains and judges runs one by one (the engine loaded once, on first need). */
import { workerData } from 'node:worker_threads';
import { loadGroundTruth, type GroundTruth } from '../benchmarks/ground-truth.js';
import type { Engine, EngineName } from '../engine/engine.js';
import { loadEngine } from '../engine/registry.js';
import { predictorNeedsEngine } from '../predictors/registry.js';
import { executePredictorRun, type PredictorRunSpec } from './predictor-run.js';
import { serveTasks } from './worker-serve.js';

const { targets, backend, threads, savePredictions } = workerData as {
  targets: Float64Array;
  backend: EngineName;
  threads?: number;
  savePredictions?: boolean;
};
let gt: GroundTruth;
/** Loaded with the first run of a neural predictor: random forests need none (and may run where none is). */
let engine: Engine<unknown> | undefined;

serveTasks(
  async () => {
    gt = loadGroundTruth();
  },
  async (spec: PredictorRunSpec) => {
    if (predictorNeedsEngine(spec.predictor)) engine ??= await loadEngine(backend, { threads });
    return executePredictorRun(spec, gt, targets, engine, { keepPredictions: savePredictions, backend });
  },
);
