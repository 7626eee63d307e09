import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  CIFAR10_MEAN,
  CIFAR10_STD,
  NHWC_IMAGE_FLOATS,
  NO_AUGMENTATION,
  cropFlipRawHWC,
  normalizeValue,
  writeImageNHWC,
} from './transforms.js';

/** Two hand-made images: image k pixel (c, y, x) = (k·97 + c·60 + y·8 + x) & 255, all distinct within a plane row. */
function images(): Uint8Array {
  const a = new Uint8Array(2 * 3072);
  for (let k = 0; k < 2; k++)
    for (let c = 0; c < 3; c++)
      for (let y = 0; y < 32; y++)
        for (let x = 0; x < 32; x++)
          a[k * 3072 + c * 1024 + y * 32 + x] = (k * 97 + c * 60 + y * 8 + x) & 255;
  return a;
}
const raw = (img: Uint8Array, k: number, c: number, y: number, x: number) =>
  img[k * 3072 + c * 1024 + y * 32 + x];
/** Value at (y, x, c) of NHWC image `slot`. */
const at = (out: Float32Array, slot: number, y: number, x: number, c: number) =>
  out[slot * NHWC_IMAGE_FLOATS + (y * 32 + x) * 3 + c];

test('normalisation with the CIFAR-10 channel means and stds', () => {
  for (let c = 0; c < 3; c++) {
    for (const v of [0, 1, 128, 255]) {
      const want = (v / 255 - CIFAR10_MEAN[c]) / CIFAR10_STD[c];
      assert.ok(Math.abs(normalizeValue(c, v) - want) < 1e-6, `c=${c} v=${v}`);
    }
  }
  assert.ok(Math.abs(normalizeValue(0, 255) - (1 - 0.4914) / 0.247) < 1e-6);
  assert.ok(Math.abs(normalizeValue(2, 0) - -0.4465 / 0.2616) < 1e-6);
});

test('test transform: NHWC layout of the normalised raw image', () => {
  const img = images();
  const out = new Float32Array(2 * NHWC_IMAGE_FLOATS);
  writeImageNHWC(img, 1, out, 1, NO_AUGMENTATION);
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++)
      for (let c = 0; c < 3; c++) assert.equal(at(out, 1, y, x, c), normalizeValue(c, raw(img, 1, c, y, x)));
  // Slot 0 untouched.
  assert.ok(out.subarray(0, NHWC_IMAGE_FLOATS).every((v) => v === 0));
});

test('a flipped image is the mirrored one', () => {
  const img = images();
  const plain = new Float32Array(NHWC_IMAGE_FLOATS);
  const flipped = new Float32Array(NHWC_IMAGE_FLOATS);
  writeImageNHWC(img, 0, plain, 0, NO_AUGMENTATION);
  writeImageNHWC(img, 0, flipped, 0, { dx: 4, dy: 4, flip: true });
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++)
      for (let c = 0; c < 3; c++) assert.equal(at(flipped, 0, y, x, c), at(plain, 0, y, 31 - x, c));
});

test('a crop offset moves pixels, and the padding is raw 0 (normalised: −mean/std)', () => {
  const img = images();
  const out = new Float32Array(NHWC_IMAGE_FLOATS);
  // Window top-left at (dx=6, dy=1) in the padded image: output (y, x) = raw (y − 3, x + 2).
  writeImageNHWC(img, 0, out, 0, { dx: 6, dy: 1, flip: false });
  for (let y = 0; y < 32; y++)
    for (let x = 0; x < 32; x++)
      for (let c = 0; c < 3; c++) {
        const sy = y - 3;
        const sx = x + 2;
        const inside = sy >= 0 && sx < 32;
        assert.equal(
          at(out, 0, y, x, c),
          normalizeValue(c, inside ? raw(img, 0, c, sy, sx) : 0),
          `(${y},${x},${c})`,
        );
      }
  // Padded pixels: rows 0–2 and columns 30–31; they are the normalised value of raw 0.
  assert.ok(Math.abs(at(out, 0, 0, 0, 1) - -0.4822 / 0.2435) < 1e-6);
  assert.ok(Math.abs(at(out, 0, 10, 31, 0) - -0.4914 / 0.247) < 1e-6);
  // Extreme corners: (0, 0) shows only 4 padded rows/columns at the top-left; (8, 8) at the bottom-right.
  const raw00 = cropFlipRawHWC(img, 0, { dx: 0, dy: 0, flip: false });
  assert.equal(raw00[(3 * 32 + 3) * 3], 0);
  assert.equal(raw00[(4 * 32 + 4) * 3], raw(img, 0, 0, 0, 0));
  const raw88 = cropFlipRawHWC(img, 0, { dx: 8, dy: 8, flip: false });
  assert.equal(raw88[(27 * 32 + 27) * 3 + 2], raw(img, 0, 2, 31, 31));
  assert.equal(raw88[(28 * 32 + 27) * 3 + 2], 0);
});

test('the fast transform equals the reference one for every crop and flip', () => {
  const img = images();
  const out = new Float32Array(NHWC_IMAGE_FLOATS);
  for (let dx = 0; dx <= 8; dx++)
    for (let dy = 0; dy <= 8; dy++)
      for (const flip of [false, true]) {
        const t = { dx, dy, flip };
        writeImageNHWC(img, 1, out, 0, t);
        const ref = cropFlipRawHWC(img, 1, t);
        for (let p = 0; p < NHWC_IMAGE_FLOATS; p++) {
          if (out[p] !== normalizeValue(p % 3, ref[p])) assert.fail(`dx=${dx} dy=${dy} flip=${flip} at ${p}`);
        }
      }
  assert.throws(() => writeImageNHWC(img, 0, out, 0, { dx: 9, dy: 0, flip: false }), /crop offsets/);
});
