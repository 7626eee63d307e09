import path from 'node:path';
import type { Command } from 'commander';
import { EVAL_MODES } from '../benchmarks/ground-truth.js';
import { TABLE_FORMATS } from '../benchmarks/truth-file.js';
import { TRUTH_NAMES } from '../benchmarks/truth-names.js';
import { InputError } from '../io/input-error.js';
import { invocationLine } from '../io/invocation.js';
import { FORCE_HELP, sameRunNote } from '../io/rerun.js';
import { comparisonTable } from '../report/criteria-tables.js';
import { evaluationText } from '../report/evaluation-summary.js';
import { renderTextTable } from '../report/table.js';
import { evaluatorFolders } from '../scores/score-columns.js';
import { evaluateTable, type TableEvaluateOptions } from '../surgery/evaluate-table.js';
import { evaluateRunVerdict, writeEvaluateRun, type EvaluateRunArgs } from '../surgery/write-evaluate-run.js';
import { choice, intOption, listOption, printJson } from './output.js';

interface EvaluateFlags {
  scores: string;
  scoreColumn: string;
  format: string;
  task?: string;
  idColumn?: string;
  truth: string;
  truthFile?: string;
  truthColumn?: string;
  costColumn: string[];
  classColumn?: string;
  benchmarkName?: string;
  mode: string;
  dedupe: string;
  bootstrap: number;
  seed: number;
  json?: boolean;
  out?: string;
  force?: boolean;
  label?: string;
  lowerIsBetter?: boolean;
}

export function registerEvaluateCommand(program: Command): void {
  program
    .command('evaluate')
    .description(
      'the whole surgery of the scores that one or many evaluators gave to architectures: against a bundled ' +
        'NAS-Bench-201 truth, or against any benchmark given as a truth file',
    )
    .requiredOption(
      '--scores <file>',
      'CSV (header with an id column and score columns), JSON array of objects, or a NASLib zc file',
    )
    .option(
      '--score-column <names>',
      "column(s) holding scores, higher = better: a name, a comma list, or 'all' (every numeric column except " +
        'ids and the truth); several give one table and one --out folder per evaluator',
      'score',
    )
    .option(
      '--lower-is-better',
      'the score is a loss, an error or a rank: judge its negation (items.csv holds the negated values)',
    )
    .option('--format <format>', `score (and truth) file layout: ${TABLE_FORMATS.join(' | ')}`, 'auto')
    .option('--task <name>', 'the task of a NASLib zc file (e.g. cifar10)')
    .option(
      '--id-column <name>',
      "id column of the scores and the truth file (default 'arch'; NB201 also reads 'arch_str' and 'index')",
    )
    .option('--truth <name>', `bundled NAS-Bench-201 truth: ${TRUTH_NAMES.join(', ')}`, 'cifar10')
    .option(
      '--truth-file <file>',
      'judge against a benchmark given as a file (CSV, JSON array or NASLib zc) instead, by exact id',
    )
    .option(
      '--truth-column <name>',
      "truth column of --truth-file, higher = better (default 'truth'; zc: val_accuracy)",
    )
    .option(
      '--cost-column <names>',
      'cost column(s) of --truth-file for the cost-group analysis (repeatable)',
      listOption,
      [],
    )
    .option(
      '--class-column <name>',
      'class column of --truth-file (isomorphism-style groups; enables deiso modes)',
    )
    .option(
      '--benchmark-name <name>',
      'name of the --truth-file benchmark in summaries (default: its file name)',
    )
    .option('--mode <mode>', `${EVAL_MODES.join(' | ')}`, 'iso')
    .option('--dedupe <policy>', 'duplicate architectures (scores or truth file): error | mean', 'error')
    .option(
      '--bootstrap <n>',
      'bootstrap resamples for the 95% intervals of τ and P@top5% (0 = off)',
      intOption('--bootstrap'),
      200,
    )
    .option('--seed <n>', 'bootstrap seed', intOption('--seed'), 0)
    .option('--label <name>', 'name of the evaluator in the summary (default: the file name, or the column)')
    .option('--json', 'print the criteria as JSON (an array of {evaluator, criteria} for several columns)')
    .option(
      '--out <dir>',
      'write criteria.json, summary.md, items.csv and manifest.json into this folder (one subfolder per evaluator ' +
        'for several columns)',
    )
    .option('--force', FORCE_HELP)
    .action((flags: EvaluateFlags, cmd: Command) => {
      const started = new Date();
      const t0 = performance.now();
      const mode = choice('--mode', EVAL_MODES, flags.mode);
      const format = choice('--format', TABLE_FORMATS, flags.format);
      const dedupe = choice('--dedupe', ['error', 'mean'] as const, flags.dedupe);
      const bootstrap = flags.bootstrap > 0 ? { resamples: flags.bootstrap, seed: flags.seed } : false;
      if (flags.truthFile && cmd.getOptionValueSource('truth') === 'cli') {
        throw new InputError('--truth and --truth-file exclude each other: give one truth');
      }
      const truthOnly = ['truthColumn', 'classColumn', 'benchmarkName'] as const;
      if (!flags.truthFile) {
        for (const k of truthOnly) {
          if (flags[k] !== undefined) throw new InputError(`--${kebab(k)} needs --truth-file`);
        }
        if (flags.costColumn.length > 0) throw new InputError('--cost-column needs --truth-file');
      }
      const truth = flags.truthFile ? undefined : choice('--truth', TRUTH_NAMES, flags.truth);
      const options: TableEvaluateOptions = {
        scoresFile: flags.scores,
        format,
        task: flags.task,
        scoreColumn: flags.scoreColumn,
        idColumn: flags.idColumn,
        lowerIsBetter: flags.lowerIsBetter ?? false,
        dedupe,
        mode,
        bootstrap,
        truth,
        truthFile: flags.truthFile
          ? {
              file: flags.truthFile,
              truthColumn: flags.truthColumn,
              costColumns: flags.costColumn,
              classColumn: flags.classColumn,
              name: flags.benchmarkName,
              format,
              task: flags.task,
            }
          : undefined,
      };
      const { evaluations, skipped } = evaluateTable(options);
      const evalMs = performance.now() - t0;
      if (skipped.length > 0) {
        process.stderr.write(`--score-column all: skipped non-numeric column(s) ${skipped.join(', ')}\n`);
      }
      const many = evaluations.length > 1 || flags.scoreColumn.trim() === 'all';
      const negated = flags.lowerIsBetter ? ' (lower is better, negated)' : '';
      const labelOf = (column: string) =>
        (many ? column : (flags.label ?? path.basename(flags.scores))) + negated;
      const folders = evaluatorFolders(evaluations.map((e) => e.column));
      const written: string[] = [];
      if (flags.out) {
        const runs = evaluations.map((e, k) => {
          const dir = many ? path.join(flags.out!, folders[k]) : flags.out!;
          const run: EvaluateRunArgs = {
            result: e.result,
            aligned: e.aligned,
            label: labelOf(e.column),
            name: 'evaluate',
            command: invocationLine(),
            config: {
              scores: flags.scores,
              scoreColumn: e.column,
              format,
              ...(flags.task ? { task: flags.task } : {}),
              ...(flags.idColumn ? { idColumn: flags.idColumn } : {}),
              lowerIsBetter: flags.lowerIsBetter ?? false,
              ...(flags.truthFile
                ? {
                    benchmark: e.result.benchmark,
                    truthFile: flags.truthFile,
                    truthColumn: e.result.truth,
                    costColumns: flags.costColumn,
                    classColumn: flags.classColumn ?? null,
                  }
                : { truth }),
              mode,
              dedupe,
              bootstrap,
            },
            seeds: { bootstrap: flags.seed },
            inputs:
              flags.truthFile && flags.truthFile !== flags.scores
                ? [flags.scores, flags.truthFile]
                : [flags.scores],
            startedAt: started,
            timingsMs: { evaluate: Math.round((evalMs / evaluations.length) * 10) / 10 },
          };
          return { dir, run };
        });
        // Every folder is checked before any is written: a refused one leaves the others untouched too.
        const verdicts = runs.map(({ dir, run }) => evaluateRunVerdict(dir, run, flags.force ?? false));
        runs.forEach(({ dir, run }, k) => {
          const { unchanged } = writeEvaluateRun(dir, run, flags.force ?? false, verdicts[k]);
          if (unchanged) process.stderr.write(sameRunNote(dir) + '\n');
          else written.push(dir);
        });
      }
      if (flags.json) {
        if (many) printJson(evaluations.map((e) => ({ evaluator: labelOf(e.column), criteria: e.result })));
        else printJson(evaluations[0].result);
        return;
      }
      if (!many) console.log(evaluationText(evaluations[0].result, labelOf(evaluations[0].column)));
      else {
        const r0 = evaluations[0].result;
        const against = r0.costGroups ? `${r0.benchmark} (truth column '${r0.truth}')` : r0.truth;
        console.log(
          `Surgery of ${evaluations.length} evaluators in ${flags.scores} against ${against} (${mode}):\n`,
        );
        console.log(
          renderTextTable(
            comparisonTable(evaluations.map((e) => ({ name: labelOf(e.column), result: e.result }))),
          ),
        );
      }
      if (written.length === 1 && !many) {
        console.log(`\nWrote criteria.json, summary.md, items.csv and manifest.json to ${written[0]}`);
      } else if (written.length > 0) {
        console.log(`\nWrote ${written.length} run folders (one per evaluator) under ${flags.out}`);
      }
    });
}

function kebab(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}
