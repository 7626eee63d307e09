import path from 'node:path';
import { invocationLine } from '../io/invocation.js';
import type { Command } from 'commander';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { comparisonTable, flopsGroupTable } from '../report/criteria-tables.js';
import { renderTextTable } from '../report/table.js';
import { trainingSet } from '../runners/training-sets.js';
import type { ArchScores } from '../scores/resolve-scores.js';
import { evaluateArchScoresDetailed, type EvaluationResult } from '../surgery/evaluate.js';
import { FREE_EVALUATORS, freeEvaluatorScores, type FreeEvaluatorName } from '../surgery/free-evaluators.js';
import { writeEvaluateRun } from '../surgery/write-evaluate-run.js';
import { writeManifest } from '../io/manifest.js';
import { FORCE_HELP, rerunVerdict, sameRunNote } from '../io/rerun.js';
import { printJson } from './output.js';
import { positiveInt } from './list-options.js';

interface DemoFlags {
  out: string;
  force?: boolean;
  json?: boolean;
  predictorSize: number;
  seed: number;
}

/** The evaluators of the main job: the free ones, and GATES trained on a few architectures. */
const GATES_LABEL = (n: number) => `gates-${n}`;

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      'the main job (npm start): surgery of FLOPs, params, the 12-epoch accuracy and a GATES predictor trained on 78 ' +
        'architectures against the cifar10 truth, with one HTML report',
    )
    .option('--out <dir>', 'output folder (one run folder per evaluator, and report.html)', 'runs/demo')
    .option('--predictor-size <n>', 'architectures GATES is trained on', positiveInt, 78)
    .option('--seed <n>', 'seed of the GATES training set and initialisation', (v) => Number(v), 20)
    .option('--force', FORCE_HELP)
    .option('--json', 'print the criteria as JSON')
    .action(async (flags: DemoFlags) => {
      const started = new Date();
      const t0 = performance.now();
      const options = { predictorSize: flags.predictorSize, seed: flags.seed };
      const verdict = rerunVerdict({
        out: flags.out,
        manifestFile: path.join(flags.out, 'manifest.json'),
        results: [path.join(flags.out, 'report.html')],
        command: 'demo',
        options,
        force: flags.force ?? false,
      });
      if (verdict === 'same') {
        process.stderr.write(sameRunNote(flags.out) + '\n');
        return;
      }
      const force = verdict === 'replace';
      const gt = loadGroundTruth();
      const log = (msg: string) => (flags.json ? undefined : console.log(msg));
      log('nas-surgery: how far can you trust a fast architecture evaluator?');
      log('Ground truth: NAS-Bench-201 CIFAR-10 test accuracy (200 epochs), all 15,625 architectures.\n');

      const evaluators: {
        name: string;
        what: string;
        scores: ArchScores;
        config: Record<string, unknown>;
      }[] = [];
      for (const name of Object.keys(FREE_EVALUATORS) as FreeEvaluatorName[]) {
        evaluators.push({
          name,
          what: FREE_EVALUATORS[name],
          scores: freeEvaluatorScores(name, gt),
          config: { evaluator: name },
        });
      }
      // TensorFlow.js, the predictors and vega load on use, so that other commands start fast.
      const { initTensorflow } = await import('../engine/tfjs-loader.js');
      const { createPredictor } = await import('../predictors/registry.js');
      const { createReport } = await import('../report/write-report.js');
      const backend = await initTensorflow('wasm');
      const n = flags.predictorSize;
      const train = trainingSet(gt.truth('cifar10'), n, 0, flags.seed);
      const gates = createPredictor('gates', { seed: flags.seed });
      const tFit = performance.now();
      try {
        await gates.fit(
          Array.from(train, (i) => gt.archs[i]),
          Float64Array.from(train, (i) => gt.truth('cifar10')[i]),
        );
        const predictions = await gates.predict(gt.archs);
        evaluators.push({
          name: GATES_LABEL(n),
          what: `GATES predictor (ranking loss, 200 epochs, ${backend}) trained on ${n} random architectures (${((performance.now() - tFit) / 1000).toFixed(1)} s)`,
          scores: { index: Int32Array.from({ length: gt.n }, (_, i) => i), score: predictions, merged: 0 },
          config: {
            evaluator: 'gates',
            trainingSetSize: n,
            seed: flags.seed,
            backend,
            train: Array.from(train),
          },
        });
      } finally {
        gates.dispose();
      }

      const results: { name: string; result: EvaluationResult }[] = [];
      const dirs: string[] = [];
      for (const e of evaluators) {
        const t = performance.now();
        const { result, aligned } = evaluateArchScoresDetailed(e.scores, { truth: 'cifar10', mode: 'iso' });
        const dir = path.join(flags.out, e.name);
        writeEvaluateRun(
          dir,
          {
            result,
            aligned,
            label: e.name,
            name: 'demo',
            command: invocationLine(),
            config: { ...e.config, description: e.what, truth: 'cifar10', mode: 'iso' },
            seeds: { bootstrap: 0, gates: flags.seed },
            startedAt: started,
            timingsMs: { evaluate: Math.round(performance.now() - t) },
          },
          force,
        );
        results.push({ name: e.name, result });
        dirs.push(dir);
      }
      const htmlFile = path.join(flags.out, 'report.html');
      await createReport(dirs, htmlFile, {
        force,
        title: 'nas-surgery: free evaluators and a GATES predictor against NAS-Bench-201',
      });
      const seconds = (performance.now() - t0) / 1000;
      writeManifest(path.join(flags.out, 'manifest.json'), {
        command: 'demo',
        config: options,
        seeds: { gates: flags.seed },
        startedAt: started,
        timingsMs: { total: Math.round(seconds * 1000) },
      });
      if (flags.json) {
        return printJson({
          report: htmlFile,
          evaluators: Object.fromEntries(results.map((r) => [r.name, r.result])),
        });
      }
      for (const e of evaluators) log(`  ${e.name.padEnd(11)} ${e.what}`);
      log('\n' + renderTextTable(comparisonTable(results)));
      log(`\nWhere ${GATES_LABEL(n)} goes wrong, by FLOPs group (positive = over-estimated):`);
      log(renderTextTable(flopsGroupTable(results[results.length - 1].result)));
      log(`\nReport: ${path.resolve(htmlFile)}`);
      log(`Run folders: ${dirs.join(', ')}`);
      log(
        `Done in ${seconds.toFixed(1)} s. Evaluate your own scores: nas-surgery evaluate --scores FILE (see --help).`,
      );
    });
}
