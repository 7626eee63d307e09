import path from 'node:path';
import { writeResultFiles } from '../io/atomic-write.js';
import { rerunVerdict, type RerunVerdict } from '../io/rerun.js';
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
export type EvaluateRunArgs = Omit<ManifestArgs, 'command'> & {
  result: EvaluationResult;
  aligned: AlignedScores;
  label: string;
  /** The subcommand that produced it, for the manifest (e.g. `evaluate`, `demo`). */
  name: string;
  /** The full command line, for the summary. */
  command: string;
};

const RUN_FILES = ['criteria.json', 'summary.md', 'items.csv', 'manifest.json'];

/**
 * What writing the run into `dir` would do (src/io/rerun.ts): 'fresh', 'same' (nothing to write) or 'replace';
 * an InputError when `dir` holds another run and `force` is off. Lets a caller check every folder before it writes
 * any.
 */
export function evaluateRunVerdict(dir: string, run: EvaluateRunArgs, force: boolean): RerunVerdict {
  return rerunVerdict({
    out: dir,
    manifestFile: path.join(dir, 'manifest.json'),
    results: RUN_FILES.map((n) => path.join(dir, n)),
    command: run.name,
    options: { ...run.config, label: run.label },
    inputs: run.inputs,
    force,
  });
}

export function writeEvaluateRun(
  dir: string,
  run: EvaluateRunArgs,
  force: boolean,
  verdict: RerunVerdict = evaluateRunVerdict(dir, run, force),
): { files: string[]; unchanged: boolean } {
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
