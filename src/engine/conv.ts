/**
 * Fast, exact gradients of a 2-D convolution (NHWC input, filter [kh, kw, cin, cout], dilation 1), written as
 * forward convolutions so that the tfjs wasm backend runs them on XNNPACK.
 *
 * Why: tfjs-backend-wasm 4.22 has no `Conv2DBackpropFilter` kernel (the filter gradient of `tf.conv2d` throws
 * "Kernel 'Conv2DBackpropFilter' not registered for backend 'wasm'"), and its `Conv2DBackpropInput` is a naive
 * loop ~10× slower than the forward convolution. (The pure-JS cpu backend has both, but its filter gradient is
 * ~50× slower than its own forward convolution.) With these gradients a 3×3 conv's forward + backward on wasm
 * costs ~4× its forward (batch 64, 16–64 channels), and ~12× less than the same step on the cpu backend.
 *
 * - Filter gradient ({@link conv2dFilterGrad}): one forward convolution on transposed tensors. x is laid out as
 *   [cin, H, W, B] (the batch becomes the channels) and dy as a filter [Ho, Wo, B, cout]; their convolution,
 *   with the forward stride as a dilation and the forward padding, is dW as [cin, kh, kw, cout]. (A 1×1
 *   stride-1 unpadded convolution uses the plain product xᵀ·dy instead.)
 * - Input gradient ({@link conv2dInputGrad}): a convolution of dy with the spatially flipped, in/out-swapped
 *   filter. For stride s > 1 the input is split into its s×s phases (sub-grids); each phase is a stride-1
 *   convolution of dy with a sub-sampled filter, so no work is spent on the zeros a transposed convolution
 *   would insert between the rows of dy; the phases are then interleaved.
 *
 * Two ways to use them:
 * - {@link conv2d}: an explicit op (`tf.customGrad`) with these gradients on every backend: the recommended
 *   entry point for the supernet. No global state.
 * - {@link registerConv2dGradient}: overrides tfjs's gradient of the `Conv2D` kernel (for the listed backends,
 *   `wasm` by default; others keep tfjs's own), so plain `tf.conv2d` becomes trainable on wasm.
 */
import * as tf from './tfjs.js';
import { customOp } from './custom-op.js';

/** Padding as `tf.conv2d` takes it: 'same', 'valid', a number, or explicit NHWC pairs. */
export type Conv2dPad = 'same' | 'valid' | number | number[][];
/** One stride for both dimensions, or [strideHeight, strideWidth]. */
export type Conv2dStrides = number | [number, number];

type Shape4 = [number, number, number, number];

/** The geometry of a dilation-1 NHWC convolution, with its padding resolved to explicit amounts. */
export interface ConvGeometry {
  batch: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  outChannels: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
}

/**
 * The padding handed to tfjs: a number p becomes explicit [[0, 0], [p, p], [p, p], [0, 0]], because tfjs 4.22
 * sizes the output of a numeric padding with the filter height and stride height for both dimensions (wrong
 * for non-square filters or unequal strides; the wasm kernel then writes out of bounds).
 */
export function explicitPad(pad: Conv2dPad): tf.backend_util.ExplicitPadding | 'same' | 'valid' {
  if (typeof pad === 'number') {
    return [
      [0, 0],
      [pad, pad],
      [pad, pad],
      [0, 0],
    ];
  }
  return pad as tf.backend_util.ExplicitPadding | 'same' | 'valid';
}

/** Resolves the geometry exactly as tfjs's forward `conv2d` does (`same`: the extra row/column goes last). */
export function convGeometry(
  xShape: readonly number[],
  filterShape: readonly number[],
  strides: Conv2dStrides,
  pad: Conv2dPad,
): ConvGeometry {
  if (xShape.length !== 4 || filterShape.length !== 4) {
    throw new Error(`conv2d: x and filter must be rank 4 (got [${xShape}] and [${filterShape}])`);
  }
  if (xShape[3] !== filterShape[2]) {
    throw new Error(`conv2d: x has ${xShape[3]} channels but the filter expects ${filterShape[2]}`);
  }
  const info = tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    strides,
    1,
    explicitPad(pad),
    undefined,
    false,
    'channelsLast',
  );
  return {
    batch: info.batchSize,
    inHeight: info.inHeight,
    inWidth: info.inWidth,
    inChannels: info.inChannels,
    outHeight: info.outHeight,
    outWidth: info.outWidth,
    outChannels: info.outChannels,
    filterHeight: info.filterHeight,
    filterWidth: info.filterWidth,
    strideHeight: info.strideHeight,
    strideWidth: info.strideWidth,
    padTop: info.padInfo.top,
    padBottom: info.padInfo.bottom,
    padLeft: info.padInfo.left,
    padRight: info.padInfo.right,
  };
}

/**
 * dL/dW of `tf.conv2d(x, W, strides, pad)` given dy = dL/dy: one forward convolution of x laid out as
 * [cin, H, W, B] with dy laid out as a filter [Ho, Wo, B, cout], dilated by the forward stride.
 */
export function conv2dFilterGrad(
  x: tf.Tensor4D,
  dy: tf.Tensor4D,
  filterShape: readonly number[],
  strides: Conv2dStrides,
  pad: Conv2dPad,
): tf.Tensor4D {
  const g = convGeometry(x.shape, filterShape, strides, pad);
  checkDy(dy, g);
  return tf.tidy(() => {
    if (
      g.filterHeight === 1 &&
      g.filterWidth === 1 &&
      g.strideHeight === 1 &&
      g.strideWidth === 1 &&
      g.padTop + g.padBottom + g.padLeft + g.padRight === 0
    ) {
      // A 1×1 convolution is a matrix product: dW = xᵀ·dy over all B·H·W positions. An explicit transpose and a
      // plain product is ~2× faster on wasm than the general path (or than matMul's transposeA).
      const rows = g.batch * g.inHeight * g.inWidth;
      const xt = tf.transpose(tf.reshape(x, [rows, g.inChannels])) as tf.Tensor2D;
      const dw = tf.matMul(xt, tf.reshape(dy, [rows, g.outChannels]) as tf.Tensor2D);
      return tf.reshape(dw, [1, 1, g.inChannels, g.outChannels]) as tf.Tensor4D;
    }
    // The forward conv read input rows [-padTop, rowEnd) (padded coordinates); rows past rowEnd never met the
    // filter and are cropped, rows missing below H are the forward's bottom padding.
    const rowEnd = (g.outHeight - 1) * g.strideHeight + g.filterHeight - g.padTop;
    const colEnd = (g.outWidth - 1) * g.strideWidth + g.filterWidth - g.padLeft;
    let xs: tf.Tensor4D = x;
    if (rowEnd < g.inHeight || colEnd < g.inWidth) {
      xs = tf.slice(
        x,
        [0, 0, 0, 0],
        [g.batch, Math.min(g.inHeight, rowEnd), Math.min(g.inWidth, colEnd), g.inChannels],
      );
    }
    const xT = tf.transpose(xs, [3, 1, 2, 0]); // [cin, H, W, B]
    const dyT = tf.transpose(dy, [1, 2, 0, 3]); // [Ho, Wo, B, cout]
    const pads = [
      [0, 0],
      [g.padTop, Math.max(0, rowEnd - g.inHeight)],
      [g.padLeft, Math.max(0, colEnd - g.inWidth)],
      [0, 0],
    ] as tf.backend_util.ExplicitPadding;
    // A single output row/column makes the dilation irrelevant; tfjs then wants it to be 1.
    const dilations: [number, number] = [
      g.outHeight > 1 ? g.strideHeight : 1,
      g.outWidth > 1 ? g.strideWidth : 1,
    ];
    const r = tf.conv2d(xT, dyT, 1, pads, 'NHWC', dilations); // [cin, kh, kw, cout]
    return tf.transpose(r, [1, 2, 0, 3]);
  });
}

/** How one spatial dimension of an input phase is computed (see {@link conv2dInputGrad}). */
interface PhaseAxis {
  /** Input positions p, p+s, p+2s, … of this phase. */
  count: number;
  /** Filter taps that reach this phase (0: the phase gets no gradient). */
  taps: number;
  /** First tap of the flipped filter, taken every s. */
  flippedStart: number;
  /** dx[p + s·m] = Σ_{t<taps} dy[m + start + t] · Wflip[flippedStart + s·t]. */
  start: number;
}

function phaseAxis(
  phase: number,
  stride: number,
  filterSize: number,
  padBefore: number,
  inSize: number,
): PhaseAxis {
  const count = Math.max(0, Math.ceil((inSize - phase) / stride));
  // Input position i = phase + s·m meets the taps k ≡ i + padBefore (mod s), through output o = (i + padBefore − k)/s.
  const k0 = (phase + padBefore) % stride;
  const taps = k0 < filterSize ? Math.ceil((filterSize - k0) / stride) : 0;
  const c = Math.floor((phase + padBefore) / stride);
  return { count, taps, flippedStart: filterSize - 1 - k0 - stride * (taps - 1), start: c - (taps - 1) };
}

/** The dy rows [start, end) as a slice of the real rows [0, size) plus zero padding. */
function dyWindow(start: number, end: number, size: number) {
  const sliceStart = Math.min(Math.max(0, start), size);
  const sliceEnd = Math.max(Math.min(size, end), sliceStart);
  return { sliceStart, sliceEnd, padLo: sliceStart - start, padHi: end - sliceEnd };
}

/**
 * dL/dx of `tf.conv2d(x, W, strides, pad)` for an input of shape `xShape`, given dy = dL/dy: a convolution of
 * dy with the flipped, in/out-swapped filter.
 *
 * For strides s > 1 the input splits into phases (sub-grids of positions ≡ p mod s); each phase is a stride-1
 * convolution of dy with a sub-sampled filter, so no work is spent on the zeros a transposed convolution
 * inserts into dy. The column phases of one row phase run as a single convolution whose sw·cin output channels
 * are the phases side by side (their sub-filters zero-padded to a common width: for 3×3 stride 2, 4 column
 * taps instead of 3), so that a reshape interleaves the columns; the row phases are interleaved by a concat on
 * the width axis and a reshape. (Concatenating on the channel axis, or depthToSpace, is ~10× slower on wasm.)
 */
export function conv2dInputGrad(
  dy: tf.Tensor4D,
  filter: tf.Tensor4D,
  xShape: readonly number[],
  strides: Conv2dStrides,
  pad: Conv2dPad,
): tf.Tensor4D {
  const g = convGeometry(xShape, filter.shape, strides, pad);
  checkDy(dy, g);
  const { batch, inChannels: ci, outChannels: co, strideHeight: sh, strideWidth: sw } = g;
  return tf.tidy((): tf.Tensor4D => {
    // wf[i, j, co, ci] = W[kh−1−i, kw−1−j, ci, co]
    const wf = tf.transpose(tf.reverse(filter, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
    const rows = Math.ceil(g.inHeight / sh);
    const cols = Math.ceil(g.inWidth / sw);
    const colPhases = Array.from({ length: sw }, (_, p) =>
      phaseAxis(p, sw, g.filterWidth, g.padLeft, g.inWidth),
    );
    const liveCols = colPhases.filter((a) => a.taps > 0 && a.count > 0);
    // The column window shared by the column phases: dy columns [colStart, colStart + cols + colTaps − 1).
    const colStart = Math.min(...liveCols.map((a) => a.start));
    const colTaps = Math.max(...liveCols.map((a) => a.start - colStart + a.taps));
    const cw = dyWindow(colStart, colStart + cols + colTaps - 1, g.outWidth);

    const rowBlocks: tf.Tensor4D[] = [];
    for (let ph = 0; ph < sh; ph++) {
      const ah = phaseAxis(ph, sh, g.filterHeight, g.padTop, g.inHeight);
      const rw = dyWindow(ah.start, ah.start + ah.count + ah.taps - 1, g.outHeight);
      if (
        ah.taps === 0 ||
        ah.count === 0 ||
        liveCols.length === 0 ||
        rw.sliceEnd === rw.sliceStart ||
        cw.sliceEnd === cw.sliceStart
      ) {
        rowBlocks.push(tf.zeros([batch, rows, cols * sw, ci]));
        continue;
      }
      // Filter [taps, colTaps, co, sw·ci]: the column phases' sub-filters side by side on the output channels.
      const parts = colPhases.map((aw) => {
        if (aw.taps === 0 || aw.count === 0) return tf.zeros([ah.taps, colTaps, co, ci]) as tf.Tensor4D;
        let sub = wf;
        if (ah.taps !== g.filterHeight || aw.taps !== g.filterWidth) {
          sub = tf.stridedSlice(
            wf,
            [ah.flippedStart, aw.flippedStart, 0, 0],
            [ah.flippedStart + sh * (ah.taps - 1) + 1, aw.flippedStart + sw * (aw.taps - 1) + 1, co, ci],
            [sh, sw, 1, 1],
          ) as tf.Tensor4D;
        }
        const before = aw.start - colStart;
        const after = colTaps - before - aw.taps;
        if (before === 0 && after === 0) return sub;
        return tf.pad(sub, [
          [0, 0],
          [before, after],
          [0, 0],
          [0, 0],
        ]);
      });
      const wc = parts.length === 1 ? parts[0] : tf.concat(parts, 3);
      let d: tf.Tensor4D = dy;
      if (rw.sliceStart > 0 || rw.sliceEnd < g.outHeight || cw.sliceStart > 0 || cw.sliceEnd < g.outWidth) {
        d = tf.slice(
          dy,
          [0, rw.sliceStart, cw.sliceStart, 0],
          [batch, rw.sliceEnd - rw.sliceStart, cw.sliceEnd - cw.sliceStart, co],
        );
      }
      const pads = [
        [0, 0],
        [rw.padLo, rw.padHi],
        [cw.padLo, cw.padHi],
        [0, 0],
      ] as tf.backend_util.ExplicitPadding;
      // [B, count, cols, sw·ci] → [B, count, cols·sw, ci]: columns interleaved.
      let block = tf.reshape(tf.conv2d(d, wc, 1, pads), [batch, ah.count, cols * sw, ci]) as tf.Tensor4D;
      if (ah.count < rows) {
        block = tf.pad(block, [
          [0, 0],
          [0, rows - ah.count],
          [0, 0],
          [0, 0],
        ]);
      }
      rowBlocks.push(block);
    }
    // [B, rows, sh·cols·sw, ci] → [B, rows·sh, cols·sw, ci]: rows interleaved.
    const all = rowBlocks.length === 1 ? rowBlocks[0] : tf.concat(rowBlocks, 2);
    const dx = tf.reshape(all, [batch, rows * sh, cols * sw, ci]) as tf.Tensor4D;
    if (rows * sh === g.inHeight && cols * sw === g.inWidth) return dx;
    return tf.slice(dx, [0, 0, 0, 0], [batch, g.inHeight, g.inWidth, ci]);
  });
}

function checkDy(dy: tf.Tensor4D, g: ConvGeometry): void {
  const want = [g.batch, g.outHeight, g.outWidth, g.outChannels];
  if (dy.rank !== 4 || dy.shape.some((d, i) => d !== want[i])) {
    throw new Error(`conv2d gradient: dy has shape [${dy.shape}], expected [${want}]`);
  }
}

/** Options of {@link conv2d}. */
export interface Conv2dOptions {
  /**
   * Whether the op differentiates with respect to x (default true). Pass false where x needs no gradient
   * (the network's input images): the input gradient is then not computed, and x gets none.
   */
  inputGrad?: boolean;
}

/**
 * `tf.conv2d(x, filter, strides, pad)` (NHWC, dilation 1) whose gradients are {@link conv2dInputGrad} and
 * {@link conv2dFilterGrad}, on every backend. `pad`: 'same' | 'valid' | number | explicit
 * `[[0, 0], [top, bottom], [left, right], [0, 0]]` (PyTorch's `padding=1` is `1`).
 */
export function conv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: Conv2dStrides,
  pad: Conv2dPad,
  options: Conv2dOptions = {},
): tf.Tensor4D {
  convGeometry(x.shape, filter.shape, strides, pad); // validates before tfjs's less specific messages
  const p = explicitPad(pad);
  if (options.inputGrad === false) {
    const op = customOp(([w], save) => {
      save([x]);
      return {
        value: tf.conv2d(x, w as tf.Tensor4D, strides, p),
        gradFunc: (dy, [sx]) => [
          conv2dFilterGrad(sx as tf.Tensor4D, dy as tf.Tensor4D, w.shape, strides, pad),
        ],
      };
    });
    return op(filter) as tf.Tensor4D;
  }
  const op = customOp(([xi, w], save) => {
    save([xi, w]);
    return {
      value: tf.conv2d(xi as tf.Tensor4D, w as tf.Tensor4D, strides, p),
      gradFunc: (dy, [sx, sw]) => [
        conv2dInputGrad(dy as tf.Tensor4D, sw as tf.Tensor4D, sx.shape, strides, pad),
        conv2dFilterGrad(sx as tf.Tensor4D, dy as tf.Tensor4D, sw.shape, strides, pad),
      ],
    };
  });
  return op(x, filter) as tf.Tensor4D;
}

// ---------------------------------------------------------------------------------------------------------------
// Override of tfjs's Conv2D gradient.

let stockGradient: tf.GradConfig | undefined;
let fastBackends: ReadonlySet<string> = new Set();

function isOne(v: number | [number, number] | undefined): boolean {
  return v === undefined || (Array.isArray(v) ? v.every((d) => d === 1) : v === 1);
}

/**
 * Makes the gradient of the `Conv2D` kernel (what `tf.conv2d` runs) use {@link conv2dInputGrad} and
 * {@link conv2dFilterGrad} while one of `backends` is active (checked at backward time); other backends, and
 * cases outside their scope (dilation > 1, NCHW, a dimRoundingMode), keep tfjs's own gradient. Unlike
 * {@link conv2d}, input gradients are computed lazily (only where needed). Idempotent; a second call replaces
 * the backend list. The gradient registry is global to the tfjs instance.
 */
export function registerConv2dGradient(backends: readonly string[] = ['wasm']): void {
  fastBackends = new Set(backends);
  if (stockGradient) return;
  const stock = tf.getGradient(tf.Conv2D);
  if (!stock) throw new Error('registerConv2dGradient: tfjs has no gradient registered for Conv2D');
  stockGradient = stock;
  tf.registerGradient({
    kernelName: tf.Conv2D,
    inputsToSave: ['x', 'filter'],
    gradFunc: (dy, saved, attrs) => {
      const a = attrs as unknown as tf.Conv2DAttrs;
      if (
        !fastBackends.has(tf.getBackend()) ||
        !isOne(a.dilations) ||
        (a.dataFormat !== undefined && a.dataFormat !== 'NHWC') ||
        a.dimRoundingMode != null
      ) {
        return stock.gradFunc(dy, saved, attrs);
      }
      const [x, filter] = saved as [tf.Tensor4D, tf.Tensor4D];
      const d = (Array.isArray(dy) ? dy[0] : dy) as tf.Tensor4D;
      return {
        x: () => conv2dInputGrad(d, filter, x.shape, a.strides, a.pad as Conv2dPad),
        filter: () => conv2dFilterGrad(x, d, filter.shape, a.strides, a.pad as Conv2dPad),
      };
    },
  });
}

/** Puts tfjs's own Conv2D gradient back (undoes {@link registerConv2dGradient}). */
export function unregisterConv2dGradient(): void {
  if (!stockGradient) return;
  tf.registerGradient(stockGradient);
  stockGradient = undefined;
  fastBackends = new Set();
}

/** Whether {@link registerConv2dGradient} is in effect, and for which backends. */
export function conv2dGradientBackends(): string[] {
  return stockGradient ? [...fastBackends] : [];
}
