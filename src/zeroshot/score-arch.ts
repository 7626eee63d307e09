/**
 * The zero-shot proxies of one architecture (see proxies.ts): the untrained supernet's weights for the
 * architecture's ops (one seeded initialisation shared by all architectures, as a weight-sharing evaluator at
 * step 0), one batch of images, BN in train mode, dropout off. Passes, each run only when a requested proxy needs
 * it:
 * 1. cross-entropy forward + backward: grad_norm, snip, plain; fisher through identity probes on every
 *    convolution output and on the logits (the classifier's output), whose gradient functions record
 *    Σ_hw a·∂L/∂a; relu_logdet from the forward's ReLU inputs (every ReLU of the network, see
 *    activation-codes.ts);
 * 2. grasp: the exact Hessian-vector product H·g by a second differentiation (second-order.ts), as zero-cost-nas
 *    computes it with autograd's `create_graph`;
 * 3. jacob_cov: gradient of Σ logits with respect to the images;
 * 4. synflow: |W| for every parameter, BN removed, one all-ones image. The network is then linear and positive, so
 *    the input is scaled by 2⁻⁶³ and the output gradient by 2⁻⁶³ and the result multiplied back by 2¹²⁶ (exact
 *    powers of two): float32 keeps every intermediate in range where the plain computation overflows for deep cells.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2d as engineConv2d } from '../engine/conv.js';
import { customOp } from '../engine/custom-op.js';
import type { SupernetConfig } from '../oneshot/supernet-params.js';
import {
  ENGINE_KERNELS,
  supernetForward,
  usedParamNames,
  type SupernetKernels,
} from '../oneshot/supernet.js';
import type { Arch } from '../space/arch.js';
import { addActivationAgreement } from './activation-codes.js';
import { jacobCovScore, logAbsDet } from './linalg.js';
import { PROXY_SIGN, type ZeroShotProxy } from './proxies.js';
import {
  crossEntropyTwice,
  hessianVectorProduct,
  hvpMemoryProblem,
  SECOND_ORDER_KERNELS,
} from './second-order.js';

/** Weights in the proxies' sense: convolution filters and the classifier matrix. */
export function isWeightParam(name: string): boolean {
  return !name.endsWith('.gamma') && !name.endsWith('.beta') && name !== 'classifier.b';
}

export interface ZeroShotInput {
  /** The untrained supernet (weights by parameter name). */
  params: ReadonlyMap<string, tf.Variable>;
  config: SupernetConfig;
  /** Images [B, H, W, 3] and their labels. */
  x: tf.Tensor4D;
  labels: Int32Array;
}

const SYNFLOW_INPUT_SCALE = 2 ** -63;
const SYNFLOW_OUTPUT_SCALE = 2 ** -63;

/** Convolutions that also differentiate the stem with respect to the images (jacob_cov). */
const INPUT_GRAD_KERNELS: SupernetKernels = {
  conv2d: (x, w, stride, pad) => engineConv2d(x, w, stride, pad),
  batchNorm: ENGINE_KERNELS.batchNorm,
};

/** BN removed (synflow). */
const NO_BN_KERNELS: SupernetKernels = {
  conv2d: ENGINE_KERNELS.conv2d,
  batchNorm: (x) => x,
};

function sumAbs(t: tf.Tensor): number {
  return tf.tidy(() => tf.sum(tf.abs(t)).dataSync()[0]);
}

/**
 * One layer's fisher term: `products[n·U + u]` = Σ_hw a·∂L/∂a of image n and output unit u (channel, or classifier
 * output); Σ_u fanIn · ½ · mean_n products². zero-cost-nas spreads each unit's value over the unit's
 * weight.shape[1:] before summing, which is the factor fanIn (cin·kh·kw, or in_features).
 */
export function fisherLayerTerm(products: ArrayLike<number>, batch: number, fanIn: number): number {
  let s = 0;
  for (let i = 0; i < products.length; i++) s += products[i] * products[i];
  return (0.5 * fanIn * s) / batch;
}

/** Scores of `arch` for each requested proxy. */
export function scoreArchitecture(
  input: ZeroShotInput,
  arch: Arch,
  proxies: readonly ZeroShotProxy[],
): Partial<Record<ZeroShotProxy, number>> {
  const want = new Set(proxies);
  const out: Partial<Record<ZeroShotProxy, number>> = {};
  const { params, config, x, labels } = input;
  const names = usedParamNames(arch, config, params.keys());
  const weightNames = names.filter(isWeightParam);
  const b = x.shape[0];
  if (labels.length !== b) throw new Error(`scoreArchitecture: ${b} images but ${labels.length} labels`);
  if (want.has('grasp')) {
    // Past the budget wasm aborts the whole process; an error is better.
    const problem = hvpMemoryProblem(tf.getBackend(), b, config.channels, config.cellsPerStage);
    if (problem) throw new Error(`scoreArchitecture: ${problem}`);
  }

  const lossPass = ['grad_norm', 'snip', 'plain', 'fisher', 'relu_logdet', 'grasp'].some((p) =>
    want.has(p as ZeroShotProxy),
  );
  if (lossPass) {
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), config.classes));
    let fisher = 0;
    // zero-cost-nas's fisher: per layer output a and unit c, ½·mean over images of (Σ_hw a·∂L/∂a)², spread over
    // the layer's weight.shape[1:] (so weighted by its fan-in), for every convolution and the linear classifier.
    const probe = (fanIn: number) =>
      customOp(([y], save) => {
        save([y]);
        return {
          value: tf.clone(y),
          gradFunc: (dy, [sy]) => {
            const v = tf.tidy(() =>
              (sy.rank === 4 ? tf.sum(tf.mul(sy, dy), [1, 2]) : tf.mul(sy, dy)).dataSync(),
            );
            fisher += fisherLayerTerm(v, b, fanIn);
            return [dy];
          },
        };
      });
    const kernels: SupernetKernels = want.has('fisher')
      ? {
          conv2d: (xi, w, stride, pad, inputGrad) =>
            probe(w.shape[0] * w.shape[1] * w.shape[2])(
              ENGINE_KERNELS.conv2d(xi, w, stride, pad, inputGrad),
            ) as tf.Tensor4D,
          batchNorm: ENGINE_KERNELS.batchNorm,
        }
      : ENGINE_KERNELS;
    const classifierFanIn = params.get('classifier.w')!.shape[0];
    const gram = want.has('relu_logdet') ? new Float64Array(b * b) : null;
    const onReluInput = gram ? (t: tf.Tensor) => addActivationAgreement(gram, t.dataSync(), b) : undefined;
    const weightVars = weightNames.map((n) => params.get(n)!);
    const lossGrads = (kern: SupernetKernels, tap?: (t: tf.Tensor) => void) =>
      tf.variableGrads(() => {
        const logits = supernetForward(params, config, arch, x, {
          training: false,
          kernels: kern,
          onReluInput: tap,
        });
        const out = want.has('fisher') ? (probe(classifierFanIn)(logits) as tf.Tensor2D) : logits;
        return tf.losses.softmaxCrossEntropy(ys, out) as tf.Scalar;
      }, weightVars);
    const { value, grads } = lossGrads(kernels, onReluInput);
    value.dispose();
    try {
      let gradNorm = 0;
      let snip = 0;
      let plain = 0;
      for (const n of weightNames) {
        const v = params.get(n)!;
        const g = grads[v.name];
        if (!g) continue;
        const [norm, s, p] = tf.tidy(() => {
          const gw = tf.mul(g, v);
          return [tf.norm(g).dataSync()[0], tf.sum(tf.abs(gw)).dataSync()[0], tf.sum(gw).dataSync()[0]];
        });
        gradNorm += norm;
        snip += s;
        plain += p;
      }
      if (want.has('grad_norm')) out.grad_norm = gradNorm;
      if (want.has('snip')) out.snip = snip;
      if (want.has('plain')) out.plain = PROXY_SIGN.plain * plain;
      if (want.has('fisher')) out.fisher = fisher;
      if (gram) out.relu_logdet = logAbsDet(gram, b);
      if (want.has('grasp')) {
        out.grasp = graspScore(weightVars, grads, (ws) => {
          const p = new Map<string, tf.Tensor>(params);
          weightNames.forEach((n, i) => p.set(n, ws[i]));
          const logits = supernetForward(p, config, arch, x, {
            training: false,
            kernels: SECOND_ORDER_KERNELS,
          });
          return crossEntropyTwice(logits, ys as tf.Tensor2D);
        });
      }
    } finally {
      tf.dispose(Object.values(grads));
      ys.dispose();
    }
  }

  if (want.has('jacob_cov')) {
    const j = tf.tidy(() => {
      const g = tf.grad((xi: tf.Tensor) =>
        tf.sum(
          supernetForward(params, config, arch, xi as tf.Tensor4D, {
            training: false,
            kernels: INPUT_GRAD_KERNELS,
          }),
        ),
      )(x);
      return g.dataSync();
    });
    out.jacob_cov = jacobCovScore(j, b, j.length / b);
  }

  if (want.has('synflow')) out.synflow = synflowScore(input, arch, names);
  return out;
}

/**
 * grasp = −Σ W ⊙ (H·g), g = ∇L (given), H the Hessian of `loss` (which must be twice differentiable, see
 * second-order.ts), over the weights that have a gradient.
 */
export function graspScore(
  weightVars: readonly tf.Variable[],
  grads: tf.NamedTensorMap,
  loss: (weights: tf.Tensor[]) => tf.Scalar,
): number {
  const live = weightVars.filter((v) => grads[v.name]);
  if (live.length === 0) return 0;
  return tf.tidy(() => {
    const hg = hessianVectorProduct(
      (ws) => {
        // `loss` takes every weight; the ones without a gradient stay as they are.
        const all = weightVars.map((v) => {
          const k = live.indexOf(v);
          return k >= 0 ? ws[k] : v;
        });
        return loss(all);
      },
      live,
      live.map((v) => grads[v.name]),
    );
    let score = 0;
    live.forEach((v, i) => (score -= tf.sum(tf.mul(v, hg[i])).dataSync()[0]));
    return score;
  });
}

/** Σ |W ⊙ ∂R/∂W| over the weights, |W| everywhere, BN removed, one all-ones image; see the module comment. */
function synflowScore(input: ZeroShotInput, arch: Arch, names: readonly string[]): number {
  const { params, config, x } = input;
  const [, h, w, c] = x.shape;
  return tf.tidy(() => {
    const abs = new Map<string, tf.Tensor>([...params].map(([n, v]) => [n, tf.abs(v)]));
    const weights = names.filter(isWeightParam);
    const ones = tf.fill([1, h, w, c], SYNFLOW_INPUT_SCALE) as tf.Tensor4D;
    const gs = tf.grads((...ws: tf.Tensor[]) => {
      const p = new Map(abs);
      weights.forEach((n, i) => p.set(n, ws[i]));
      const logits = supernetForward(p, config, arch, ones, { training: false, kernels: NO_BN_KERNELS });
      return tf.mul(tf.sum(logits), SYNFLOW_OUTPUT_SCALE);
    })(weights.map((n) => abs.get(n)!));
    let s = 0;
    weights.forEach((n, i) => (s += sumAbs(tf.mul(abs.get(n)!, gs[i]))));
    return s / (SYNFLOW_INPUT_SCALE * SYNFLOW_OUTPUT_SCALE);
  });
}
