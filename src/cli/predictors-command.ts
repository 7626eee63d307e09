import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { loadGroundTruth } from '../bench/ground-truth.js';
import { TRUTH_NAMES } from '../bench/truth-names.js';
import { writeResultFiles } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { makeManifest } from '../io/manifest.js';
import { renderMarkdownTable, renderTextTable, fmt, type Table } from '../report/table.js';
import {
  runsCsv,
  summarizeRuns,
  summaryCsv,
  SUMMARY_METRICS,
  type SummaryRow,
} from '../runners/aggregate-runs.js';
import type { LossName } from '../runners/predictor-run.js';
import type { StageResult } from '../runners/predictor-search.js';
import { PROTOCOL_DEFAULTS } from '../runners/protocol-defaults.js';
import { loadTargets } from '../scores/targets.js';
import { choice, printJson, toJson } from './output.js';
import { listOf, nonNegativeInt, positiveInt, positiveNumber } from './list-options.js';
import { makeProgress } from './progress.js';

const LOSSES: readonly LossName[] = ['ranking', 'regression'];

/** Check predictor names against the registry (loaded on use: it brings TensorFlow.js). */
async function checkPredictors(names: readonly string[]): Promise<void> {
  const { listPredictors } = await import('../predictors/registry.js');
  const known = listPredictors();
  const unknown = names.find((n) => !known.includes(n));
  if (unknown)
    throw new InputError(`--predictor: unknown predictor '${unknown}' (known: ${known.join(', ')})`);
}

function lossName(s: string): LossName {
  if (!(LOSSES as readonly string[]).includes(s))
    throw new Error(`unknown loss '${s}' (known: ${LOSSES.join(', ')})`);
  return s as LossName;
}

interface CommonFlags {
  truth: string;
  targets?: string;
  targetsColumn: string;
  epochs: number;
  batchSize: number;
  lr: number;
  backend: string;
  out: string;
  force?: boolean;
  json?: boolean;
  quiet?: boolean;
}

function addCommonOptions(cmd: Command): Command {
  return cmd
    .option(
      '--truth <name>',
      `ground truth the predictions are judged against: ${TRUTH_NAMES.join(', ')}`,
      'cifar10',
    )
    .option(
      '--targets <file>',
      'train on these scores (CSV/JSON score file, e.g. one-shot scores) instead of the truth',
    )
    .option('--targets-column <name>', 'score column of --targets', 'score')
    .option('--epochs <n>', 'training epochs', positiveInt, PROTOCOL_DEFAULTS.epochs)
    .option('--batch-size <n>', 'batch size', positiveInt, PROTOCOL_DEFAULTS.batchSize)
    .option('--lr <x>', 'Adam learning rate', positiveNumber('--lr'), PROTOCOL_DEFAULTS.learningRate)
    .option('--backend <name>', 'TensorFlow.js backend: wasm | cpu | webgpu', 'wasm')
    .requiredOption('--out <dir>', 'output folder')
    .option('--force', 'redo or overwrite existing results in --out')
    .option('--json', 'print the results as JSON')
    .option('--quiet', 'no progress output');
}

function sourceOf(flags: CommonFlags) {
  return flags.targets ? { file: flags.targets, column: flags.targetsColumn } : { truth: flags.truth };
}

export function summaryTable(rows: readonly SummaryRow[]): Table {
  const metrics = SUMMARY_METRICS.filter((m) => ['kendall', 'p_top_1', 'p_top_5', 'br_1'].includes(m.id));
  return {
    headers: [
      'predictor',
      'loss',
      'N',
      'runs',
      ...metrics.map((m) => `${m.label} (mean ± std)`),
      'τ 95% CI over sets',
      'fit s',
    ],
    rows: rows.map((r) => [
      r.predictor,
      r.loss,
      String(r.size),
      String(r.runs),
      ...metrics.map((m) => `${fmt(r.metrics[m.id].mean)} ± ${fmt(r.metrics[m.id].std)}`),
      Number.isFinite(r.overSets.kendall.low)
        ? `${fmt(r.overSets.kendall.low)} – ${fmt(r.overSets.kendall.high)} (${r.overSets.kendall.clusters} sets)`
        : '–',
      r.fitSeconds.mean.toFixed(1),
    ]),
  };
}

export function registerPredictorsCommands(program: Command): void {
  const predictors = program.command('predictors').description('predictor-based evaluators (SPEC §5)');

  predictors
    .command('list')
    .description('registered predictors')
    .action(async () => {
      const { listPredictors, predictorDescription } = await import('../predictors/registry.js');
      for (const p of listPredictors()) console.log(`${p.padEnd(8)} ${predictorDescription(p)}`);
    });

  addCommonOptions(
    predictors
      .command('run')
      .description(
        'the paper protocol: each predictor × loss × training-set size × set × seed, judged on all 15,625',
      )
      .option(
        '--predictor <list>',
        'predictors',
        listOf('--predictor', (p) => p),
        ['gates', 'lstm', 'mlp', 'rf'],
      )
      .option('--loss <list>', 'ranking, regression', listOf('--loss', lossName), ['ranking'])
      .option('--sizes <list>', 'training-set sizes', listOf('--sizes', positiveInt), [
        ...PROTOCOL_DEFAULTS.sizes,
      ])
      .option('--sets <n>', 'random training sets per size', positiveInt, PROTOCOL_DEFAULTS.sets)
      .option('--seeds <list>', 'seeds per training set', listOf('--seeds', nonNegativeInt), [
        ...PROTOCOL_DEFAULTS.seeds,
      ])
      .option(
        '--set-seed <n>',
        'base seed of the training-set draws',
        nonNegativeInt,
        PROTOCOL_DEFAULTS.setSeed,
      )
      .option('--workers <n>', 'worker threads', positiveInt, Math.max(1, Math.min(cpus().length, 4))),
  ).action(
    async (
      flags: CommonFlags & {
        predictor: string[];
        loss: LossName[];
        sizes: number[];
        sets: number;
        seeds: number[];
        setSeed: number;
        workers: number;
      },
    ) => {
      const started = new Date();
      await checkPredictors(flags.predictor);
      const { runPredictorProtocol } = await import('../runners/predictor-protocol.js');
      const backend = choice('--backend', ['wasm', 'cpu', 'webgpu'] as const, flags.backend);
      if (backend === 'webgpu') {
        // Fail here, with a clear message, rather than in every worker.
        const { initTensorflow } = await import('../engine/tf-backend.js');
        await initTensorflow('webgpu');
      }
      const truth = choice('--truth', TRUTH_NAMES, flags.truth);
      const gt = loadGroundTruth();
      const targets = loadTargets(gt, sourceOf(flags));
      const progress = makeProgress('predictor runs', flags.quiet || flags.json);
      const t0 = performance.now();
      const { results, fresh } = await runPredictorProtocol({
        predictors: flags.predictor,
        losses: flags.loss,
        sizes: flags.sizes,
        sets: flags.sets,
        seeds: flags.seeds,
        epochs: flags.epochs,
        batchSize: flags.batchSize,
        learningRate: flags.lr,
        setSeed: flags.setSeed,
        truth,
        targets,
        outDir: flags.out,
        workers: flags.workers,
        backend,
        force: flags.force,
        onStart: (total, todo) => progress.start(total, total - todo),
        onRun: (r, isFresh) => {
          if (isFresh) {
            const s = r.spec;
            progress.tick(
              `${s.predictor} ${s.loss} n=${s.size} set ${s.set} seed ${s.seed}: τ=${fmt(r.criteria.kendall, 3)}`,
            );
          }
        },
      });
      progress.stop();
      const seconds = (performance.now() - t0) / 1000;
      const rows = summarizeRuns(results);
      const fitTotal = results.reduce((a, r) => a + r.fitMs, 0) / 1000;
      const table = summaryTable(rows);
      const command = `nas-surgery ${process.argv.slice(2).join(' ')}`;
      const manifest = makeManifest({
        command: 'predictors run',
        config: { ...flags, backend, truth, targetsSource: flags.targets ?? `truth:${truth}` },
        seeds: Object.fromEntries(
          flags.seeds.map((s) => [`seed${s}`, s]).concat([['setSeed', flags.setSeed]]),
        ),
        inputs: flags.targets ? [flags.targets] : [],
        startedAt: started,
        timingsMs: {
          total: Math.round(seconds * 1000),
          freshRuns: fresh,
          fitAllRuns: Math.round(fitTotal * 1000),
        },
      });
      writeResultFiles(
        flags.out,
        {
          'runs.csv': runsCsv(results),
          'summary.csv': summaryCsv(rows),
          'summary.json': toJson(rows) + '\n',
          'summary.md': [
            '# Predictor protocol',
            '',
            `Command: \`${command}\``,
            '',
            `${results.length} runs; this invocation ran ${fresh} of them in ${seconds.toFixed(0)} s on ` +
              `${flags.workers} worker threads${fresh < results.length ? ' and resumed the others from `runs/`' : ''} ` +
              `(fitting time summed over all runs: ${fitTotal.toFixed(0)} s); ` +
              `predictions judged against \`${truth}\` on all ${gt.n} architectures; ` +
              `trained on ${flags.targets ? `scores from \`${flags.targets}\`` : `the \`${truth}\` truth`}.`,
            '',
            renderMarkdownTable(table),
            '',
            'The interval is a Student-t interval on the per-set means: the seeds of one training set see the same ' +
              'architectures, so the sets, not the runs, are the independent draws. `summary.csv` has it for every ' +
              'criterion (`_ci_low`, `_ci_high`) with the spread split into between-set (`_sd_sets`) and seed ' +
              '(`_sd_seeds`) parts.',
            '',
          ].join('\n'),
          'manifest.json': toJson(manifest) + '\n',
        },
        true, // summaries are derived from runs/, which resume and --force protect
      );
      if (flags.json)
        return printJson({ summary: rows, runs: results.map((r) => ({ ...r, train: undefined })) });
      console.log(renderTextTable(table));
      console.log(
        `\n${results.length} runs (${fresh} new) in ${seconds.toFixed(0)} s; results in ${flags.out}`,
      );
    },
  );

  addCommonOptions(
    predictors
      .command('search')
      .description('multi-stage predictor-based search: query, retrain, repeat (SPEC §5)')
      .option('--predictor <name>', 'predictor', 'gates')
      .option('--loss <name>', 'ranking | regression', 'ranking')
      .option('--stages <n>', 'stages', positiveInt, 5)
      .option('--per-stage <n>', 'architectures queried per stage', positiveInt, 78)
      .option(
        '--strategy <name>',
        'top (best predicted) | group (best of each group of the shuffled rest)',
        'top',
      )
      .option('--seed <n>', 'predictor seed', nonNegativeInt, 20)
      .option('--sample-seed <n>', 'seed of the random first stage and group shuffles', nonNegativeInt, 0),
  ).action(
    async (
      flags: CommonFlags & {
        predictor: string;
        loss: string;
        stages: number;
        perStage: number;
        strategy: string;
        seed: number;
        sampleSeed: number;
      },
    ) => {
      const started = new Date();
      await checkPredictors([flags.predictor]);
      const predictor = flags.predictor;
      const { initTensorflow } = await import('../engine/tf-backend.js');
      const { runPredictorSearch } = await import('../runners/predictor-search.js');
      const loss = choice('--loss', LOSSES, flags.loss);
      const strategy = choice('--strategy', ['top', 'group'] as const, flags.strategy);
      const backend = choice('--backend', ['wasm', 'cpu', 'webgpu'] as const, flags.backend);
      const truth = choice('--truth', TRUTH_NAMES, flags.truth);
      const files = ['stages.csv', 'stages.json', 'summary.md', 'manifest.json'];
      if (!flags.force && files.some((f) => existsSync(path.join(flags.out, f)))) {
        throw new InputError(`${flags.out} already holds search results; pass --force to overwrite`);
      }
      const gt = loadGroundTruth();
      const targets = loadTargets(gt, sourceOf(flags));
      await initTensorflow(backend);
      const progress = makeProgress('search stages', flags.quiet || flags.json);
      progress.start(flags.stages);
      const t0 = performance.now();
      const stages = await runPredictorSearch(gt, {
        predictor,
        config: {
          loss,
          epochs: flags.epochs,
          batchSize: flags.batchSize,
          learningRate: flags.lr,
          seed: flags.seed,
        },
        stages: flags.stages,
        perStage: flags.perStage,
        strategy,
        sampleSeed: flags.sampleSeed,
        truth,
        targets,
        onStage: (s) =>
          progress.tick(
            `stage ${s.stage}: P@0.1%=${fmt(s.precisionTop01, 3)} best=${s.bestTruth.toFixed(2)}`,
          ),
      });
      progress.stop();
      const seconds = (performance.now() - t0) / 1000;
      const table = stagesTable(stages);
      const command = `nas-surgery ${process.argv.slice(2).join(' ')}`;
      writeResultFiles(
        flags.out,
        {
          'stages.csv': stagesCsv(stages),
          'stages.json': toJson(stages) + '\n',
          'summary.md': [
            `# Multi-stage search with ${predictor} (${loss} loss, ${strategy})`,
            '',
            `Command: \`${command}\``,
            '',
            renderMarkdownTable(table),
            '',
            'The interval is a Student-t interval on the per-set means: the seeds of one training set see the same ' +
              'architectures, so the sets, not the runs, are the independent draws. `summary.csv` has it for every ' +
              'criterion (`_ci_low`, `_ci_high`) with the spread split into between-set (`_sd_sets`) and seed ' +
              '(`_sd_seeds`) parts.',
            '',
          ].join('\n'),
          'manifest.json':
            toJson(
              makeManifest({
                command: 'predictors search',
                config: { ...flags, predictor, loss, strategy, backend, truth },
                seeds: { predictor: flags.seed, sample: flags.sampleSeed },
                inputs: flags.targets ? [flags.targets] : [],
                startedAt: started,
                timingsMs: { total: Math.round(seconds * 1000) },
              }),
            ) + '\n',
        },
        flags.force ?? false,
      );
      if (flags.json) return printJson(stages);
      console.log(renderTextTable(table));
      console.log(`\n${flags.stages} stages in ${seconds.toFixed(0)} s; results in ${flags.out}`);
    },
  );
}

function stagesTable(stages: readonly StageResult[]): Table {
  return {
    headers: [
      'stage',
      'queried',
      'P@top0.1%',
      'P@top1%',
      'Kendall τ',
      'best truth found',
      'its true rank / N',
    ],
    rows: stages.map((s) => [
      String(s.stage),
      String(s.queried),
      fmt(s.precisionTop01),
      fmt(s.precisionTop1),
      fmt(s.kendall),
      `${s.bestTruth.toFixed(3)} (index ${s.bestIndex})`,
      fmt(s.bestRank, 5),
    ]),
  };
}

function stagesCsv(stages: readonly StageResult[]): string {
  const cols = [
    'stage',
    'queried',
    'p_top_0.1',
    'p_top_1',
    'kendall',
    'best_truth',
    'best_index',
    'best_rank',
    'fit_seconds',
  ];
  return (
    [
      cols.join(','),
      ...stages.map((s) =>
        [
          s.stage,
          s.queried,
          s.precisionTop01,
          s.precisionTop1,
          s.kendall,
          s.bestTruth,
          s.bestIndex,
          s.bestRank,
          (s.fitMs / 1000).toFixed(3),
        ].join(','),
      ),
    ].join('\n') + '\n'
  );
}
