/**
 * Predictors by name (timm-style): `createPredictor('gates', { seed: 2020 })`, `listPredictors('*')`.
 * Built-ins: mlp, lstm, gates, rf, and the training-free flops and params baselines.
 */
import { CostPredictor } from './cost-baselines.js';
import { createGatesPredictor } from './gates.js';
import { createLstmPredictor } from './lstm.js';
import { createMlpPredictor } from './mlp.js';
import type { PredictorRuntime } from './neural-predictor.js';
import { resolvePredictorConfig, type Predictor, type PredictorConfig } from './predictor.js';
import { createRandomForestPredictor } from './random-forest.js';

export interface PredictorEntry {
  description: string;
  /** A neural predictor: it trains on an engine (torch or tfjs); the others run in plain JS. */
  neural?: boolean;
  /** `runtime.engine`: where a neural predictor trains (others ignore it). */
  create(config: PredictorConfig, runtime: PredictorRuntime): Predictor;
}

const registry = new Map<string, PredictorEntry>();

/** Register a predictor; an existing name is an error unless `override` is set. */
export function registerPredictor(
  name: string,
  entry: PredictorEntry,
  options: { override?: boolean } = {},
): void {
  if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name)) throw new Error(`registerPredictor: invalid name '${name}'`);
  if (registry.has(name) && !options.override) {
    throw new Error(
      `registerPredictor: '${name}' is already registered (pass { override: true } to replace it)`,
    );
  }
  registry.set(name, entry);
}

export function unregisterPredictor(name: string): boolean {
  return registry.delete(name);
}

/**
 * A new predictor; `config` fills in over the defaults (method §5) and is checked. `runtime.engine` is the engine of a
 * neural predictor (default: tfjs on its active backend).
 */
export function createPredictor(
  name: string,
  config: Partial<PredictorConfig> = {},
  runtime: PredictorRuntime = {},
): Predictor {
  const entry = registry.get(name);
  if (!entry) {
    throw new Error(`unknown predictor '${name}' (available: ${listPredictors().join(', ')})`);
  }
  return entry.create(resolvePredictorConfig(config), runtime);
}

function wildcard(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

/** Registered names, sorted; `filter` is a wildcard pattern (`*`, `?`) or a RegExp. */
export function listPredictors(filter?: string | RegExp): string[] {
  const re = filter === undefined ? null : typeof filter === 'string' ? wildcard(filter) : filter;
  return [...registry.keys()].filter((n) => !re || re.test(n)).sort();
}

/** Whether predictor `name` trains on an engine (an unknown name: false; createPredictor reports it). */
export function predictorNeedsEngine(name: string): boolean {
  return registry.get(name)?.neural === true;
}

export function predictorDescription(name: string): string {
  const entry = registry.get(name);
  if (!entry) throw new Error(`unknown predictor '${name}' (available: ${listPredictors().join(', ')})`);
  return entry.description;
}

registerPredictor('mlp', {
  neural: true,
  description: 'onehot30 → MLP (200, 200, 200), ReLU, dropout 0.1 → score',
  create: createMlpPredictor,
});
registerPredictor('lstm', {
  neural: true,
  description: 'seq6 → embedding(5, 100) → LSTM (hidden 100) → last output → MLP (200, 200, 200) → score',
  create: createLstmPredictor,
});
registerPredictor('gates', {
  neural: true,
  description: 'GATES op-as-attention GNN: 5 layers × 128, node-3 readout, MLP head 5 × 300',
  create: createGatesPredictor,
});
registerPredictor('rf', {
  description: 'random forest, 100 regression trees on seq6, max_features 0.5 per split, bootstrap',
  create: createRandomForestPredictor,
});
registerPredictor('flops', {
  description: 'training-free: FLOPs of the CIFAR-10 network (C=16, N=5)',
  create: () => new CostPredictor('flops'),
});
registerPredictor('params', {
  description: 'training-free: parameter count of the CIFAR-10 network (C=16, N=5)',
  create: () => new CostPredictor('params'),
});
