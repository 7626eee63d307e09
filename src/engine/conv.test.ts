import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from './tfjs.js';
import { initTensorflow } from './tf-backend.js';
import {
  conv2d,
  conv2dFilterGrad,
  conv2dGradientBackends,
  conv2dInputGrad,
  convGeometry,
  explicitPad,
  registerConv2dGradient,
  unregisterConv2dGradient,
  type Conv2dPad,
  type Conv2dStrides,
} from './conv.js';
import { conv2dGradRef, conv2dRef, randomValues, relativeError } from './reference.js';

const TOL = 1e-5;

interface Case {
  batch: number;
  height: number;
  width: number;
  inC: number;
  outC: number;
  kh: number;
  kw: number;
  strides: Conv2dStrides;
  pad: Conv2dPad;
}

const c = (
  batch: number,
  height: number,
  width: number,
  inC: number,
  outC: number,
  k: number | [number, number],
  strides: Conv2dStrides,
  pad: Conv2dPad,
): Case => ({
  batch,
  height,
  width,
  inC,
  outC,
  kh: Array.isArray(k) ? k[0] : k,
  kw: Array.isArray(k) ? k[1] : k,
  strides,
  pad,
});

/** The supernet's convolutions (3×3 pad 1 stride 1/2, 1×1 pad 0) and the geometry corner cases. */
const FIXED: Case[] = [
  c(2, 7, 7, 3, 5, 3, 1, 1), // stem-like, odd size
  c(3, 8, 8, 4, 6, 3, 1, 1),
  c(2, 5, 6, 5, 3, 3, 1, 1),
  c(3, 8, 8, 4, 6, 3, 2, 1), // reduction conv, even size
  c(2, 7, 7, 4, 4, 3, 2, 1), // odd size
  c(2, 5, 6, 6, 8, 3, 2, 1),
  c(4, 4, 4, 6, 6, 1, 1, 0), // 1×1 shortcut after the 2×2 average pool
  c(2, 8, 8, 8, 16, 3, 2, 1),
  c(4, 8, 8, 16, 32, 3, 2, 1), // wider channels
  c(2, 8, 8, 32, 32, 3, 1, 1),
  c(2, 5, 6, 5, 3, 3, 2, 'same'), // tfjs 'same': the extra padding goes last
  c(1, 8, 8, 6, 4, 3, 2, 'same'),
  c(2, 8, 8, 4, 4, 1, 2, 0), // a 1×1 stride-2: the odd phases get no gradient
  c(3, 7, 7, 4, 4, 3, 1, 'valid'),
  c(2, 8, 8, 3, 3, 3, 2, 'valid'), // the forward never reads the last row/column
  c(2, 6, 5, 4, 8, 3, 2, [
    [0, 0],
    [0, 1],
    [1, 0],
    [0, 0],
  ]),
  c(2, 7, 7, 4, 4, 3, [1, 2], 1), // unequal strides
  c(
    2,
    7,
    6,
    3,
    4,
    [3, 1],
    [2, 1],
    [
      [0, 0],
      [1, 1],
      [0, 0],
      [0, 0],
    ],
  ), // non-square filter
  c(2, 9, 9, 2, 3, 5, 2, 2),
  c(2, 9, 8, 2, 3, 5, 3, 'same'), // stride 3
  c(2, 1, 1, 2, 3, 3, 2, 1), // 1×1 input
  c(1, 2, 3, 2, 3, 3, 2, 'same'),
];

/** Seeded random cases: kernel 1 or 3, stride 1 or 2, sizes 1–9, channels 1–8, batch 1–4, mixed paddings. */
function randomCases(n: number, seed: number): Case[] {
  const u = randomValues(n * 10, seed);
  const pick = (v: number, lo: number, hi: number) =>
    lo + Math.min(hi - lo, Math.floor(((v + 1) / 2) * (hi - lo + 1)));
  const out: Case[] = [];
  for (let i = 0; out.length < n && i < n * 3; i++) {
    const r = randomValues(10, seed * 1000 + i);
    const k = pick(r[0], 0, 1) === 0 ? 1 : 3;
    const s = pick(r[1], 1, 2);
    const padKind = pick(r[2], 0, 3);
    const pad: Conv2dPad =
      padKind === 0
        ? 'same'
        : padKind === 1
          ? 'valid'
          : padKind === 2
            ? (k - 1) / 2
            : [
                [0, 0],
                [pick(r[3], 0, k - 1), pick(r[4], 0, k - 1)],
                [pick(r[5], 0, k - 1), pick(r[6], 0, k - 1)],
                [0, 0],
              ];
    const h = pick(r[7], 1, 9);
    const w = pick(r[8], 1, 9);
    const cs = c(pick(r[9], 1, 4), h, w, pick(u[i], 1, 8), pick(u[n + i], 1, 8), k, s, pad);
    const g = convGeometry([cs.batch, h, w, cs.inC], [k, k, cs.inC, cs.outC], s, pad);
    if (g.outHeight >= 1 && g.outWidth >= 1) out.push(cs);
  }
  return out;
}

const CASES = [...FIXED, ...randomCases(16, 7)];

interface Data {
  x: Float32Array;
  w: Float32Array;
  dy: Float32Array;
  xShape: [number, number, number, number];
  wShape: [number, number, number, number];
  dyShape: [number, number, number, number];
}

function makeData(cs: Case, seed: number): Data {
  const xShape: Data['xShape'] = [cs.batch, cs.height, cs.width, cs.inC];
  const wShape: Data['wShape'] = [cs.kh, cs.kw, cs.inC, cs.outC];
  const g = convGeometry(xShape, wShape, cs.strides, cs.pad);
  const dyShape: Data['dyShape'] = [cs.batch, g.outHeight, g.outWidth, cs.outC];
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  return {
    x: randomValues(size(xShape), seed),
    w: randomValues(size(wShape), seed + 1),
    dy: randomValues(size(dyShape), seed + 2),
    xShape,
    wShape,
    dyShape,
  };
}

const label = (cs: Case) =>
  `x [${cs.batch},${cs.height},${cs.width},${cs.inC}] k ${cs.kh}×${cs.kw} → ${cs.outC} s ${JSON.stringify(cs.strides)} pad ${JSON.stringify(cs.pad)}`;

/** tfjs's own gradients of Σ conv2d(x, w)·dy on the pure-JS cpu backend. */
async function cpuStockGrads(data: Data[]): Promise<{ dx: Float32Array; dw: Float32Array }[]> {
  assert.equal(await initTensorflow('cpu'), 'cpu');
  return data.map((d, i) =>
    tf.tidy(() => {
      const cs = CASES[i];
      const x = tf.tensor4d(d.x, d.xShape);
      const w = tf.tensor4d(d.w, d.wShape);
      const dy = tf.tensor4d(d.dy, d.dyShape);
      const f = (xi: tf.Tensor, wi: tf.Tensor) =>
        tf.sum(tf.mul(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, cs.strides, explicitPad(cs.pad)), dy));
      const [dx, dw] = tf.grads(f)([x, w]);
      return { dx: dx.dataSync() as Float32Array, dw: dw.dataSync() as Float32Array };
    }),
  );
}

test('conv2d gradients on wasm equal tfjs cpu gradients and float64 (all supernet geometries, random shapes)', async () => {
  const data = CASES.map((cs, i) => makeData(cs, 100 + 10 * i));
  const cpu = await cpuStockGrads(data);
  assert.equal(await initTensorflow('wasm'), 'wasm');
  const before = tf.memory().numTensors;
  let worst = 0;
  CASES.forEach((cs, i) => {
    const d = data[i];
    const g = convGeometry(d.xShape, d.wShape, cs.strides, cs.pad);
    const ref = conv2dGradRef(d.x, d.w, d.dy, g);
    const yRef = conv2dRef(d.x, d.w, g);
    const [y, dx, dw, opDx, opDw] = tf.tidy(() => {
      const x = tf.tensor4d(d.x, d.xShape);
      const w = tf.tensor4d(d.w, d.wShape);
      const dy = tf.tensor4d(d.dy, d.dyShape);
      const f = (xi: tf.Tensor, wi: tf.Tensor) =>
        tf.sum(tf.mul(conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, cs.strides, cs.pad), dy));
      const grads = tf.grads(f)([x, w]);
      return [
        conv2d(x, w, cs.strides, cs.pad),
        conv2dInputGrad(dy, w, d.xShape, cs.strides, cs.pad),
        conv2dFilterGrad(x, dy, d.wShape, cs.strides, cs.pad),
        ...grads,
      ].map((t) => t.dataSync());
    });
    const errs = {
      y: relativeError(y, yRef),
      dxRef: relativeError(dx, ref.dx),
      dwRef: relativeError(dw, ref.dw),
      dxCpu: relativeError(dx, cpu[i].dx),
      dwCpu: relativeError(dw, cpu[i].dw),
      opDx: relativeError(opDx, cpu[i].dx),
      opDw: relativeError(opDw, cpu[i].dw),
      cpuRef: Math.max(relativeError(cpu[i].dx, ref.dx), relativeError(cpu[i].dw, ref.dw)),
    };
    for (const [k, e] of Object.entries(errs)) {
      assert.ok(e < TOL, `${label(cs)}: ${k} relative error ${e.toExponential(2)}`);
      worst = Math.max(worst, e);
    }
  });
  assert.ok(worst > 0, 'the comparison compared something');
  assert.equal(tf.memory().numTensors, before, 'no tensors leaked');
});

test('conv2d op: inputGrad false gives the filter gradient only, and nothing for x', async () => {
  assert.equal(await initTensorflow('wasm'), 'wasm');
  const cs = FIXED[0];
  const d = makeData(cs, 5);
  const g = convGeometry(d.xShape, d.wShape, cs.strides, cs.pad);
  const ref = conv2dGradRef(d.x, d.w, d.dy, g);
  const x = tf.tensor4d(d.x, d.xShape);
  const w = tf.variable(tf.tensor4d(d.w, d.wShape));
  const dy = tf.tensor4d(d.dy, d.dyShape);
  const before = tf.memory().numTensors;
  const { value, grads } = tf.variableGrads(
    () => tf.sum(tf.mul(conv2d(x, w, cs.strides, cs.pad, { inputGrad: false }), dy)) as tf.Scalar,
    [w],
  );
  assert.deepEqual(Object.keys(grads), [w.name]);
  assert.ok(relativeError(grads[w.name].dataSync(), ref.dw) < TOL);
  tf.dispose([value, grads[w.name]]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(
    () => tf.grad((xi: tf.Tensor) => tf.sum(conv2d(xi as tf.Tensor4D, w, 1, 1, { inputGrad: false })))(x),
    /Cannot compute gradient/,
  );
  tf.dispose([x, w, dy]);
});

test('registerConv2dGradient: plain tf.conv2d trains on wasm; cpu keeps tfjs gradient; unregister restores it', async () => {
  const stock = tf.getGradient(tf.Conv2D);
  const subset = [FIXED[0], FIXED[3], FIXED[4], FIXED[6], FIXED[8], FIXED[13]];
  const data = subset.map((cs, i) => makeData(cs, 900 + 10 * i));
  registerConv2dGradient();
  try {
    assert.deepEqual(conv2dGradientBackends(), ['wasm']);
    registerConv2dGradient(); // idempotent
    assert.notEqual(tf.getGradient(tf.Conv2D), stock);
    for (const backend of ['cpu', 'wasm'] as const) {
      assert.equal(await initTensorflow(backend), backend);
      const before = tf.memory().numTensors;
      subset.forEach((cs, i) => {
        const d = data[i];
        const ref = conv2dGradRef(d.x, d.w, d.dy, convGeometry(d.xShape, d.wShape, cs.strides, cs.pad));
        const [dx, dw] = tf.tidy(() => {
          const x = tf.tensor4d(d.x, d.xShape);
          const w = tf.tensor4d(d.w, d.wShape);
          const dy = tf.tensor4d(d.dy, d.dyShape);
          const f = (xi: tf.Tensor, wi: tf.Tensor) =>
            tf.sum(
              tf.mul(tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, cs.strides, explicitPad(cs.pad)), dy),
            );
          return tf
            .grads(f)([x, w])
            .map((t) => t.dataSync());
        });
        assert.ok(relativeError(dx, ref.dx) < TOL, `${backend} ${label(cs)} dx`);
        assert.ok(relativeError(dw, ref.dw) < TOL, `${backend} ${label(cs)} dw`);
      });
      assert.equal(tf.memory().numTensors, before);
      // Which kernels the backward pass ran: tfjs's backprop kernels on cpu, forward convolutions on wasm.
      const profile = await tf.profile(() => {
        const x = tf.zeros([2, 6, 6, 3]) as tf.Tensor4D;
        const w = tf.zeros([3, 3, 3, 4]) as tf.Tensor4D;
        tf.dispose([
          x,
          w,
          ...tf.grads((xi: tf.Tensor, wi: tf.Tensor) =>
            tf.conv2d(xi as tf.Tensor4D, wi as tf.Tensor4D, 2, 'same'),
          )([x, w]),
        ]);
      });
      const backprop = profile.kernelNames.filter((k) => k.startsWith('Conv2DBackprop')).sort();
      assert.deepEqual(backprop, backend === 'cpu' ? ['Conv2DBackpropFilter', 'Conv2DBackpropInput'] : []);
    }
  } finally {
    unregisterConv2dGradient();
  }
  assert.equal(tf.getGradient(tf.Conv2D), stock);
  assert.deepEqual(conv2dGradientBackends(), []);
});

test('conv2d: shape errors are reported clearly', async () => {
  assert.equal(await initTensorflow('wasm'), 'wasm');
  const x = tf.zeros([1, 4, 4, 3]) as tf.Tensor4D;
  const w = tf.zeros([3, 3, 2, 5]) as tf.Tensor4D;
  assert.throws(() => conv2d(x, w, 1, 1), /x has 3 channels but the filter expects 2/);
  const dy = tf.zeros([1, 3, 3, 5]) as tf.Tensor4D;
  const w3 = tf.zeros([3, 3, 3, 5]) as tf.Tensor4D;
  assert.throws(
    () => conv2dInputGrad(dy, w3, x.shape, 1, 1),
    /dy has shape \[1,3,3,5\], expected \[1,4,4,5\]/,
  );
  tf.dispose([x, w, dy, w3]);
});
