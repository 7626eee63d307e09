/**
 * The {@link Engine} on libtorch, through the native addon (native/torch-addon.cc, built by `npm ci` when libtorch is
 * found). Activations are NCHW and convolution weights OIHW, as libtorch is fastest with them; values are converted to
 * and from the canonical layout at the boundary. Autograd is libtorch's; every tensor the model code makes is freed by
 * the enclosing {@link Engine.scope} (a forward pass is one scope, freed before its backward pass starts), since Node
 * runs no finalizer inside a synchronous training loop.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Rng } from '../predictors/rng.js';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, type AdamOptimizer, type Engine } from './engine.js';
import { BN_EPSILON } from './engine.js';

/** A libtorch tensor held by the addon (opaque). */
type Handle = { readonly __torchHandle: unique symbol };

/** The addon's exports (see native/torch-addon.cc). */
export interface TorchAddon {
  fromFloat32(values: Float32Array, shape: readonly number[]): Handle;
  fromInt32AsLong(values: Int32Array): Handle;
  toFloat32(t: Handle): Float32Array;
  item(t: Handle): number;
  shape(t: Handle): number[];
  dispose(t: Handle): void;
  liveTensors(): number;
  setRequiresGrad(t: Handle, on: boolean): void;
  detach(t: Handle): Handle;
  clone(t: Handle): Handle;
  permute(t: Handle, dims: readonly number[]): Handle;
  reshape(t: Handle, shape: readonly number[]): Handle;
  narrow(t: Handle, dim: number, start: number, length: number): Handle;
  indexSelect(t: Handle, indices: Handle): Handle;
  expand(t: Handle, shape: readonly number[]): Handle;
  conv2d(x: Handle, w: Handle, stride: number, pad: number): Handle;
  batchNorm(x: Handle, gamma: Handle | undefined, beta: Handle | undefined, eps: number): Handle;
  relu(x: Handle): Handle;
  add(a: Handle, b: Handle): Handle;
  sub(a: Handle, b: Handle): Handle;
  addN(ts: Handle[]): Handle;
  mul(a: Handle, b: Handle): Handle;
  mulScalar(a: Handle, s: number): Handle;
  addScalar(a: Handle, s: number): Handle;
  sigmoid(a: Handle): Handle;
  tanh(a: Handle): Handle;
  abs(a: Handle): Handle;
  square(a: Handle): Handle;
  sum(a: Handle): Handle;
  mean(a: Handle, dims: readonly number[], keepDim: boolean): Handle;
  avgPool2d(x: Handle, k: number, stride: number, pad: number, countIncludePad: boolean): Handle;
  linear(x: Handle, w: Handle, b: Handle): Handle;
  matMul(a: Handle, b: Handle): Handle;
  crossEntropy(logits: Handle, labels: Handle): Handle;
  zerosLike(x: Handle): Handle;
  onesLike(x: Handle): Handle;
  full(shape: readonly number[], value: number): Handle;
  accuracy(logits: Handle, labels: Handle): number;
  grad(out: Handle, inputs: Handle[], createGraph: boolean, gradOutput?: Handle): (Handle | null)[];
  setGradEnabled(on: boolean): boolean;
  sumSquares(ts: Handle[]): number;
  sgdUpdate(
    w: Handle,
    g: Handle | undefined,
    buf: Handle | undefined,
    lr: number,
    momentum: number,
    wd: number,
    scale: number,
  ): Handle;
  adamUpdate(
    w: Handle,
    g: Handle,
    m: Handle,
    v: Handle,
    stepSize: number,
    sqrtBc2: number,
    beta1: number,
    beta2: number,
    eps: number,
  ): void;
  setNumThreads(n: number): void;
  numThreads(): number;
  cudaAvailable(): boolean;
  setDevice(device: string): void;
  version(): string;
}

/** How to get the addon: libtorch, then the build (an installed package's command, or a checkout's script). */
export const TORCH_BUILD_HOW =
  'install libtorch (Debian: apt install libtorch-dev, or LIBTORCH=<dir of a libtorch or pip torch>), then run ' +
  'npx nas-surgery build-torch (in a checkout: npm run build:torch)';

/** Where `npm ci` builds the addon (relative to the package root). */
export const TORCH_ADDON_PATH = 'native/build/Release/nas_torch.node';

const packageRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Why the addon cannot be used, or undefined when it can (cached). */
let loadResult: { addon?: TorchAddon; error?: string } | undefined;

/** The addon, or an explanation of why it is not available. */
export function loadTorchAddon(): { addon?: TorchAddon; error?: string } {
  if (loadResult) return loadResult;
  // NAS_TORCH_ADDON points at another build (or, in tests, at nothing: the fallback path).
  const file = process.env.NAS_TORCH_ADDON || join(packageRoot, TORCH_ADDON_PATH);
  if (!existsSync(file)) {
    loadResult = {
      error: `the torch engine is not built (${file} is missing): ${TORCH_BUILD_HOW}`,
    };
    return loadResult;
  }
  try {
    loadResult = { addon: createRequire(import.meta.url)(file) as TorchAddon };
  } catch (e) {
    loadResult = { error: `the torch engine failed to load (${file}): ${(e as Error).message}` };
  }
  return loadResult;
}

/** A libtorch tensor as model code sees it. */
export class TorchTensor {
  disposed = false;
  constructor(readonly h: Handle) {}
  get shape(): number[] {
    return addonRef!.shape(this.h);
  }
}

let addonRef: TorchAddon | undefined;
const scopes: TorchTensor[][] = [];

function track(h: Handle): TorchTensor {
  const t = new TorchTensor(h);
  scopes[scopes.length - 1]?.push(t);
  return t;
}

function free(t: TorchTensor): void {
  if (t.disposed) return;
  t.disposed = true;
  addonRef!.dispose(t.h);
}

/** Every tensor inside a scope's result (tensors, arrays, maps, plain objects). */
function collect(value: unknown, into: Set<TorchTensor>): void {
  if (value instanceof TorchTensor) into.add(value);
  else if (Array.isArray(value)) for (const v of value) collect(v, into);
  else if (value instanceof Map) for (const v of value.values()) collect(v, into);
  else if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype)
    for (const v of Object.values(value)) collect(v, into);
}

function runScope<R>(f: () => R): R {
  const mine: TorchTensor[] = [];
  scopes.push(mine);
  let result: R;
  try {
    result = f();
  } catch (e) {
    scopes.pop();
    mine.forEach(free);
    throw e;
  }
  scopes.pop();
  const keep = new Set<TorchTensor>();
  collect(result, keep);
  const parent = scopes[scopes.length - 1];
  for (const t of mine) {
    if (keep.has(t)) parent?.push(t);
    else free(t);
  }
  return result;
}

export interface TorchEngineOptions {
  /** Intra-op threads (default: NAS_TORCH_THREADS, else the number of cores). libtorch's own default here is 1. */
  threads?: number;
  /** `cpu` (default) or `cuda`/`cuda:N` with a CUDA build of libtorch. */
  device?: string;
}

export type TorchEngine = Engine<TorchTensor> & { readonly addon: TorchAddon };

const NCHW = [0, 3, 1, 2];
const NHWC = [0, 2, 3, 1];
const OIHW = [3, 2, 0, 1];
const HWIO = [2, 3, 1, 0];

/** Adam with its moments in libtorch tensors, each update one in-place call (native/torch-addon.cc). */
function torchAdam(a: TorchAddon, vars: Handle[], learningRate: number): AdamOptimizer<TorchTensor> {
  let t = 0;
  const moments = vars.map(() => ({
    m: undefined as Handle | undefined,
    v: undefined as Handle | undefined,
  }));
  return {
    step: (grads) => {
      t++;
      const stepSize = learningRate / (1 - ADAM_BETA1 ** t);
      const sqrtBc2 = Math.sqrt(1 - ADAM_BETA2 ** t);
      grads.forEach((g, i) => {
        if (!g) return;
        if (g.disposed) throw new Error('torch engine: tensor used after dispose');
        const mv = moments[i];
        mv.m ??= a.zerosLike(vars[i]);
        mv.v ??= a.zerosLike(vars[i]);
        a.adamUpdate(vars[i], g.h, mv.m, mv.v, stepSize, sqrtBc2, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
      });
    },
    dispose: () => {
      for (const mv of moments) {
        if (mv.m) a.dispose(mv.m);
        if (mv.v) a.dispose(mv.v);
        mv.m = mv.v = undefined;
      }
    },
  };
}

/** The torch engine; throws with {@link loadTorchAddon}'s explanation when the addon is missing. */
export function torchEngine(options: TorchEngineOptions = {}): TorchEngine {
  const { addon, error } = loadTorchAddon();
  if (!addon) throw new Error(error);
  addonRef = addon;
  const threads = options.threads ?? (Number(process.env.NAS_TORCH_THREADS) || availableParallelism());
  addon.setNumThreads(threads);
  const device = options.device ?? 'cpu';
  addon.setDevice(device);
  const a = addon;
  const h = (t: TorchTensor) => {
    if (t.disposed) throw new Error('torch engine: tensor used after dispose');
    return t.h;
  };
  const labelsOf = (labels: Int32Array) => a.fromInt32AsLong(labels);
  /** A number from a one-element result, freeing it. */
  const scalarOf = (t: Handle) => {
    const v = a.item(t);
    a.dispose(t);
    return v;
  };
  /** A leaf that shares x's values and records gradients (an input to differentiate with respect to). */
  const leafOf = (x: Handle) => {
    const d = a.detach(x);
    a.setRequiresGrad(d, true);
    return new TorchTensor(d);
  };
  /** `raw` permuted to `dims` (contiguous); `raw` is freed. */
  const permuteOwned = (raw: Handle, dims: readonly number[]): Handle => {
    const t = a.permute(raw, dims);
    a.dispose(raw);
    return t;
  };
  /** Values of t, 4-D ones permuted to `dims` first. */
  const readAs = (t: TorchTensor, dims: readonly number[]): Float32Array => {
    if (t.shape.length !== 4) return a.toFloat32(h(t));
    const p = a.permute(h(t), dims);
    const out = a.toFloat32(p);
    a.dispose(p);
    return out;
  };
  const fromCanonical = (values: Float32Array, shape: readonly number[]): Handle => {
    const raw = a.fromFloat32(values, shape);
    return shape.length === 4 ? permuteOwned(raw, OIHW) : raw;
  };
  const engine: TorchEngine = {
    name: 'torch',
    addon: a,
    describe: () => ({ engine: 'torch', libtorch: a.version(), threads: a.numThreads(), device }),
    tensor: (values, shape) => track(fromCanonical(values, shape)),
    variable: (values, shape) => {
      const t = fromCanonical(values, shape);
      a.setRequiresGrad(t, true);
      return track(t);
    },
    readCanonical: (t) => readAs(t, HWIO),
    canonicalShape: (t) => {
      const s = t.shape;
      return s.length === 4 ? [s[2], s[3], s[1], s[0]] : s;
    },
    images: (values, shape) => track(permuteOwned(a.fromFloat32(values, shape), NCHW)),
    read: (t) => readAs(t, NHWC),
    readPerImage: (t) => a.toFloat32(h(t)),
    dispose: (t) => {
      if (t instanceof TorchTensor) free(t);
      else for (const x of t) free(x);
    },
    scope: runScope,

    batchSize: (x) => a.shape(h(x))[0],
    imageShape: (x) => {
      const [n, c, hh, w] = a.shape(h(x));
      return [n, hh, w, c];
    },
    sliceBatch: (x, start, size) => track(a.narrow(h(x), 0, start, size)),
    conv2d: (x, w, stride, pad) => track(a.conv2d(h(x), h(w), stride, pad)),
    batchNorm: (x, gamma, beta) => track(a.batchNorm(h(x), gamma && h(gamma), beta && h(beta), BN_EPSILON)),
    relu: (x) => track(a.relu(h(x))),
    add: (x, y) => track(a.add(h(x), h(y))),
    addN: (ts) => track(a.addN(ts.map(h))),
    zerosLike: (x) => track(a.zerosLike(h(x))),
    avgPool3x3: (x) => track(a.avgPool2d(h(x), 3, 1, 1, false)),
    avgPool2x2: (x) => track(a.avgPool2d(h(x), 2, 2, 0, true)),
    globalMean: (x) => track(a.mean(h(x), [2, 3], false)),
    dropout: (x, rate, seed) => {
      const size = x.shape.reduce((p, q) => p * q, 1);
      const mask = new Float32Array(size);
      const rng = new Rng(seed ?? Math.floor(Math.random() * 2 ** 31));
      const keep = 1 / (1 - rate);
      for (let i = 0; i < size; i++) mask[i] = rng.float() >= rate ? keep : 0;
      const m = a.fromFloat32(mask, x.shape);
      const y = a.mul(h(x), m);
      a.dispose(m);
      return track(y);
    },
    linear: (x, w, b) => track(a.linear(h(x), h(w), h(b))),
    mulScalar: (x, s) => track(a.mulScalar(h(x), s)),
    crossEntropy: (logits, labels) => {
      const l = labelsOf(labels);
      const loss = a.crossEntropy(h(logits), l);
      a.dispose(l);
      return track(loss);
    },
    accuracy: (logits, labels) => {
      const l = labelsOf(labels);
      const acc = a.accuracy(h(logits), l);
      a.dispose(l);
      return acc;
    },

    fillImages: (shape, value) => track(a.full([shape[0], shape[3], shape[1], shape[2]], value)),
    abs: (x) => track(a.abs(h(x))),
    sum: (x) => track(a.sum(h(x))),
    scaleUnits: (z, m) => {
      const s = z.shape;
      if (s.length !== 4) return track(a.mul(h(z), h(m)));
      const m4 = a.reshape(h(m), [s[0], s[1], 1, 1]);
      const y = a.mul(h(z), m4);
      a.dispose(m4);
      return track(y);
    },
    dot: (x, y) => {
      const p = a.mul(h(x), h(y));
      const v = scalarOf(a.sum(p));
      a.dispose(p);
      return v;
    },
    sumAbsProduct: (x, y) => {
      const p = a.mul(h(x), h(y));
      const q = a.abs(p);
      const v = scalarOf(a.sum(q));
      a.dispose(p);
      a.dispose(q);
      return v;
    },
    norm: (x) => Math.sqrt(a.sumSquares([h(x)])),

    dense: (x, w, b, relu, mask) =>
      runScope(() => {
        let y = track(b ? a.linear(h(x), h(w), h(b)) : a.matMul(h(x), h(w)));
        if (relu) y = track(a.relu(y.h));
        return mask ? track(a.mul(y.h, h(mask))) : y;
      }),
    rowSelector: (indices) => track(a.fromInt32AsLong(indices)),
    gatherRows: (table, selector) => track(a.indexSelect(h(table), h(selector))),
    repeatRows: (x, n) => {
      const s = x.shape;
      const d = s[s.length - 1];
      const row = a.reshape(h(x), [1, d]);
      const y = a.expand(row, [n, d]);
      a.dispose(row);
      return track(y);
    },
    sigmoid: (x) => track(a.sigmoid(h(x))),
    tanh: (x) => track(a.tanh(h(x))),
    mul: (x, y) => track(a.mul(h(x), h(y))),
    sub: (x, y) => track(a.sub(h(x), h(y))),
    addScalar: (x, s) => track(a.addScalar(h(x), s)),
    square: (x) => track(a.square(h(x))),
    mean: (x) =>
      track(
        a.mean(
          h(x),
          x.shape.map((_, i) => i),
          false,
        ),
      ),
    flatten: (x) => track(a.reshape(h(x), [-1])),
    pairDifference: (s, pairs) => {
      if (pairs.length % 2 !== 0)
        throw new Error('pairs must hold an even number of indices (a0, b0, a1, b1, ...)');
      const k = pairs.length / 2;
      const first = new Int32Array(k);
      const second = new Int32Array(k);
      for (let t = 0; t < k; t++) {
        first[t] = pairs[2 * t];
        second[t] = pairs[2 * t + 1];
      }
      return runScope(() => {
        const pick = (idx: Int32Array) => track(a.indexSelect(h(s), track(a.fromInt32AsLong(idx)).h));
        return track(a.sub(pick(first).h, pick(second).h));
      });
    },

    gradOf: (f, xs) => {
      const leaves = xs.map((x) => leafOf(h(x)));
      try {
        const out = runScope(() => f(leaves));
        try {
          const grads = a.grad(h(out), leaves.map(h), false);
          return {
            value: a.item(h(out)),
            grads: grads.map((g) => (g ? track(g) : undefined)),
          };
        } finally {
          free(out);
        }
      } finally {
        leaves.forEach(free);
      }
    },
    gradAndHessianGrad: (f, xs, count) => {
      const leaves = xs.map((x) => leafOf(h(x)));
      try {
        return runScope(() => {
          const out = f(leaves);
          const g = a.grad(h(out), leaves.map(h), true).map((gi) => (gi ? track(gi) : undefined));
          const value = a.item(h(out));
          const terms = g.slice(0, count).flatMap((gi) => {
            if (!gi) return [];
            const v = track(a.detach(gi.h));
            return [track(a.sum(track(a.mul(gi.h, v.h)).h))];
          });
          const hv =
            terms.length === 0
              ? []
              : a.grad(track(a.addN(terms.map(h))).h, leaves.slice(0, count).map(h), false);
          // Detached copies outlive the scope; the graph goes with it.
          const detached = (t: Handle | null | undefined) => (t ? track(a.detach(t)) : undefined);
          const result = {
            value,
            grads: g.map((gi) => detached(gi?.h)),
            hessianGrad: leaves.slice(0, count).map((_, i) => (g[i] ? detached(hv[i]) : undefined)),
          };
          hv.forEach((t) => t && a.dispose(t));
          return result;
        });
      } finally {
        leaves.forEach(free);
      }
    },
    hessianVectorProduct: (f, ws, vs) => {
      if (ws.length !== vs.length)
        throw new Error(`hessianVectorProduct: ${ws.length} weights but ${vs.length} directions`);
      const leaves = ws.map((w) => leafOf(h(w)));
      try {
        const hv = runScope(() => {
          const loss = f(engine, leaves);
          const g = a.grad(h(loss), leaves.map(h), true);
          // ∇L · v with v held constant (detached), differentiated once more; a weight the loss does not depend
          // on adds nothing.
          const terms = g.flatMap((gi, i) => {
            if (!gi) return [];
            const v = track(a.detach(h(vs[i])));
            return [track(a.sum(track(a.mul(track(gi).h, h(v))).h))];
          });
          if (terms.length === 0) return ws.map(() => null);
          const dot = track(a.addN(terms.map(h)));
          return a.grad(h(dot), leaves.map(h), false);
        });
        return hv.map((x, i) => track(x ?? a.zerosLike(h(ws[i]))));
      } finally {
        leaves.forEach(free);
      }
    },

    valueAndGrads: (f, vars) => {
      const loss = runScope(f);
      try {
        const grads = a.grad(h(loss), vars.map(h), false);
        return { value: a.item(h(loss)), grads: grads.map((g) => (g ? track(g) : undefined)) };
      } finally {
        free(loss);
      }
    },
    noGrad: (f) => {
      const prev = a.setGradEnabled(false);
      try {
        return f();
      } finally {
        a.setGradEnabled(prev);
      }
    },

    globalNorm: (ts) => Math.sqrt(a.sumSquares(ts.map(h))),
    sgdUpdate: (w, g, buf, s) => {
      const out = a.sgdUpdate(
        h(w),
        g && h(g),
        buf && h(buf),
        s.learningRate,
        s.momentum,
        s.weightDecay,
        s.gradScale,
      );
      return buf && out === buf.h ? buf : track(out);
    },
    adam: (vars, learningRate) => torchAdam(a, vars.map(h), learningRate),
  };
  return engine;
}
