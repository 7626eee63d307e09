/**
 * CIFAR-10 transforms into float32 NHWC ([B, 32, 32, 3], channel last, as tfjs convolutions expect).
 *
 * Normalisation: x = (v / 255 − mean_c) / std_c with the CIFAR-10 channel means (0.4914, 0.4822, 0.4465) and
 * standard deviations (0.2470, 0.2435, 0.2616), done with a 3 × 256 lookup table.
 *
 * Augmentation (training): random crop 32 with padding 4, then random horizontal flip, the torchvision order
 * (RandomCrop(32, padding=4) → RandomHorizontalFlip → ToTensor → Normalize). The padding is applied to the raw
 * image before normalisation, so a padded pixel is raw 0 (black) and becomes (0 − mean_c) / std_c after it, not 0.
 * A crop is given by the top-left corner (dx, dy) ∈ [0, 8]² of the 32 × 32 window inside the 40 × 40 padded image;
 * (4, 4) is the unshifted image. Output pixel (y, x) = padded[y + dy][x' + dx] with x' = 31 − x when flipped, else x.
 *
 * Test transform: normalise only (crop (4, 4), no flip).
 */
import {
  CIFAR10_CHANNELS,
  CIFAR10_IMAGE_BYTES,
  CIFAR10_PLANE_BYTES,
  CIFAR10_SIDE,
} from './cifar10-binary.js';

export const CIFAR10_MEAN: readonly [number, number, number] = [0.4914, 0.4822, 0.4465];
export const CIFAR10_STD: readonly [number, number, number] = [0.247, 0.2435, 0.2616];
export const CROP_PADDING = 4;
/** Largest crop offset: 2 × padding. */
export const MAX_CROP_OFFSET = 2 * CROP_PADDING;
/** Floats per image in NHWC. */
export const NHWC_IMAGE_FLOATS = CIFAR10_SIDE * CIFAR10_SIDE * CIFAR10_CHANNELS;

/** Where the 32 × 32 window sits in the zero-padded 40 × 40 image, and whether it is mirrored left–right. */
export interface CropFlip {
  dx: number;
  dy: number;
  flip: boolean;
}

/** The test transform: no shift, no flip. */
export const NO_AUGMENTATION: Readonly<CropFlip> = { dx: CROP_PADDING, dy: CROP_PADDING, flip: false };

/** Lookup table: entry c·256 + v is the normalised value of raw byte v in channel c. */
export function normalizationTable(
  mean: readonly number[] = CIFAR10_MEAN,
  std: readonly number[] = CIFAR10_STD,
): Float32Array {
  const lut = new Float32Array(CIFAR10_CHANNELS * 256);
  for (let c = 0; c < CIFAR10_CHANNELS; c++) {
    for (let v = 0; v < 256; v++) lut[c * 256 + v] = (v / 255 - mean[c]) / std[c];
  }
  return lut;
}

/** The default table (CIFAR-10 statistics), shared. */
export const CIFAR10_NORMALIZATION = normalizationTable();

/** Normalised value of raw byte `v` in channel `c`, as float32 (what the transforms write). */
export function normalizeValue(c: number, v: number): number {
  return CIFAR10_NORMALIZATION[c * 256 + v];
}

/**
 * Write image `index` of `images` (N × 3 × 32 × 32 bytes, CHW) into `out` as NHWC floats at image slot `slot`,
 * cropped and flipped by `t`, normalised by `lut`. No allocation.
 */
export function writeImageNHWC(
  images: Uint8Array,
  index: number,
  out: Float32Array,
  slot: number,
  t: Readonly<CropFlip> = NO_AUGMENTATION,
  lut: Float32Array = CIFAR10_NORMALIZATION,
): void {
  const S = CIFAR10_SIDE;
  const { dx, dy, flip } = t;
  if (!(dx >= 0 && dx <= MAX_CROP_OFFSET && dy >= 0 && dy <= MAX_CROP_OFFSET)) {
    throw new RangeError(`crop offsets must be in [0, ${MAX_CROP_OFFSET}]; got (${dx}, ${dy})`);
  }
  const src = index * CIFAR10_IMAGE_BYTES;
  const pad0 = lut[0];
  const pad1 = lut[256];
  const pad2 = lut[512];
  // Source column of output column x is sx = xs + step·x, valid for x in [xLo, xHi).
  const xs = flip ? S - 1 + dx - CROP_PADDING : dx - CROP_PADDING;
  const step = flip ? -1 : 1;
  // sx in [0, S): solve for x.
  let xLo: number;
  let xHi: number;
  if (flip) {
    xLo = Math.max(0, xs - (S - 1));
    xHi = Math.min(S, xs + 1);
  } else {
    xLo = Math.max(0, -xs);
    xHi = Math.min(S, S - xs);
  }
  let o = slot * NHWC_IMAGE_FLOATS;
  for (let y = 0; y < S; y++) {
    const sy = y + dy - CROP_PADDING;
    if (sy < 0 || sy >= S) {
      for (let x = 0; x < S; x++, o += 3) {
        out[o] = pad0;
        out[o + 1] = pad1;
        out[o + 2] = pad2;
      }
      continue;
    }
    const r = src + sy * S;
    const g = r + CIFAR10_PLANE_BYTES;
    const b = g + CIFAR10_PLANE_BYTES;
    let x = 0;
    for (; x < xLo; x++, o += 3) {
      out[o] = pad0;
      out[o + 1] = pad1;
      out[o + 2] = pad2;
    }
    let sx = xs + step * xLo;
    for (; x < xHi; x++, o += 3, sx += step) {
      out[o] = lut[images[r + sx]];
      out[o + 1] = lut[256 + images[g + sx]];
      out[o + 2] = lut[512 + images[b + sx]];
    }
    for (; x < S; x++, o += 3) {
      out[o] = pad0;
      out[o + 1] = pad1;
      out[o + 2] = pad2;
    }
  }
}

/** One image as raw bytes in HWC order, cropped/flipped (padding = 0): for tests and debugging. */
export function cropFlipRawHWC(images: Uint8Array, index: number, t: Readonly<CropFlip>): Uint8Array {
  const S = CIFAR10_SIDE;
  const out = new Uint8Array(NHWC_IMAGE_FLOATS);
  const src = index * CIFAR10_IMAGE_BYTES;
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const sy = y + t.dy - CROP_PADDING;
      const sx = (t.flip ? S - 1 - x : x) + t.dx - CROP_PADDING;
      const inside = sy >= 0 && sy < S && sx >= 0 && sx < S;
      for (let c = 0; c < CIFAR10_CHANNELS; c++) {
        out[(y * S + x) * CIFAR10_CHANNELS + c] = inside
          ? images[src + c * CIFAR10_PLANE_BYTES + sy * S + sx]
          : 0;
      }
    }
  }
  return out;
}
