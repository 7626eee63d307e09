/**
 * Reader for CIFAR-10 in its standard binary format (`cifar-10-batches-bin`): each file is a sequence of 3,073-byte
 * records, one label byte (0–9) then 1,024 R, 1,024 G and 1,024 B bytes, each plane row-major 32×32.
 *
 * Layout in memory: `images` holds the records' pixel bytes unchanged, N × 3 × 32 × 32 (per image CHW: the R plane,
 * then G, then B, each row-major), so image i starts at byte i·3,072 and pixel (c, y, x) of it is at
 * i·3,072 + c·1,024 + y·32 + x. Transforms (./transforms.ts) turn this into normalised NHWC floats for tfjs.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../io/input-error.js';

export const CIFAR10_SIDE = 32;
export const CIFAR10_CHANNELS = 3;
export const CIFAR10_PLANE_BYTES = CIFAR10_SIDE * CIFAR10_SIDE; // 1,024
export const CIFAR10_IMAGE_BYTES = CIFAR10_CHANNELS * CIFAR10_PLANE_BYTES; // 3,072
export const CIFAR10_RECORD_BYTES = 1 + CIFAR10_IMAGE_BYTES; // 3,073
export const CIFAR10_CLASSES = 10;
/** Records per official batch file. */
export const CIFAR10_BATCH_RECORDS = 10_000;
export const CIFAR10_TRAIN_FILES = [
  'data_batch_1.bin',
  'data_batch_2.bin',
  'data_batch_3.bin',
  'data_batch_4.bin',
  'data_batch_5.bin',
] as const;
export const CIFAR10_TEST_FILE = 'test_batch.bin';
export const CIFAR10_META_FILE = 'batches.meta.txt';
export const CIFAR10_CLASS_NAMES = [
  'airplane',
  'automobile',
  'bird',
  'cat',
  'deer',
  'dog',
  'frog',
  'horse',
  'ship',
  'truck',
] as const;

/** Where a run of loaded images came from: images [start, start + count) are the records of `file`, in order. */
export interface Cifar10Source {
  file: string;
  start: number;
  count: number;
}

/** Images and labels of one or more batch files, concatenated in the order the files were given. */
export interface Cifar10Data {
  /** N × 3 × 32 × 32 bytes, CHW per image (the file's own layout without the label bytes). */
  images: Uint8Array;
  /** N labels, 0–9. */
  labels: Uint8Array;
  n: number;
  sources: Cifar10Source[];
}

/** Number of records in a file of `bytes` bytes; a clear error naming `name` unless it is a positive multiple. */
export function cifar10RecordCount(bytes: number, name: string): number {
  if (bytes <= 0 || bytes % CIFAR10_RECORD_BYTES !== 0) {
    const whole = Math.floor(bytes / CIFAR10_RECORD_BYTES);
    const extra = bytes % CIFAR10_RECORD_BYTES;
    throw new InputError(
      `${name}: ${bytes.toLocaleString('en-US')} bytes is not a positive multiple of ` +
        `${CIFAR10_RECORD_BYTES.toLocaleString('en-US')} (one CIFAR-10 record: 1 label byte + 3,072 pixel bytes); ` +
        `it would hold ${whole.toLocaleString('en-US')} records and ${extra} stray bytes — truncated or corrupt`,
    );
  }
  return bytes / CIFAR10_RECORD_BYTES;
}

/**
 * Parse the bytes of one batch file into `images`/`labels`, writing at image offset `at` of the given arrays.
 * Returns the record count. Every label must be 0–9.
 */
function parseInto(
  bytes: Uint8Array,
  name: string,
  images: Uint8Array,
  labels: Uint8Array,
  at: number,
): number {
  const n = validateCifar10Binary(bytes, name);
  for (let i = 0; i < n; i++) {
    const off = i * CIFAR10_RECORD_BYTES;
    labels[at + i] = bytes[off];
    images.set(bytes.subarray(off + 1, off + CIFAR10_RECORD_BYTES), (at + i) * CIFAR10_IMAGE_BYTES);
  }
  return n;
}

/** Check that `bytes` is a well-formed batch file (size, labels) without copying it; returns the record count. */
export function validateCifar10Binary(bytes: Uint8Array, name: string): number {
  const n = cifar10RecordCount(bytes.length, name);
  for (let i = 0; i < n; i++) {
    const off = i * CIFAR10_RECORD_BYTES;
    if (bytes[off] >= CIFAR10_CLASSES) {
      throw new InputError(
        `${name}: record ${i} (byte offset ${off.toLocaleString('en-US')}) has label ${bytes[off]}; ` +
          `CIFAR-10 labels are 0–9 — not a CIFAR-10 binary batch, or corrupt`,
      );
    }
  }
  return n;
}

/** Parse one batch file already in memory; `name` is used in errors and in `sources`. */
export function parseCifar10Binary(bytes: Uint8Array, name: string): Cifar10Data {
  const n = cifar10RecordCount(bytes.length, name);
  const images = new Uint8Array(n * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(n);
  parseInto(bytes, name, images, labels, 0);
  return { images, labels, n, sources: [{ file: name, start: 0, count: n }] };
}

/**
 * Read batch files `files` (names inside `dir`, e.g. `data_batch_1.bin`) and concatenate them in the given order.
 * Missing files are all named in one error; every file's size and labels are validated before use.
 */
export function readCifar10Files(dir: string, files: readonly string[]): Cifar10Data {
  if (files.length === 0) throw new InputError(`no CIFAR-10 batch files to read from ${dir}`);
  const missing = files.filter((f) => !existsSync(path.join(dir, f)));
  if (missing.length > 0) {
    throw new InputError(
      `missing CIFAR-10 file${missing.length > 1 ? 's' : ''} in ${dir}: ${missing.join(', ')}` +
        ` (get them with: nas-surgery data download cifar10 --dir ${dir})`,
    );
  }
  const counts = files.map((f) => {
    const p = path.join(dir, f);
    const st = statSync(p);
    if (!st.isFile()) throw new InputError(`${p} is not a file`);
    return cifar10RecordCount(st.size, p);
  });
  const total = counts.reduce((a, b) => a + b, 0);
  const images = new Uint8Array(total * CIFAR10_IMAGE_BYTES);
  const labels = new Uint8Array(total);
  const sources: Cifar10Source[] = [];
  let at = 0;
  files.forEach((f, k) => {
    const p = path.join(dir, f);
    const bytes = readFileSync(p);
    if (bytes.length !== counts[k] * CIFAR10_RECORD_BYTES) {
      throw new InputError(`${p} changed size while being read`);
    }
    parseInto(bytes, p, images, labels, at);
    sources.push({ file: f, start: at, count: counts[k] });
    at += counts[k];
  });
  return { images, labels, n: total, sources };
}

/** Which standard CIFAR-10 files `dir` holds. */
export function listCifar10Files(dir: string): { train: string[]; test: boolean; meta: boolean } {
  return {
    train: CIFAR10_TRAIN_FILES.filter((f) => existsSync(path.join(dir, f))),
    test: existsSync(path.join(dir, CIFAR10_TEST_FILE)),
    meta: existsSync(path.join(dir, CIFAR10_META_FILE)),
  };
}

/**
 * The CIFAR-10 training images in official order: `batches` (1–5) if given, else every train batch file present,
 * which must then be a prefix data_batch_1 … data_batch_k, so that image indices match the official ones
 * (splits are index ranges over them). The shared JPEG-degraded copy has batches 1–2 only (20,000 images).
 */
export function readCifar10Train(dir: string, batches?: readonly number[]): Cifar10Data {
  if (batches) {
    for (const b of batches) {
      if (!Number.isInteger(b) || b < 1 || b > 5) {
        throw new InputError(`CIFAR-10 train batches are numbered 1–5; got ${b}`);
      }
    }
    return readCifar10Files(
      dir,
      batches.map((b) => CIFAR10_TRAIN_FILES[b - 1]),
    );
  }
  const present = listCifar10Files(dir).train;
  if (present.length === 0) {
    return readCifar10Files(dir, [CIFAR10_TRAIN_FILES[0]]); // names the missing file
  }
  const prefix = CIFAR10_TRAIN_FILES.slice(0, present.length);
  if (present.some((f, i) => f !== prefix[i])) {
    throw new InputError(
      `${dir} holds ${present.join(', ')}: not a prefix data_batch_1 … data_batch_k, so image indices would not ` +
        `match the official order; pass the batches to read explicitly`,
    );
  }
  return readCifar10Files(dir, present);
}

/** The 10,000 CIFAR-10 test images (`test_batch.bin`). */
export function readCifar10Test(dir: string): Cifar10Data {
  return readCifar10Files(dir, [CIFAR10_TEST_FILE]);
}

/** Count of each label 0–9. */
export function labelHistogram(labels: Uint8Array): number[] {
  const h = new Array<number>(CIFAR10_CLASSES).fill(0);
  for (const l of labels) h[l]++;
  return h;
}

/** Per-channel mean and standard deviation (population) of the pixels, scaled to [0, 1]. */
export function channelStats(data: Cifar10Data): { mean: number[]; std: number[] } {
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < CIFAR10_CHANNELS; c++) {
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < data.n; i++) {
      const off = i * CIFAR10_IMAGE_BYTES + c * CIFAR10_PLANE_BYTES;
      let si = 0;
      let si2 = 0;
      for (let p = 0; p < CIFAR10_PLANE_BYTES; p++) {
        const v = data.images[off + p];
        si += v;
        si2 += v * v;
      }
      s += si;
      s2 += si2;
    }
    const count = data.n * CIFAR10_PLANE_BYTES;
    const m = s / count;
    mean.push(m / 255);
    std.push(Math.sqrt(Math.max(0, s2 / count - m * m)) / 255);
  }
  return { mean, std };
}
