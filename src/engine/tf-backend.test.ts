import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from './tfjs.js';
import { ensureTensorflow, initTensorflow } from './tf-backend.js';

test('initTensorflow: wasm by default, idempotent, switchable, unknown names rejected', async () => {
  assert.equal(await ensureTensorflow(), 'wasm');
  assert.equal(await initTensorflow(), 'wasm');
  assert.equal(await initTensorflow('wasm'), 'wasm');
  assert.equal(tf.getBackend(), 'wasm');
  assert.equal(await initTensorflow('cpu'), 'cpu');
  assert.equal(tf.getBackend(), 'cpu');
  assert.equal(await ensureTensorflow(), 'cpu');
  assert.equal(await initTensorflow('wasm'), 'wasm');
  await assert.rejects(
    () => initTensorflow('webgl' as never),
    /unknown tfjs backend 'webgl' \(available: wasm, cpu, webgpu\)/,
  );
  assert.equal(tf.getBackend(), 'wasm');
});
