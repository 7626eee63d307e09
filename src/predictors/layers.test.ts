import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '../engine/tfjs.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { tfjsEngine } from '../engine/tfjs-engine.js';
import { Dropout, ParamStore } from './layers.js';
import { Rng, fillDropoutMask } from './rng.js';

await initTensorflow();
const engine = tfjsEngine();

test('dropout masks: seeded, rate respected, inverted scaling', () => {
  const m = fillDropoutMask(new Float32Array(200_000), 0.1, 42);
  let zeros = 0;
  for (const v of m) {
    if (v === 0) zeros++;
    else assert.equal(v, Math.fround(1 / (1 - 6554 / 65536)));
  }
  assert.ok(Math.abs(zeros / m.length - 0.1) < 0.005, `zero fraction ${zeros / m.length}`);
  assert.deepEqual(fillDropoutMask(new Float32Array(1000), 0.1, 42), m.subarray(0, 1000));
  assert.notDeepEqual(fillDropoutMask(new Float32Array(1000), 0.1, 43), m.subarray(0, 1000));
  const d = new Dropout(0, new Rng(1));
  assert.equal(d.mask(engine, 3, 4), null);
});

test('ParamStore: seeded initialisation and full disposal', () => {
  const before = tf.memory().numTensors;
  const a = new ParamStore(engine, new Rng(3));
  const b = new ParamStore(engine, new Rng(3));
  const wa = a.linear(10, 4);
  const wb = b.linear(10, 4);
  a.constant(tf.zeros([2]));
  assert.deepEqual(engine.readCanonical(wa.w), engine.readCanonical(wb.w));
  for (const v of engine.readCanonical(wa.w)) assert.ok(Math.abs(v) <= 1 / Math.sqrt(10));
  assert.equal(a.size(), 10 * 4 + 4);
  a.dispose();
  b.dispose();
  assert.equal(tf.memory().numTensors, before);
});
