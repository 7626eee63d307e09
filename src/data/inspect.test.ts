import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inspectCifar10, inspectionText } from './inspect.js';

/** `count` records, label = k % 10, every pixel byte of record k equal to k·10 (channel means known). */
function records(count: number): Uint8Array {
  const b = new Uint8Array(count * 3073);
  for (let k = 0; k < count; k++) {
    b[k * 3073] = k % 10;
    b.fill(k * 10, k * 3073 + 1, (k + 1) * 3073);
  }
  return b;
}

test('inspection: counts, histogram, channel means, split with its fallback note, md5 lines', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'nas-inspect-'));
  writeFileSync(path.join(dir, 'data_batch_1.bin'), records(10));
  writeFileSync(path.join(dir, 'test_batch.bin'), records(4));
  const { report, train } = inspectCifar10(dir);
  assert.equal(train?.n, 10);
  assert.equal(report.train?.images, 10);
  assert.deepEqual(report.train?.labelHistogram, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
  assert.ok(Math.abs(report.test!.mean[2] - 15 / 255) < 1e-12); // mean of 0, 10, 20, 30
  assert.deepEqual(
    [report.split?.train, report.split?.heldOut],
    [
      { start: 0, end: 8 },
      { start: 8, end: 10 },
    ],
  );
  assert.equal(report.md5.length, 2);
  const text = inspectionText(report).join('\n');
  assert.match(text, /train: 10 images from data_batch_1\.bin/);
  assert.match(text, /note: only 10 CIFAR-10 training images/);
  assert.match(text, /test_batch\.bin {2}[0-9a-f]{32} {2}unknown/);
  assert.throws(() => inspectCifar10(path.join(dir, 'none')), /holds no CIFAR-10 binary batch/);
});
