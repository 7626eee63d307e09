/** Worker thread of the predictor protocol: sets TensorFlow.js up once, then trains and judges runs one by one. */
import { workerData } from 'node:worker_threads';
import { loadGroundTruth, type GroundTruth } from '../bench/ground-truth.js';
import { initTensorflow, type TfBackendName } from '../engine/tf-backend.js';
import { executePredictorRun, type PredictorRunSpec } from './predictor-run.js';
import { serveTasks } from './worker-serve.js';

const { targets, backend: wanted } = workerData as { targets: Float64Array; backend: TfBackendName };
let gt: GroundTruth;
let backend = wanted;

serveTasks(
  async () => {
    backend = (await initTensorflow(wanted)) as typeof backend;
    gt = loadGroundTruth();
  },
  (spec: PredictorRunSpec) => executePredictorRun(spec, gt, targets, backend),
);
