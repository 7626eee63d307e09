/**
 * Merging `oneshot derive --shard i/n` outputs: each shard's manifest must exist and agree with the others on the
 * checkpoint and every derive setting, and the shards must be exactly 0..n−1 of one n. Then the rows are joined,
 * each architecture once, in index order.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from '../io/input-error.js';

export const SCORES_HEADER = 'index,score,neg_loss';

/** The derive manifest beside a scores file: `x.csv` → `x.manifest.json`. */
export function deriveManifestFile(scoresFile: string): string {
  return `${scoresFile.replace(/\.csv$/, '')}.manifest.json`;
}

/** The settings every shard of one derive shares (from each shard's manifest config). */
const SHARED = ['checkpointSha256', 'heldOutImages', 'batchSize', 'split', 'dataIdentity', 'archs'] as const;

export interface MergedShards {
  csv: string;
  architectures: number;
  shards: number;
  /** The shared settings, for the merge's own manifest. */
  settings: Record<string, unknown>;
}

export function mergeDeriveShards(files: readonly string[]): MergedShards {
  if (files.length === 0) throw new InputError('no shards to merge');
  const seen = new Map<number, string>();
  let n: number | undefined;
  let first: { file: string; config: Record<string, unknown> } | undefined;
  for (const file of files) {
    const mf = deriveManifestFile(file);
    if (!existsSync(mf)) {
      throw new InputError(
        `${file}: no manifest ${mf} beside it, so its shard and settings cannot be checked`,
      );
    }
    let config: Record<string, unknown>;
    try {
      config = JSON.parse(readFileSync(mf, 'utf8')).config ?? {};
    } catch (e) {
      throw new InputError(`${mf}: not a derive manifest (${(e as Error).message.split('\n')[0]})`);
    }
    const m = /^(\d+)\/(\d+)$/.exec(String(config.shard ?? '0/1'));
    if (!m) throw new InputError(`${mf}: shard '${String(config.shard)}' is not i/n`);
    const [i, of] = [Number(m[1]), Number(m[2])];
    if (n === undefined) n = of;
    else if (of !== n)
      throw new InputError(`${file} is shard ${i}/${of}, but ${first!.file} is of ${n} shards`);
    if (seen.has(i)) throw new InputError(`${file} and ${seen.get(i)} are both shard ${i}/${n}`);
    seen.set(i, file);
    if (!first) first = { file, config };
    else {
      for (const k of SHARED) {
        const a = JSON.stringify(first.config[k]);
        const b = JSON.stringify(config[k]);
        if (a !== b) {
          throw new InputError(
            `${file} was derived with ${k} ${b ?? '(none)'}, but ${first.file} with ${a ?? '(none)'}: shards of ` +
              'different derives do not merge',
          );
        }
      }
    }
  }
  const missing = Array.from({ length: n! }, (_, i) => i).filter((i) => !seen.has(i));
  if (missing.length > 0) {
    throw new InputError(
      `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} missing: ` +
        `${files.length} of ${n} given`,
    );
  }
  const rows = new Map<number, string>();
  for (const file of files) {
    const lines = readFileSync(file, 'utf8').trim().split('\n');
    if (lines[0] !== SCORES_HEADER) throw new InputError(`${file}:1: expected header '${SCORES_HEADER}'`);
    lines.slice(1).forEach((line, k) => {
      const i = Number(line.split(',')[0]);
      if (rows.has(i)) throw new InputError(`${file}:${k + 2}: architecture ${i} is in two shards`);
      rows.set(i, line);
    });
  }
  const csv =
    [SCORES_HEADER, ...[...rows.keys()].sort((a, b) => a - b).map((i) => rows.get(i)!)].join('\n') + '\n';
  return {
    csv,
    architectures: rows.size,
    shards: n!,
    settings: Object.fromEntries(SHARED.map((k) => [k, first!.config[k]])),
  };
}
