/**
 * Seeded shuffling and batching of CIFAR-10 images into float32 NHWC batches for tfjs.
 *
 * Training epochs: the order of a split's images is a Fisher–Yates permutation drawn from (seed, epoch); the crop
 * offsets and flips of batch b are drawn from (seed, epoch, b). So any batch of any epoch is reproducible on its
 * own (random access, resumable mid-epoch), and the order does not depend on whether augmentation is on.
 * Evaluation ("derive"): fixed order (the split's own), fixed batches, test transform, no randomness.
 *
 * Every batch gets fresh arrays unless an `out` buffer is passed: the tfjs cpu backend keeps a reference to the
 * typed array a tensor was made from (the wasm backend copies it into its heap), so reusing one buffer while a
 * tensor made from it is alive would change that tensor. Pass `out` only when the tensor is copied or disposed.
 */
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import { CIFAR10_CHANNELS, CIFAR10_SIDE, type Cifar10Data } from './cifar10-binary.js';
import { rangeSize, type IndexRange } from './splits.js';
import {
  CIFAR10_NORMALIZATION,
  MAX_CROP_OFFSET,
  NHWC_IMAGE_FLOATS,
  NO_AUGMENTATION,
  writeImageNHWC,
  type CropFlip,
} from './transforms.js';

export interface Batch {
  /** B × 32 × 32 × 3 floats, normalised (and augmented for training). */
  x: Float32Array;
  /** B labels 0–9. */
  y: Int32Array;
  /** Image indices (into the loaded data) of the batch, in batch order. */
  indices: Int32Array;
  /** The tfjs shape of `x`: [B, 32, 32, 3]. */
  shape: [number, number, number, number];
  epoch: number;
  /** Batch number within the epoch. */
  batch: number;
}

export interface TrainEpochOptions {
  batchSize: number;
  seed: number;
  epoch: number;
  /** Random crop (pad 4) + horizontal flip; default true. */
  augment?: boolean;
  /** Shuffle the order; default true. */
  shuffle?: boolean;
  /** Drop a last batch smaller than `batchSize`; default false (as PyTorch's DataLoader). */
  dropLast?: boolean;
}

const SHUFFLE_STREAM = 0x5348;
const AUGMENT_STREAM = 0x4147;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** A 32-bit seed mixed from integers (each may use up to 53 bits). */
export function mixSeed(...parts: number[]): number {
  let h = 0x9e3779b9 | 0;
  for (const p of parts) {
    const lo = p | 0;
    const hi = Math.floor(p / 4294967296) | 0;
    h = fmix32(Math.imul(h ^ fmix32(lo), 0x27d4eb2d) ^ fmix32(hi + 0x165667b1));
  }
  return h;
}

function checkRange(data: Cifar10Data, range: IndexRange): void {
  if (!(Number.isInteger(range.start) && Number.isInteger(range.end) && range.start >= 0)) {
    throw new RangeError(`bad index range [${range.start}, ${range.end})`);
  }
  if (range.end > data.n || range.end <= range.start) {
    throw new RangeError(
      `index range [${range.start}, ${range.end}) is empty or beyond the ${data.n} loaded images`,
    );
  }
}

function checkBatchSize(batchSize: number): void {
  if (!Number.isInteger(batchSize) || batchSize < 1)
    throw new RangeError(`batch size must be ≥ 1; got ${batchSize}`);
}

/** The order of a range's images in epoch `epoch` under `seed`: a uniform random permutation. */
export function epochOrder(range: IndexRange, seed: number, epoch: number): Int32Array {
  const n = rangeSize(range);
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = range.start + i;
  const rng = xoroshiro128plus(mixSeed(seed, epoch, SHUFFLE_STREAM));
  for (let i = n - 1; i > 0; i--) {
    const j = uniformInt(rng, 0, i);
    const t = a[i];
    a[i] = a[j];
    a[j] = t;
  }
  return a;
}

/** Number of batches of `n` images. */
export function batchCount(n: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
}

/** One crop offset pair in [0, 8]² (dx, then dy) and one flip bit, written into `into` when given. */
export function drawCropFlip(rng: RandomGenerator, into: CropFlip = { ...NO_AUGMENTATION }): CropFlip {
  into.dx = uniformInt(rng, 0, MAX_CROP_OFFSET);
  into.dy = uniformInt(rng, 0, MAX_CROP_OFFSET);
  into.flip = uniformInt(rng, 0, 1) === 1;
  return into;
}

/** The crop and flip of each image of batch `batch` of epoch `epoch` under `seed`, as the training batches use. */
export function batchAugmentations(seed: number, epoch: number, batch: number, count: number): CropFlip[] {
  const rng = augmentationRng(seed, epoch, batch);
  return Array.from({ length: count }, () => drawCropFlip(rng));
}

/** The generator that draws the augmentations of one batch. */
export function augmentationRng(seed: number, epoch: number, batch: number): RandomGenerator {
  return xoroshiro128plus(mixSeed(seed, epoch, batch, AUGMENT_STREAM));
}

/**
 * Fill a batch from `indices`: normalised NHWC images (augmented with draws from `rng` when given, one crop/flip
 * per image in batch order) and int32 labels. `out` (length ≥ B·3,072) is written in place when given.
 */
export function fillBatch(
  data: Cifar10Data,
  indices: Int32Array,
  rng: RandomGenerator | null,
  out?: Float32Array,
): { x: Float32Array; y: Int32Array } {
  const b = indices.length;
  const need = b * NHWC_IMAGE_FLOATS;
  if (out && out.length < need)
    throw new RangeError(`batch buffer holds ${out.length} floats; ${need} needed`);
  const x = out ? out.subarray(0, need) : new Float32Array(need);
  const y = new Int32Array(b);
  const t: CropFlip = { ...NO_AUGMENTATION };
  for (let i = 0; i < b; i++) {
    const idx = indices[i];
    if (!(idx >= 0 && idx < data.n)) throw new RangeError(`image index ${idx} is outside [0, ${data.n})`);
    if (rng) drawCropFlip(rng, t);
    writeImageNHWC(data.images, idx, x, i, t, CIFAR10_NORMALIZATION);
    y[i] = data.labels[idx];
  }
  return { x, y };
}

/** A planned epoch: its order and batches, each buildable on its own (random access). */
export interface EpochPlan {
  epoch: number;
  /** Image indices in epoch order. */
  order: Int32Array;
  batchSize: number;
  numBatches: number;
  augment: boolean;
  /** Indices of batch `b`. */
  indicesOf(b: number): Int32Array;
  /** Build batch `b` (fresh arrays unless `out` is given). */
  batch(b: number, out?: Float32Array): Batch;
}

function makePlan(
  data: Cifar10Data,
  order: Int32Array,
  batchSize: number,
  dropLast: boolean,
  epoch: number,
  augmentSeed: number | null,
): EpochPlan {
  checkBatchSize(batchSize);
  const numBatches = batchCount(order.length, batchSize, dropLast);
  const indicesOf = (b: number): Int32Array => {
    if (!Number.isInteger(b) || b < 0 || b >= numBatches) {
      throw new RangeError(`batch ${b} is outside [0, ${numBatches})`);
    }
    return order.subarray(b * batchSize, Math.min(order.length, (b + 1) * batchSize));
  };
  return {
    epoch,
    order,
    batchSize,
    numBatches,
    augment: augmentSeed !== null,
    indicesOf,
    batch(b: number, out?: Float32Array): Batch {
      const indices = indicesOf(b);
      const rng = augmentSeed === null ? null : augmentationRng(augmentSeed, epoch, b);
      const { x, y } = fillBatch(data, indices, rng, out);
      return {
        x,
        y,
        indices: indices.slice(),
        shape: [indices.length, CIFAR10_SIDE, CIFAR10_SIDE, CIFAR10_CHANNELS],
        epoch,
        batch: b,
      };
    },
  };
}

/** Plan training epoch `opts.epoch` over `range`: shuffled by (seed, epoch), augmented by (seed, epoch, batch). */
export function planTrainEpoch(data: Cifar10Data, range: IndexRange, opts: TrainEpochOptions): EpochPlan {
  checkRange(data, range);
  if (!Number.isInteger(opts.epoch) || opts.epoch < 0)
    throw new RangeError(`epoch must be ≥ 0; got ${opts.epoch}`);
  const order =
    opts.shuffle === false
      ? Int32Array.from({ length: rangeSize(range) }, (_, i) => range.start + i)
      : epochOrder(range, opts.seed, opts.epoch);
  return makePlan(
    data,
    order,
    opts.batchSize,
    opts.dropLast ?? false,
    opts.epoch,
    opts.augment === false ? null : opts.seed,
  );
}

/** Plan held-out evaluation over `range`: fixed order, fixed batches (the last one may be smaller), test transform. */
export function planEvalBatches(data: Cifar10Data, range: IndexRange, batchSize: number): EpochPlan {
  checkRange(data, range);
  const order = Int32Array.from({ length: rangeSize(range) }, (_, i) => range.start + i);
  return makePlan(data, order, batchSize, false, 0, null);
}

/** The batches of one training epoch, in order. */
export function* trainBatches(
  data: Cifar10Data,
  range: IndexRange,
  opts: TrainEpochOptions,
): Generator<Batch> {
  const plan = planTrainEpoch(data, range, opts);
  for (let b = 0; b < plan.numBatches; b++) yield plan.batch(b);
}

/** The fixed, non-augmented batches for held-out evaluation, in order. */
export function* evalBatches(data: Cifar10Data, range: IndexRange, batchSize: number): Generator<Batch> {
  const plan = planEvalBatches(data, range, batchSize);
  for (let b = 0; b < plan.numBatches; b++) yield plan.batch(b);
}
