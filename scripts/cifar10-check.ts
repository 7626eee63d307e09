/**
 * Load a CIFAR-10 binary folder and report what the one-shot supernet would train on: counts, label histogram,
 * per-channel means/stds after /255, md5 report, the split, and the time to build augmented batches.
 * Usage: node --import tsx scripts/cifar10-check.ts [DIR]   (default: ../shared/data/cifar10 beside the repo)
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { inspectCifar10, inspectionText } from '../src/data/inspect.js';
import { planEvalBatches, planTrainEpoch } from '../src/data/batches.js';
import { NHWC_IMAGE_FLOATS } from '../src/data/transforms.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = process.argv[2] ?? path.join(root, '..', 'shared', 'data', 'cifar10');
const BATCH = 512;
const BATCHES = 100;

const { report, train } = inspectCifar10(dir);
for (const line of inspectionText(report)) console.log(line);

if (train && report.split) {
  const range = report.split.train;
  let ms = 0;
  let built = 0;
  // Fresh arrays per batch, as the training loop gets them (epochs 0, 1, … until 100 batches are built).
  for (let epoch = 0; built < BATCHES; epoch++) {
    const plan = planTrainEpoch(train, range, { batchSize: BATCH, seed: 0, epoch, dropLast: true });
    const t0 = performance.now();
    const stop = Math.min(plan.numBatches, BATCHES - built);
    for (let b = 0; b < stop; b++) plan.batch(b);
    ms += performance.now() - t0;
    built += stop;
  }
  const reuse = new Float32Array(BATCH * NHWC_IMAGE_FLOATS);
  const plan = planTrainEpoch(train, range, { batchSize: BATCH, seed: 1, epoch: 0, dropLast: true });
  const t1 = performance.now();
  for (let k = 0; k < BATCHES; k++) plan.batch(k % plan.numBatches, reuse);
  const reuseMs = performance.now() - t1;
  const held = planEvalBatches(train, report.split.heldOut, BATCH);
  const t2 = performance.now();
  for (let b = 0; b < held.numBatches; b++) held.batch(b);
  const heldMs = performance.now() - t2;
  console.log(
    `timing: ${BATCHES} augmented batches of ${BATCH}: ${ms.toFixed(0)} ms (${(ms / BATCHES).toFixed(2)} ms/batch, ` +
      `fresh arrays); ${(reuseMs / BATCHES).toFixed(2)} ms/batch into a reused buffer; ` +
      `held-out pass (${held.numBatches} batches, test transform): ${heldMs.toFixed(0)} ms`,
  );
}
