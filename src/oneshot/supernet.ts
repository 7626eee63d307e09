/**
 * The NB201 weight-sharing supernet (SPEC §4), as a pure function of its weights: every (stage, cell, edge) holds one
 * weight per convolution op, shared by every architecture that uses it; a sampled architecture runs only the ops of
 * its live edges. NHWC tensors; PyTorch-style explicit padding (not TF 'same', which pads stride-2 convs
 * asymmetrically).
 *
 * Macro: stem conv3x3 (3→C) + BN(affine); 3 stages of N cells (C, 2C, 4C) separated by ResNet reduction blocks
 * (ReLU-conv3x3 s2-BN, ReLU-conv3x3-BN; shortcut avgpool 2x2 s2 + conv1x1; sum); head BN(affine) → ReLU → global
 * average pool → dropout → linear. Cell ops: none = nothing; skip = identity; nor_conv_kxk = ReLU → conv → BN
 * (affine=False); avg_pool_3x3 = stride 1, pad 1, padding excluded from the count. The pools are the engine's
 * (engine/avg-pool.ts), not bare `tf.avgPool`, whose gradient of the 3×3 'same' pool counts the padding (wrong on
 * the border) and cannot be differentiated again; the engine's pools are exact to any order.
 * Node i = sum of its live incoming edges. BN always uses the batch statistics (train mode, also when deriving).
 */
import * as tf from '@tensorflow/tfjs';
import { EDGES, NUM_EDGES, type Arch } from '../space/arch.js';
import { AVG_POOL, CONV1X1, CONV3X3, SKIP } from '../space/ops.js';
import { reachability } from '../space/reachability.js';
import { cellOpParam, type SupernetConfig } from './supernet-params.js';
import { avgPool2x2, avgPool3x3, batchNormTrain, conv2d as engineConv2d } from '../engine/index.js';

/** The two kernels a backend may replace (e.g. with faster gradients on wasm). */
export interface SupernetKernels {
  /**
   * Convolution with stride 1 or 2 and symmetric zero padding `pad`. `inputGrad` is false only for the stem, whose
   * input is the images: a kernel may then skip the input gradient.
   */
  conv2d(x: tf.Tensor4D, w: tf.Tensor4D, stride: number, pad: number, inputGrad?: boolean): tf.Tensor4D;
  /** Batch normalisation with the batch's statistics over N, H, W; affine when gamma and beta are given. */
  batchNorm(x: tf.Tensor4D, gamma?: tf.Tensor1D, beta?: tf.Tensor1D): tf.Tensor4D;
}

export const BN_EPSILON = 1e-5;

/** The stock tfjs kernels (autodiff through tfjs's own gradients; no filter gradient on wasm). */
export const STOCK_KERNELS: SupernetKernels = {
  conv2d: (x, w, stride, pad) =>
    tf.conv2d(
      x,
      w,
      stride,
      pad === 0
        ? 'valid'
        : [
            [0, 0],
            [pad, pad],
            [pad, pad],
            [0, 0],
          ],
    ),
  batchNorm: (x, gamma, beta) => {
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    const y = tf.div(tf.sub(x, mean), tf.sqrt(tf.add(variance, BN_EPSILON))) as tf.Tensor4D;
    return gamma && beta ? (tf.add(tf.mul(y, gamma), beta) as tf.Tensor4D) : y;
  },
};

/**
 * The engine's kernels (the default): convolution gradients as forward convolutions and a closed-form BatchNorm
 * gradient, exact on every backend and what makes training possible (and 2–3× faster than stock) on wasm.
 */
export const ENGINE_KERNELS: SupernetKernels = {
  conv2d: (x, w, stride, pad, inputGrad = true) => engineConv2d(x, w, stride, pad, { inputGrad }),
  batchNorm: (x, gamma, beta) => batchNormTrain(x, gamma, beta, BN_EPSILON).y,
};

export interface ForwardOptions {
  /** Training: dropout on. Deriving: dropout off. BN uses batch statistics either way. */
  training: boolean;
  /** Default {@link ENGINE_KERNELS}. */
  kernels?: SupernetKernels;
  /** Seed of the dropout mask (training only). */
  dropoutSeed?: number;
  /** Called with the input of every ReLU, in forward order (zero-shot taps, e.g. NASWOT's activation codes). */
  onReluInput?: (x: tf.Tensor4D) => void;
}

type Params = ReadonlyMap<string, tf.Tensor>;

function param<T extends tf.Tensor>(params: Params, name: string): T {
  const t = params.get(name);
  if (!t) throw new Error(`supernet: missing weight '${name}'`);
  return t as T;
}

/** Names of the weights an architecture uses (the macro weights and the convolutions on its live edges). */
export function usedParamNames(arch: Arch, config: SupernetConfig, allNames: Iterable<string>): string[] {
  const { live } = reachability(arch);
  const cellOps = new Set<string>();
  for (let stage = 0; stage < 3; stage++)
    for (let cell = 0; cell < config.cellsPerStage; cell++)
      for (let e = 0; e < NUM_EDGES; e++)
        if (live[e] && (arch[e] === CONV1X1 || arch[e] === CONV3X3))
          cellOps.add(cellOpParam(stage, cell, e, arch[e]));
  return [...allNames].filter((n) => !/^s\d+\.c\d+\.e\d+\.op\d+$/.test(n) || cellOps.has(n));
}

/** Logits [B, classes] of architecture `arch` for images `x` [B, H, W, 3]. Call inside tf.tidy or a gradient. */
export function supernetForward(
  params: Params,
  config: SupernetConfig,
  arch: Arch,
  x: tf.Tensor4D,
  options: ForwardOptions,
): tf.Tensor2D {
  const k = options.kernels ?? ENGINE_KERNELS;
  const { live } = reachability(arch);
  const tap = options.onReluInput;
  const relu = (t: tf.Tensor4D) => {
    tap?.(t);
    return tf.relu(t);
  };
  const bnAffine = (h: tf.Tensor4D, name: string) =>
    k.batchNorm(h, param<tf.Tensor1D>(params, `${name}.gamma`), param<tf.Tensor1D>(params, `${name}.beta`));

  let h = bnAffine(k.conv2d(x, param(params, 'stem.conv'), 1, 1, false), 'stem.bn');
  for (let stage = 0; stage < 3; stage++) {
    if (stage > 0) {
      const r = `r${stage}`;
      const a = bnAffine(k.conv2d(relu(h), param(params, `${r}.conv_a`), 2, 1), `${r}.bn_a`);
      const b = bnAffine(k.conv2d(relu(a), param(params, `${r}.conv_b`), 1, 1), `${r}.bn_b`);
      const shortcut = k.conv2d(avgPool2x2(h), param(params, `${r}.shortcut`), 1, 0);
      h = tf.add(b, shortcut);
    }
    for (let cell = 0; cell < config.cellsPerStage; cell++) {
      h = cellForward(
        h,
        (e, input) => {
          const op = arch[e];
          if (op === SKIP) return input;
          if (op === AVG_POOL) return avgPool3x3(input);
          const w = param<tf.Tensor4D>(params, cellOpParam(stage, cell, e, op));
          return k.batchNorm(k.conv2d(relu(input), w, 1, op === CONV3X3 ? 1 : 0));
        },
        live,
      );
    }
  }
  h = relu(bnAffine(h, 'head.bn'));
  let pooled = tf.mean(h, [1, 2]) as tf.Tensor2D;
  if (options.training && config.dropout > 0) {
    pooled = tf.dropout(pooled, config.dropout, undefined, options.dropoutSeed) as tf.Tensor2D;
  }
  return tf.add(tf.matMul(pooled, param<tf.Tensor2D>(params, 'classifier.w')), param(params, 'classifier.b'));
}

/**
 * One cell: node 0 is the input; node i sums `op(e, node j)` over its live incoming edges e = j→i. A cell whose output
 * node has no live input (it cannot reach the output) outputs zeros.
 */
export function cellForward(
  input: tf.Tensor4D,
  op: (edge: number, x: tf.Tensor4D) => tf.Tensor4D,
  live: readonly boolean[],
): tf.Tensor4D {
  const nodes: (tf.Tensor4D | null)[] = [input, null, null, null];
  for (let to = 1; to <= 3; to++) {
    const terms: tf.Tensor4D[] = [];
    for (let e = 0; e < NUM_EDGES; e++) {
      const [from, t] = EDGES[e];
      if (t === to && live[e]) terms.push(op(e, nodes[from]!));
    }
    nodes[to] = terms.length === 0 ? null : terms.length === 1 ? terms[0] : (tf.addN(terms) as tf.Tensor4D);
  }
  return nodes[3] ?? tf.zerosLike(input);
}
