/**
 * Building blocks of the neural predictors, over any {@link Engine}: seeded parameters, seeded dropout masks and the
 * MLP head. The engine supplies the ops (on tfjs, the wasm-tuned kernels of engine/tfjs-predictor-kernels.ts).
 */
import type { Engine } from '../engine/engine.js';
import { Rng, fillDropoutMask } from './rng.js';

/** Seeded inverted-dropout masks for one training step. */
export class Dropout {
  constructor(
    readonly rate: number,
    private readonly rng: Rng,
  ) {}

  /** A [rows, cols] mask (entries 0 or 1/(1 − rate)), or null when the rate is 0. */
  mask<T>(engine: Engine<T>, rows: number, cols: number): T | null {
    if (this.rate <= 0) return null;
    const buf = fillDropoutMask(new Float32Array(rows * cols), this.rate, this.rng.uint32());
    return engine.tensor(buf, [rows, cols]);
  }
}

/** Trainable parameters with seeded initialisation, and the model's constants, on one engine. */
export class ParamStore<T> {
  readonly variables: T[] = [];
  private readonly constants: T[] = [];

  constructor(
    readonly engine: Engine<T>,
    private readonly rng: Rng,
  ) {}

  private add(values: Float32Array, shape: number[]): T {
    const v = this.engine.variable(values, shape);
    this.variables.push(v);
    return v;
  }

  /** A constant owned by the model (disposed with the parameters). */
  constant(t: T): T {
    this.constants.push(t);
    return t;
  }

  /** U(−bound, bound). */
  uniform(shape: number[], bound: number): T {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = (2 * this.rng.float() - 1) * bound;
    return this.add(values, shape);
  }

  /** N(0, std²). */
  normal(shape: number[], std = 1): T {
    const n = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(n);
    for (let i = 0; i < n; i++) values[i] = this.rng.normal() * std;
    return this.add(values, shape);
  }

  /** A PyTorch-default nn.Linear: weight [in, out] and bias U(±1/√in). */
  linear(inFeatures: number, outFeatures: number, bias = true): { w: T; b: T | null } {
    const bound = 1 / Math.sqrt(inFeatures);
    const w = this.uniform([inFeatures, outFeatures], bound);
    return { w, b: bias ? this.uniform([outFeatures], bound) : null };
  }

  /** Number of trainable scalars. */
  size(): number {
    return this.variables.reduce((s, v) => s + this.engine.canonicalShape(v).reduce((a, b) => a * b, 1), 0);
  }

  dispose(): void {
    this.engine.dispose(this.variables);
    this.engine.dispose(this.constants);
    this.variables.length = 0;
    this.constants.length = 0;
  }
}

/** An MLP head: hidden layers with ReLU and dropout, then a linear layer to one score per row. */
export class MlpHead<T> {
  private readonly layers: { w: T; b: T | null; out: number }[] = [];

  constructor(
    private readonly params: ParamStore<T>,
    inFeatures: number,
    hidden: readonly number[],
  ) {
    let d = inFeatures;
    for (const h of [...hidden, 1]) {
      this.layers.push({ ...params.linear(d, h), out: h });
      d = h;
    }
  }

  /** x [B, in] → scores [B]. */
  forward(x: T, rows: number, dropout: Dropout | null): T {
    const e = this.params.engine;
    let h = x;
    const last = this.layers.length - 1;
    for (let i = 0; i < last; i++) {
      const { w, b, out } = this.layers[i];
      h = e.dense(h, w, b, true, dropout ? dropout.mask(e, rows, out) : null);
    }
    const { w, b } = this.layers[last];
    return e.flatten(e.dense(h, w, b, false));
  }
}
