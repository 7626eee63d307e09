import path from 'node:path';
import type { Command } from 'commander';
import { InputError } from '../io/input-error.js';
import { FORCE_HELP, sameRunNote } from '../io/rerun.js';

interface ReportFlags {
  out: string;
  title?: string;
  force?: boolean;
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      'one self-contained HTML report (charts as inline SVG, tables) from run directories of evaluate, ' +
        'predictors run, predictors search, zeroshot score, or one-shot curves (curve.json)',
    )
    .argument('<run-dirs...>', 'run directories; several of one kind are shown side by side')
    .requiredOption(
      '--out <file.html>',
      'the HTML file to write; figures go to <file>-figures/<id>.svg|png, <file>.manifest.json beside the HTML',
    )
    .option('--title <text>', 'title of the report', 'nas-surgery report')
    .option('--force', FORCE_HELP)
    .addHelpText(
      'after',
      '\nExample:\n  nas-surgery report runs/flops runs/gates runs/supernet --out reports/compare.html\n' +
        '\nThe page loads nothing from the network; every figure has a caption saying how to read it.',
    )
    .action(async (dirs: string[], flags: ReportFlags) => {
      if (!/\.html?$/i.test(flags.out)) {
        throw new InputError(`--out must name an .html file, got '${flags.out}'`);
      }
      // Loaded on use: vega is heavy, and other commands should start fast.
      const { createReport } = await import('../report/write-report.js');
      const { report, written, unchanged } = await createReport(dirs, flags.out, {
        force: flags.force ?? false,
        title: flags.title,
      });
      if (unchanged) return void process.stderr.write(sameRunNote(flags.out) + '\n');
      const rel = (p: string) => {
        const r = path.relative(process.cwd(), p);
        return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
      };
      console.log(
        `Wrote ${rel(written.html)} (${report.figures.length} figures, ${report.tables.length} tables from ` +
          `${report.runs.length} run director${report.runs.length === 1 ? 'y' : 'ies'}); figures as SVG and PNG ` +
          `in ${rel(written.figuresDir)}; ${rel(written.manifest)}`,
      );
    });
}
