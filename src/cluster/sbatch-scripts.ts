/**
 * The two batch scripts of `nas-surgery slurm submit`: a job array whose task i runs the subcommand as shard i of n
 * (`--shard auto`, reading SLURM_ARRAY_TASK_ID) into its own output, and a merge job, submitted with
 * `--dependency=afterok:<array>` and `--kill-on-invalid-dep=yes`, that joins the shards into the subcommand's
 * `--out`. Every task and the merge write their exit code to a status file, so that the outcome is known even after
 * SLURM has purged the job records (MinJobAge).
 */
import path from 'node:path';
import { InputError } from '../io/input-error.js';
import { SHARDABLE, type ShardableCommand } from '../runners/shard-set.js';

export interface SlurmResources {
  partition?: string;
  time?: string;
  cpusPerTask?: number;
  mem?: string;
  /** At most this many tasks at once (`--array=0-(n−1)%J`). */
  throttle?: number;
}

export interface SubmitPlan {
  command: ShardableCommand;
  /** The subcommand's arguments as given (with its --out). */
  args: string[];
  /** Its --out, absolute. */
  out: string;
  /** `<out>.slurm`: scripts, logs, status files, shard outputs and job.json. */
  workDir: string;
  tasks: number;
  /** The program that runs nas-surgery: node, its flags and the CLI script. */
  launcher: string[];
  /** Where the jobs start (the submitting directory). */
  cwd: string;
  resources: SlurmResources;
  /** Pass --force to the merge (the subcommand had it). */
  force: boolean;
}

/** POSIX single-quoting. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

/** The subcommand, its --out and the plan's folders, from the arguments after `--`. */
export function planSubmit(
  args: readonly string[],
  o: { tasks: number; launcher: string[]; cwd: string; resources: SlurmResources },
): SubmitPlan {
  const command = `${args[0] ?? ''} ${args[1] ?? ''}`;
  if (!(SHARDABLE as readonly string[]).includes(command)) {
    throw new InputError(
      `slurm submit: '${args.slice(0, 2).join(' ') || '(nothing)'}' cannot run as an array; give one of ` +
        `${SHARDABLE.join(', ')} after --`,
    );
  }
  if (
    args.some(
      (a) => a === '--shard' || a.startsWith('--shard=') || a === '--shards' || a.startsWith('--shards='),
    )
  )
    throw new InputError('slurm submit: leave out --shard: every task gets --shard auto');
  let out: string | undefined;
  args.forEach((a, k) => {
    if (a === '--out') out = args[k + 1];
    else if (a.startsWith('--out=')) out = a.slice('--out='.length);
  });
  if (!out)
    throw new InputError(`slurm submit: the subcommand needs its --out (where the merged result goes)`);
  if (!Number.isInteger(o.tasks) || o.tasks < 1) throw new InputError(`--array must be a positive integer`);
  const abs = path.resolve(o.cwd, out);
  if (/["\n\r]/.test(abs))
    throw new InputError(
      `slurm submit: --out ${JSON.stringify(abs)} has a quote or a line break, which #SBATCH lines cannot hold`,
    );
  return {
    command: command as ShardableCommand,
    args: [...args],
    out: abs,
    workDir: `${abs}.slurm`,
    tasks: o.tasks,
    launcher: o.launcher,
    cwd: o.cwd,
    resources: o.resources,
    force: args.includes('--force'),
  };
}

export const logFile = (p: SubmitPlan, task: number | 'merge'): string =>
  path.join(p.workDir, 'logs', task === 'merge' ? 'merge.log' : `task-${task}.log`);
export const statusFile = (p: Pick<SubmitPlan, 'workDir'>, task: number | 'merge'): string =>
  path.join(p.workDir, 'status', task === 'merge' ? 'merge.rc' : `task-${task}.rc`);
/** Task i's output: a folder, or a score file for oneshot derive. */
export const shardOutput = (p: SubmitPlan, task: number | string): string =>
  path.join(p.workDir, 'shards', `task-${task}${p.command === 'oneshot derive' ? '.csv' : ''}`);

function directives(p: SubmitPlan, name: string, output: string): string[] {
  const r = p.resources;
  return [
    `#SBATCH --job-name=${name}`,
    // sbatch reads a directive's value in double quotes whole (a path with spaces).
    `#SBATCH --output=${/^[^\s"'\\$`]+$/.test(output) ? output : `"${output}"`}`,
    ...(r.partition ? [`#SBATCH --partition=${r.partition}`] : []),
    ...(r.time ? [`#SBATCH --time=${r.time}`] : []),
    ...(r.cpusPerTask ? [`#SBATCH --cpus-per-task=${r.cpusPerTask}`] : []),
    ...(r.mem ? [`#SBATCH --mem=${r.mem}`] : []),
  ];
}

/**
 * Record the exit code atomically, then exit with it. `name` is the status file's name, which may hold `$i` (only
 * safe characters besides); the folder is quoted on its own line.
 */
function epilogue(p: SubmitPlan, name: string): string[] {
  return [
    'rc=$?',
    `status=${shellQuote(path.dirname(statusFile(p, 0)))}`,
    `printf '%s\\n' "$rc" > "$status/.${name}.tmp" && mv -f "$status/.${name}.tmp" "$status/${name}"`,
    'exit "$rc"',
  ];
}

export function arrayScript(p: SubmitPlan): string {
  const name = `nas-surgery-${p.command.replace(' ', '-')}`;
  const array = `0-${p.tasks - 1}${p.resources.throttle ? `%${p.resources.throttle}` : ''}`;
  const outAt = p.args.findIndex((a) => a === '--out' || a.startsWith('--out='));
  // Each task writes to its own shard output; the $i stays outside the quotes so that the shell expands it.
  const [before, after] = shardOutput(p, 'TASK').split('task-TASK');
  const shardOut = `${before ? shellQuote(`${before}task-`) : 'task-'}"$i"${after ? shellQuote(after) : ''}`;
  const args = p.args.flatMap((a, k) => {
    if (k === outAt) return a === '--out' ? ['--out', shardOut] : [`--out=${shardOut}`];
    if (k === outAt + 1 && p.args[outAt] === '--out') return [];
    return [shellQuote(a)];
  });
  return [
    '#!/bin/bash',
    ...directives(p, name, logFile(p, 0).replace('task-0', 'task-%a')),
    `#SBATCH --array=${array}`,
    `# nas-surgery slurm submit: task i of ${p.tasks} runs shard i/${p.tasks}; the merge job joins them into`,
    `# ${p.out}`,
    'set -u',
    `cd ${shellQuote(p.cwd)} || exit 1`,
    'i="$SLURM_ARRAY_TASK_ID"',
    `${[...p.launcher.map(shellQuote), ...args, '--shard', 'auto'].join(' ')}`,
    ...epilogue(p, `${path.basename(statusFile(p, 0)).replace('task-0', 'task-$i')}`),
    '',
  ].join('\n');
}

export function mergeScript(p: SubmitPlan): string {
  const name = `nas-surgery-${p.command.replace(' ', '-')}-merge`;
  const shards = Array.from({ length: p.tasks }, (_, i) => shellQuote(shardOutput(p, i)));
  return [
    '#!/bin/bash',
    ...directives(p, name, logFile(p, 'merge')),
    `# nas-surgery slurm submit: runs after every task of the array succeeded (--dependency=afterok, with`,
    '# --kill-on-invalid-dep=yes so that it is cancelled, not left pending, when one failed)',
    'set -u',
    `cd ${shellQuote(p.cwd)} || exit 1`,
    [
      ...p.launcher.map(shellQuote),
      'merge',
      ...shards,
      '--out',
      shellQuote(p.out),
      ...(p.force ? ['--force'] : []),
    ].join(' '),
    ...epilogue(p, path.basename(statusFile(p, 'merge'))),
    '',
  ].join('\n');
}
