import path from 'node:path';
import { invocationLine } from '../io/invocation.js';
import type { Command } from 'commander';
import { EVAL_MODES } from '../benchmarks/ground-truth.js';
import { TRUTH_NAMES } from '../benchmarks/truth-names.js';
import { evaluationText } from '../report/evaluation-summary.js';
import { writeEvaluateRun } from '../surgery/write-evaluate-run.js';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { readScoreFile } from '../scores/read-score-file.js';
import { resolveScores } from '../scores/resolve-scores.js';
import { evaluateArchScoresDetailed } from '../surgery/evaluate.js';
import { choice, intOption, printJson } from './output.js';
import { FORCE_HELP, sameRunNote } from '../io/rerun.js';

interface EvaluateFlags {
  scores: string;
  scoreColumn: string;
  truth: string;
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
    .description('the whole surgery of scores that any evaluator gave to NAS-Bench-201 architectures')
    .requiredOption(
      '--scores <file>',
      'CSV (header with arch or index, and a score column) or JSON array of {arch|index, score}',
    )
    .option(
      '--score-column <name>',
      'column (CSV) or key (JSON) holding the score; higher = better unless --lower-is-better',
      'score',
    )
    .option(
      '--lower-is-better',
      'the score is a loss, an error or a rank: judge its negation (items.csv holds the negated values)',
    )
    .option('--truth <name>', `ground truth: ${TRUTH_NAMES.join(', ')}`, 'cifar10')
    .option('--mode <mode>', `${EVAL_MODES.join(' | ')}`, 'iso')
    .option('--dedupe <policy>', 'duplicate architectures: error | mean', 'error')
    .option(
      '--bootstrap <n>',
      'bootstrap resamples for the 95% intervals of τ and P@top5% (0 = off)',
      intOption('--bootstrap'),
      200,
    )
    .option('--seed <n>', 'bootstrap seed', intOption('--seed'), 0)
    .option('--label <name>', 'name of the evaluator in the summary (default: the file name)')
    .option('--json', 'print the criteria as JSON')
    .option(
      '--out <dir>',
      'write criteria.json, summary.md, items.csv (per item) and manifest.json into this folder',
    )
    .option('--force', FORCE_HELP)
    .action((flags: EvaluateFlags) => {
      const started = new Date();
      const t0 = performance.now();
      const mode = choice('--mode', EVAL_MODES, flags.mode);
      const truth = choice('--truth', TRUTH_NAMES, flags.truth);
      const dedupe = choice('--dedupe', ['error', 'mean'] as const, flags.dedupe);
      const bootstrap = flags.bootstrap > 0 ? { resamples: flags.bootstrap, seed: flags.seed } : false;
      const read = readScoreFile(flags.scores, { scoreColumn: flags.scoreColumn });
      const rows = flags.lowerIsBetter ? read.map((r) => ({ ...r, score: -r.score })) : read;
      const { result, aligned } = evaluateArchScoresDetailed(
        resolveScores(rows, loadGroundTruth(), dedupe),
        { truth, mode, bootstrap },
        rows.length,
      );
      const evalMs = performance.now() - t0;
      const label =
        (flags.label ?? path.basename(flags.scores)) +
        (flags.lowerIsBetter ? ' (lower is better, negated)' : '');
      let unchanged = false;
      if (flags.out) {
        ({ unchanged } = writeEvaluateRun(
          flags.out,
          {
            result,
            aligned,
            label,
            name: 'evaluate',
            command: invocationLine(),
            config: {
              scores: flags.scores,
              scoreColumn: flags.scoreColumn,
              lowerIsBetter: flags.lowerIsBetter ?? false,
              truth,
              mode,
              dedupe,
              bootstrap,
            },
            seeds: { bootstrap: flags.seed },
            inputs: [flags.scores],
            startedAt: started,
            timingsMs: { evaluate: Math.round(evalMs * 10) / 10 },
          },
          flags.force ?? false,
        ));
        if (unchanged) process.stderr.write(sameRunNote(flags.out) + '\n');
      }
      if (flags.json) printJson(result);
      else {
        console.log(evaluationText(result, label));
        if (flags.out && !unchanged)
          console.log(`\nWrote criteria.json, summary.md, items.csv and manifest.json to ${flags.out}`);
      }
    });
}
