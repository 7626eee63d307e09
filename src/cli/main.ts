import { Command, CommanderError } from 'commander';
import { isInputError } from '../io/input-error.js';
import { fsErrorLine } from '../io/fs-error.js';
import { packageInfo } from '../io/manifest.js';
import { registerDemoCommand } from './demo-command.js';
import { registerDoctorCommand } from './doctor-command.js';
import { registerEvaluateCommand } from './evaluate-command.js';
import { registerMergeCommand } from './merge-command.js';
import { registerSlurmCommands } from './slurm-command.js';
import { registerSpaceCommands } from './space-command.js';
import { registerPredictorsCommands } from './predictors-command.js';
import { registerReportCommand } from './report-command.js';
import { registerDataCommands } from './data-command.js';
import { registerOneshotCommands } from './oneshot-command.js';
import { registerZeroshotCommands } from './zeroshot-command.js';

export function buildProgram(): Command {
  const program = new Command();
  program
    .name('nas-surgery')
    .description(
      'How far can you trust a fast architecture evaluator? Surgery against NAS-Bench-201 ground truth.',
    )
    .version(packageInfo().version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  registerSpaceCommands(program);
  registerEvaluateCommand(program);
  registerPredictorsCommands(program);
  registerReportCommand(program);
  registerDataCommands(program);
  registerOneshotCommands(program);
  registerZeroshotCommands(program);
  registerMergeCommand(program);
  registerSlurmCommands(program);
  registerDemoCommand(program);
  registerDoctorCommand(program);
  const override = (cmd: Command) => {
    cmd.exitOverride();
    cmd.commands.forEach(override);
  };
  override(program);
  return program;
}

/** Run the CLI; returns the exit code (0 ok, 2 usage or input error, 1 anything else). */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit with 0; commander already printed its message.
      return e.exitCode === 0 ? 0 : 2;
    }
    if (isInputError(e)) {
      process.stderr.write(`nas-surgery: error: ${e.message}\n`);
      return e.exitCode;
    }
    const fs = fsErrorLine(e);
    if (fs) {
      process.stderr.write(`nas-surgery: error: ${fs.message}\n`);
      return fs.exitCode;
    }
    process.stderr.write(`nas-surgery: internal error: ${(e as Error).stack ?? e}\n`);
    return 1;
  }
}
