import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { CIFAR10_BINARY_URL } from '../data/checksums.js';
import { downloadCifar10 } from '../data/download.js';
import { inspectCifar10, inspectionText } from '../data/inspect.js';
import { defaultCifar10Dir } from '../data/locations.js';
import { parseSplitChoice } from '../data/splits.js';
import { intOption, printJson } from './output.js';

const DATASETS = ['cifar10'] as const;

function dataset(name: string): (typeof DATASETS)[number] {
  if (!(DATASETS as readonly string[]).includes(name)) {
    throw new InputError(`unknown dataset '${name}'; known: ${DATASETS.join(', ')}`);
  }
  return name as (typeof DATASETS)[number];
}

const mb = (b: number) => (b / 1e6).toFixed(1);

/** Byte progress on stderr: one updating line on a terminal, a line every 10% otherwise, nothing when quiet. */
function byteProgress(label: string, quiet: boolean) {
  if (quiet) return { update: () => {}, done: () => {} };
  const tty = process.stderr.isTTY;
  const t0 = Date.now();
  let first: number | null = null;
  let lastDraw = 0;
  let lastDecile = -1;
  let drawn = false;
  return {
    update(bytes: number, total: number | null) {
      first ??= bytes;
      const now = Date.now();
      const rate = (bytes - first) / 1e6 / Math.max(0.001, (now - t0) / 1000);
      const pct = total ? (100 * bytes) / total : null;
      const text =
        `${label} ${pct === null ? '' : `${pct.toFixed(1)}% `}(${mb(bytes)}${total ? ` / ${mb(total)}` : ''} MB) ` +
        `${rate.toFixed(1)} MB/s`;
      if (tty) {
        if (now - lastDraw < 100 && bytes !== total) return;
        lastDraw = now;
        drawn = true;
        process.stderr.write(`\r${text}\x1b[K`);
      } else if (pct !== null) {
        const decile = Math.floor(pct / 10);
        if (decile > lastDecile) {
          lastDecile = decile;
          process.stderr.write(`${text}\n`);
        }
      }
    },
    done() {
      if (tty && drawn) process.stderr.write('\n');
      drawn = false;
    },
  };
}

interface DownloadFlags {
  dir?: string;
  url: string;
  keepArchive?: boolean;
  force?: boolean;
  retries: number;
  quiet?: boolean;
  json?: boolean;
}

interface CheckFlags {
  dir?: string;
  split: string;
  md5: boolean;
  json?: boolean;
}

export function registerDataCommands(program: Command): void {
  const data = program.command('data').description('datasets for the one-shot supernet (CIFAR-10)');
  data
    .command('download')
    .description(
      'fetch the official CIFAR-10 binary archive (resumable), verify its md5 and extract the batch files',
    )
    .argument('<dataset>', `dataset: ${DATASETS.join(', ')}`)
    .option('--dir <dir>', `folder for the batch files (default: ${defaultCifar10Dir()})`)
    .option(
      '--url <url>',
      'archive URL (a mirror of the same file: its md5 is still checked)',
      CIFAR10_BINARY_URL,
    )
    .option('--keep-archive', 'keep cifar-10-binary.tar.gz in --dir after extracting')
    .option('--force', 'download and extract even when every batch file is already there')
    .option('--retries <n>', 'retries of an interrupted transfer, each resuming', intOption('--retries'), 5)
    .option('--quiet', 'no progress on stderr')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, flags: DownloadFlags) => {
      dataset(name);
      const dir = flags.dir ?? defaultCifar10Dir();
      const progress = byteProgress('cifar-10-binary.tar.gz', flags.quiet ?? false);
      const log = (line: string) => {
        progress.done();
        if (!flags.quiet) process.stderr.write(`${line}\n`);
      };
      const result = await downloadCifar10({
        dir,
        url: flags.url,
        force: flags.force,
        keepArchive: flags.keepArchive,
        retries: flags.retries,
        onProgress: progress.update,
        log,
      });
      progress.done();
      if (flags.json) return printJson(result);
      if (result.status === 'present') console.log(`CIFAR-10 is already in ${dir}`);
      else {
        console.log(`CIFAR-10 batch files in ${dir}:`);
        for (const f of result.files) console.log(`  ${f.file}  ${f.bytes} bytes  md5 ${f.md5}`);
      }
    });
  data
    .command('check')
    .description('load a CIFAR-10 folder: counts, label histogram, channel means, split, md5 report')
    .argument('<dataset>', `dataset: ${DATASETS.join(', ')}`)
    .option('--dir <dir>', `folder of the batch files (default: ${defaultCifar10Dir()})`)
    .option(
      '--split <split>',
      'auto | paper | proportional | proportional:FRACTION | TRAIN_START-TRAIN_END,HELD_START-HELD_END',
      'auto',
    )
    .option('--no-md5', 'skip the md5 report')
    .option('--json', 'print JSON')
    .action((name: string, flags: CheckFlags) => {
      dataset(name);
      const dir = flags.dir ?? defaultCifar10Dir();
      const { report } = inspectCifar10(dir, { split: parseSplitChoice(flags.split), md5: flags.md5 });
      if (flags.json) return printJson(report);
      for (const line of inspectionText(report)) console.log(line);
    });
}
