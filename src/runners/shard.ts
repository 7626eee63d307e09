/**
 * Shards of a long job: which part of the work this process does. `--shard i/n` names it; `--shard auto` reads it
 * from a job array's environment (SLURM, or a Kubernetes Indexed Job with `--shards n`). The split itself is
 * {@link shardItems}: every n-th item, a function of the item list only, so it does not depend on workers or timing.
 */
import { createHash } from 'node:crypto';
import { InputError } from '../io/input-error.js';

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

export const WHOLE: Shard = { index: 0, count: 1 };

export const SHARD_HELP =
  'do only shard i of n (0-based) and write it to --out for nas-surgery merge; auto: from the job array ' +
  '(SLURM_ARRAY_TASK_ID with SLURM_ARRAY_TASK_COUNT or _MIN/_MAX; JOB_COMPLETION_INDEX with --shards n)';
export const SHARDS_HELP = 'the number of shards, for --shard auto in a Kubernetes Indexed Job';

export const shardLabel = (s: Shard): string => `${s.index}/${s.count}`;

function envInt(env: NodeJS.ProcessEnv, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined || raw === '') return undefined;
  if (!/^\d+$/.test(raw))
    throw new InputError(`--shard auto: ${name}='${raw}' is not a non-negative integer`);
  return Number(raw);
}

/** `--shard` (i/n or auto) with `--shards` (only for auto outside SLURM) and the environment. */
export function parseShard(raw: string, shards?: number, env: NodeJS.ProcessEnv = process.env): Shard {
  if (raw !== 'auto') {
    const m = /^(\d+)\/(\d+)$/.exec(raw);
    if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
      throw new InputError(`--shard must be i/n with 0 ≤ i < n, or auto; got '${raw}'`);
    if (shards !== undefined && shards !== Number(m[2]))
      throw new InputError(`--shards ${shards} contradicts --shard ${raw}`);
    return { index: Number(m[1]), count: Number(m[2]) };
  }
  const task = envInt(env, 'SLURM_ARRAY_TASK_ID');
  if (task !== undefined) {
    const min = envInt(env, 'SLURM_ARRAY_TASK_MIN') ?? 0;
    const max = envInt(env, 'SLURM_ARRAY_TASK_MAX');
    const step = envInt(env, 'SLURM_ARRAY_TASK_STEP') ?? 1;
    const count =
      envInt(env, 'SLURM_ARRAY_TASK_COUNT') ??
      (max !== undefined ? Math.floor((max - min) / step) + 1 : undefined);
    if (count === undefined)
      throw new InputError(
        '--shard auto: SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor _MAX',
      );
    if (step < 1 || (task - min) % step !== 0)
      throw new InputError(
        `--shard auto: SLURM_ARRAY_TASK_ID ${task} is not in the array ${min}-${max ?? '?'}:${step}`,
      );
    const index = (task - min) / step;
    if (index < 0 || index >= count)
      throw new InputError(
        `--shard auto: SLURM_ARRAY_TASK_ID ${task} is outside an array of ${count} from ${min}`,
      );
    if (shards !== undefined && shards !== count)
      throw new InputError(`--shards ${shards} contradicts the SLURM array of ${count} tasks`);
    return { index, count };
  }
  const k8s = envInt(env, 'JOB_COMPLETION_INDEX');
  if (k8s !== undefined) {
    if (shards === undefined)
      throw new InputError(
        '--shard auto: JOB_COMPLETION_INDEX is set; give the number of shards with --shards n',
      );
    if (k8s >= shards)
      throw new InputError(`--shard auto: JOB_COMPLETION_INDEX ${k8s} is not below --shards ${shards}`);
    return { index: k8s, count: shards };
  }
  throw new InputError(
    '--shard auto: not in a job array (no SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX in the environment)',
  );
}

/** The items of a shard: every n-th, starting at i, so that shards are balanced and each item is in exactly one. */
export function shardItems<T>(items: readonly T[], shard: Shard): T[] {
  if (shard.count === 1) return items.slice();
  return items.filter((_, k) => k % shard.count === shard.index);
}

/** Options that say how a job runs, not what it computes: they do not enter a shard's config hash. */
export const RUN_ONLY_OPTIONS = ['out', 'shard', 'shards', 'workers', 'quiet', 'json', 'force', 'resumeOnly'];

/**
 * The identity of a sharded job: sha256 of its command, its options without {@link RUN_ONLY_OPTIONS} and its input
 * checksums. Shards of one job share it; merge refuses shards whose hashes differ.
 */
export function shardConfigHash(
  command: string,
  options: Record<string, unknown>,
  inputs: readonly { file: string; sha256: string }[] = [],
): string {
  const kept = Object.fromEntries(
    Object.keys(options)
      .filter((k) => !RUN_ONLY_OPTIONS.includes(k) && options[k] !== undefined)
      .sort()
      .map((k) => [k, options[k]]),
  );
  return createHash('sha256')
    .update(JSON.stringify({ command, options: kept, inputs: inputs.map((i) => i.sha256) }))
    .digest('hex');
}

/** What a shard records in its manifest's config (`shard`, `shardConfigHash`). */
export function shardRecord(
  shard: Shard,
  command: string,
  options: Record<string, unknown>,
  inputs: readonly { file: string; sha256: string }[] = [],
): { shard: string; shardConfigHash: string } {
  return { shard: shardLabel(shard), shardConfigHash: shardConfigHash(command, options, inputs) };
}
