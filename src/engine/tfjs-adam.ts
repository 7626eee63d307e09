/**
 * Adam on the tfjs engine (PyTorch's defaults, see {@link ADAM_BETA1}).
 *
 * On backends whose tensors live in host memory (wasm, cpu) the update runs in plain JS on host copies of the
 * parameters: reading the gradients back and uploading new values costs two copies, against ~12 tfjs kernels per
 * variable for tf.train.adam (a third of all kernels of a GATES step). Elsewhere tf.train.adam is used. Both compute
 * θ ← θ − lr·m̂ / (√v̂ + ε) with bias-corrected moments.
 */
import * as tf from './tfjs.js';
import { ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON, type AdamOptimizer } from './engine.js';
import { HOST_BACKENDS } from './tfjs-predictor-kernels.js';

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

class HostAdam implements AdamOptimizer<tf.Tensor> {
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

  step(grads: readonly (tf.Tensor | undefined)[]): void {
    this.t++;
    const bc1 = 1 - ADAM_BETA1 ** this.t;
    const bc2 = 1 - ADAM_BETA2 ** this.t;
    const stepSize = this.learningRate / bc1;
    const sqrtBc2 = Math.sqrt(bc2);
    for (let i = 0; i < this.variables.length; i++) {
      const grad = grads[i];
      if (!grad) continue;
      const variable = this.variables[i];
      const theta = this.theta[i];
      adamUpdate(theta, this.m[i], this.v[i], grad.dataSync() as Float32Array, stepSize, sqrtBc2);
      tf.tidy(() => variable.assign(tf.tensor(theta, variable.shape, 'float32')));
    }
  }

  dispose(): void {}
}

class TfAdam implements AdamOptimizer<tf.Tensor> {
  private readonly optimizer: tf.Optimizer;

  constructor(
    private readonly variables: readonly tf.Variable[],
    learningRate: number,
  ) {
    this.optimizer = tf.train.adam(learningRate, ADAM_BETA1, ADAM_BETA2, ADAM_EPSILON);
  }

  step(grads: readonly (tf.Tensor | undefined)[]): void {
    const named: tf.NamedTensorMap = {};
    this.variables.forEach((v, i) => {
      if (grads[i]) named[v.name] = grads[i]!;
    });
    tf.tidy(() => this.optimizer.applyGradients(named));
  }

  dispose(): void {
    this.optimizer.dispose();
  }
}

/** Adam over tfjs `variables`: host-side on wasm/cpu (or when `host` is forced), tf.train.adam otherwise. */
export function createTfAdam(
  variables: readonly tf.Tensor[],
  learningRate: number,
  host = HOST_BACKENDS.has(tf.getBackend()),
): AdamOptimizer<tf.Tensor> {
  const vars = variables as tf.Variable[];
  return host ? new HostAdam(vars, learningRate) : new TfAdam(vars, learningRate);
}
