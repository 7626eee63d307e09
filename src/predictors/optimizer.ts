/**
 * Adam (PyTorch's defaults: β = (0.9, 0.999), ε = 1e-8, no weight decay).
 *
 * On backends whose tensors live in host memory (wasm, cpu) the update runs in plain JS on host copies of the
 * parameters: reading the gradients back and uploading new values costs two copies, against ~12 tfjs kernels
 * per variable for tf.train.adam (a third of all kernels of a GATES step). Elsewhere tf.train.adam is used.
 * Both compute θ ← θ − lr·m̂ / (√v̂ + ε) with bias-corrected moments.
 */
import * as tf from '@tensorflow/tfjs';

export const ADAM_BETA1 = 0.9;
export const ADAM_BETA2 = 0.999;
export const ADAM_EPSILON = 1e-8;

/** Backends whose tensors live in CPU memory, where reading a tensor back costs only a copy. */
export const HOST_BACKENDS: ReadonlySet<string> = new Set(['wasm', 'cpu']);

/** The Adam update of one parameter array, in place (a top-level function keeps V8's code monomorphic). */
function adamUpdate(
  theta: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  stepSize: number,
  sqrtBc2: number,
): void {
  const b1 = ADAM_BETA1;
  const b2 = ADAM_BETA2;
  const eps = ADAM_EPSILON;
  const invSqrtBc2 = 1 / sqrtBc2;
  for (let j = 0; j < theta.length; j++) {
    const gj = g[j];
    const mj = b1 * m[j] + (1 - b1) * gj;
    const vj = b2 * v[j] + (1 - b2) * gj * gj;
    m[j] = mj;
    v[j] = vj;
    theta[j] -= (stepSize * mj) / (Math.sqrt(vj) * invSqrtBc2 + eps);
  }
}

export interface StepOptimizer {
  /** One step on the loss `f`; returns the loss value when `returnCost`, else null. */
  step(f: () => tf.Scalar, returnCost: boolean): number | null;
  dispose(): void;
}

class HostAdam implements StepOptimizer {
  private t = 0;
  private readonly theta: Float32Array[];
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];

  constructor(
    private readonly variables: readonly tf.Variable[],
    private readonly learningRate: number,
  ) {
    this.theta = variables.map((x) => Float32Array.from(x.dataSync() as Float32Array));
    this.m = this.theta.map((x) => new Float32Array(x.length));
    this.v = this.theta.map((x) => new Float32Array(x.length));
  }

  step(f: () => tf.Scalar, returnCost: boolean): number | null {
    let cost: number | null = null;
    tf.tidy(() => {
      const { value, grads } = tf.variableGrads(f, this.variables as tf.Variable[]);
      this.t++;
      const bc1 = 1 - ADAM_BETA1 ** this.t;
      const bc2 = 1 - ADAM_BETA2 ** this.t;
      const stepSize = this.learningRate / bc1;
      const sqrtBc2 = Math.sqrt(bc2);
      for (let i = 0; i < this.variables.length; i++) {
        const variable = this.variables[i];
        const grad = grads[variable.name];
        if (!grad) continue;
        const g = grad.dataSync() as Float32Array;
        const theta = this.theta[i];
        adamUpdate(theta, this.m[i], this.v[i], g, stepSize, sqrtBc2);
        variable.assign(tf.tensor(theta, variable.shape, 'float32'));
      }
      if (returnCost) cost = value.dataSync()[0];
    });
    return cost;
  }

  dispose(): void {}
}

class TfAdam implements StepOptimizer {
  private readonly optimizer: tf.Optimizer;

  constructor(
    private readonly variables: readonly tf.Variable[],
    learningRate: number,
  ) {
    this.optimizer = tf.train.adam(learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  }

  step(f: () => tf.Scalar, returnCost: boolean): number | null {
    let cost: number | null = null;
    tf.tidy(() => {
      const value = this.optimizer.minimize(f, returnCost, this.variables as tf.Variable[]);
      if (value) cost = value.dataSync()[0];
    });
    return cost;
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Adam over `variables`: host-side on wasm/cpu (or when `host` is forced), tf.train.adam otherwise. */
export function createAdam(
  variables: readonly tf.Variable[],
  learningRate: number,
  host = HOST_BACKENDS.has(tf.getBackend()),
): StepOptimizer {
  return host ? new HostAdam(variables, learningRate) : new TfAdam(variables, learningRate);
}
