import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import * as tf from '../engine/tfjs.js';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { planEvalBatches } from '../data/batches.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { loadCheckpoint, saveCheckpoint } from './checkpoint.js';
import { deriveScores } from './derive.js';
import { shardItems } from '../runners/shard.js';
import { createSampler } from './samplers.js';
import { PAPER_SGD } from './sgd.js';
import { initSupernetWeights, type SupernetConfig } from './supernet-params.js';
import { freshTrainState, trainSupernet, type TrainOptions, type TrainState } from './trainer.js';
import { tinyCifar } from '../../test/helpers/tiny-cifar.js';
// Library calls here that are given no engine run on tfjs: loading its engine makes it the default.
import '../engine/tfjs-engine.js';

const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0.1 };
const dir = mkdtempSync(path.join(tmpdir(), 'nass-oneshot-'));

const tinyData = () => tinyCifar(5);

function options(epochs: number): TrainOptions {
  return {
    config: CONFIG,
    sgd: PAPER_SGD,
    sampler: createSampler('mc-2', loadGroundTruth()),
    data: tinyData(),
    trainRange: { start: 0, end: 8 },
    batchSize: 4,
    microBatch: 2,
    seed: 7,
    epochs,
  };
}

async function weights(state: TrainState): Promise<Float32Array[]> {
  return Promise.all([...state.params.values()].map(async (v) => (await v.data()) as Float32Array));
}

test('training is deterministic and a resumed run is bit-identical to an uninterrupted one', async () => {
  await initTensorflow('cpu');
  const straight = await trainSupernet(
    freshTrainState(initSupernetWeights(CONFIG, 1), PAPER_SGD),
    options(2),
  );
  assert.equal(straight.epoch, 2);
  assert.equal(straight.history.length, 2);

  const file = path.join(dir, 'epoch1.ckpt');
  const first = await trainSupernet(freshTrainState(initSupernetWeights(CONFIG, 1), PAPER_SGD), {
    ...options(1),
    onEpoch: (s) => saveCheckpoint(file, CONFIG, s, { seed: 7, sampler: 'mc-2' }),
  });
  first.params.forEach((v) => v.dispose());
  const loaded = loadCheckpoint(file, CONFIG);
  assert.equal(loaded.state.epoch, 1);
  assert.deepEqual(loaded.run, { seed: 7, sampler: 'mc-2' });
  const resumed = await trainSupernet(loaded.state, options(2));
  const a = await weights(straight);
  const b = await weights(resumed);
  for (let i = 0; i < a.length; i++) assert.deepEqual(b[i], a[i]);
  assert.deepEqual(
    resumed.history,
    straight.history.map((h, i) => ({ ...h, seconds: resumed.history[i].seconds })),
  );
  const changed = (await weights(freshTrainState(initSupernetWeights(CONFIG, 1), PAPER_SGD))).some((w, i) =>
    w.some((v, j) => v !== a[i][j]),
  );
  assert.ok(changed, 'training changed the weights');
});

test('both --sgd-untouched modes resume bit-identically from a checkpoint, and they train differently', async () => {
  await initTensorflow('cpu');
  const final: Float32Array[][] = [];
  for (const untouched of ['decay', 'skip'] as const) {
    const sgd = { ...PAPER_SGD, untouched };
    const opts = (epochs: number): TrainOptions => ({ ...options(epochs), sgd });
    const straight = await trainSupernet(freshTrainState(initSupernetWeights(CONFIG, 4), sgd), opts(2));
    const file = path.join(dir, `untouched-${untouched}.ckpt`);
    const first = await trainSupernet(freshTrainState(initSupernetWeights(CONFIG, 4), sgd), {
      ...opts(1),
      onEpoch: (s) => saveCheckpoint(file, CONFIG, s, { sgdUntouched: untouched }),
    });
    const touched = [...first.momentum.keys()].sort();
    first.params.forEach((v) => v.dispose());
    const loaded = loadCheckpoint(file, CONFIG);
    assert.equal(loaded.run.sgdUntouched, untouched);
    // The touched set (what decay needs) is the set of momentum buffers, and it survives the checkpoint.
    assert.deepEqual([...loaded.state.momentum.keys()].sort(), touched);
    assert.ok(touched.length < loaded.state.params.size, 'some weights were never used in epoch 1');
    const resumed = await trainSupernet(loaded.state, opts(2));
    const a = await weights(straight);
    const b = await weights(resumed);
    for (let i = 0; i < a.length; i++) assert.deepEqual(b[i], a[i], `${untouched}: weight ${i}`);
    final.push(a);
  }
  assert.ok(
    final[0].some((w, i) => w.some((v, j) => v !== final[1][i][j])),
    'decay and skip give different weights',
  );
});

test('corrupt, truncated or foreign checkpoints give clear errors', async () => {
  await initTensorflow('cpu');
  const state = freshTrainState(initSupernetWeights(CONFIG, 2), PAPER_SGD);
  const file = path.join(dir, 'ok.ckpt');
  saveCheckpoint(file, CONFIG, state, {});
  const raw = gunzipSync(readFileSync(file));
  const flipped = Buffer.from(raw);
  flipped[flipped.length - 5] ^= 0xff;
  writeFileSync(path.join(dir, 'flipped.ckpt'), gzipSync(flipped));
  writeFileSync(path.join(dir, 'short.ckpt'), gzipSync(raw.subarray(0, raw.length - 100)));
  writeFileSync(path.join(dir, 'junk.ckpt'), 'not a checkpoint');
  assert.throws(() => loadCheckpoint(path.join(dir, 'flipped.ckpt')), /flipped\.ckpt: checksum mismatch/);
  assert.throws(
    () => loadCheckpoint(path.join(dir, 'short.ckpt')),
    /short\.ckpt: checksum mismatch|payload has/,
  );
  assert.throws(() => loadCheckpoint(path.join(dir, 'junk.ckpt')), /junk\.ckpt: not a valid checkpoint/);
  assert.throws(() => loadCheckpoint(path.join(dir, 'none.ckpt')), /none\.ckpt: no such checkpoint/);
  assert.throws(() => loadCheckpoint(file, { ...CONFIG, channels: 8 }), /ok\.ckpt: made for supernet/);
  const back = loadCheckpoint(file, CONFIG);
  for (const [name, v] of state.params)
    assert.deepEqual(back.state.params.get(name)!.dataSync(), v.dataSync(), name);
});

test('derive scores architectures on fixed held-out batches, reproducibly; shards partition the list', async () => {
  await initTensorflow('cpu');
  const params = initSupernetWeights(CONFIG, 3);
  const gt = loadGroundTruth();
  const archs = [gt.archs[1], gt.archs[2], gt.archs[3]];
  const plan = planEvalBatches(tinyData(), { start: 16, end: 24 }, 4);
  const batches = Array.from({ length: plan.numBatches }, (_, b) => plan.batch(b));
  const before = tf.memory().numTensors;
  const s1 = deriveScores(params, CONFIG, archs, batches);
  const s2 = deriveScores(params, CONFIG, archs, batches);
  assert.equal(tf.memory().numTensors, before, 'no tensor leaks');
  assert.deepEqual(s1, s2);
  for (const a of s1.accuracy) assert.ok(a >= 0 && a <= 1 && Number.isInteger(a * 4 * 2) === true);
  for (const l of s1.negLoss) assert.ok(l < 0);
  const items = [...Array(10).keys()];
  const shards = [0, 1, 2].map((index) => shardItems(items, { index, count: 3 }));
  assert.deepEqual(
    shards.flat().sort((x, y) => x - y),
    items,
  );
});
