import path from 'node:path';
import { writeResultFiles } from '../io/atomic-write.js';
import { rerunVerdict } from '../io/rerun.js';
import { toJson } from '../io/json.js';
import { makeManifest, type ManifestArgs } from '../io/manifest.js';
import { evaluationMarkdown } from '../report/evaluation-summary.js';
import type { AlignedScores } from '../scores/align-to-truth.js';
import { itemsCsv } from '../scores/items-csv.js';
import type { EvaluationResult } from './evaluate.js';

/**
 * Write an evaluate run folder (what `nas-surgery report` reads): criteria.json, summary.md, items.csv and
 * manifest.json, atomically. Over an earlier run: nothing is written when it has the same settings and inputs
 * (`unchanged`), another run is an error naming the difference unless `force` (src/io/rerun.ts).
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
): { files: string[]; unchanged: boolean } {
  const names = ['criteria.json', 'summary.md', 'items.csv', 'manifest.json'];
  const verdict = rerunVerdict({
    out: dir,
    manifestFile: path.join(dir, 'manifest.json'),
    results: names.map((n) => path.join(dir, n)),
    command: run.name,
    options: { ...run.config, label: run.label },
    inputs: run.inputs,
    force,
  });
  if (verdict === 'same') return { files: [], unchanged: true };
  const manifest = makeManifest({
    command: run.name,
    config: { ...run.config, label: run.label },
    seeds: run.seeds,
    inputs: run.inputs,
    startedAt: run.startedAt,
    timingsMs: run.timingsMs,
  });
  const files = writeResultFiles(
    dir,
    {
      'criteria.json': toJson(run.result) + '\n',
      'summary.md': evaluationMarkdown(run.result, run.label, run.command),
      'items.csv': itemsCsv(run.aligned),
      'manifest.json': toJson(manifest) + '\n',
    },
    verdict === 'replace',
  );
  return { files, unchanged: false };
}
