import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import type { GroundTruth } from '../bench/ground-truth.js';
import type { Batch } from '../data/batches.js';
import { toJson } from '../io/json.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { evaluateArchScores, type EvaluationResult } from '../surgery/evaluate.js';
import { loadCheckpoint } from './checkpoint.js';
import { deriveScores } from './derive.js';
import type { SupernetKernels } from './supernet.js';

/** `epoch-0040.ckpt` → 40. */
export function checkpointEpoch(file: string): number | undefined {
  const m = /^epoch-(\d+)\.ckpt$/.exec(path.basename(file));
  return m ? Number(m[1]) : undefined;
}

export function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}.ckpt`;
}

/** Checkpoints of a training run folder, by epoch. */
export function listCheckpoints(runDir: string): { epoch: number; file: string }[] {
  const dir = path.join(runDir, 'checkpoints');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => ({ epoch: checkpointEpoch(f), file: path.join(dir, f) }))
    .filter((c): c is { epoch: number; file: string } => c.epoch !== undefined)
    .sort((a, b) => a.epoch - b.epoch);
}

export interface CurvePoint {
  epoch: number;
  criteria: EvaluationResult;
}

/** Scores of one checkpoint as CSV (what `evaluate` and the merge step read). */
export function scoresCsv(indices: Int32Array, accuracy: Float64Array, negLoss: Float64Array): string {
  const lines = ['index,score,neg_loss'];
  indices.forEach((i, k) => lines.push(`${i},${accuracy[k]},${negLoss[k]}`));
  return lines.join('\n') + '\n';
}

/**
 * Criteria against training epochs: for every checkpoint of `runDir` (every `every`-th), derive the scores of
 * `indices` on the held-out `batches`, judge them against the truth (deiso when the list is class representatives,
 * else iso) and write `curve.json` (the report's format) and the scores of each checkpoint. Checkpoints whose scores
 * file exists are not derived again (resume).
 */
export function buildCurve(args: {
  runDir: string;
  outDir: string;
  gt: GroundTruth;
  indices: Int32Array;
  batches: readonly Batch[];
  label: string;
  sampler?: string;
  mode: 'iso' | 'deiso' | 'post-deiso';
  every?: number;
  kernels?: SupernetKernels;
  onCheckpoint?: (epoch: number, done: number, total: number) => void;
}): CurvePoint[] {
  const all = listCheckpoints(args.runDir);
  const every = args.every ?? 1;
  const chosen = all.filter((c, k) => k % every === 0 || k === all.length - 1);
  const points: CurvePoint[] = [];
  chosen.forEach((c, k) => {
    const scoresFile = path.join(args.outDir, 'scores', `epoch-${String(c.epoch).padStart(4, '0')}.csv`);
    let accuracy: Float64Array;
    if (existsSync(scoresFile)) {
      accuracy = readScoresColumn(scoresFile, args.indices);
    } else {
      const { config, state } = loadCheckpoint(c.file);
      const archs = Array.from(args.indices, (i) => args.gt.archs[i]);
      const s = deriveScores(state.params, config, archs, args.batches, { kernels: args.kernels });
      state.params.forEach((v) => v.dispose());
      state.momentum.forEach((t) => t.dispose());
      writeFileAtomic(scoresFile, scoresCsv(args.indices, s.accuracy, s.negLoss));
      accuracy = s.accuracy;
    }
    const criteria = evaluateArchScores(
      { index: args.indices, score: accuracy, merged: 0 },
      { mode: args.mode, bootstrap: { resamples: 200, seed: 0 } },
    );
    points.push({ epoch: c.epoch, criteria });
    args.onCheckpoint?.(c.epoch, k + 1, chosen.length);
  });
  writeFileAtomic(
    path.join(args.outDir, 'curve.json'),
    toJson({ label: args.label, sampler: args.sampler, points }) + '\n',
  );
  return points;
}

function readScoresColumn(file: string, indices: Int32Array): Float64Array {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  if (lines.length !== indices.length) {
    throw new Error(`${file}: ${lines.length} scores, expected ${indices.length}; delete it to derive again`);
  }
  return Float64Array.from(lines, (l, k) => {
    const [i, s] = l.split(',');
    if (Number(i) !== indices[k]) throw new Error(`${file}:${k + 2}: index ${i}, expected ${indices[k]}`);
    return Number(s);
  });
}
