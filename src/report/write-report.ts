/**
 * Write a report to disk: `FILE.html`, the figures as `FILE-figures/<id>.svg` and `.png`, and `FILE.manifest.json` in the
 * folder of the HTML file. Nothing is overwritten without `force`; every file is written atomically, the figures
 * first and the HTML last, and the PNGs are rendered before anything is written.
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { writeFileAtomic } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { rerunVerdict } from '../io/rerun.js';
import { makeManifest } from '../io/manifest.js';
import { buildReport, figuresFolderName, type BuildReportOptions, type Report } from './build-report.js';
import { svgToPng } from './render.js';
import type { RunDir } from './run-dir.js';

export interface WriteReportOptions {
  /** Overwrite an existing report (and remove stale figure files in its figures folder). */
  force?: boolean;
  /** When the work began (manifest; default: now). */
  startedAt?: Date;
  /** Extra timings for the manifest (ms). */
  timingsMs?: Record<string, number>;
  /** PNG scale (default 2). */
  pngScale?: number;
  /** The report's title, for the manifest (a report with another title is another report). */
  title?: string;
}

export interface WrittenReport {
  html: string;
  manifest: string;
  figuresDir: string;
  /** Every file written, figures first. */
  files: string[];
}

/** The files a report at `htmlFile` consists of. */
export function reportPaths(htmlFile: string): { html: string; manifest: string; figuresDir: string } {
  const html = path.resolve(htmlFile);
  const dir = path.dirname(html);
  return {
    html,
    // Named after the report, so a report written into a run folder never collides with the run's manifest.json.
    manifest: path.join(dir, `${path.basename(html).replace(/\.html?$/i, '')}.manifest.json`),
    figuresDir: path.join(dir, figuresFolderName(html)),
  };
}

/** Write a built report (see the module comment for the layout). */
export function writeReport(
  report: Report,
  htmlFile: string,
  options: WriteReportOptions = {},
): WrittenReport {
  const t0 = performance.now();
  const p = reportPaths(htmlFile);
  if (existsSync(p.html) && statSync(p.html).isDirectory()) {
    throw new InputError(`${htmlFile} is a directory; --out takes the HTML file to write (e.g. report.html)`);
  }
  const figureFiles = new Map<string, string | Uint8Array>();
  for (const f of report.figures) {
    figureFiles.set(`${f.id}.svg`, f.svg);
    figureFiles.set(`${f.id}.png`, svgToPng(f.svg, options.pngScale ?? 2));
  }
  const pngMs = performance.now() - t0;
  if (!options.force) {
    const existing = [p.html, p.manifest].filter((f) => existsSync(f));
    if (existsSync(p.figuresDir) && readdirSync(p.figuresDir).length > 0) existing.push(p.figuresDir);
    if (existing.length > 0) {
      throw new InputError(`${existing[0]} already exists; pass --force to overwrite the report`);
    }
  } else if (existsSync(p.figuresDir)) {
    // Stale figures of an earlier report would sit beside the new ones: remove the SVG/PNG files we do not write.
    for (const name of readdirSync(p.figuresDir)) {
      if (/\.(svg|png)$/i.test(name) && !figureFiles.has(name)) rmSync(path.join(p.figuresDir, name));
    }
  }
  const files: string[] = [];
  for (const [name, data] of figureFiles) {
    const file = path.join(p.figuresDir, name);
    writeFileAtomic(file, data);
    files.push(file);
  }
  const manifest = makeManifest({
    command: 'report',
    config: {
      out: htmlFile,
      figuresDir: path.relative(path.dirname(p.html), p.figuresDir),
      runDirs: report.runs.map((r) => ({ dir: r.dir, kind: r.kind, label: r.label })),
      figures: report.figures.map((f) => f.id),
      tables: report.tables.map((t) => t.id),
      title: options.title ?? null,
      force: options.force ?? false,
    },
    inputs: report.runs.flatMap((r) => r.files),
    startedAt: options.startedAt ?? new Date(),
    timingsMs: { ...(options.timingsMs ?? {}), png: Math.round(pngMs) },
  });
  writeFileAtomic(p.manifest, JSON.stringify(manifest, null, 2) + '\n');
  files.push(p.manifest);
  writeFileAtomic(p.html, report.html);
  files.push(p.html);
  return { ...p, files };
}

/** Load the run directories, build the report and write it: the whole `nas-surgery report` in one call. */
export async function createReport(
  runDirs: readonly (string | RunDir)[],
  htmlFile: string,
  options: WriteReportOptions & Omit<BuildReportOptions, 'figuresHref'> = {},
): Promise<{ report: Report; written: WrittenReport; unchanged: boolean }> {
  const startedAt = options.startedAt ?? new Date();
  const t0 = performance.now();
  const p = reportPaths(htmlFile);
  const report = await buildReport(runDirs, {
    ...options,
    figuresHref: path.basename(p.figuresDir),
  });
  // A report of the same runs (same files) with the same title is left as it is; another needs --force.
  const verdict = rerunVerdict({
    out: htmlFile,
    manifestFile: p.manifest,
    results: [p.html],
    command: 'report',
    options: {
      runDirs: report.runs.map((r) => ({ dir: r.dir, kind: r.kind, label: r.label })),
      title: options.title ?? null,
    },
    inputs: report.runs.flatMap((r) => r.files),
    force: options.force ?? false,
  });
  if (verdict === 'same') return { report, written: { ...p, files: [] }, unchanged: true };
  const buildMs = performance.now() - t0;
  const written = writeReport(report, htmlFile, {
    ...options,
    force: verdict === 'replace',
    startedAt,
    timingsMs: { ...(options.timingsMs ?? {}), build: Math.round(buildMs) },
  });
  return { report, written, unchanged: false };
}
