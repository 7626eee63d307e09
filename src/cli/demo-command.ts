import type { Command } from 'commander';
import { loadGroundTruth } from '../bench/ground-truth.js';
import { comparisonTable, flopsGroupTable } from '../report/criteria-tables.js';
import { renderTextTable } from '../report/table.js';
import { evaluateArchScores, type EvaluationResult } from '../surgery/evaluate.js';
import { FREE_EVALUATORS, freeEvaluatorScores, type FreeEvaluatorName } from '../surgery/free-evaluators.js';
import { printJson } from './output.js';

/** The surgery of the free evaluators against the cifar10 truth on all 15,625 architectures. */
export function freeEvaluatorSurgery(): { name: string; result: EvaluationResult }[] {
  const gt = loadGroundTruth();
  return (Object.keys(FREE_EVALUATORS) as FreeEvaluatorName[]).map((name) => ({
    name,
    result: evaluateArchScores(freeEvaluatorScores(name, gt), { truth: 'cifar10', mode: 'iso' }),
  }));
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'surgery of the free evaluators (FLOPs, params, 12-epoch accuracy) on bundled data (npm start)',
    )
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const t0 = performance.now();
      const results = freeEvaluatorSurgery();
      if (opts.json) return printJson(Object.fromEntries(results.map((r) => [r.name, r.result])));
      console.log('nas-surgery: how far can you trust a free architecture evaluator?');
      console.log(
        'Ground truth: NAS-Bench-201 CIFAR-10 test accuracy (200 epochs), all 15,625 architectures.\n',
      );
      for (const [name, what] of Object.entries(FREE_EVALUATORS)) console.log(`  ${name.padEnd(11)} ${what}`);
      console.log('\n' + renderTextTable(comparisonTable(results)));
      const flops = results.find((r) => r.name === 'flops')!.result;
      console.log('\nWhere FLOPs goes wrong, by FLOPs group (positive = over-estimated):');
      console.log(renderTextTable(flopsGroupTable(flops)));
      console.log(
        `\nDone in ${((performance.now() - t0) / 1000).toFixed(1)} s. ` +
          'Evaluate your own scores: nas-surgery evaluate --scores FILE (see --help).',
      );
    });
}
