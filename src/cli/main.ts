import { Command, CommanderError } from 'commander';
import { isInputError } from '../io/input-error.js';
import { fsErrorLine } from '../io/fs-error.js';
import { packageInfo } from '../io/manifest.js';
type Register = (program: Command) => void;

/**
 * The top-level commands, in the order of `--help`, each loaded on use: a command imports only its own module, so
 * `evaluate` does not pay for the engines, vega or the predictors.
 */
const COMMANDS: Readonly<Record<string, () => Promise<Register>>> = {
  space: () => import('./space-command.js').then((m) => m.registerSpaceCommands),
  evaluate: () => import('./evaluate-command.js').then((m) => m.registerEvaluateCommand),
  benchmarks: () => import('./benchmarks-command.js').then((m) => m.registerBenchmarksCommands),
  predictors: () => import('./predictors-command.js').then((m) => m.registerPredictorsCommands),
  report: () => import('./report-command.js').then((m) => m.registerReportCommand),
  data: () => import('./data-command.js').then((m) => m.registerDataCommands),
  oneshot: () => import('./oneshot-command.js').then((m) => m.registerOneshotCommands),
  zeroshot: () => import('./zeroshot-command.js').then((m) => m.registerZeroshotCommands),
  merge: () => import('./merge-command.js').then((m) => m.registerMergeCommand),
  slurm: () => import('./slurm-command.js').then((m) => m.registerSlurmCommands),
  demo: () => import('./demo-command.js').then((m) => m.registerDemoCommand),
  doctor: () => import('./doctor-command.js').then((m) => m.registerDoctorCommand),
  'build-torch': () => import('./build-torch-command.js').then((m) => m.registerBuildTorchCommand),
};

/** The commands `argv` can reach: the one it names, or all of them (top-level help, `help`, a typo). */
function commandsFor(argv: readonly string[]): string[] {
  const first = argv[0];
  return first !== undefined && Object.hasOwn(COMMANDS, first) ? [first] : Object.keys(COMMANDS);
}

/** The program with `names` registered (default: every command). */
export async function buildProgram(names: readonly string[] = Object.keys(COMMANDS)): Promise<Command> {
  const program = new Command();
  program
    .name('nas-surgery')
    .description(
      'How far can you trust a fast architecture evaluator? Surgery against NAS-Bench-201 ground truth.',
    )
    .version(packageInfo().version)
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();
  const registers = await Promise.all(names.map((n) => COMMANDS[n]!()));
  for (const register of registers) register(program);
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
    await (await buildProgram(commandsFor(argv))).parseAsync(argv, { from: 'user' });
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
