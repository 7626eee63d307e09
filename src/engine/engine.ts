/**
 * The engine interface: the tensor ops nas-surgery's models use, plus value-and-gradient, so that each model (the
 * supernet, the zero-shot proxies) is written once and runs on TensorFlow.js (wasm, cpu, webgpu) or on libtorch
 * (the torch addon); the neural predictors (MLP, LSTM, GATES) likewise. A tensor is opaque to model code: each engine keeps its own memory layout (tfjs NHWC, torch
 * NCHW); values cross the boundary only through the calls below, in one canonical layout: images [B, H, W, C],
 * convolution weights [kh, kw, cin, cout], dense weights [in, out].
 */

export const ENGINE_NAMES = ['torch', 'wasm', 'cpu', 'webgpu'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];
/** What `--backend` accepts: an engine, or `auto` (torch when its addon loads, else wasm). */
/** PyTorch's BatchNorm epsilon (every engine's). */
export const BN_EPSILON = 1e-5;

export const BACKEND_CHOICES = ['auto', ...ENGINE_NAMES] as const;
export type BackendChoice = (typeof BACKEND_CHOICES)[number];

export interface Engine<T> {
  readonly name: EngineName;
  /** Human-readable description for manifests (library version, threads, device). */
  describe(): Record<string, string | number>;

  // ---- values in and out (canonical layout) ----
  /** A constant tensor from canonical-layout values. */
  tensor(values: Float32Array, shape: readonly number[]): T;
  /** A trainable tensor (weights) from canonical-layout values. */
  variable(values: Float32Array, shape: readonly number[]): T;
  /** Canonical-layout values of a tensor made by {@link tensor} or {@link variable}, or of a gradient of one. */
  readCanonical(t: T): Float32Array;
  /** Images [B, H, W, C] (channels last, as stored). */
  images(values: Float32Array, shape: readonly [number, number, number, number]): T;
  /** Values of a 0-, 1- or 2-D result (a loss, logits [B, K]); a 4-D one in the canonical layout [B, H, W, C]. */
  read(t: T): Float32Array;
  /**
   * Values of a batch tensor, each image's values contiguous but in the engine's own order within an image: for
   * statistics that do not care which unit is which (no permute on torch).
   */
  readPerImage(t: T): Float32Array;
  /** The canonical shape of a tensor made by {@link tensor}/{@link variable}. */
  canonicalShape(t: T): number[];
  dispose(t: T | readonly T[]): void;
  /**
   * Run `f`, then free every tensor it made except those in its result (a tensor, or arrays, maps and plain objects
   * of them).
   */
  scope<R>(f: () => R): R;

  // ---- ops (any layout-dependent op names the layout-free meaning) ----
  /** The leading (batch) dimension. */
  batchSize(x: T): number;
  /** The canonical shape [B, H, W, C] of images made by {@link images} or {@link fillImages}. */
  imageShape(x: T): [number, number, number, number];
  /** Images start … start+size−1 of a batch. */
  sliceBatch(x: T, start: number, size: number): T;
  /** Convolution with stride 1 or 2 and symmetric zero padding. `inputGrad` false: no gradient to x is needed. */
  conv2d(x: T, w: T, stride: number, pad: number, inputGrad?: boolean): T;
  /** Batch normalisation with the batch's statistics over N, H, W; affine when gamma and beta are given. */
  batchNorm(x: T, gamma?: T, beta?: T): T;
  relu(x: T): T;
  add(a: T, b: T): T;
  addN(ts: readonly T[]): T;
  zerosLike(x: T): T;
  /** 3×3 average pool, stride 1, padding 1, padding excluded from the count. */
  avgPool3x3(x: T): T;
  /** 2×2 average pool, stride 2. */
  avgPool2x2(x: T): T;
  /** Global average pool over H and W: [B, C]. */
  globalMean(x: T): T;
  /** Inverted dropout of a [B, F] tensor with rate `rate`, mask reproducible from `seed` (random without one). */
  dropout(x: T, rate: number, seed?: number): T;
  /** x [B, in] · w [in, out] + b [out]. */
  linear(x: T, w: T, b: T): T;
  mulScalar(x: T, s: number): T;
  /** Mean softmax cross-entropy of logits [B, K] against integer labels. */
  crossEntropy(logits: T, labels: Int32Array): T;
  /** Fraction of rows of logits [B, K] whose argmax is the label. */
  accuracy(logits: T, labels: Int32Array): number;

  // ---- for the zero-shot proxies ----
  /** Images [B, H, W, C] that all equal `value`. */
  fillImages(shape: readonly [number, number, number, number], value: number): T;
  abs(x: T): T;
  /** Σ of every entry, as a scalar tensor. */
  sum(x: T): T;
  /** z scaled per image and unit by m [B, U]: unit u is the channel of a 4-D z, the column of a 2-D z. */
  scaleUnits(z: T, m: T): T;
  /** Σ a·b. */
  dot(a: T, b: T): number;
  /** Σ |a·b|. */
  sumAbsProduct(a: T, b: T): number;
  /** ‖a‖₂ over every entry. */
  norm(a: T): number;

  // ---- for the neural predictors (tensors of rank 1 and 2) ----
  /** act(x·w + b) ⊙ mask for x [B, in], w [in, out], b [out] or null, act ReLU or the identity, mask [B, out] or null. */
  dense(x: T, w: T, b: T | null, relu: boolean, mask?: T | null): T;
  /**
   * A constant row selector for {@link gatherRows}: row i picks row `indices[i]` (0 ≤ it < `rows`) of a table with
   * `rows` rows.
   */
  rowSelector(indices: Int32Array, rows: number): T;
  /** The rows of `table` [rows, d] that `selector` picks: [n, d], differentiable in the table. */
  gatherRows(table: T, selector: T): T;
  /** A vector [d] (or one row [1, d]) repeated as `n` rows: [n, d]. */
  repeatRows(x: T, n: number): T;
  sigmoid(x: T): T;
  tanh(x: T): T;
  /** a·b entrywise, broadcasting as NumPy does. */
  mul(a: T, b: T): T;
  sub(a: T, b: T): T;
  addScalar(x: T, s: number): T;
  square(x: T): T;
  /** The mean of every entry, as a scalar tensor. */
  mean(x: T): T;
  /** The entries as one vector. */
  flatten(x: T): T;
  /** s[a_t] − s[b_t] for each pair t of a vector s, `pairs` interleaved (a_0, b_0, a_1, b_1, …). */
  pairDifference(s: T, pairs: Int32Array): T;

  // ---- gradients ----
  /**
   * The value of scalar `f(xs)` and its gradient with respect to each of `xs` (any tensors: images, masks, weights;
   * undefined for one the value does not depend on). Intermediates are freed; the caller owns the gradients.
   */
  gradOf(f: (xs: T[]) => T, xs: readonly T[]): { value: number; grads: (T | undefined)[] };
  /**
   * H·v for the Hessian H of scalar `f` at `ws`, by a second differentiation. `f` must build its value with the
   * engine it is given (on tfjs: kernels that can be differentiated twice).
   */
  hessianVectorProduct(f: (e: Engine<T>, ws: T[]) => T, ws: readonly T[], vs: readonly T[]): T[];
  /**
   * Optional, where one pass can do both (torch): {@link gradOf} and, from the same forward pass, H·g for the first
   * `count` inputs, g their gradient (grasp's product; the first differentiation keeps its graph, as autograd's
   * create_graph). An input without a gradient gets neither (undefined). Engines without it: gradOf, then
   * hessianVectorProduct on a second forward pass.
   */
  gradAndHessianGrad?(
    f: (xs: T[]) => T,
    xs: readonly T[],
    count: number,
  ): { value: number; grads: (T | undefined)[]; hessianGrad: (T | undefined)[] };
  /**
   * The value of scalar `f()` and its gradient with respect to each of `vars` (undefined where f does not depend on
   * it). Intermediates are freed; the caller owns the gradients.
   */
  valueAndGrads(f: () => T, vars: readonly T[]): { value: number; grads: (T | undefined)[] };
  /** Run `f` without recording gradients. */
  noGrad<R>(f: () => R): R;

  // ---- optimizer ----
  /** The global norm √(Σ‖t‖²) over the tensors (0 for none). */
  globalNorm(ts: readonly T[]): number;
  /**
   * PyTorch's SGD update of w in place: d = scale·g + wd·w (wd·w without g); buf = d on the first step, else
   * momentum·buf + d; w −= lr·buf. Returns the new buffer (the old one is consumed: disposed or updated in place).
   */
  sgdUpdate(
    w: T,
    g: T | undefined,
    buf: T | undefined,
    s: { learningRate: number; momentum: number; weightDecay: number; gradScale: number },
  ): T;
  /** Adam over `vars` (PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay), updating them in place. */
  adam(vars: readonly T[], learningRate: number): AdamOptimizer<T>;
}

/** PyTorch's Adam β₁, β₂ and ε (its defaults). */
export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/** An Adam optimizer of an engine's variables (its moments live with the engine). */
export interface AdamOptimizer<T> {
  /**
   * One step: θ ← θ − lr·m̂ / (√v̂ + ε) with bias-corrected moments, for every variable with a gradient (`grads` in
   * the order of the variables; undefined: left alone this step).
   */
  step(grads: readonly (T | undefined)[]): void;
  /** Free the moments. */
  dispose(): void;
}
