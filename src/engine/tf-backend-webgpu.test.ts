/**
 * The optional webgpu backend. Without a GPU (CI, most laptops without a Vulkan driver) asking for it must fail
 * with a clear usage error and leave the other backends usable; with one, the engine's convolution and its
 * gradients must match the float64 reference there too. Its own file: node --test runs each file in its own
 * process, so the Dawn globals it installs stay here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from './tfjs.js';
import { InputError } from '../io/input-error.js';
import { conv2d, convGeometry } from './conv.js';
import { conv2dGradRef, conv2dRef, randomValues, relativeError } from './reference.js';
import { BackendUnavailableError, initTensorflow } from './tf-backend.js';

test('webgpu: runs the engine convolution exactly where a GPU exists, else a clear usage error', async (t) => {
  let backend: string | undefined;
  try {
    backend = await initTensorflow('webgpu');
  } catch (e) {
    assert.ok(e instanceof BackendUnavailableError, `unexpected error: ${(e as Error).stack}`);
    assert.ok(e instanceof InputError, 'a usage error (exit 2)');
    assert.match(e.message, /no WebGPU adapter found|optional 'webgpu' package/);
    t.diagnostic(`no GPU here: ${e.message}`);
    // The failed attempt is not cached, and the default backend still starts.
    assert.equal(await initTensorflow('wasm'), 'wasm');
    assert.equal(
      tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]),
      3,
    );
    return;
  }
  assert.equal(backend, 'webgpu');
  t.diagnostic('webgpu adapter found: checking the convolution and its gradients on the GPU');
  const xShape = [2, 7, 7, 3] as const;
  const wShape = [3, 3, 3, 4] as const;
  const g = convGeometry(xShape, wShape, 2, 1);
  const xv = randomValues(2 * 7 * 7 * 3, 1);
  const wv = randomValues(3 * 3 * 3 * 4, 2);
  const dyv = randomValues(g.batch * g.outHeight * g.outWidth * g.outChannels, 3);
  const x = tf.tensor4d(xv, [...xShape]);
  const w = tf.tensor4d(wv, [...wShape]);
  const dy = tf.tensor4d(dyv, [g.batch, g.outHeight, g.outWidth, g.outChannels]);
  const y = conv2d(x, w, 2, 1).dataSync();
  const [dx, dw] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 2, 1))(
    [x, w],
    dy,
  );
  const ref = conv2dGradRef(xv, wv, dyv, g);
  assert.ok(relativeError(y, conv2dRef(xv, wv, g)) < 1e-5);
  assert.ok(relativeError(dx.dataSync(), ref.dx) < 1e-5);
  assert.ok(relativeError(dw.dataSync(), ref.dw) < 1e-5);
});
