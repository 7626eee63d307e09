/**
 * Float64 reference implementations (plain loops) of the convolution and batch-norm forward and backward
 * passes, for checking the tfjs kernels. NHWC layout, filter [kh, kw, cin, cout], flat row-major arrays.
 * Slow: for test-sized tensors only.
 */
import type { ConvGeometry } from './conv.js';

type Num = ArrayLike<number>;

function forEachTap(g: ConvGeometry, visit: (xIndex: number, wIndex: number, yIndex: number) => void): void {
  const { batch, inHeight: H, inWidth: W, inChannels: ci, outHeight: Ho, outWidth: Wo, outChannels: co } = g;
  for (let b = 0; b < batch; b++) {
    for (let oh = 0; oh < Ho; oh++) {
      for (let ow = 0; ow < Wo; ow++) {
        const yBase = ((b * Ho + oh) * Wo + ow) * co;
        for (let kh = 0; kh < g.filterHeight; kh++) {
          const ih = oh * g.strideHeight + kh - g.padTop;
          if (ih < 0 || ih >= H) continue;
          for (let kw = 0; kw < g.filterWidth; kw++) {
            const iw = ow * g.strideWidth + kw - g.padLeft;
            if (iw < 0 || iw >= W) continue;
            const xBase = ((b * H + ih) * W + iw) * ci;
            const wBase = (kh * g.filterWidth + kw) * ci * co;
            for (let c = 0; c < ci; c++) {
              for (let o = 0; o < co; o++) visit(xBase + c, wBase + c * co + o, yBase + o);
            }
          }
        }
      }
    }
  }
}

/** y = conv(x, w) in float64. */
export function conv2dRef(x: Num, w: Num, g: ConvGeometry): Float64Array {
  const y = new Float64Array(g.batch * g.outHeight * g.outWidth * g.outChannels);
  forEachTap(g, (xi, wi, yi) => {
    y[yi] += x[xi] * w[wi];
  });
  return y;
}

/** dx and dW of conv(x, w) given dy, in float64. */
export function conv2dGradRef(
  x: Num,
  w: Num,
  dy: Num,
  g: ConvGeometry,
): { dx: Float64Array; dw: Float64Array } {
  const dx = new Float64Array(g.batch * g.inHeight * g.inWidth * g.inChannels);
  const dw = new Float64Array(g.filterHeight * g.filterWidth * g.inChannels * g.outChannels);
  forEachTap(g, (xi, wi, yi) => {
    dx[xi] += dy[yi] * w[wi];
    dw[wi] += dy[yi] * x[xi];
  });
  return { dx, dw };
}

/**
 * Train-mode batch norm over all but the last axis of x ([rows, channels] flattened), in float64, with its
 * backward pass (the textbook formula). `gamma`/`beta` null: not affine.
 */
export function batchNormRef(
  x: Num,
  channels: number,
  gamma: Num | null,
  beta: Num | null,
  dy: Num,
  eps = 1e-5,
): {
  y: Float64Array;
  mean: Float64Array;
  variance: Float64Array;
  dx: Float64Array;
  dgamma: Float64Array;
  dbeta: Float64Array;
} {
  const n = x.length / channels;
  const mean = new Float64Array(channels);
  const variance = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) mean[i % channels] += x[i] / n;
  for (let i = 0; i < x.length; i++) variance[i % channels] += (x[i] - mean[i % channels]) ** 2 / n;
  const inv = variance.map((v) => 1 / Math.sqrt(v + eps));
  const y = new Float64Array(x.length);
  const dgamma = new Float64Array(channels);
  const dbeta = new Float64Array(channels);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const xhat = (x[i] - mean[c]) * inv[c];
    y[i] = xhat * (gamma ? gamma[c] : 1) + (beta ? beta[c] : 0);
    dgamma[c] += dy[i] * xhat;
    dbeta[c] += dy[i];
  }
  const dx = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    const xhat = (x[i] - mean[c]) * inv[c];
    const gm = gamma ? gamma[c] : 1;
    dx[i] = ((gm * inv[c]) / n) * (n * dy[i] - dbeta[c] - xhat * dgamma[c]);
  }
  return { y, mean, variance, dx, dgamma, dbeta };
}

/** ‖a − b‖₂ / max(‖b‖₂, tiny): the norm-based relative error of a against the reference b. */
export function relativeError(a: Num, b: Num): number {
  if (a.length !== b.length) throw new Error(`relativeError: lengths ${a.length} and ${b.length} differ`);
  let num = 0;
  let den = 0;
  for (let i = 0; i < a.length; i++) {
    num += (a[i] - b[i]) ** 2;
    den += b[i] ** 2;
  }
  return Math.sqrt(num) / Math.max(Math.sqrt(den), 1e-30);
}

/** Seeded uniform values in [−1, 1) (mulberry32), for reproducible test tensors. */
export function randomValues(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = (((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1;
  }
  return out;
}
