import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Cifar10Data } from './cifar10-binary.js';
import {
  batchAugmentations,
  batchCount,
  epochOrder,
  evalBatches,
  fillBatch,
  planEvalBatches,
  planTrainEpoch,
  trainBatches,
} from './batches.js';
import { NHWC_IMAGE_FLOATS, NO_AUGMENTATION, writeImageNHWC } from './transforms.js';

/** n synthetic images with varied pixels; label = i % 10. */
function synthetic(n: number): Cifar10Data {
  const images = new Uint8Array(n * 3072);
  let s = 12345;
  for (let i = 0; i < images.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) | 0;
    images[i] = s >>> 24;
  }
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return { images, labels, n, sources: [{ file: 'synthetic', start: 0, count: n }] };
}

const data = synthetic(300);
const range = { start: 50, end: 250 };

test('epoch order: a permutation of the range, fixed by (seed, epoch)', () => {
  const a = epochOrder(range, 7, 0);
  assert.deepEqual(
    Array.from(a).sort((x, y) => x - y),
    Array.from({ length: 200 }, (_, i) => 50 + i),
  );
  assert.deepEqual(a, epochOrder(range, 7, 0));
  assert.notDeepEqual(a, epochOrder(range, 7, 1));
  assert.notDeepEqual(a, epochOrder(range, 8, 0));
});

test('training batches are reproducible from (seed, epoch) and random access matches iteration', () => {
  const opts = { batchSize: 64, seed: 3, epoch: 2 };
  const a = [...trainBatches(data, range, opts)];
  const b = [...trainBatches(data, range, opts)];
  assert.equal(a.length, 4);
  assert.deepEqual(
    a.map((x) => x.indices.length),
    [64, 64, 64, 8],
  );
  for (let k = 0; k < a.length; k++) {
    assert.deepEqual(a[k].x, b[k].x);
    assert.deepEqual(a[k].y, b[k].y);
    assert.deepEqual(a[k].indices, b[k].indices);
    assert.deepEqual(a[k].shape, [a[k].indices.length, 32, 32, 3]);
  }
  const plan = planTrainEpoch(data, range, opts);
  assert.deepEqual(plan.batch(2).x, a[2].x);
  const other = [...trainBatches(data, range, { ...opts, seed: 4 })];
  assert.notDeepEqual(other[0].indices, a[0].indices);
  const nextEpoch = [...trainBatches(data, range, { ...opts, epoch: 3 })];
  assert.notDeepEqual(nextEpoch[0].indices, a[0].indices);
  // All images of the range appear once per epoch; labels follow the indices.
  const seen = a.flatMap((x) => Array.from(x.indices)).sort((p, q) => p - q);
  assert.deepEqual(
    seen,
    Array.from({ length: 200 }, (_, i) => 50 + i),
  );
  for (const bt of a) bt.indices.forEach((idx, i) => assert.equal(bt.y[i], data.labels[idx]));
});

test('each image of a training batch is its crop/flip drawn from (seed, epoch, batch)', () => {
  const plan = planTrainEpoch(data, range, { batchSize: 32, seed: 11, epoch: 5 });
  const bt = plan.batch(1);
  const augs = batchAugmentations(11, 5, 1, 32);
  assert.ok(augs.some((t) => t.flip) && augs.some((t) => !t.flip));
  assert.ok(new Set(augs.map((t) => `${t.dx},${t.dy}`)).size > 5);
  const one = new Float32Array(NHWC_IMAGE_FLOATS);
  for (let i = 0; i < 32; i++) {
    writeImageNHWC(data.images, bt.indices[i], one, 0, augs[i]);
    assert.deepEqual(bt.x.subarray(i * NHWC_IMAGE_FLOATS, (i + 1) * NHWC_IMAGE_FLOATS), one);
  }
  // Turning augmentation off keeps the order and uses the test transform.
  const plain = planTrainEpoch(data, range, { batchSize: 32, seed: 11, epoch: 5, augment: false }).batch(1);
  assert.deepEqual(plain.indices, bt.indices);
  writeImageNHWC(data.images, bt.indices[0], one, 0, NO_AUGMENTATION);
  assert.deepEqual(plain.x.subarray(0, NHWC_IMAGE_FLOATS), one);
});

test('batch counts, drop-last and no-shuffle', () => {
  assert.equal(batchCount(200, 64), 4);
  assert.equal(batchCount(200, 64, true), 3);
  const dropped = [...trainBatches(data, range, { batchSize: 64, seed: 0, epoch: 0, dropLast: true })];
  assert.deepEqual(
    dropped.map((b) => b.indices.length),
    [64, 64, 64],
  );
  const ordered = planTrainEpoch(data, range, { batchSize: 64, seed: 0, epoch: 0, shuffle: false });
  assert.deepEqual(Array.from(ordered.indicesOf(0).subarray(0, 3)), [50, 51, 52]);
  assert.throws(() => ordered.batch(4), /outside \[0, 4\)/);
  assert.throws(
    () => planTrainEpoch(data, { start: 0, end: 301 }, { batchSize: 8, seed: 0, epoch: 0 }),
    /300/,
  );
});

test('held-out batches: fixed order and batches, test transform, identical on every call', () => {
  const a = [...evalBatches(data, { start: 200, end: 300 }, 40)];
  assert.deepEqual(
    a.map((b) => [b.indices[0], b.indices.length]),
    [
      [200, 40],
      [240, 40],
      [280, 20],
    ],
  );
  const b = [...evalBatches(data, { start: 200, end: 300 }, 40)];
  a.forEach((bt, k) => assert.deepEqual(bt.x, b[k].x));
  const one = new Float32Array(NHWC_IMAGE_FLOATS);
  writeImageNHWC(data.images, 241, one, 0, NO_AUGMENTATION);
  assert.deepEqual(a[1].x.subarray(NHWC_IMAGE_FLOATS, 2 * NHWC_IMAGE_FLOATS), one);
  assert.equal(planEvalBatches(data, { start: 200, end: 300 }, 40).augment, false);
});

test('a batch can be written into a caller buffer; building 512 augmented images takes a few ms', (t) => {
  const big = synthetic(2048);
  const buf = new Float32Array(512 * NHWC_IMAGE_FLOATS);
  const plan = planTrainEpoch(big, { start: 0, end: 2048 }, { batchSize: 512, seed: 1, epoch: 0 });
  const b0 = plan.batch(0, buf);
  assert.equal(b0.x.buffer, buf.buffer);
  assert.deepEqual(b0.x, plan.batch(0).x);
  const idx = plan.indicesOf(1);
  fillBatch(big, idx, null, buf); // warm-up
  const t0 = performance.now();
  for (let b = 0; b < 4; b++) plan.batch(b, buf);
  const ms = (performance.now() - t0) / 4;
  t.diagnostic(`augmented batch of 512: ${ms.toFixed(2)} ms`);
  assert.ok(ms < 200, `a batch of 512 took ${ms} ms`);
});
