import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { EngineName } from '../engine/engine.js';
import { InputError } from '../io/input-error.js';
import type { TargetScale } from '../predictors/target-scale.js';
import { checkTargetScale } from '../scores/targets.js';
import { runInWorkers } from './worker-pool.js';
import { shardItems, WHOLE, type Shard } from './shard.js';
import { runKey, type LossName, type PredictorRunResult, type PredictorRunSpec } from './predictor-run.js';
import { TARGETS_SPEC_FIELDS, describeTargets, truthTargetsSpec, type TargetsSpec } from './targets-spec.js';

/** The paper's protocol (method §5) by default: 4 sizes × 3 training sets × 3 seeds per predictor and loss. */
export interface ProtocolOptions {
  predictors: string[];
  losses: LossName[];
  sizes: number[];
  sets: number;
  seeds: number[];
  epochs: number;
  batchSize: number;
  learningRate: number;
  setSeed: number;
  truth: string;
  /** Training targets for all 15,625 architectures (NaN = unknown): the truth, or any evaluator's scores. */
  targets: Float64Array;
  /** The score file `targets` came from (recorded in every run's spec); absent: they are the `truth` truth. */
  targetsFile?: string;
  /** Its score column (default `score`). */
  targetsColumn?: string;
  /**
   * How the regression loss maps the targets to [0, 1]: `percent` (accuracies in %, the default when training on
   * the truth; targets outside [0, 100] are refused when the grid has the regression loss) or `minmax` (affine over
   * each run's training set, the default with a `targetsFile`). The ranking loss is scale-free and ignores it.
   */
  targetScale?: TargetScale;
  outDir: string;
  workers: number;
  /** The engine of the neural predictors (every worker loads its own). */
  backend: EngineName;
  /** Intra-op threads of each worker's torch engine (default: cores / workers). */
  threads?: number;
  /** Write each trained run's predictions of all 15,625 architectures to `runs/<key>.predictions.csv`. */
  savePredictions?: boolean;
  /** Redo runs whose saved spec differs from the requested one (otherwise that is an error). */
  force?: boolean;
  /** Only this shard of the grid's runs (every n-th in grid order). */
  shard?: Shard;
  /** Train nothing: every run must be saved already (merge of shards); else an InputError. */
  resumeOnly?: boolean;
  onStart?: (total: number, todo: number) => void;
  onRun?: (result: PredictorRunResult, fresh: boolean) => void;
}

export { PROTOCOL_DEFAULTS } from './protocol-defaults.js';

export type GridOptions = Omit<
  ProtocolOptions,
  'targets' | 'outDir' | 'workers' | 'backend' | 'threads' | 'savePredictions' | 'shard' | 'resumeOnly'
> & {
  /** The training targets; absent: the `truth` truth. */
  targets?: Float64Array;
};

/** The target scale a grid uses: the one asked for, else `minmax` for a score file and `percent` for the truth. */
export function gridTargetScale(o: Pick<ProtocolOptions, 'targetScale' | 'targetsFile'>): TargetScale {
  return o.targetScale ?? (o.targetsFile !== undefined ? 'minmax' : 'percent');
}

/** What the runs of a grid are trained on (the {@link TargetsSpec} part of their specs). */
export function gridTargets(o: GridOptions): TargetsSpec {
  const scale = gridTargetScale(o);
  if (!o.targets) {
    if (o.targetsFile !== undefined) throw new Error('expandGrid: targetsFile given without its targets');
    return { ...truthTargetsSpec(o.truth), targetScale: scale };
  }
  const file =
    o.targetsFile !== undefined ? { file: o.targetsFile, column: o.targetsColumn ?? 'score' } : null;
  return describeTargets(o.targets, file, scale);
}

/** Every run of the grid, in a stable order. */
export function expandGrid(o: GridOptions, targets: TargetsSpec = gridTargets(o)): PredictorRunSpec[] {
  const specs: PredictorRunSpec[] = [];
  for (const predictor of o.predictors)
    for (const loss of o.losses)
      for (const size of o.sizes)
        for (let set = 0; set < o.sets; set++)
          for (const seed of o.seeds)
            specs.push({
              predictor,
              loss,
              size,
              set,
              seed,
              epochs: o.epochs,
              batchSize: o.batchSize,
              learningRate: o.learningRate,
              setSeed: o.setSeed,
              truth: o.truth,
              ...targets,
            });
  return specs;
}

export function runFile(outDir: string, key: string): string {
  return path.join(outDir, 'runs', `${key}.json`);
}

/** A run's predictions (`index,score`, a score file for `evaluate`), written with `savePredictions`. */
export function predictionsFile(outDir: string, key: string): string {
  return path.join(outDir, 'runs', `${key}.predictions.csv`);
}

/** Saved runs of an output folder, by key. Unreadable files are reported, not ignored. */
export function loadSavedRuns(outDir: string): Map<string, PredictorRunResult> {
  const dir = path.join(outDir, 'runs');
  const saved = new Map<string, PredictorRunResult>();
  if (!existsSync(dir)) return saved;
  for (const f of readdirSync(dir).filter((name) => name.endsWith('.json'))) {
    const file = path.join(dir, f);
    try {
      const r = JSON.parse(readFileSync(file, 'utf8')) as PredictorRunResult;
      if (!r.spec || !r.criteria || r.key !== runKey(r.spec)) throw new Error('not a predictor run');
      saved.set(r.key, r);
    } catch (e) {
      throw new InputError(
        `${file}: cannot resume from this run file (${(e as Error).message}); delete it to redo`,
      );
    }
  }
  return saved;
}

/**
 * Run the grid on worker threads. Finished runs are saved one file each, atomically, as they complete, and are not
 * redone when the same command runs again (resume). Returns all results of the grid in grid order.
 */
export async function runPredictorProtocol(
  o: ProtocolOptions,
): Promise<{ results: PredictorRunResult[]; fresh: number }> {
  const scale = gridTargetScale(o);
  if (o.losses.includes('regression')) {
    checkTargetScale(
      o.targets,
      scale,
      o.targetsFile !== undefined ? { file: o.targetsFile, column: o.targetsColumn } : { truth: o.truth },
    );
  }
  // A size larger than the pool of architectures with a target is refused before anything is written.
  const pool = o.targets.reduce((n, t) => n + (Number.isFinite(t) ? 1 : 0), 0);
  const tooLarge = o.sizes.filter((n) => n > pool);
  if (tooLarge.length > 0) {
    throw new InputError(
      `--sizes ${tooLarge.join(',')}: a training set cannot be larger than the ${pool} architectures that have a ` +
        (o.targetsFile !== undefined ? `target in ${o.targetsFile}` : `'${o.truth}' truth`),
    );
  }
  const specs = shardItems(expandGrid(o), o.shard ?? WHOLE);
  mkdirSync(path.join(o.outDir, 'runs'), { recursive: true });
  const saved = loadSavedRuns(o.outDir);
  const todo: PredictorRunSpec[] = [];
  const byKey = new Map<string, PredictorRunResult>();
  for (const spec of specs) {
    const prev = saved.get(runKey(spec));
    if (prev && diffSpec(prev.spec, spec) === '') byKey.set(prev.key, prev);
    else if (prev && !o.force) {
      throw new InputError(
        `${runFile(o.outDir, prev.key)} was made with other settings (${diffSpec(prev.spec, spec)}); ` +
          'use another --out or --force to redo it',
      );
    } else todo.push(spec);
  }
  if (o.resumeOnly && todo.length > 0) {
    throw new InputError(
      `${path.join(o.outDir, 'runs')}: ${todo.length} of ${specs.length} runs are missing (the first: ` +
        `${runKey(todo[0])}), so the shards do not cover the grid`,
    );
  }
  o.onStart?.(specs.length, todo.length);
  for (const r of byKey.values()) o.onRun?.(r, false);
  await runInWorkers<PredictorRunSpec, PredictorRunResult>(todo, {
    workerUrl: new URL(
      `./predictor-worker${path.extname(new URL(import.meta.url).pathname)}`,
      import.meta.url,
    ),
    workerData: {
      targets: o.targets,
      backend: o.backend,
      threads: o.threads ?? Math.max(1, Math.floor(availableParallelism() / o.workers)),
      savePredictions: o.savePredictions ?? false,
    },
    concurrency: o.workers,
    onResult: (r) => {
      if (r.predictions) {
        const p = r.predictions;
        const lines = ['index,score'];
        for (let i = 0; i < p.length; i++) lines.push(`${i},${p[i]}`);
        // The predictions first: a run file without them would be taken as done.
        writeFileAtomic(predictionsFile(o.outDir, r.key), lines.join('\n') + '\n');
        delete r.predictions;
      }
      writeFileAtomic(runFile(o.outDir, r.key), JSON.stringify(r) + '\n');
      byKey.set(r.key, r);
      o.onRun?.(r, true);
    },
  });
  return { results: specs.map((s) => byKey.get(runKey(s))!), fresh: todo.length };
}

/**
 * A saved spec as the current code reads it: fields it lacks (written before they existed) take their values for
 * a run trained on its `truth` with the `percent` scale, which is what such a run was.
 */
export function withSpecDefaults(saved: PredictorRunSpec): PredictorRunSpec {
  const missing = TARGETS_SPEC_FIELDS.filter((k) => saved[k] === undefined);
  if (missing.length === 0) return saved;
  const defaults = truthTargetsSpec(saved.truth);
  return { ...saved, ...Object.fromEntries(missing.map((k) => [k, defaults[k]])) };
}

const show = (v: unknown) =>
  typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? `${v.slice(0, 12)}…` : JSON.stringify(v);

/**
 * The fields in which a saved spec differs from the requested one (`key old → new, ...`), '' when it can be
 * resumed. The target scale does not count for the ranking loss, which is scale-free.
 */
export function diffSpec(saved: PredictorRunSpec, wanted: PredictorRunSpec): string {
  const a = withSpecDefaults(saved) as unknown as Record<string, unknown>;
  const b = wanted as unknown as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(b), ...Object.keys(a)])];
  return keys
    .filter((k) => !(k === 'targetScale' && wanted.loss === 'ranking'))
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${show(a[k])} → ${show(b[k])}`)
    .join(', ');
}
