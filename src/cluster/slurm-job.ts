/**
 * A submitted `slurm submit` job: its record (`<out>.slurm/job.json`), the state of each task and of the merge, and
 * the wait for the merge to end. The exit-code files the scripts write are the first witness (SLURM purges job
 * records MinJobAge seconds after they end); the controller's record is asked only for what has no file yet.
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { writeFileAtomic } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { toJson } from '../io/json.js';
import {
  arrayScript,
  logFile,
  mergeScript,
  shardOutput,
  statusFile,
  type SubmitPlan,
} from './sbatch-scripts.js';
import { jobRecord, queuedTasks, sbatch, TERMINAL_STATES } from './slurm-client.js';

export interface JobFile {
  format: 1;
  command: string;
  args: string[];
  out: string;
  workDir: string;
  tasks: number;
  arrayJob: string;
  mergeJob: string;
  submittedAt: string;
  logs: { tasks: string[]; merge: string };
  shards: string[];
}

export const jobFilePath = (out: string): string => path.join(`${path.resolve(out)}.slurm`, 'job.json');

export function readJobFile(out: string): JobFile {
  const file = jobFilePath(out);
  if (!existsSync(file))
    throw new InputError(`${file}: no job submitted with --out ${out} (slurm submit writes it)`);
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as JobFile;
  } catch (e) {
    throw new InputError(`${file}: not JSON (${(e as Error).message.split('\n')[0]})`);
  }
}

/** Write the scripts, submit the array and the merge that depends on it; returns the job record. */
export function submitPlan(p: SubmitPlan, force: boolean): JobFile {
  const file = path.join(p.workDir, 'job.json');
  if (existsSync(file) && !force) {
    throw new InputError(
      `${file}: a job was already submitted for ${p.out}; see nas-surgery slurm status ${p.out}, or pass --force`,
    );
  }
  for (const d of ['logs', 'status', 'shards']) mkdirSync(path.join(p.workDir, d), { recursive: true });
  // Exit files of an earlier submission (--force) would be taken for this one's.
  for (const t of [...Array.from({ length: p.tasks }, (_, i) => i), 'merge' as const])
    rmSync(statusFile(p, t), { force: true });
  const array = path.join(p.workDir, 'array.sbatch');
  const merge = path.join(p.workDir, 'merge.sbatch');
  writeFileAtomic(array, arrayScript(p));
  writeFileAtomic(merge, mergeScript(p));
  chmodSync(array, 0o755);
  chmodSync(merge, 0o755);
  const arrayJob = sbatch(array);
  const mergeJob = sbatch(merge, [`--dependency=afterok:${arrayJob}`, '--kill-on-invalid-dep=yes']);
  const job: JobFile = {
    format: 1,
    command: p.command,
    args: p.args,
    out: p.out,
    workDir: p.workDir,
    tasks: p.tasks,
    arrayJob,
    mergeJob,
    submittedAt: new Date().toISOString(),
    logs: { tasks: Array.from({ length: p.tasks }, (_, i) => logFile(p, i)), merge: logFile(p, 'merge') },
    shards: Array.from({ length: p.tasks }, (_, i) => shardOutput(p, i)),
  };
  writeFileAtomic(file, toJson(job) + '\n');
  return job;
}

export interface TaskState {
  /** Task number, or 'merge'. */
  task: number | 'merge';
  /** PENDING, RUNNING, COMPLETED, FAILED, CANCELLED, … or UNKNOWN (no exit file and no record left). */
  state: string;
  /** The exit code the task wrote, if it ended by itself. */
  exitCode?: number;
  /** SLURM's reason (e.g. DependencyNeverSatisfied). */
  reason?: string;
  log: string;
  /** Ended, one way or another. */
  done: boolean;
  ok: boolean;
}

function exitFile(file: string): number | undefined {
  if (!existsSync(file)) return undefined;
  const text = readFileSync(file, 'utf8').trim();
  return /^\d+$/.test(text) ? Number(text) : undefined;
}

function stateOf(job: JobFile, task: number | 'merge', queued: Map<number, string>): TaskState {
  const log = task === 'merge' ? job.logs.merge : job.logs.tasks[task];
  const code = exitFile(statusFile(job, task));
  if (code !== undefined) {
    return {
      task,
      state: code === 0 ? 'COMPLETED' : 'FAILED',
      exitCode: code,
      log,
      done: true,
      ok: code === 0,
    };
  }
  if (task !== 'merge' && queued.has(task)) {
    const state = queued.get(task)!;
    return { task, state, log, done: TERMINAL_STATES.has(state), ok: false };
  }
  const rec = jobRecord(task === 'merge' ? job.mergeJob : `${job.arrayJob}_${task}`);
  if (!rec)
    return { task, state: 'UNKNOWN', reason: 'no exit file and no SLURM record', log, done: true, ok: false };
  const done = TERMINAL_STATES.has(rec.state);
  // COMPLETED without an exit file: the script was killed between the command and the file (treated as failed).
  return { task, state: rec.state, reason: rec.reason, log, done, ok: false };
}

/** Every task's state, then the merge's. */
export function jobStates(job: JobFile): TaskState[] {
  const queued = queuedTasks(job.arrayJob);
  return [
    ...Array.from({ length: job.tasks }, (_, i) => stateOf(job, i, queued)),
    stateOf(job, 'merge', queued),
  ];
}

/**
 * Wait until the merge has ended (completed, failed, or cancelled because a task failed), at most `timeoutMs`.
 * Returns the final states; an InputError when the time is up.
 */
export async function waitForJob(
  job: JobFile,
  o: { timeoutMs: number; pollMs?: number; onPoll?: (states: TaskState[]) => void },
): Promise<TaskState[]> {
  const until = Date.now() + o.timeoutMs;
  let lastEndedWithoutFile = 0;
  for (;;) {
    const states = jobStates(job);
    o.onPoll?.(states);
    const merge = states[states.length - 1];
    if (merge.done) {
      // A merge seen as ended by the controller before its exit file appeared: look once more after a poll.
      if (merge.exitCode !== undefined || lastEndedWithoutFile++ > 0) return jobStates(job);
    }
    if (Date.now() > until) {
      throw new InputError(
        `slurm submit --wait: the merge job ${job.mergeJob} has not ended after ${Math.round(o.timeoutMs / 1000)} s ` +
          `(see nas-surgery slurm status ${job.out})`,
      );
    }
    await sleep(o.pollMs ?? 1000);
  }
}
