/**
 * The NB201 weight-sharing supernet (method §4), as a pure function of its weights: every (stage, cell, edge) holds one
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
import type * as tf from '../engine/tfjs.js';
import { EDGES, NUM_EDGES, type Arch } from '../space/arch.js';
import { AVG_POOL, CONV1X1, CONV3X3, SKIP } from '../space/ops.js';
import { reachability } from '../space/reachability.js';
import { cellOpParam, type SupernetConfig } from './supernet-params.js';
import type { Engine } from '../engine/engine.js';
import type { SupernetKernels } from '../engine/tfjs-kernels.js';
import { defaultEngine } from '../engine/default-engine.js';

export { BN_EPSILON } from '../engine/engine.js';
export type { SupernetKernels } from '../engine/tfjs-kernels.js';

export interface ForwardOptions<T = tf.Tensor> {
  /** Training: dropout on. Deriving: dropout off. BN uses batch statistics either way. */
  training: boolean;
  /** The engine that runs the ops; default: tfjs with {@link kernels}. */
  engine?: Engine<T>;
  /** Kernels of the default tfjs engine; default: the engine's own (ENGINE_KERNELS). Ignored when `engine` is given. */
  kernels?: SupernetKernels;
  /** Seed of the dropout mask (training only). */
  dropoutSeed?: number;
  /** Called with the input of every ReLU, in forward order (zero-shot taps, e.g. NASWOT's activation codes). */
  onReluInput?: (x: T) => void;
  /** Called with every convolution's output and weight; its result replaces the output (zero-shot probes). */
  onConvOutput?: (z: T, w: T) => T;
  /** Differentiate the stem with respect to the images too (jacob_cov); default false. */
  inputGrad?: boolean;
}

function param<T>(params: ReadonlyMap<string, T>, name: string): T {
  const t = params.get(name);
  if (!t) throw new Error(`supernet: missing weight '${name}'`);
  return t;
}

/** The engine of `options`: the one given, else tfjs with the options' kernels. */
export function forwardEngine<T>(options: Pick<ForwardOptions<T>, 'engine' | 'kernels'>): Engine<T> {
  return options.engine ?? defaultEngine<T>(options.kernels);
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

/** Logits [B, classes] of architecture `arch` for images `x` [B, H, W, 3]. Call inside a scope or a gradient. */
export function supernetForward(
  params: ReadonlyMap<string, tf.Tensor>,
  config: SupernetConfig,
  arch: Arch,
  x: tf.Tensor,
  options: ForwardOptions<tf.Tensor>,
): tf.Tensor2D;
export function supernetForward<T>(
  params: ReadonlyMap<string, T>,
  config: SupernetConfig,
  arch: Arch,
  x: T,
  options: ForwardOptions<T>,
): T;
export function supernetForward<T>(
  params: ReadonlyMap<string, T>,
  config: SupernetConfig,
  arch: Arch,
  x: T,
  options: ForwardOptions<T>,
): T {
  const k = forwardEngine(options);
  const { live } = reachability(arch);
  const tap = options.onReluInput;
  const relu = (t: T) => {
    tap?.(t);
    return k.relu(t);
  };
  const bnAffine = (h: T, name: string) =>
    k.batchNorm(h, param(params, `${name}.gamma`), param(params, `${name}.beta`));
  const probe = options.onConvOutput;
  const conv = (input: T, w: T, stride: number, pad: number, inputGrad = true) => {
    const z = k.conv2d(input, w, stride, pad, inputGrad);
    return probe ? probe(z, w) : z;
  };

  let h = bnAffine(conv(x, param(params, 'stem.conv'), 1, 1, options.inputGrad ?? false), 'stem.bn');
  for (let stage = 0; stage < 3; stage++) {
    if (stage > 0) {
      const r = `r${stage}`;
      const a = bnAffine(conv(relu(h), param(params, `${r}.conv_a`), 2, 1), `${r}.bn_a`);
      const b = bnAffine(conv(relu(a), param(params, `${r}.conv_b`), 1, 1), `${r}.bn_b`);
      const shortcut = conv(k.avgPool2x2(h), param(params, `${r}.shortcut`), 1, 0);
      h = k.add(b, shortcut);
    }
    for (let cell = 0; cell < config.cellsPerStage; cell++) {
      h = cellForward(
        k,
        h,
        (e, input) => {
          const op = arch[e];
          if (op === SKIP) return input;
          if (op === AVG_POOL) return k.avgPool3x3(input);
          const w = param(params, cellOpParam(stage, cell, e, op));
          return k.batchNorm(conv(relu(input), w, 1, op === CONV3X3 ? 1 : 0));
        },
        live,
      );
    }
  }
  h = relu(bnAffine(h, 'head.bn'));
  let pooled = k.globalMean(h);
  if (options.training && config.dropout > 0) {
    pooled = k.dropout(pooled, config.dropout, options.dropoutSeed);
  }
  return k.linear(pooled, param(params, 'classifier.w'), param(params, 'classifier.b'));
}

/**
 * One cell: node 0 is the input; node i sums `op(e, node j)` over its live incoming edges e = j→i. A cell whose output
 * node has no live input (it cannot reach the output) outputs zeros.
 */
export function cellForward<T>(
  k: Engine<T>,
  input: T,
  op: (edge: number, x: T) => T,
  live: readonly boolean[],
): T {
  const nodes: (T | null)[] = [input, null, null, null];
  for (let to = 1; to <= 3; to++) {
    const terms: T[] = [];
    for (let e = 0; e < NUM_EDGES; e++) {
      const [from, t] = EDGES[e];
      if (t === to && live[e]) terms.push(op(e, nodes[from]!));
    }
    nodes[to] = terms.length === 0 ? null : terms.length === 1 ? terms[0] : k.addN(terms);
  }
  return nodes[3] ?? k.zerosLike(input);
}
