import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveDeriveBatch, resolveMicroBatch, runDifferences } from '../src/cli/oneshot-command.js';
import { wasmMaxDeriveBatch } from '../src/oneshot/derive.js';
import { wasmMaxMicroBatch } from '../src/oneshot/train-step.js';

test('the wasm heap limits the default micro-batch and derive batch to the largest that fits, with a notice', () => {
  // Measured: C8 N1 trains 512 images at once in 2.7 GiB; C16 N5 fits 80 (3.3 GiB), not 112.
  assert.ok(wasmMaxMicroBatch({ channels: 8, cellsPerStage: 1 }) >= 512);
  assert.equal(wasmMaxMicroBatch({ channels: 16, cellsPerStage: 5 }), 80);
  // Derive: C8 N1 512 images in 0.8 GiB; C16 N5 256 (3.1 GiB), not 384.
  assert.ok(wasmMaxDeriveBatch({ channels: 8, cellsPerStage: 1 }, 10_000) >= 512);
  assert.equal(wasmMaxDeriveBatch({ channels: 16, cellsPerStage: 5 }, 4_000), 256);
  assert.equal(wasmMaxDeriveBatch({ channels: 16, cellsPerStage: 5 }, 10_000), 256);

  const wasm = { batchSize: 512, backend: 'wasm', wasmLimit: 80, supernet: 'C16 N5' };
  const capped = resolveMicroBatch(wasm);
  assert.equal(capped.microBatch, 80);
  assert.equal(capped.notices.length, 1);
  assert.match(
    capped.notices[0],
    /micro-batches of 80 images: BN statistics come from 80 images.*wasm.*C16 N5/,
  );
  assert.deepEqual(resolveMicroBatch({ ...wasm, backend: 'webgpu' }), { microBatch: 512, notices: [] });
  assert.deepEqual(resolveMicroBatch({ ...wasm, wasmLimit: 624, supernet: 'C8 N1' }), {
    microBatch: 512,
    notices: [],
  });
  assert.equal(resolveMicroBatch({ ...wasm, requested: 0 }).microBatch, 512, '0 = the whole batch, as asked');
  const small = resolveMicroBatch({ ...wasm, backend: 'cpu', batchSize: 128, requested: 64 });
  assert.equal(small.microBatch, 64);
  assert.match(small.notices.join('\n'), /batches of 128 images, not the paper's 512/);
  assert.match(
    small.notices.join('\n'),
    /BN statistics come from 64 images, not from the whole batch of 128/,
  );

  const d = {
    heldOutImages: 'all' as const,
    available: 4000,
    backend: 'wasm',
    wasmLimit: 256,
    supernet: 'C16 N5',
  };
  const dc = resolveDeriveBatch(d);
  assert.equal(dc.images, 4000);
  assert.equal(dc.batchSize, 256);
  assert.match(dc.notices.join('\n'), /derive batches of 256 images, not the paper's 512.*wasm/);
  assert.deepEqual(resolveDeriveBatch({ ...d, backend: 'webgpu' }), {
    images: 4000,
    batchSize: 512,
    notices: [],
  });
  const few = resolveDeriveBatch({ ...d, backend: 'cpu', heldOutImages: 512, batchSize: 256 });
  assert.equal(few.images, 512);
  assert.match(
    few.notices[0],
    /deriving on 512 of the 4000 held-out images, not all of them.*steps of 0\.195%/,
  );
  assert.match(few.notices[1], /derive batches of 256 images, not the paper's 512/);
});

test('a resume compares the run identity field by field; old checkpoints trained with skip', () => {
  const now = { seed: 0, batchSize: 128, microBatch: 128, sgdUntouched: 'decay' };
  assert.deepEqual(runDifferences({ ...now, microBatch: 0 }, now), [], 'micro-batch 0 was the whole batch');
  assert.deepEqual(runDifferences({ seed: 0, batchSize: 128, microBatch: 64 }, now), [
    'microBatch 64 there, 128 now',
    'sgdUntouched "skip" there, "decay" now',
  ]);
  assert.deepEqual(
    runDifferences(
      { seed: 0, batchSize: 128, microBatch: 64 },
      { ...now, microBatch: 64, sgdUntouched: 'skip' },
    ),
    [],
  );
});
