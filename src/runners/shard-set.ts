/**
 * A set of shards to merge: every shard's manifest is read and the set is checked before anything is joined. It must
 * be shards 0…n−1 of one n, each once, finished, of one command with one configuration (the `shardConfigHash` of
 * their options and input checksums). Each problem is an InputError that names the shard and what is wrong.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../io/input-error.js';
import { RUN_ONLY_OPTIONS } from './shard.js';

/** The commands whose shards merge. */
export const SHARDABLE = ['zeroshot score', 'oneshot derive', 'oneshot curve', 'predictors run'] as const;
export type ShardableCommand = (typeof SHARDABLE)[number];

export interface ShardInfo {
  /** The shard's output: a folder, or a derive score file. */
  path: string;
  manifestFile: string;
  index: number;
  argv: string[];
  config: Record<string, unknown>;
}

export interface ShardSet {
  command: ShardableCommand;
  count: number;
  /** In shard order 0…n−1. */
  shards: ShardInfo[];
}

/** The manifest of a shard output: `<dir>/manifest.json`, or `x.manifest.json` beside a derive's `x.csv`. */
export function shardManifestFile(p: string): string {
  if (existsSync(p) && statSync(p).isDirectory()) return path.join(p, 'manifest.json');
  return `${p.replace(/\.csv$/, '')}.manifest.json`;
}

function readShard(p: string): ShardInfo & { command: string; count: number; hash: string } {
  if (!existsSync(p)) throw new InputError(`${p}: no such shard (file or folder)`);
  const manifestFile = shardManifestFile(p);
  if (!existsSync(manifestFile)) {
    throw new InputError(
      `${p}: no manifest ${manifestFile}, so it is not a finished shard (still running, or it failed)`,
    );
  }
  let m: { command?: unknown; argv?: unknown; config?: Record<string, unknown>; finishedAt?: unknown };
  try {
    m = JSON.parse(readFileSync(manifestFile, 'utf8'));
  } catch (e) {
    throw new InputError(`${manifestFile}: not JSON (${(e as Error).message.split('\n')[0]})`);
  }
  const command = String(m.command ?? '');
  if (!(SHARDABLE as readonly string[]).includes(command)) {
    throw new InputError(
      `${manifestFile}: a '${command || '?'}' output; only ${SHARDABLE.join(', ')} shards merge`,
    );
  }
  if (m.finishedAt === null) throw new InputError(`${manifestFile}: the shard has not finished`);
  const config = m.config ?? {};
  const label = String(config.shard ?? '');
  const match = /^(\d+)\/(\d+)$/.exec(label);
  if (!match) throw new InputError(`${manifestFile}: config.shard '${label}' is not i/n`);
  const hash = String(config.shardConfigHash ?? '');
  if (hash === '' && Number(match[2]) > 1) {
    throw new InputError(`${manifestFile}: no shardConfigHash (made by an older nas-surgery?)`);
  }
  return {
    path: p,
    manifestFile,
    index: Number(match[1]),
    count: Number(match[2]),
    command,
    hash,
    argv: Array.isArray(m.argv) ? m.argv.map(String) : [],
    config,
  };
}

/** The first option in which two shards' configs differ (for the refusal's message). */
function firstDifference(a: Record<string, unknown>, b: Record<string, unknown>): string | undefined {
  const skip = new Set([...RUN_ONLY_OPTIONS, 'shardConfigHash', 'shardItems', 'shardRuns', 'engine']);
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])]) {
    if (skip.has(k)) continue;
    const [x, y] = [JSON.stringify(a[k]), JSON.stringify(b[k])];
    if (x !== y) return `${k} ${y ?? '(none)'} there, ${x ?? '(none)'} in the first`;
  }
  return undefined;
}

export function readShardSet(paths: readonly string[]): ShardSet {
  if (paths.length === 0) throw new InputError('merge: no shards given');
  const shards = paths.map(readShard);
  const first = shards[0];
  const byIndex = new Map<number, (typeof shards)[number]>();
  for (const s of shards) {
    if (s.command !== first.command)
      throw new InputError(`${s.path} is a '${s.command}' shard, but ${first.path} a '${first.command}' one`);
    if (s.count !== first.count) {
      throw new InputError(
        `${s.path} is shard ${s.index}/${s.count}, but ${first.path} is of ${first.count} shards`,
      );
    }
    const twin = byIndex.get(s.index);
    if (twin) throw new InputError(`${s.path} and ${twin.path} are both shard ${s.index}/${s.count}`);
    byIndex.set(s.index, s);
    if (s.hash !== first.hash) {
      const why =
        firstDifference(first.config, s.config) ?? 'its inputs (data, checkpoint or targets) differ';
      throw new InputError(
        `${s.path} is a shard of another job than ${first.path} (${why}): shards of different jobs do not merge`,
      );
    }
  }
  const n = first.count;
  const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !byIndex.has(i));
  if (missing.length > 0) {
    throw new InputError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} missing: ` +
        `${shards.length} of ${n} given`,
    );
  }
  return {
    command: first.command as ShardableCommand,
    count: n,
    shards: Array.from({ length: n }, (_, i) => byIndex.get(i)!),
  };
}

/**
 * The shard's command line as if it had run unsharded into `out`: without `--shard`, `--shards` and the merge's
 * hidden `--resume-only`, with `--out out` (in place of the shard's own).
 */
export function unshardedArgs(argv: readonly string[], out: string): string[] {
  const result: string[] = [];
  let hadOut = false;
  for (let k = 0; k < argv.length; k++) {
    const a = argv[k];
    if (a === '--shard' || a === '--shards') {
      k++;
      continue;
    }
    if (a.startsWith('--shard=') || a.startsWith('--shards=') || a === '--resume-only') continue;
    if (a === '--out') {
      result.push('--out', out);
      k++;
      hadOut = true;
      continue;
    }
    if (a.startsWith('--out=')) {
      result.push(`--out=${out}`);
      hadOut = true;
      continue;
    }
    result.push(a);
  }
  if (!hadOut) result.push('--out', out);
  return result;
}
