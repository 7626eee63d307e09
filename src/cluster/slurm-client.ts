/**
 * The few SLURM client calls nas-surgery makes (sbatch, scontrol, squeue), each with a timeout so that a controller
 * that does not answer never hangs a command. Clients find the cluster through SLURM_CONF or /etc/slurm.
 */
import { execFileSync } from 'node:child_process';
import { InputError } from '../io/input-error.js';

const CALL_TIMEOUT_MS = 30_000;

function call(program: string, args: string[]): { ok: boolean; stdout: string; stderr: string } {
  try {
    const stdout = execFileSync(program, args, {
      timeout: CALL_TIMEOUT_MS,
      stdio: ['ignore', 'pipe', 'pipe'],
    }).toString();
    return { ok: true, stdout, stderr: '' };
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { stdout?: Buffer; stderr?: Buffer; signal?: string };
    if (err.code === 'ENOENT') {
      throw new InputError(
        `${program} not found: SLURM's client commands are needed (Debian: apt install slurm-client)`,
      );
    }
    if (err.signal === 'SIGTERM') {
      throw new InputError(`${program} ${args.join(' ')}: no answer within ${CALL_TIMEOUT_MS / 1000} s`);
    }
    return { ok: false, stdout: err.stdout?.toString() ?? '', stderr: err.stderr?.toString() ?? String(e) };
  }
}

/** Submit a batch script; returns the job id. */
export function sbatch(script: string, extra: string[] = []): string {
  const r = call('sbatch', ['--parsable', ...extra, script]);
  const id = /^(\d+)/.exec(r.stdout.trim())?.[1];
  if (!r.ok || !id) throw new InputError(`sbatch ${script}: ${(r.stderr || r.stdout).trim().split('\n')[0]}`);
  return id;
}

/** SLURM job states after which a job does nothing more. */
export const TERMINAL_STATES = new Set([
  'COMPLETED',
  'FAILED',
  'CANCELLED',
  'TIMEOUT',
  'NODE_FAIL',
  'PREEMPTED',
  'OUT_OF_MEMORY',
  'BOOT_FAIL',
  'DEADLINE',
  'REVOKED',
  'SPECIAL_EXIT',
]);

export interface JobRecord {
  state: string;
  reason: string;
  exitCode: string;
}

/**
 * The controller's record of one job (`123`) or array task (`123_4`), or undefined when it has none (never existed,
 * or purged MinJobAge seconds after it ended).
 */
export function jobRecord(id: string): JobRecord | undefined {
  const r = call('scontrol', ['show', 'job', '-o', id]);
  if (!r.ok) {
    if (/Invalid job id/i.test(r.stderr)) return undefined;
    throw new InputError(`scontrol show job ${id}: ${r.stderr.trim().split('\n')[0]}`);
  }
  // A pending array prints one line for the tasks not yet split off; take the line of this task when there is one.
  const lines = r.stdout.trim().split('\n');
  const task = id.includes('_') ? id.split('_')[1] : undefined;
  const line =
    (task !== undefined && lines.find((l) => new RegExp(`ArrayTaskId=${task}(\\s|$)`).test(l))) || lines[0];
  const field = (name: string) => new RegExp(`(?:^|\\s)${name}=(\\S+)`).exec(line)?.[1] ?? '';
  return { state: field('JobState'), reason: field('Reason'), exitCode: field('ExitCode') };
}

/** Pending and running tasks of an array, by task id (squeue splits the array with -r). */
export function queuedTasks(arrayId: string): Map<number, string> {
  const r = call('squeue', ['-h', '-r', '-j', arrayId, '-o', '%K %T']);
  const tasks = new Map<number, string>();
  if (!r.ok) return tasks; // an array that left the queue: squeue says "Invalid job id"
  for (const line of r.stdout.trim().split('\n')) {
    const [task, state] = line.trim().split(/\s+/);
    if (/^\d+$/.test(task ?? '')) tasks.set(Number(task), state);
  }
  return tasks;
}

/** Cancel jobs (best effort). */
export function scancel(ids: string[]): void {
  call('scancel', ids);
}
