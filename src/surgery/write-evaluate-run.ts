import { writeResultFiles } from '../io/atomic-write.js';
import { makeManifest } from '../io/manifest.js';
import { evaluationMarkdown } from '../report/evaluation-summary.js';
import type { AlignedScores } from '../scores/align-to-truth.js';
import { itemsCsv } from '../scores/items-csv.js';
import type { EvaluationResult } from './evaluate.js';

/** JSON with NaN/±Infinity as null. */
function json(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v) => (typeof v === 'number' && !Number.isFinite(v) ? null : v), 2) + '\n'
  );
}

/**
 * Write an evaluate run folder (what `nas-surgery report` reads): criteria.json, summary.md, items.csv and
 * manifest.json, atomically; existing files are an error unless `force`.
 */
export function writeEvaluateRun(
  dir: string,
  run: {
    result: EvaluationResult;
    aligned: AlignedScores;
    label: string;
    /** The subcommand that produced it, for the manifest (e.g. `evaluate`, `demo`). */
    name: string;
    /** The full command line, for the summary. */
    command: string;
    config: Record<string, unknown>;
    seeds?: Record<string, number>;
    inputs?: string[];
    startedAt: Date;
    timingsMs: Record<string, number>;
  },
  force: boolean,
): string[] {
  const manifest = makeManifest({
    command: run.name,
    config: { ...run.config, label: run.label },
    seeds: run.seeds,
    inputs: run.inputs,
    startedAt: run.startedAt,
    timingsMs: run.timingsMs,
  });
  return writeResultFiles(
    dir,
    {
      'criteria.json': json(run.result),
      'summary.md': evaluationMarkdown(run.result, run.label, run.command),
      'items.csv': itemsCsv(run.aligned),
      'manifest.json': json(manifest),
    },
    force,
  );
}
