import type * as tf from '../engine/tfjs.js';
import type { Engine } from '../engine/engine.js';
import { defaultEngine } from '../engine/default-engine.js';
import { NUM_EDGES } from '../space/arch.js';
import { CONV1X1, CONV3X3 } from '../space/ops.js';
import { Rng } from '../predictors/rng.js';

/** Macro settings of a supernet (method §4): C and N are the proxy knobs. */
export interface SupernetConfig {
  /** Channels of the first stage (stages use C, 2C, 4C). */
  channels: number;
  /** Cells per stage (the layer count is 3N + 2). */
  cellsPerStage: number;
  classes: number;
  /** Dropout before the classifier while training. */
  dropout: number;
}

export const DEFAULT_SUPERNET: SupernetConfig = { channels: 16, cellsPerStage: 5, classes: 10, dropout: 0.1 };

/** Channels of stage s (0, 1, 2). */
export function stageChannels(config: SupernetConfig, stage: number): number {
  return config.channels * 2 ** stage;
}

/** Name of the weight of op `op` on edge `edge` of cell `cell` of stage `stage` (shared by every architecture). */
export function cellOpParam(stage: number, cell: number, edge: number, op: number): string {
  return `s${stage}.c${cell}.e${edge}.op${op}`;
}

/** Every parameter's name and shape, in a fixed order (checkpoints rely on it). */
export function supernetParamShapes(config: SupernetConfig): [string, number[]][] {
  const c0 = config.channels;
  const shapes: [string, number[]][] = [
    ['stem.conv', [3, 3, 3, c0]],
    ['stem.bn.gamma', [c0]],
    ['stem.bn.beta', [c0]],
  ];
  for (let stage = 0; stage < 3; stage++) {
    const c = stageChannels(config, stage);
    if (stage > 0) {
      const cin = c / 2;
      shapes.push(
        [`r${stage}.conv_a`, [3, 3, cin, c]],
        [`r${stage}.bn_a.gamma`, [c]],
        [`r${stage}.bn_a.beta`, [c]],
        [`r${stage}.conv_b`, [3, 3, c, c]],
        [`r${stage}.bn_b.gamma`, [c]],
        [`r${stage}.bn_b.beta`, [c]],
        [`r${stage}.shortcut`, [1, 1, cin, c]],
      );
    }
    for (let cell = 0; cell < config.cellsPerStage; cell++) {
      for (let e = 0; e < NUM_EDGES; e++) {
        shapes.push([cellOpParam(stage, cell, e, CONV1X1), [1, 1, c, c]]);
        shapes.push([cellOpParam(stage, cell, e, CONV3X3), [3, 3, c, c]]);
      }
    }
  }
  const cl = stageChannels(config, 2);
  shapes.push(['head.bn.gamma', [cl]], ['head.bn.beta', [cl]], ['classifier.w', [cl, config.classes]]);
  shapes.push(['classifier.b', [config.classes]]);
  return shapes;
}

/**
 * Initial weights, reproducible from a seed: convolutions and the classifier PyTorch-style (Kaiming-uniform with
 * a = √5, i.e. U(±1/√fan_in)), BN γ = 1, β = 0, classifier bias U(±1/√fan_in).
 */
export function initSupernetWeights<T = tf.Variable>(
  config: SupernetConfig,
  seed: number,
  engine: Engine<T> = defaultEngine<T>(),
): Map<string, T> {
  const rng = new Rng(seed);
  const vars = new Map<string, T>();
  for (const [name, shape] of supernetParamShapes(config)) {
    const size = shape.reduce((a, b) => a * b, 1);
    const values = new Float32Array(size);
    if (name.endsWith('.gamma')) values.fill(1);
    else if (!name.endsWith('.beta')) {
      const fanIn =
        name === 'classifier.b'
          ? stageChannels(config, 2)
          : shape.length === 4
            ? shape[0] * shape[1] * shape[2]
            : shape[0];
      const bound = 1 / Math.sqrt(fanIn);
      for (let i = 0; i < size; i++) values[i] = (2 * rng.float() - 1) * bound;
    }
    vars.set(name, engine.variable(values, shape));
  }
  return vars;
}
