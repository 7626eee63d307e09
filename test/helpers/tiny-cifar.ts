import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Cifar10Data } from '../../src/data/cifar10-binary.js';
import { Rng } from '../../src/predictors/rng.js';

/** `n` random 32×32 images in the CIFAR-10 layout, labels 0–9 in turn, reproducible from `seed`. */
export function tinyCifar(seed: number, n = 24): Cifar10Data {
  const rng = new Rng(seed);
  const images = Uint8Array.from({ length: n * 3072 }, () => rng.int(0, 255));
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return { images, labels, n, sources: [{ file: 'synthetic', start: 0, count: n }] };
}

/**
 * A CIFAR-10 binary folder of `n` random images (`data_batch_1.bin`: a label byte, then 3072 pixel bytes, per
 * image) at `dir`, for CLI tests that read `--data`. Returns `dir`.
 */
export function writeTinyCifarDir(dir: string, seed: number, n = 40): string {
  const { images, labels } = tinyCifar(seed, n);
  const bytes = new Uint8Array(n * 3073);
  for (let k = 0; k < n; k++) {
    bytes[k * 3073] = labels[k];
    bytes.set(images.subarray(k * 3072, (k + 1) * 3072), k * 3073 + 1);
  }
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'data_batch_1.bin'), bytes);
  return dir;
}
