/**
 * Architecture samplers for supernet training (method §4), by name: what architectures one training step uses.
 * - `uniform`: one architecture, uniform over the valid ones (13,642: some live edge is a convolution);
 * - `deiso`: one architecture, uniform over the valid isomorphism classes (their representatives), so that every
 *   distinct computation is equally likely, however many isomorphic cells it has;
 * - `mc-S` (e.g. `mc-4`): S architectures drawn uniformly over the valid ones, trained on the same batch; the trainer
 *   averages each parameter's gradient over the architectures that produced one for it;
 * - `fairnas`: each edge gets an independent permutation of the 5 ops and architecture t takes the t-th op of every
 *   edge (so every op is used exactly once per edge), invalid architectures dropped.
 *
 * With a fixed subset (`subset`, NB201 indices; the paper's appendix Q1) `uniform` and `mc-S` draw from its valid
 * architectures and `deiso` from the valid representatives of the classes it touches (each class once).
 */
import type { GroundTruth } from '../benchmarks/ground-truth.js';
import { NUM_EDGES, makeArch, type Arch } from '../space/arch.js';
import { NUM_OPS } from '../space/ops.js';
import { isValid } from '../space/reachability.js';
import type { Rng } from '../predictors/rng.js';

export interface ArchSampler {
  readonly name: string;
  /** The architectures of one training step. */
  sample(rng: Rng): Arch[];
}

/** Sampler names: `uniform`, `deiso`, `fairnas`, or `mc-S` with S ≥ 1. */
export const SAMPLER_NAMES = ['uniform', 'deiso', 'mc-S', 'fairnas'] as const;

/** Valid architectures (NB201 index order) and the valid class representatives. */
export function samplingPools(gt: GroundTruth): { valid: Arch[]; validRepresentatives: Arch[] } {
  const valid = gt.archs.filter(isValid);
  const validRepresentatives = Array.from(gt.iso().representative, (i) => gt.archs[i]).filter(isValid);
  return { valid, validRepresentatives };
}

/** One FairNAS step: 5 architectures from independent per-edge permutations of the ops, before dropping invalid. */
export function fairnasCandidates(rng: Rng): Arch[] {
  const perms = Array.from({ length: NUM_EDGES }, () =>
    rng.shuffle(Int32Array.from({ length: NUM_OPS }, (_, o) => o)),
  );
  return Array.from({ length: NUM_OPS }, (_, t) => makeArch(perms.map((p) => p[t])));
}

export function createSampler(name: string, gt: GroundTruth, subset?: Int32Array): ArchSampler {
  let { valid, validRepresentatives } = samplingPools(gt);
  if (subset) {
    if (name === 'fairnas')
      throw new Error('the fairnas sampler cannot be restricted to a subset of architectures');
    const { classOf, representative } = gt.iso();
    valid = Array.from(new Set(subset), (i) => gt.archs[i]).filter(isValid);
    const reps = new Set(Array.from(subset, (i) => representative[classOf[i]]));
    validRepresentatives = [...reps]
      .sort((a, b) => a - b)
      .map((i) => gt.archs[i])
      .filter(isValid);
    if (valid.length === 0) throw new Error('the sampler subset holds no valid architecture');
  }
  const pick = (pool: Arch[], rng: Rng) => pool[rng.int(0, pool.length - 1)];
  if (name === 'uniform') return { name, sample: (rng) => [pick(valid, rng)] };
  if (name === 'deiso') return { name, sample: (rng) => [pick(validRepresentatives, rng)] };
  if (name === 'fairnas') return { name, sample: (rng) => fairnasCandidates(rng).filter(isValid) };
  const mc = /^mc-(\d+)$/.exec(name);
  if (mc && Number(mc[1]) >= 1) {
    const s = Number(mc[1]);
    return { name, sample: (rng) => Array.from({ length: s }, () => pick(valid, rng)) };
  }
  throw new Error(`unknown sampler '${name}' (available: uniform, deiso, fairnas, mc-S such as mc-4)`);
}
