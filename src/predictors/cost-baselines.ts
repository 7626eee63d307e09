/**
 * Training-free baselines (method §6): the FLOPs or the parameter count of the CIFAR-10 network (C=16, N=5)
 * built on the architecture. `fit` does nothing.
 */
import { countOps, type Arch } from '../space/arch.js';
import { networkCost, type NetworkCost } from '../space/network-cost.js';
import { CONV1X1, CONV3X3 } from '../space/ops.js';
import type { Predictor } from './predictor.js';

export type CostKind = keyof NetworkCost; // 'flops' | 'params'

// Both costs depend only on the number of 1x1 and 3x3 convolutions in the cell: compute each count once.
const costByConvCounts = new Map<number, NetworkCost>();

function cifar10Cost(arch: Arch): NetworkCost {
  const c = countOps(arch);
  const key = c[CONV1X1] * 8 + c[CONV3X3];
  let cost = costByConvCounts.get(key);
  if (!cost) costByConvCounts.set(key, (cost = networkCost(arch)));
  return cost;
}

export class CostPredictor implements Predictor {
  constructor(readonly name: CostKind) {}

  async fit(): Promise<void> {}

  async predict(archs: readonly Arch[]): Promise<Float64Array> {
    const out = new Float64Array(archs.length);
    for (let i = 0; i < archs.length; i++) out[i] = cifar10Cost(archs[i])[this.name];
    return out;
  }

  dispose(): void {}
}
