import { loadGroundTruth } from './ground-truth.js';
import type { TruthFileBenchmark } from './truth-file.js';
import { TRUTH_DESCRIPTIONS, TRUTH_NAMES, type TruthName } from './truth-names.js';

/** One benchmark truth that a command can judge against by name (`--truth NAME`). */
export interface BenchmarkEntry {
  /** The name commands take (`--truth cifar10-v1.0`). */
  name: string;
  /** The benchmark the truth belongs to. */
  benchmark: string;
  /** Architectures it covers. */
  items: number;
  /** Isomorphism classes (de-isomorphic comparisons), where the space defines them. */
  classes?: number;
  /** What the truth value is (higher = better). */
  description: string;
  /** Where the numbers come from. */
  source: string;
  /** Best and mean truth over the items. */
  best: number;
  mean: number;
}

type Loader = () => BenchmarkEntry;

const registry = new Map<string, Loader>();

/** Add a named truth to the registry (a later registration of the same name replaces the earlier one). */
export function registerBenchmark(name: string, load: Loader): void {
  registry.set(name, load);
}

/** Names of the registered truths, in registration order. */
export function listBenchmarkNames(): string[] {
  return [...registry.keys()];
}

/** The entry of one registered truth; an Error naming the available ones when there is none. */
export function getBenchmark(name: string): BenchmarkEntry {
  const load = registry.get(name);
  if (!load)
    throw new Error(`unknown benchmark truth '${name}' (available: ${listBenchmarkNames().join(', ')})`);
  return load();
}

function nb201Entry(name: TruthName): BenchmarkEntry {
  const gt = loadGroundTruth();
  const t = gt.truth(name);
  let best = -Infinity;
  let sum = 0;
  for (const v of t) {
    if (v > best) best = v;
    sum += v;
  }
  return {
    name,
    benchmark: 'NAS-Bench-201',
    items: gt.n,
    classes: gt.iso().representative.length,
    description: TRUTH_DESCRIPTIONS[name],
    source: gt.source,
    best,
    mean: sum / t.length,
  };
}

for (const name of TRUTH_NAMES) registerBenchmark(name, () => nb201Entry(name));

/** The registry entry of a benchmark given as a truth file (`evaluate --truth-file`). */
export function truthFileEntry(bench: TruthFileBenchmark): BenchmarkEntry {
  let best = -Infinity;
  let sum = 0;
  for (const v of bench.truth) {
    if (v > best) best = v;
    sum += v;
  }
  const costs = bench.costs.map((c) => c.name);
  return {
    name: bench.name,
    benchmark: `truth file ${bench.file}`,
    items: bench.ids.length,
    ...(bench.classes ? { classes: bench.classes.names.length } : {}),
    description:
      `column '${bench.truthColumn}' by id column '${bench.idColumn}'` +
      (costs.length ? `; cost columns ${costs.join(', ')}` : '; no cost column') +
      (bench.classes ? `; classes from '${bench.classes.column}'` : ''),
    source: bench.file,
    best,
    mean: sum / bench.truth.length,
  };
}
