import { writeResultFiles } from '../io/atomic-write.js';
import { toJson } from '../io/json.js';
import { makeManifest, type ManifestArgs } from '../io/manifest.js';
import { evaluationMarkdown } from '../report/evaluation-summary.js';
import type { AlignedScores } from '../scores/align-to-truth.js';
import { itemsCsv } from '../scores/items-csv.js';
import type { EvaluationResult } from './evaluate.js';

/**
 * Write an evaluate run folder (what `nas-surgery report` reads): criteria.json, summary.md, items.csv and
 * manifest.json, atomically; existing files are an error unless `force`.
 */
export function writeEvaluateRun(
  dir: string,
  run: Omit<ManifestArgs, 'command'> & {
    result: EvaluationResult;
    aligned: AlignedScores;
    label: string;
    /** The subcommand that produced it, for the manifest (e.g. `evaluate`, `demo`). */
    name: string;
    /** The full command line, for the summary. */
    command: string;
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
      'criteria.json': toJson(run.result) + '\n',
      'summary.md': evaluationMarkdown(run.result, run.label, run.command),
      'items.csv': itemsCsv(run.aligned),
      'manifest.json': toJson(manifest) + '\n',
    },
    force,
  );
}
