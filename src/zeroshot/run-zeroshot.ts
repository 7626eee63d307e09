/**
 * Score many architectures with the zero-shot proxies on worker threads, checkpointing as it goes: every finished
 * chunk is appended to `<out>/partial.jsonl` (its first line holds the run's settings), so a run that is stopped
 * resumes where it was, and a folder that holds a run with other settings is an error unless `force`.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { EngineName } from '../engine/engine.js';
import { InputError } from '../io/input-error.js';
import type { SupernetConfig } from '../oneshot/supernet-params.js';
import { runInWorkers } from '../runners/worker-pool.js';
import type { ZeroShotProxy } from './proxies.js';

export interface ZeroShotRow {
  index: number;
  /** One value per proxy, in the run's proxy order (NaN where undefined). */
  scores: number[];
  /** Scoring time of this architecture. */
  ms: number;
}

export interface ZeroShotImages {
  /** [B, 32, 32, 3] normalised images, row-major. */
  x: Float32Array;
  shape: [number, number, number, number];
  labels: Int32Array;
  /** Where they came from (dataset indices), for the settings key. */
  indices: Int32Array;
}

export interface ZeroShotRunOptions {
  indices: Int32Array;
  proxies: readonly ZeroShotProxy[];
  config: SupernetConfig;
  /** Seed of the untrained weights. */
  seed: number;
  images: ZeroShotImages;
  outDir: string;
  workers: number;
  backend: EngineName;
  /** Intra-op threads of each worker's torch engine (default: cores / workers). */
  threads?: number;
  /** Architectures per worker task (and per checkpoint append). */
  chunk?: number;
  force?: boolean;
  /** Score nothing: every architecture must be in the checkpoint already (merge of shards); else an InputError. */
  resumeOnly?: boolean;
  onStart?: (total: number, done: number) => void;
  onRows?: (rows: readonly ZeroShotRow[]) => void;
}

export const PARTIAL_FILE = 'partial.jsonl';

/**
 * The version of the proxies' definitions, part of the checkpoint's settings so that scores computed under older
 * definitions are never mixed with new ones. 2: the count-excluding avg-pool gradient, grasp's exact
 * Hessian-vector product, fisher weighted by fan-in with the classifier, plain's sign flipped.
 */
export const PROXY_DEFINITIONS = 2;

function settingsKey(o: ZeroShotRunOptions): string {
  let h = 0;
  for (const i of o.images.indices) h = (Math.imul(h, 31) + i) | 0;
  return JSON.stringify({
    definitions: PROXY_DEFINITIONS,
    proxies: o.proxies,
    config: o.config,
    seed: o.seed,
    images: o.images.shape[0],
    imageHash: h,
  });
}

/**
 * The settings line without the architecture count that checkpoints before sharding had in it: a row's scores do
 * not depend on which other architectures are scored, so a shard's rows and the whole run's share one key.
 */
function comparableKey(line: string): string {
  try {
    const { archs: _archs, ...rest } = JSON.parse(line) as Record<string, unknown>;
    return JSON.stringify(rest);
  } catch {
    return line;
  }
}

function readPartial(file: string, key: string, force: boolean): Map<number, ZeroShotRow> {
  const done = new Map<number, ZeroShotRow>();
  if (!existsSync(file)) return done;
  const lines = readFileSync(file, 'utf8').split('\n');
  if (comparableKey(lines[0]) !== key) {
    if (force) {
      rmSync(file);
      return done;
    }
    throw new InputError(
      `${file}: holds a zero-shot run with other settings (${lines[0]}); use another --out or --force`,
    );
  }
  for (let i = 1; i < lines.length; i++) {
    if (lines[i].trim() === '') continue;
    try {
      const row = JSON.parse(lines[i]) as ZeroShotRow;
      row.scores = row.scores.map((v) => (v === null ? NaN : v));
      done.set(row.index, row);
    } catch {
      // a line cut short by an interrupted append: its architectures are scored again
    }
  }
  return done;
}

/** Scores of every architecture in `indices` (resumed ones from the checkpoint), in `indices` order. */
export async function runZeroShot(o: ZeroShotRunOptions): Promise<{ rows: ZeroShotRow[]; fresh: number }> {
  mkdirSync(o.outDir, { recursive: true });
  const file = path.join(o.outDir, PARTIAL_FILE);
  const key = settingsKey(o);
  const done = readPartial(file, key, o.force ?? false);
  if (!existsSync(file)) appendFileSync(file, key + '\n');
  const todo = Array.from(o.indices).filter((i) => !done.has(i));
  if (o.resumeOnly && todo.length > 0) {
    throw new InputError(
      `${file}: ${todo.length} of ${o.indices.length} architectures have no scores (the first: ${todo[0]}), ` +
        'so the shards do not cover the run',
    );
  }
  o.onStart?.(o.indices.length, o.indices.length - todo.length);
  const chunk = Math.max(1, o.chunk ?? 4);
  const tasks: Int32Array[] = [];
  for (let k = 0; k < todo.length; k += chunk) tasks.push(Int32Array.from(todo.slice(k, k + chunk)));
  await runInWorkers<Int32Array, ZeroShotRow[]>(tasks, {
    workerUrl: new URL(
      `./zeroshot-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
      import.meta.url,
    ),
    workerData: {
      backend: o.backend,
      threads: o.threads ?? Math.max(1, Math.floor(availableParallelism() / o.workers)),
      config: o.config,
      seed: o.seed,
      proxies: o.proxies,
      x: o.images.x,
      shape: o.images.shape,
      labels: o.images.labels,
    },
    concurrency: o.workers,
    onResult: (rows) => {
      appendFileSync(
        file,
        rows
          .map((r) => JSON.stringify({ ...r, scores: r.scores.map((v) => (Number.isFinite(v) ? v : null)) }))
          .join('\n') + '\n',
      );
      for (const r of rows) done.set(r.index, r);
      o.onRows?.(rows);
    },
  });
  return { rows: Array.from(o.indices, (i) => done.get(i)!), fresh: todo.length };
}
