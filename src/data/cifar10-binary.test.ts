import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { InputError } from '../io/input-error.js';
import {
  CIFAR10_RECORD_BYTES,
  channelStats,
  labelHistogram,
  parseCifar10Binary,
  readCifar10Files,
  readCifar10Train,
} from './cifar10-binary.js';
import { CIFAR10_BINARY_MD5, cifar10Md5Report, classifyMd5, KNOWN_CIFAR10_MD5 } from './checksums.js';

/** A known pixel value for image `i`, channel c, row y, column x. */
const pix = (i: number, c: number, y: number, x: number) => (i * 7 + c * 50 + y * 3 + x * 5) & 255;

/** `count` records with labels (first + k) % 10 and pixels pix(first + k, …). */
function batchBytes(first: number, count: number): Uint8Array {
  const b = new Uint8Array(count * CIFAR10_RECORD_BYTES);
  for (let k = 0; k < count; k++) {
    const i = first + k;
    const off = k * CIFAR10_RECORD_BYTES;
    b[off] = i % 10;
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++) b[off + 1 + c * 1024 + y * 32 + x] = pix(i, c, y, x);
  }
  return b;
}

const tmp = () => mkdtempSync(path.join(tmpdir(), 'nas-cifar-'));

test('round trip: pixels and labels of several files, CHW layout, file order kept', () => {
  const dir = tmp();
  writeFileSync(path.join(dir, 'a.bin'), batchBytes(0, 3));
  writeFileSync(path.join(dir, 'b.bin'), batchBytes(3, 2));
  const d = readCifar10Files(dir, ['a.bin', 'b.bin']);
  assert.equal(d.n, 5);
  assert.equal(d.images.length, 5 * 3072);
  assert.deepEqual(Array.from(d.labels), [0, 1, 2, 3, 4]);
  assert.deepEqual(d.sources, [
    { file: 'a.bin', start: 0, count: 3 },
    { file: 'b.bin', start: 3, count: 2 },
  ]);
  for (let i = 0; i < 5; i++)
    for (const [c, y, x] of [
      [0, 0, 0],
      [1, 5, 31],
      [2, 31, 7],
      [2, 31, 31],
    ])
      assert.equal(
        d.images[i * 3072 + c * 1024 + y * 32 + x],
        pix(i, c, y, x),
        `image ${i} (${c},${y},${x})`,
      );
  // Reading the same bytes from memory gives the same arrays.
  const m = parseCifar10Binary(batchBytes(0, 3), 'mem');
  assert.deepEqual(m.images, d.images.subarray(0, 3 * 3072));
});

test('a size that is not a multiple of 3,073 is a clear error naming the file, size and records', () => {
  const dir = tmp();
  const bytes = batchBytes(0, 3);
  writeFileSync(path.join(dir, 'data_batch_1.bin'), bytes.subarray(0, 2 * 3073 + 100));
  assert.throws(
    () => readCifar10Files(dir, ['data_batch_1.bin']),
    (e: unknown) =>
      e instanceof InputError &&
      /data_batch_1\.bin: 6,246 bytes is not a positive multiple of 3,073/.test(e.message) &&
      /2 records and 100 stray bytes — truncated or corrupt/.test(e.message),
  );
  writeFileSync(path.join(dir, 'empty.bin'), new Uint8Array(0));
  assert.throws(() => readCifar10Files(dir, ['empty.bin']), /empty\.bin: 0 bytes .* truncated or corrupt/);
});

test('a label outside 0–9 names the file and the record', () => {
  const dir = tmp();
  const bytes = batchBytes(0, 3);
  bytes[2 * 3073] = 10;
  writeFileSync(path.join(dir, 'bad.bin'), bytes);
  assert.throws(
    () => readCifar10Files(dir, ['bad.bin']),
    /bad\.bin: record 2 \(byte offset 6,146\) has label 10/,
  );
});

test('missing files are all named', () => {
  const dir = tmp();
  writeFileSync(path.join(dir, 'data_batch_1.bin'), batchBytes(0, 1));
  assert.throws(
    () => readCifar10Files(dir, ['data_batch_1.bin', 'data_batch_2.bin', 'test_batch.bin']),
    /missing CIFAR-10 files in .*: data_batch_2\.bin, test_batch\.bin/,
  );
});

test('train batches: every present batch when they form a prefix 1..k; explicit batches otherwise', () => {
  const dir = tmp();
  writeFileSync(path.join(dir, 'data_batch_1.bin'), batchBytes(0, 2));
  writeFileSync(path.join(dir, 'data_batch_2.bin'), batchBytes(2, 2));
  assert.equal(readCifar10Train(dir).n, 4);
  writeFileSync(path.join(dir, 'data_batch_4.bin'), batchBytes(4, 1));
  assert.throws(() => readCifar10Train(dir), /not a prefix/);
  assert.equal(readCifar10Train(dir, [1, 4]).n, 3);
  assert.throws(() => readCifar10Train(dir, [6]), /numbered 1–5/);
  assert.throws(() => readCifar10Train(tmp()), /missing CIFAR-10 file in .*: data_batch_1\.bin/);
});

test('label histogram and channel means', () => {
  const d = parseCifar10Binary(batchBytes(0, 12), 'm');
  assert.deepEqual(labelHistogram(d.labels), [2, 2, 1, 1, 1, 1, 1, 1, 1, 1]);
  const s = channelStats(d);
  for (let c = 0; c < 3; c++) {
    let sum = 0;
    for (let i = 0; i < 12; i++)
      for (let y = 0; y < 32; y++) for (let x = 0; x < 32; x++) sum += pix(i, c, y, x);
    assert.ok(Math.abs(s.mean[c] - sum / (12 * 1024) / 255) < 1e-12);
  }
});

test('md5 report: computed md5, classified against the table and the download record', () => {
  const dir = tmp();
  const bytes = batchBytes(0, 2);
  writeFileSync(path.join(dir, 'data_batch_1.bin'), bytes);
  const md5 = createHash('md5').update(bytes).digest('hex');
  const [r] = cifar10Md5Report(dir);
  assert.deepEqual(
    { file: r.file, bytes: r.bytes, md5: r.md5, matches: r.matches },
    {
      file: 'data_batch_1.bin',
      bytes: 2 * 3073,
      md5,
      matches: 'unknown',
    },
  );
  const shared = KNOWN_CIFAR10_MD5.find((k) => k.file === 'test_batch.bin')!.md5;
  assert.equal(classifyMd5('test_batch.bin', shared, null).matches, 'shared-jpeg-copy');
  assert.equal(classifyMd5('data_batch_1.bin', shared, null).matches, 'unknown');
  const prov = {
    url: 'u',
    archiveMd5: CIFAR10_BINARY_MD5,
    downloadedAt: '',
    files: { 'data_batch_1.bin': md5 },
  };
  assert.equal(classifyMd5('data_batch_1.bin', md5, prov).matches, 'official');
  assert.equal(classifyMd5('data_batch_1.bin', md5, { ...prov, archiveMd5: 'x' }).matches, 'unknown');
  // The pickled-batch md5s (torchvision's list) never classify a .bin file as official.
  assert.equal(classifyMd5('data_batch_1.bin', 'c99cafc152244af753f735de768cd75f', null).matches, 'unknown');
});
