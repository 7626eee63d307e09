import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { renderTextTable } from '../report/table.js';
import { positiveInt, positiveNumber } from './list-options.js';
import { printJson } from './output.js';

/** How this process was started (node, its flags such as tsx's loader, the CLI script): the tasks start the same. */
function launcher(): string[] {
  return [process.execPath, ...process.execArgv, path.resolve(process.argv[1])];
}

/** The default wait: twice the --time limit plus 10 minutes, else a day. */
function defaultWaitMs(time?: string): number {
  if (!time) return 24 * 3600_000;
  // SLURM's time formats: minutes, mm:ss, hh:mm:ss, d-hh, d-hh:mm, d-hh:mm:ss.
  const m = /^(?:(\d+)-)?(\d+)(?::(\d+))?(?::(\d+))?$/.exec(time);
  if (!m) return 24 * 3600_000;
  const [d, a, b, c] = [m[1], m[2], m[3], m[4]].map((x) => (x === undefined ? undefined : Number(x)));
  let seconds: number;
  if (d !== undefined) seconds = d * 86400 + a! * 3600 + (b ?? 0) * 60 + (c ?? 0);
  else if (c !== undefined) seconds = a! * 3600 + b! * 60 + c;
  else if (b !== undefined) seconds = a! * 60 + b;
  else seconds = a! * 60;
  return (2 * seconds + 600) * 1000;
}

function statesTable(states: import('../cluster/slurm-job.js').TaskState[]) {
  return renderTextTable({
    leftAlign: true,
    headers: ['task', 'state', 'exit', 'reason', 'log'],
    rows: states.map((s) => [
      String(s.task),
      s.state,
      s.exitCode === undefined ? '–' : String(s.exitCode),
      s.reason ?? '',
      s.log,
    ]),
  });
}

export function registerSlurmCommands(program: Command): void {
  const slurm = program
    .command('slurm')
    .description(
      'run a long job as a SLURM job array: one shard per task, then a merge job (README: cluster)',
    );

  slurm
    .command('submit')
    .description(
      'submit <subcommand> (zeroshot score, oneshot derive, oneshot curve, predictors run) as an array of n tasks, ' +
        'task i running it with --shard auto into <out>.slurm/shards/, and a merge job (afterok, ' +
        'kill-on-invalid-dep) that writes the merged result to the subcommand’s --out',
    )
    .requiredOption('--array <n>', 'number of tasks (shards)', positiveInt)
    .option('--wait', 'return when the merge has ended: exit 0 only if every task and the merge succeeded')
    .option(
      '--wait-timeout <minutes>',
      'give up waiting after this long (default: 2 × --time + 10 min, else 24 h)',
      positiveNumber('--wait-timeout'),
    )
    .option('--dry-run', 'print the two batch scripts; submit and write nothing')
    .option('--partition <p>', 'SLURM partition')
    .option('--time <t>', 'time limit of each task and of the merge (SLURM format, e.g. 2:00:00)')
    .option('--cpus-per-task <k>', 'CPUs of each task', positiveInt)
    .option('--mem <m>', 'memory of each task (SLURM format, e.g. 8G)')
    .option('--throttle <j>', 'at most j tasks at once', positiveInt)
    .option('--force', 'submit again over an earlier submission for the same --out')
    .option('--json', 'print the job ids (and with --wait the states) as JSON')
    .argument('<subcommand...>', 'after --: the subcommand and its options, with its usual --out')
    .action(async (sub: string[], f) => {
      const { planSubmit, arrayScript, mergeScript } = await import('../cluster/sbatch-scripts.js');
      const plan = planSubmit(sub, {
        tasks: f.array,
        launcher: launcher(),
        cwd: process.cwd(),
        resources: {
          partition: f.partition,
          time: f.time,
          cpusPerTask: f.cpusPerTask,
          mem: f.mem,
          throttle: f.throttle,
        },
      });
      if (f.dryRun) {
        console.log(`# ${path.join(plan.workDir, 'array.sbatch')}\n${arrayScript(plan)}`);
        console.log(
          `# ${path.join(plan.workDir, 'merge.sbatch')} (submitted with --dependency=afterok:<array job id> ` +
            `--kill-on-invalid-dep=yes)\n${mergeScript(plan)}`,
        );
        return;
      }
      const { submitPlan, waitForJob } = await import('../cluster/slurm-job.js');
      const job = submitPlan(plan, f.force ?? false);
      if (!f.json) {
        console.log(`submitted array job ${job.arrayJob} (${job.tasks} tasks) and merge job ${job.mergeJob}`);
        console.log(`logs: ${path.join(job.workDir, 'logs')}/task-<i>.log, merge.log`);
        console.log(
          `follow: nas-surgery slurm status ${job.out}   (or: tail -f ${path.join(job.workDir, 'logs')}/*.log)`,
        );
        console.log(`result: ${job.out}`);
      }
      if (!f.wait) {
        if (f.json)
          printJson({ arrayJob: job.arrayJob, mergeJob: job.mergeJob, workDir: job.workDir, out: job.out });
        return;
      }
      const timeoutMs = f.waitTimeout !== undefined ? f.waitTimeout * 60_000 : defaultWaitMs(f.time);
      const states = await waitForJob(job, { timeoutMs });
      const failed = states.filter((s) => !s.ok);
      if (f.json)
        printJson({
          arrayJob: job.arrayJob,
          mergeJob: job.mergeJob,
          out: job.out,
          ok: failed.length === 0,
          states,
        });
      else console.log(statesTable(states));
      if (failed.length > 0) {
        const tasks = failed.filter((s) => s.task !== 'merge');
        const merge = failed.find((s) => s.task === 'merge');
        const lines = [
          ...tasks.map(
            (s) =>
              `task ${s.task} ${s.state}${s.exitCode !== undefined ? ` (exit ${s.exitCode})` : ''}: ${s.log}`,
          ),
          ...(merge
            ? [
                `merge ${merge.state}${merge.exitCode !== undefined ? ` (exit ${merge.exitCode})` : ''}${merge.reason ? ` (${merge.reason})` : ''}${tasks.length > 0 ? ': not run, a task failed' : `: ${merge.log}`}`,
              ]
            : []),
        ];
        throw new InputError(`slurm job ${job.arrayJob} failed:\n  ${lines.join('\n  ')}`, 1);
      }
      if (!f.json) console.log(`all ${job.tasks} tasks and the merge succeeded → ${job.out}`);
    });

  slurm
    .command('status')
    .description('the state of each task and of the merge of a slurm submit job')
    .argument('<out>', 'the subcommand’s --out')
    .option('--json', 'as JSON')
    .action(async (out: string, f: { json?: boolean }) => {
      const { readJobFile, jobStates } = await import('../cluster/slurm-job.js');
      const job = readJobFile(out);
      const states = jobStates(job);
      if (f.json) return printJson({ arrayJob: job.arrayJob, mergeJob: job.mergeJob, out: job.out, states });
      console.log(
        `array job ${job.arrayJob} (${job.tasks} tasks of ${job.command}), merge job ${job.mergeJob}`,
      );
      console.log(statesTable(states));
      const count = (ok: (s: (typeof states)[number]) => boolean) => states.filter(ok).length;
      console.log(
        `${count((s) => s.ok)} succeeded, ${count((s) => s.done && !s.ok)} failed or cancelled, ` +
          `${count((s) => !s.done)} pending or running`,
      );
    });
}
