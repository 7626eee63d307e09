/**
 * The zero-shot proxies of one architecture (see proxies.ts): the untrained supernet's weights for the
 * architecture's ops (one seeded initialisation shared by all architectures, as a weight-sharing evaluator at
 * step 0), one batch of images, BN in train mode, dropout off. Passes, each run only when a requested proxy needs
 * it:
 * 1. cross-entropy forward + backward: grad_norm, snip, plain; fisher from the gradients of per-image, per-unit
 *    scales m = 1 on every convolution output and on the logits (∂L/∂m = Σ_hw a·∂L/∂a); relu_logdet from the
 *    forward's ReLU inputs (every ReLU of the network, see activation-codes.ts);
 * 2. grasp: the exact Hessian-vector product H·g by a second differentiation (libtorch's autograd, or on tfjs
 *    engine/second-order.ts), as zero-cost-nas computes it with autograd's `create_graph`;
 * 3. jacob_cov: gradient of Σ logits with respect to the images;
 * 4. synflow: |W| for every parameter, BN removed, one all-ones image. The network is then linear and positive, so
 *    the input is scaled by 2⁻⁶³ and the output gradient by 2⁻⁶³ and the result multiplied back by 2¹²⁶ (exact
 *    powers of two): float32 keeps every intermediate in range where the plain computation overflows for deep cells.
 *
 * Written once against the engine interface: the same code runs on torch and on tfjs (wasm, cpu, webgpu).
 */
import type * as tf from '../engine/tfjs.js';
import type { Engine } from '../engine/engine.js';
import { defaultEngine } from '../engine/default-engine.js';
import type { SupernetConfig } from '../oneshot/supernet-params.js';
import { supernetForward, usedParamNames } from '../oneshot/supernet.js';
import type { Arch } from '../space/arch.js';
import { addActivationAgreement } from './activation-codes.js';
import { jacobCovScore, logAbsDet } from './linalg.js';
import { PROXY_SIGN, type ZeroShotProxy } from './proxies.js';
import { hvpMemoryProblem } from './second-order.js';

/** Weights in the proxies' sense: convolution filters and the classifier matrix. */
export function isWeightParam(name: string): boolean {
  return !name.endsWith('.gamma') && !name.endsWith('.beta') && name !== 'classifier.b';
}

export interface ZeroShotInput<T = tf.Tensor> {
  /** The untrained supernet (weights by parameter name). */
  params: ReadonlyMap<string, T>;
  config: SupernetConfig;
  /** Images [B, H, W, 3] and their labels. */
  x: T;
  labels: Int32Array;
}

const SYNFLOW_INPUT_SCALE = 2 ** -63;
const SYNFLOW_OUTPUT_SCALE = 2 ** -63;

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

/** Fan-in of a weight of canonical shape [kh, kw, cin, cout] or [in, out]. */
function fanInOf(shape: readonly number[]): number {
  return shape.length === 4 ? shape[0] * shape[1] * shape[2] : shape[0];
}

/** Scores of `arch` for each requested proxy, on `engine` (default: tfjs). */
export function scoreArchitecture(
  input: ZeroShotInput<tf.Tensor>,
  arch: Arch,
  proxies: readonly ZeroShotProxy[],
  engine?: Engine<tf.Tensor>,
): Partial<Record<ZeroShotProxy, number>>;
export function scoreArchitecture<T>(
  input: ZeroShotInput<T>,
  arch: Arch,
  proxies: readonly ZeroShotProxy[],
  engine: Engine<T>,
): Partial<Record<ZeroShotProxy, number>>;
export function scoreArchitecture<T>(
  input: ZeroShotInput<T>,
  arch: Arch,
  proxies: readonly ZeroShotProxy[],
  engine: Engine<T> = defaultEngine<T>(),
): Partial<Record<ZeroShotProxy, number>> {
  const e = engine;
  const want = new Set(proxies);
  const out: Partial<Record<ZeroShotProxy, number>> = {};
  const { params, config, x, labels } = input;
  const names = usedParamNames(arch, config, params.keys());
  const weightNames = names.filter(isWeightParam);
  const weights: T[] = weightNames.map((n) => params.get(n)!);
  const b = e.batchSize(x);
  if (labels.length !== b) throw new Error(`scoreArchitecture: ${b} images but ${labels.length} labels`);
  if (want.has('grasp')) {
    // Past the budget wasm aborts the whole process; an error is better.
    const problem = hvpMemoryProblem(e.name, b, config.channels, config.cellsPerStage);
    if (problem) throw new Error(`scoreArchitecture: ${problem}`);
  }
  /** The supernet's parameters with `ws` in place of the weights. */
  const withWeights = (ws: readonly T[], base: ReadonlyMap<string, T> = params) => {
    const p = new Map(base);
    weightNames.forEach((n, i) => p.set(n, ws[i]));
    return p;
  };

  const lossPass = ['grad_norm', 'snip', 'plain', 'fisher', 'relu_logdet', 'grasp'].some((p) =>
    want.has(p as ZeroShotProxy),
  );
  if (lossPass) {
    const fisher = want.has('fisher');
    // zero-cost-nas's fisher: per layer output a and unit c, ½·mean over images of (Σ_hw a·∂L/∂a)², spread over
    // the layer's weight.shape[1:] (so weighted by its fan-in), for every convolution and the linear classifier.
    // Σ_hw a·∂L/∂a is the gradient of a per-image, per-unit scale m = 1 on a: one scale per weight (each weight is
    // one layer), plus one on the logits.
    const convNames = fisher ? weightNames.filter((n) => e.canonicalShape(params.get(n)!).length === 4) : [];
    const classifierShape = e.canonicalShape(params.get('classifier.w')!);
    const unitsOf = (n: string) => e.canonicalShape(params.get(n)!)[3];
    const masks = fisher
      ? [...convNames.map(unitsOf), classifierShape[1]].map((u) =>
          e.tensor(new Float32Array(b * u).fill(1), [b, u]),
        )
      : [];
    const gram = want.has('relu_logdet') ? new Float64Array(b * b) : null;
    const lossOf = (xs: T[]) => {
      const ws = xs.slice(0, weights.length);
      const ms = xs.slice(weights.length);
      const p = withWeights(ws);
      const maskOf = new Map<T, T>(convNames.map((n, i) => [p.get(n)!, ms[i]]));
      const logits = supernetForward(p, config, arch, x, {
        training: false,
        engine: e,
        // The agreement of two images' binary codes does not depend on the order of units within an image.
        onReluInput: gram ? (t) => addActivationAgreement(gram, e.readPerImage(t), b) : undefined,
        onConvOutput: fisher ? (z, w) => e.scaleUnits(z, maskOf.get(w)!) : undefined,
      });
      return e.crossEntropy(fisher ? e.scaleUnits(logits, ms[ms.length - 1]) : logits, labels);
    };
    // grasp's H·g from the same pass where the engine can (torch), else from a second pass below.
    const onePass = want.has('grasp') && e.gradAndHessianGrad !== undefined;
    const { grads, hessianGrad } = onePass
      ? e.gradAndHessianGrad!(lossOf, [...weights, ...masks], weights.length)
      : { ...e.gradOf(lossOf, [...weights, ...masks]), hessianGrad: undefined };
    try {
      let gradNorm = 0;
      let snip = 0;
      let plain = 0;
      // A weight the loss does not depend on (before a cell whose output is unreachable) has no gradient.
      weights.forEach((w, i) => {
        const g = grads[i];
        if (!g) return;
        gradNorm += e.norm(g);
        snip += e.sumAbsProduct(g, w);
        plain += e.dot(g, w);
      });
      if (want.has('grad_norm')) out.grad_norm = gradNorm;
      if (want.has('snip')) out.snip = snip;
      if (want.has('plain')) out.plain = PROXY_SIGN.plain * plain;
      if (fisher) {
        let f = 0;
        convNames.forEach((n, i) => {
          const g = grads[weights.length + i];
          if (g) f += fisherLayerTerm(e.read(g), b, fanInOf(e.canonicalShape(params.get(n)!)));
        });
        const gc = grads[grads.length - 1];
        if (gc) f += fisherLayerTerm(e.read(gc), b, classifierShape[0]);
        out.fisher = f;
      }
      if (gram) out.relu_logdet = logAbsDet(gram, b);
      if (hessianGrad) {
        let score = 0;
        weights.forEach((w, i) => {
          const hg = hessianGrad[i];
          if (hg) score -= e.dot(w, hg);
        });
        out.grasp = score;
      } else if (want.has('grasp')) {
        // Over the weights with a gradient; the others stay as they are.
        const live = weights.flatMap((w, i) => (grads[i] ? [i] : []));
        out.grasp = graspScore(
          e,
          live.map((i) => weights[i]),
          live.map((i) => grads[i]!),
          (e2, ws) => {
            const all = [...weights];
            live.forEach((i, k) => (all[i] = ws[k]));
            return e2.crossEntropy(
              supernetForward(withWeights(all), config, arch, x, { training: false, engine: e2 }),
              labels,
            );
          },
        );
      }
    } finally {
      const made = [...grads, ...(hessianGrad ?? [])].filter((g): g is T => g !== undefined);
      e.dispose([...made, ...masks]);
    }
  }

  if (want.has('jacob_cov')) {
    const { grads } = e.gradOf(
      ([xi]) =>
        e.sum(supernetForward(params, config, arch, xi, { training: false, engine: e, inputGrad: true })),
      [x],
    );
    const [, hh, ww, cc] = e.imageShape(x);
    // Logits that do not depend on the images (an unreachable output) have a zero input gradient.
    const j = grads[0] ? e.read(grads[0]) : new Float32Array(b * hh * ww * cc);
    if (grads[0]) e.dispose(grads[0]);
    out.jacob_cov = jacobCovScore(j, b, j.length / b);
  }

  if (want.has('synflow')) out.synflow = synflowScore(e, input, arch, weightNames);
  return out;
}

/**
 * grasp = −Σ W ⊙ (H·g), g = ∇L (given, one per weight), H the Hessian of `loss` (built with the engine it is given,
 * see {@link Engine.hessianVectorProduct}).
 */
export function graspScore<T>(
  e: Engine<T>,
  weights: readonly T[],
  grads: readonly T[],
  loss: (e: Engine<T>, weights: T[]) => T,
): number {
  if (weights.length === 0) return 0;
  const hg = e.hessianVectorProduct(loss, weights, grads);
  let score = 0;
  weights.forEach((w, i) => (score -= e.dot(w, hg[i])));
  e.dispose(hg);
  return score;
}

/** Σ |W ⊙ ∂R/∂W| over the weights, |W| everywhere, BN removed, one all-ones image; see the module comment. */
function synflowScore<T>(
  e: Engine<T>,
  input: ZeroShotInput<T>,
  arch: Arch,
  weightNames: readonly string[],
): number {
  const { params, config, x } = input;
  const [, h, w, c] = e.imageShape(x);
  return e.scope(() => {
    const abs = new Map<string, T>([...params].map(([n, v]) => [n, e.abs(v)]));
    const absWeights = weightNames.map((n) => abs.get(n)!);
    const noBn: Engine<T> = { ...e, batchNorm: (t) => t };
    const ones = e.fillImages([1, h, w, c], SYNFLOW_INPUT_SCALE);
    const { grads } = e.gradOf((ws) => {
      const p = new Map(abs);
      weightNames.forEach((n, i) => p.set(n, ws[i]));
      const logits = supernetForward(p, config, arch, ones, { training: false, engine: noBn });
      return e.mulScalar(e.sum(logits), SYNFLOW_OUTPUT_SCALE);
    }, absWeights);
    let s = 0;
    absWeights.forEach((a, i) => {
      const g = grads[i];
      if (g) s += e.sumAbsProduct(a, g);
    });
    return s / (SYNFLOW_INPUT_SCALE * SYNFLOW_OUTPUT_SCALE);
  });
}
