import type { GroundTruth } from '../benchmarks/ground-truth.js';
import type { Engine } from '../engine/engine.js';
import { criteriaSuite } from '../metrics/suite.js';
import { ranksDescending } from '../metrics/ranks.js';
import { arraySplitSizes } from '../metrics/cost-groups.js';
import { createPredictor } from '../predictors/registry.js';
import type { PredictorConfig } from '../predictors/predictor.js';
import { sampleWithoutReplacement, shuffled } from './training-sets.js';

export type SearchStrategy = 'top' | 'group';

export interface SearchOptions {
  predictor: string;
  /**
   * The predictor's config; `targetScale` (how the regression loss maps the queried targets to [0, 1], over each
   * stage's training set for `minmax`) defaults to `percent`. The ranking loss is scale-free and ignores it.
   */
  config: Omit<PredictorConfig, 'targetScale'> & Partial<Pick<PredictorConfig, 'targetScale'>>;
  stages: number;
  perStage: number;
  /** `top`: the best predicted unqueried architectures; `group`: the best of each of N groups of the shuffled rest. */
  strategy: SearchStrategy;
  /** Seed of the random first stage and of the group shuffles. */
  sampleSeed: number;
  truth: string;
  /** What a query returns (the truth, or another evaluator's scores); NaN = cannot be queried. */
  targets: Float64Array;
  /** Engine of a neural predictor (default: tfjs on its active backend). */
  engine?: Engine<unknown>;
  onStage?: (stage: StageResult) => void;
}

export interface StageResult {
  stage: number;
  queried: number;
  /** P@top0.1% and P@top1% of the retrained predictor over all architectures. */
  precisionTop01: number;
  precisionTop1: number;
  kendall: number;
  /** Best ground truth among the queried architectures, its NB201 index and its true rank / N (lower is better). */
  bestTruth: number;
  bestIndex: number;
  bestRank: number;
  fitMs: number;
}

/**
 * Multi-stage predictor-based search (method §5): stage 1 queries N random architectures; each later stage queries
 * the N the current predictor likes best among those not yet queried; after each stage a fresh predictor (same
 * seed) is trained on everything queried so far and judged on all architectures.
 */
export async function runPredictorSearch(gt: GroundTruth, o: SearchOptions): Promise<StageResult[]> {
  const truth = gt.truth(o.truth);
  const trueRank = ranksDescending(truth);
  const pool: number[] = [];
  for (let i = 0; i < gt.n; i++) if (Number.isFinite(o.targets[i])) pool.push(i);
  if (o.stages * o.perStage > pool.length) throw new Error('more queries than architectures with targets');
  const queried = new Uint8Array(gt.n);
  const chosen: number[] = [];
  const stages: StageResult[] = [];
  let predictions: Float64Array | undefined;
  for (let stage = 1; stage <= o.stages; stage++) {
    const fresh = stage === 1 ? Array.from(sampleWithoutReplacement(pool, o.perStage, o.sampleSeed)) : pick();
    for (const i of fresh) {
      queried[i] = 1;
      chosen.push(i);
    }
    const predictor = createPredictor(o.predictor, o.config, { engine: o.engine });
    let fitMs: number;
    try {
      const t0 = performance.now();
      await predictor.fit(
        chosen.map((i) => gt.archs[i]),
        Float64Array.from(chosen, (i) => o.targets[i]),
      );
      fitMs = performance.now() - t0;
      predictions = await predictor.predict(gt.archs);
    } finally {
      predictor.dispose();
    }
    const c = criteriaSuite(predictions, truth, { bootstrap: false });
    let best = chosen[0];
    for (const i of chosen) if (truth[i] > truth[best] || (truth[i] === truth[best] && i < best)) best = i;
    const result: StageResult = {
      stage,
      queried: chosen.length,
      precisionTop01: c.precisionTop['0.001'],
      precisionTop1: c.precisionTop['0.01'],
      kendall: c.kendall,
      bestTruth: truth[best],
      bestIndex: best,
      bestRank: (trueRank[best] + 1) / gt.n,
      fitMs,
    };
    stages.push(result);
    o.onStage?.(result);

    function pick(): number[] {
      const p = predictions!;
      const rest = pool.filter((i) => !queried[i]);
      if (o.strategy === 'top') {
        return rest.sort((a, b) => p[b] - p[a] || a - b).slice(0, o.perStage);
      }
      const order = shuffled(rest, o.sampleSeed + stage);
      const out: number[] = [];
      let start = 0;
      for (const size of arraySplitSizes(order.length, o.perStage)) {
        let best = order[start];
        for (let k = start + 1; k < start + size; k++) if (p[order[k]] > p[best]) best = order[k];
        out.push(best);
        start += size;
      }
      return out;
    }
  }
  return stages;
}
