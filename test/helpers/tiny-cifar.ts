import type { Cifar10Data } from '../../src/data/cifar10-binary.js';
import { Rng } from '../../src/predictors/rng.js';

/** `n` random 32×32 images in the CIFAR-10 layout, labels 0–9 in turn, reproducible from `seed`. */
export function tinyCifar(seed: number, n = 24): Cifar10Data {
  const rng = new Rng(seed);
  const images = Uint8Array.from({ length: n * 3072 }, () => rng.int(0, 255));
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 10);
  return { images, labels, n, sources: [{ file: 'synthetic', start: 0, count: n }] };
}
