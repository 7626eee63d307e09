import type { Command } from 'commander';
import { getBenchmark, listBenchmarkNames } from '../benchmarks/registry.js';
import { fmt } from '../report/table.js';
import { printJson } from './output.js';

export function registerBenchmarksCommands(program: Command): void {
  const benchmarks = program
    .command('benchmarks')
    .description('the benchmark truths that --truth can name (bundled: NAS-Bench-201)');
  benchmarks
    .command('list')
    .description('every registered truth: its benchmark, size, classes, best and mean value, and what it is')
    .option('--json', 'print the entries as JSON (with their sources)')
    .action((f: { json?: boolean }) => {
      const entries = listBenchmarkNames().map(getBenchmark);
      if (f.json) return printJson(entries);
      const width = Math.max(...entries.map((e) => e.name.length));
      for (const e of entries) {
        console.log(
          `${e.name.padEnd(width)}  ${e.benchmark}, ${e.items} architectures` +
            (e.classes ? ` (${e.classes} isomorphism classes)` : '') +
            `, best ${fmt(e.best, 2)}, mean ${fmt(e.mean, 2)}: ${e.description}`,
        );
      }
      console.log('\nSources: nas-surgery benchmarks list --json; data/README.md.');
    });
}
