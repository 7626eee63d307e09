/**
 * The {@link Engine} on TensorFlow.js (whichever tfjs backend is active: wasm, cpu or webgpu). Tensors are tf.Tensors
 * in tfjs's NHWC layout, which is also the canonical layout, so values pass through unchanged. Convolution and
 * BatchNorm go through swappable kernels (default: the engine's exact custom-gradient kernels); the predictor ops use
 * the wasm-tuned kernels of tfjs-predictor-kernels.ts (a row selector is a one-hot matrix).
 */
import * as tf from './tfjs.js';
import { avgPool2x2, avgPool3x3 } from './avg-pool.js';
import type { Engine, EngineName } from './engine.js';
import { hessianVectorProduct, SECOND_ORDER_KERNELS } from './second-order.js';
import { createTfAdam } from './tfjs-adam.js';
import { dense, fastTanh, lookup, oneHotRows, pairwiseDifference } from './tfjs-predictor-kernels.js';
import { ENGINE_KERNELS, type SupernetKernels } from './tfjs-kernels.js';
import { provideTfjsEngine } from './default-engine.js';

export type TfEngine = Engine<tf.Tensor>;

const cache = new Map<SupernetKernels, TfEngine>();

/** The tfjs engine with `kernels` (one instance per kernel set). */
export function tfjsEngine(kernels: SupernetKernels = ENGINE_KERNELS): TfEngine {
  let e = cache.get(kernels);
  if (!e) cache.set(kernels, (e = makeTfjsEngine(kernels)));
  return e;
}

function makeTfjsEngine(k: SupernetKernels): TfEngine {
  return {
    get name() {
      return tf.getBackend() as EngineName;
    },
    describe: () => ({ engine: 'tfjs', backend: tf.getBackend(), tfjs: tf.version_core }),
    tensor: (values, shape) => tf.tensor(values, [...shape]),
    variable: (values, shape) => {
      const initial = tf.tensor(values, [...shape]);
      const v = tf.variable(initial, true);
      initial.dispose(); // the variable holds its own reference to the data
      return v;
    },
    readCanonical: (t) => Float32Array.from(t.dataSync() as Float32Array),
    images: (values, shape) => tf.tensor4d(values, [...shape]),
    read: (t) => Float32Array.from(t.dataSync() as Float32Array),
    readPerImage: (t) => Float32Array.from(t.dataSync() as Float32Array),
    canonicalShape: (t) => [...t.shape],
    dispose: (t) => tf.dispose(t as tf.Tensor | tf.Tensor[]),
    scope: <R>(f: () => R) => tf.tidy(f as () => tf.TensorContainer) as R,

    batchSize: (x) => x.shape[0]!,
    imageShape: (x) => [...x.shape] as [number, number, number, number],
    sliceBatch: (x, start, size) => tf.slice(x, [start, 0, 0, 0], [size, -1, -1, -1]),
    conv2d: (x, w, stride, pad, inputGrad) =>
      k.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, stride, pad, inputGrad),
    batchNorm: (x, gamma, beta) => k.batchNorm(x as tf.Tensor4D, gamma as tf.Tensor1D, beta as tf.Tensor1D),
    relu: (x) => tf.relu(x),
    add: (a, b) => tf.add(a, b),
    addN: (ts) => tf.addN([...ts]),
    zerosLike: (x) => tf.zerosLike(x),
    avgPool3x3: (x) => avgPool3x3(x as tf.Tensor4D),
    avgPool2x2: (x) => avgPool2x2(x as tf.Tensor4D),
    globalMean: (x) => tf.mean(x, [1, 2]),
    dropout: (x, rate, seed) => tf.dropout(x, rate, undefined, seed),
    linear: (x, w, b) => tf.add(tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D), b),
    mulScalar: (x, s) => tf.mul(x, s),
    crossEntropy: (logits, labels) =>
      tf.tidy(() => {
        const oneHot = tf.oneHot(tf.tensor1d(labels, 'int32'), logits.shape[1]!) as tf.Tensor2D;
        return k.crossEntropy
          ? k.crossEntropy(logits as tf.Tensor2D, oneHot)
          : tf.losses.softmaxCrossEntropy(oneHot, logits);
      }),
    accuracy: (logits, labels) =>
      tf.tidy(
        () =>
          tf
            .mean(tf.cast(tf.equal(tf.argMax(logits, 1), tf.tensor1d(labels, 'int32')), 'float32'))
            .dataSync()[0],
      ),

    fillImages: (shape, value) => tf.fill([...shape], value),
    abs: (x) => tf.abs(x),
    sum: (x) => tf.sum(x),
    scaleUnits: (z, m) =>
      z.rank === 4 ? tf.mul(z, tf.reshape(m, [m.shape[0]!, 1, 1, m.shape[1]!])) : tf.mul(z, m),
    dot: (a, b) => tf.tidy(() => tf.sum(tf.mul(a, b)).dataSync()[0]),
    sumAbsProduct: (a, b) => tf.tidy(() => tf.sum(tf.abs(tf.mul(a, b))).dataSync()[0]),
    norm: (a) => tf.tidy(() => tf.norm(a).dataSync()[0]),

    dense: (x, w, b, relu, mask) =>
      dense(
        x as tf.Tensor2D,
        w as tf.Tensor2D,
        b as tf.Tensor1D | null,
        relu,
        (mask ?? null) as tf.Tensor2D | null,
      ),
    rowSelector: (indices, rows) => oneHotRows(indices, rows),
    gatherRows: (table, selector) => lookup(selector as tf.Tensor2D, table as tf.Tensor2D),
    repeatRows: (x, n) => {
      const d = x.shape[x.rank - 1]!;
      return tf.broadcastTo(tf.reshape(x, [1, d]), [n, d]);
    },
    sigmoid: (x) => tf.sigmoid(x),
    tanh: (x) => fastTanh(x),
    mul: (a, b) => tf.mul(a, b),
    sub: (a, b) => tf.sub(a, b),
    addScalar: (x, s) => tf.add(x, s),
    square: (x) => tf.square(x),
    mean: (x) => tf.mean(x),
    flatten: (x) => tf.reshape(x, [-1]),
    pairDifference: (s, pairs) => pairwiseDifference(s as tf.Tensor1D, pairs),

    gradOf: (f, xs) => {
      // The engine's own gradients() (what tf.variableGrads uses): unlike tf.valueAndGrads it allows an input the
      // value does not depend on, whose gradient is then undefined.
      const list = [...xs];
      const { value, grads } = tf.engine().gradients(() => f(list) as tf.Scalar, list, undefined, true);
      const v = value.dataSync()[0];
      value.dispose();
      return { value: v, grads: grads.map((g) => g ?? undefined) };
    },
    hessianVectorProduct: (f, ws, vs) =>
      hessianVectorProduct((inner) => f(tfjsEngine(SECOND_ORDER_KERNELS), inner) as tf.Scalar, ws, vs),

    valueAndGrads: (f, vars) => {
      const { value, grads } = tf.variableGrads(f as () => tf.Scalar, vars as tf.Variable[]);
      const v = value.dataSync()[0];
      value.dispose();
      return { value: v, grads: vars.map((w) => grads[(w as tf.Variable).name]) };
    },
    noGrad: (f) => f(),

    globalNorm: (ts) =>
      ts.length === 0
        ? 0
        : tf.tidy(() => tf.sqrt(tf.addN(ts.map((t) => tf.sum(tf.square(t))))).dataSync()[0]),
    sgdUpdate: (w, g, prev, s) => {
      const buf = tf.tidy(() => {
        const decay = tf.mul(w, s.weightDecay);
        const d = g ? tf.add(tf.mul(g, s.gradScale), decay) : decay;
        return prev ? tf.add(tf.mul(prev, s.momentum), d) : d;
      });
      prev?.dispose();
      tf.tidy(() => (w as tf.Variable).assign(tf.sub(w, tf.mul(buf, s.learningRate))));
      return buf;
    },
    adam: (vars, learningRate) => createTfAdam(vars, learningRate),
  };
}

// Loading this module makes tfjs the engine of library calls that are given none.
provideTfjsEngine(tfjsEngine);
