import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import type { TfBackendName } from '../engine/tf-backend.js';
import { InputError } from '../io/input-error.js';
import { runInWorkers } from './worker-pool.js';
import { runKey, type LossName, type PredictorRunResult, type PredictorRunSpec } from './predictor-run.js';

/** The paper's protocol (SPEC §5) by default: 4 sizes × 3 training sets × 3 seeds per predictor and loss. */
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
  outDir: string;
  workers: number;
  backend: TfBackendName;
  /** Redo runs whose saved spec differs from the requested one (otherwise that is an error). */
  force?: boolean;
  onStart?: (total: number, todo: number) => void;
  onRun?: (result: PredictorRunResult, fresh: boolean) => void;
}

export { PROTOCOL_DEFAULTS } from './protocol-defaults.js';

/** Every run of the grid, in a stable order. */
export function expandGrid(
  o: Omit<ProtocolOptions, 'targets' | 'outDir' | 'workers' | 'backend'>,
): PredictorRunSpec[] {
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
            });
  return specs;
}

export function runFile(outDir: string, key: string): string {
  return path.join(outDir, 'runs', `${key}.json`);
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
  const specs = expandGrid(o);
  mkdirSync(path.join(o.outDir, 'runs'), { recursive: true });
  const saved = loadSavedRuns(o.outDir);
  const todo: PredictorRunSpec[] = [];
  const byKey = new Map<string, PredictorRunResult>();
  for (const spec of specs) {
    const prev = saved.get(runKey(spec));
    if (prev && JSON.stringify(prev.spec) === JSON.stringify(spec)) byKey.set(prev.key, prev);
    else if (prev && !o.force) {
      throw new InputError(
        `${runFile(o.outDir, prev.key)} was made with other settings (${diffSpec(prev.spec, spec)}); ` +
          'use another --out or --force to redo it',
      );
    } else todo.push(spec);
  }
  o.onStart?.(specs.length, todo.length);
  for (const r of byKey.values()) o.onRun?.(r, false);
  await runInWorkers<PredictorRunSpec, PredictorRunResult>(todo, {
    workerUrl: new URL(
      `./predictor-worker${path.extname(new URL(import.meta.url).pathname)}`,
      import.meta.url,
    ),
    workerData: { targets: o.targets, backend: o.backend },
    concurrency: o.workers,
    onResult: (r) => {
      writeFileAtomic(runFile(o.outDir, r.key), JSON.stringify(r) + '\n');
      byKey.set(r.key, r);
      o.onRun?.(r, true);
    },
  });
  return { results: specs.map((s) => byKey.get(runKey(s))!), fresh: todo.length };
}

function diffSpec(a: PredictorRunSpec, b: PredictorRunSpec): string {
  return (Object.keys(b) as (keyof PredictorRunSpec)[])
    .filter((k) => a[k] !== b[k])
    .map((k) => `${k} ${a[k]} → ${b[k]}`)
    .join(', ');
}
