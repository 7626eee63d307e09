import type { Command } from 'commander';
import {
  getBenchmark,
  listBenchmarkNames,
  registerBenchmark,
  truthFileEntry,
} from '../benchmarks/registry.js';
import { loadTruthFile, TABLE_FORMATS } from '../benchmarks/truth-file.js';
import { fmt } from '../report/table.js';
import { choice, listOption, printJson } from './output.js';

interface ListFlags {
  json?: boolean;
  truthFile?: string;
  idColumn: string;
  truthColumn?: string;
  costColumn: string[];
  classColumn?: string;
  benchmarkName?: string;
  format: string;
  task?: string;
  dedupe: string;
}

export function registerBenchmarksCommands(program: Command): void {
  const benchmarks = program
    .command('benchmarks')
    .description('the benchmark truths that --truth can name (bundled: NAS-Bench-201)');
  benchmarks
    .command('list')
    .description('every registered truth: its benchmark, size, classes, best and mean value, and what it is')
    .option('--json', 'print the entries as JSON (with their sources)')
    .option(
      '--truth-file <file>',
      'also read a benchmark given as a file (as evaluate --truth-file takes it)',
    )
    .option('--id-column <name>', 'id column of --truth-file', 'arch')
    .option('--truth-column <name>', "truth column of --truth-file (default 'truth'; zc: val_accuracy)")
    .option('--cost-column <names>', 'cost column(s) of --truth-file', listOption, [])
    .option('--class-column <name>', 'class column of --truth-file')
    .option('--benchmark-name <name>', 'its name (default: the file name)')
    .option('--format <format>', `layout of --truth-file: ${TABLE_FORMATS.join(' | ')}`, 'auto')
    .option('--task <name>', 'task of a NASLib zc --truth-file')
    .option('--dedupe <policy>', 'duplicate ids in --truth-file: error | mean', 'error')
    .action((f: ListFlags) => {
      if (f.truthFile) {
        const bench = loadTruthFile(f.truthFile, {
          idColumn: f.idColumn,
          truthColumn: f.truthColumn,
          costColumns: f.costColumn,
          classColumn: f.classColumn,
          name: f.benchmarkName,
          format: choice('--format', TABLE_FORMATS, f.format),
          task: f.task,
          dedupe: choice('--dedupe', ['error', 'mean'] as const, f.dedupe),
        });
        registerBenchmark(bench.name, () => truthFileEntry(bench));
      }
      const entries = listBenchmarkNames().map(getBenchmark);
      if (f.json) return printJson(entries);
      const width = Math.max(...entries.map((e) => e.name.length));
      for (const e of entries) {
        console.log(
          `${e.name.padEnd(width)}  ${e.benchmark}, ${e.items} architectures` +
            (e.classes
              ? ` (${e.classes} ${e.benchmark === 'NAS-Bench-201' ? 'isomorphism classes' : 'classes'})`
              : '') +
            `, best ${fmt(e.best, 2)}, mean ${fmt(e.mean, 2)}: ${e.description}`,
        );
      }
      console.log('\nSources: nas-surgery benchmarks list --json; data/README.md.');
      if (!f.truthFile) {
        console.log('Any other benchmark is a truth file: evaluate --truth-file FILE (see evaluate --help).');
      }
    });
}
