import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { TRUTH_NAMES } from '../benchmarks/truth-names.js';
import { writeResultFiles } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { FORCE_HELP, rerunVerdict, sameRunNote } from '../io/rerun.js';
import { invocationLine } from '../io/invocation.js';
import { makeManifest, sha256File } from '../io/manifest.js';
import { parseShard, SHARD_HELP, SHARDS_HELP, shardLabel, shardRecord } from '../runners/shard.js';
import { renderMarkdownTable, renderTextTable, fmt, type Table } from '../report/table.js';
import {
  runsCsv,
  timingsCsv,
  summarizeRuns,
  summaryCsv,
  SUMMARY_METRICS,
  type SummaryRow,
} from '../runners/aggregate-runs.js';
import type { LossName } from '../runners/predictor-run.js';
import type { StageResult } from '../runners/predictor-search.js';
import { PROTOCOL_DEFAULTS } from '../runners/protocol-defaults.js';
import { describeTargets, type TargetsSpec } from '../runners/targets-spec.js';
import { TARGET_SCALES, type TargetScale } from '../predictors/target-scale.js';
import { checkTargetScale, loadTargets } from '../scores/targets.js';
import { choice, printJson, toJson } from './output.js';
import { listOf, nonNegativeInt, positiveInt, positiveNumber } from './list-options.js';
import { makeProgress } from './progress.js';
import { BACKEND_CHOICES } from '../engine/engine.js';
import {
  BACKEND_HELP,
  THREADS_HELP,
  WORKER_THREADS_HELP,
  engineOf,
  workerBackendOf,
} from './engine-options.js';

const LOSSES: readonly LossName[] = ['ranking', 'regression'];

/** Check predictor names against the registry (loaded on use). */
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
  targetScale?: string;
  epochs: number;
  batchSize: number;
  lr: number;
  backend: string;
  threads?: number;
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
    .option(
      '--target-scale <name>',
      'how the regression loss maps targets to [0, 1]: percent (accuracy / 100; refuses targets outside ' +
        '[0, 100]) | minmax (affine, min → 0, max → 1 over each training set; a constant set → 0.5). ' +
        'Default: percent on the truth, minmax with --targets. The ranking loss is scale-free and ignores it',
    )
    .option('--epochs <n>', 'training epochs', positiveInt, PROTOCOL_DEFAULTS.epochs)
    .option('--batch-size <n>', 'batch size', positiveInt, PROTOCOL_DEFAULTS.batchSize)
    .option('--lr <x>', 'Adam learning rate', positiveNumber('--lr'), PROTOCOL_DEFAULTS.learningRate)
    .option('--backend <name>', `${BACKEND_HELP} (the neural predictors)`, 'auto')
    .requiredOption('--out <dir>', 'output folder')
    .option(
      '--force',
      `${FORCE_HELP}; predictors run keeps saved runs with the same settings (it resumes) and redoes the others`,
    )
    .option('--json', 'print the results as JSON')
    .option('--quiet', 'no progress output');
}

function sourceOf(flags: CommonFlags) {
  return flags.targets ? { file: flags.targets, column: flags.targetsColumn } : { truth: flags.truth };
}

/** --target-scale, or its default: percent when training on the truth, minmax with --targets. */
function targetScaleOf(flags: CommonFlags): TargetScale {
  if (flags.targetScale === undefined) return flags.targets ? 'minmax' : 'percent';
  return choice('--target-scale', TARGET_SCALES, flags.targetScale);
}

const SCALE_TEXT: Record<TargetScale, string> = {
  percent: '`percent` (accuracy / 100)',
  minmax: '`minmax` (mapped affinely to [0, 1] over each training set: min → 0, max → 1)',
};

/** What the predictors were trained on, in words for summary.md: the targets' source, their pool, the scale. */
function targetsText(
  flags: CommonFlags,
  truth: string,
  t: TargetsSpec,
  n: number,
  losses: readonly string[],
) {
  const source = flags.targets
    ? `scores from \`${flags.targets}\` (column \`${flags.targetsColumn}\`, sha256 ${t.targetsFileSha256?.slice(0, 12)}…)`
    : `the \`${truth}\` truth`;
  const pool =
    t.trainingPool === n
      ? `all ${n} architectures have a target`
      : `${t.trainingPool} of the ${n} architectures have a target, and training architectures are drawn from those`;
  const scale = !losses.includes('regression')
    ? `target scale ${SCALE_TEXT[t.targetScale]}, unused: the ranking loss is scale-free`
    : `regression-loss target scale ${SCALE_TEXT[t.targetScale]}` +
      (losses.includes('ranking') ? ' (the ranking loss is scale-free and does not use it)' : '');
  return { source, pool, scale };
}

function targetsConfig(t: TargetsSpec) {
  return {
    targetScale: t.targetScale,
    targetsFileSha256: t.targetsFileSha256,
    targetsSha256: t.targetsSha256,
    trainingPool: t.trainingPool,
    trainingPoolSha256: t.trainingPoolSha256,
  };
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
    ]),
  };
}

export function registerPredictorsCommands(program: Command): void {
  const predictors = program
    .command('predictors')
    .description('predictor-based evaluators (docs/method.md §5)');

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
      .option('--workers <n>', 'worker threads', positiveInt, Math.max(1, Math.min(cpus().length, 4)))
      .option('--threads <n>', WORKER_THREADS_HELP, positiveInt)
      .option(
        '--save-predictions',
        'also write each trained run’s predictions of all 15,625 architectures to runs/<run>.predictions.csv ' +
          '(index,score: a score file for evaluate; about 0.3 MB a run)',
      )
      .option('--shard <i/n|auto>', SHARD_HELP, '0/1')
      .option('--shards <n>', SHARDS_HELP, positiveInt)
      .addOption(new Option('--resume-only').hideHelp()),
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
        savePredictions?: boolean;
        shard: string;
        shards?: number;
        resumeOnly?: boolean;
      },
    ) => {
      const started = new Date();
      const shard = parseShard(flags.shard, flags.shards);
      flags.shard = shardLabel(shard); // manifests record the shard itself ('auto' → i/n)
      await checkPredictors(flags.predictor);
      const { runPredictorProtocol } = await import('../runners/predictor-protocol.js');
      const { predictorNeedsEngine } = await import('../predictors/registry.js');
      const backend = await workerBackendOf(flags.backend, {
        check: flags.predictor.some(predictorNeedsEngine),
      });
      const truth = choice('--truth', TRUTH_NAMES, flags.truth);
      const targetScale = targetScaleOf(flags);
      const gt = loadGroundTruth();
      const source = sourceOf(flags);
      const targets = loadTargets(gt, source);
      if (flags.loss.includes('regression')) checkTargetScale(targets, targetScale, source);
      const targetsSpec = describeTargets(
        targets,
        flags.targets ? { file: flags.targets, column: flags.targetsColumn } : null,
        targetScale,
      );
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
        targetsFile: flags.targets,
        targetsColumn: flags.targetsColumn,
        targetScale,
        outDir: flags.out,
        workers: flags.workers,
        backend,
        threads: flags.threads,
        savePredictions: flags.savePredictions ?? false,
        force: flags.force,
        shard,
        resumeOnly: flags.resumeOnly,
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
      const command = invocationLine();
      const { resumeOnly: _resumeOnly, ...options } = flags;
      const inputs = flags.targets ? [flags.targets] : [];
      const manifest = makeManifest({
        command: 'predictors run',
        config: {
          ...options,
          backend,
          truth,
          targetsSource: flags.targets ?? `truth:${truth}`,
          ...targetsConfig(targetsSpec),
          ...(shard.count > 1
            ? {
                ...shardRecord(
                  shard,
                  'predictors run',
                  options,
                  inputs.map((file) => ({ file, sha256: sha256File(file) })),
                ),
                shardRuns: results.length,
              }
            : {}),
        },
        seeds: Object.fromEntries(
          flags.seeds.map((s) => [`seed${s}`, s]).concat([['setSeed', flags.setSeed]]),
        ),
        inputs,
        startedAt: started,
        timingsMs: {
          total: Math.round(seconds * 1000),
          freshRuns: fresh,
          fitAllRuns: Math.round(fitTotal * 1000),
        },
      });
      if (shard.count > 1) {
        // A shard keeps its runs (runs/) and says which part it is; merge makes the summaries.
        writeResultFiles(flags.out, { 'manifest.json': toJson(manifest) + '\n' }, true);
        if (flags.json) return printJson({ shard: shardLabel(shard), runs: results.length, fresh });
        console.log(
          `shard ${shardLabel(shard)}: ${results.length} runs (${fresh} new) in ${seconds.toFixed(0)} s → ` +
            `${flags.out}; join the shards with nas-surgery merge`,
        );
        return;
      }
      writeResultFiles(
        flags.out,
        {
          'runs.csv': runsCsv(results),
          'summary.csv': summaryCsv(rows),
          'summary.json': toJson(rows.map(({ fitSeconds: _fit, ...r }) => r)) + '\n',
          'timings.csv': timingsCsv(rows),
          'summary.md': [
            '# Predictor protocol',
            '',
            `Command: \`${command}\``,
            '',
            `${results.length} runs (their fitting times are in \`timings.csv\`, this invocation's in ` +
              `\`manifest.json\`); predictions judged against \`${truth}\` on all ${gt.n} architectures; ` +
              (({ source, pool, scale }) => `trained on ${source}; ${pool}; ${scale}.`)(
                targetsText(flags, truth, targetsSpec, gt.n, flags.loss),
              ),
            '',
            renderMarkdownTable(table),
            '',
            'The interval is a Student-t interval on the per-set means: the seeds of one training set see the same ' +
              'architectures, so the sets, not the runs, are the independent draws. It holds the seeds fixed (every ' +
              'set is trained with the same seeds), so it covers another draw of training sets, not another choice ' +
              'of seeds. `summary.csv` has it for every ' +
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
        `\n${results.length} runs (${fresh} new) in ${seconds.toFixed(0)} s (fitting, summed over runs: ` +
          `${fitTotal.toFixed(0)} s); results in ${flags.out}`,
      );
      if (flags.savePredictions) {
        const { predictionsFile } = await import('../runners/predictor-protocol.js');
        const without = results.filter((r) => !existsSync(predictionsFile(flags.out, r.key))).length;
        if (without > 0) {
          console.log(
            `${without} resumed run(s) have no predictions file (trained without --save-predictions); ` +
              'pass --force to train them again with it',
          );
        }
      }
    },
  );

  addCommonOptions(
    predictors
      .command('search')
      .description('multi-stage predictor-based search: query, retrain, repeat (docs/method.md §5)')
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
      .option('--sample-seed <n>', 'seed of the random first stage and group shuffles', nonNegativeInt, 0)
      .option('--threads <n>', THREADS_HELP, positiveInt),
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
      const { runPredictorSearch } = await import('../runners/predictor-search.js');
      const loss = choice('--loss', LOSSES, flags.loss);
      const strategy = choice('--strategy', ['top', 'group'] as const, flags.strategy);
      choice('--backend', BACKEND_CHOICES, flags.backend);
      const truth = choice('--truth', TRUTH_NAMES, flags.truth);
      const files = ['stages.csv', 'stages.json', 'summary.md', 'manifest.json'];
      // The engine is resolved later and is stated, not compared (torch and tfjs agree to float32 precision).
      const { backend: _asked, ...settings } = flags;
      const verdict = rerunVerdict({
        out: flags.out,
        manifestFile: path.join(flags.out, 'manifest.json'),
        results: files.map((f) => path.join(flags.out, f)),
        command: 'predictors search',
        options: { ...settings, predictor, loss, strategy, truth },
        inputs: flags.targets ? [flags.targets] : [],
        force: flags.force ?? false,
      });
      if (verdict === 'same') {
        process.stderr.write(sameRunNote(flags.out) + '\n');
        return;
      }
      const targetScale = targetScaleOf(flags);
      const gt = loadGroundTruth();
      const targets = loadTargets(gt, sourceOf(flags));
      if (loss === 'regression') checkTargetScale(targets, targetScale, sourceOf(flags));
      const targetsSpec = describeTargets(
        targets,
        flags.targets ? { file: flags.targets, column: flags.targetsColumn } : null,
        targetScale,
      );
      const { predictorNeedsEngine } = await import('../predictors/registry.js');
      const engine = predictorNeedsEngine(predictor) ? await engineOf(flags) : undefined;
      const backend = engine?.name ?? (await workerBackendOf(flags.backend, { check: false }));
      const progress = makeProgress('search stages', flags.quiet || flags.json);
      progress.start(flags.stages);
      const t0 = performance.now();
      const stages = await runPredictorSearch(gt, {
        predictor,
        config: {
          loss,
          targetScale,
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
        engine,
        onStage: (s) =>
          progress.tick(
            `stage ${s.stage}: P@0.1%=${fmt(s.precisionTop01, 3)} best=${s.bestTruth.toFixed(2)}`,
          ),
      });
      progress.stop();
      const seconds = (performance.now() - t0) / 1000;
      const table = stagesTable(stages);
      const command = invocationLine();
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
            searchDescription(flags, strategy, gt.n, targetsText(flags, truth, targetsSpec, gt.n, [loss])),
            '',
            renderMarkdownTable(table),
            '',
            'One search with one predictor seed: the numbers are single values, with no interval over repeats. ' +
              '`stages.csv` (and `stages.json`) hold this per-stage table, with the fitting time of each stage; ' +
              '`manifest.json` holds the settings.',
            '',
          ].join('\n'),
          'manifest.json':
            toJson(
              makeManifest({
                command: 'predictors search',
                config: {
                  ...flags,
                  predictor,
                  loss,
                  strategy,
                  backend,
                  truth,
                  targetsSource: flags.targets ?? `truth:${truth}`,
                  ...targetsConfig(targetsSpec),
                },
                seeds: { predictor: flags.seed, sample: flags.sampleSeed },
                inputs: flags.targets ? [flags.targets] : [],
                startedAt: started,
                timingsMs: { total: Math.round(seconds * 1000) },
              }),
            ) + '\n',
        },
        verdict === 'replace',
      );
      if (flags.json) return printJson(stages);
      console.log(renderTextTable(table));
      console.log(`\n${flags.stages} stages in ${seconds.toFixed(0)} s; results in ${flags.out}`);
    },
  );
}

/** What each row of a search's per-stage table is (summary.md). */
function searchDescription(
  flags: { stages: number; perStage: number; seed: number; sampleSeed: number; truth: string },
  strategy: 'top' | 'group',
  n: number,
  targets: { source: string; pool: string; scale: string },
): string {
  const later =
    strategy === 'top'
      ? `the ${flags.perStage} unqueried architectures the current predictor scores highest`
      : `the best-predicted architecture of each of ${flags.perStage} groups of the shuffled unqueried rest`;
  return (
    `${flags.stages} stages of ${flags.perStage} queries: stage 1 queries ${flags.perStage} random architectures ` +
    `(sample seed ${flags.sampleSeed}), each later stage ${later}. After each stage a fresh predictor ` +
    `(seed ${flags.seed}) is trained on everything queried so far. A query returns ${targets.source}; ` +
    `${targets.pool}; ${targets.scale}. ` +
    `Each row of the table is one stage, judged against \`${flags.truth}\` on all ${n} architectures: ` +
    'P@top0.1% and P@top1% (the share of the true top 0.1% / 1% among the predicted top 0.1% / 1%), Kendall τ, ' +
    'and the best truth among all architectures queried so far with its true rank / N (lower is better).'
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
