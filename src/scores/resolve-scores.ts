import type { GroundTruth } from '../benchmarks/ground-truth.js';
import { InputError } from '../io/input-error.js';
import { parseArch } from '../space/arch-string.js';
import type { RawScore } from './read-score-file.js';

export type DedupePolicy = 'error' | 'mean';

/** Scores keyed by NB201 index, one per architecture. */
export interface ArchScores {
  /** NB201 indices, in first-appearance order. */
  index: Int32Array;
  score: Float64Array;
  /** Rows merged by `--dedupe mean` (0 when none). */
  merged: number;
}

/**
 * Resolve each row to its NB201 index (an arch string is the exact architecture, not its class) and reject duplicates
 * of the same architecture unless `dedupe` is 'mean' (then their scores are averaged).
 */
export function resolveScores(
  rows: readonly RawScore[],
  gt: GroundTruth,
  dedupe: DedupePolicy = 'error',
): ArchScores {
  const slot = new Int32Array(gt.n).fill(-1);
  const firstWhere: string[] = [];
  const index: number[] = [];
  const sum: number[] = [];
  const count: number[] = [];
  for (const row of rows) {
    const i = resolveOne(row, gt);
    const s = slot[i];
    if (s < 0) {
      slot[i] = index.length;
      index.push(i);
      sum.push(row.score);
      count.push(1);
      firstWhere.push(row.where);
    } else if (dedupe === 'mean') {
      sum[s] += row.score;
      count[s]++;
    } else {
      throw new InputError(
        `${row.where}: architecture ${i} appears again (first at ${firstWhere[s]}); use --dedupe mean to average duplicates`,
      );
    }
  }
  return {
    index: Int32Array.from(index),
    score: Float64Array.from(sum, (v, k) => v / count[k]),
    merged: rows.length - index.length,
  };
}

function resolveOne(row: RawScore, gt: GroundTruth): number {
  let fromIndex: number | undefined;
  let fromArch: number | undefined;
  if (row.index !== undefined && row.index !== '') {
    // Integer-valued floats ("12.0", as pandas writes a float column) are accepted.
    if (!/^\d+(\.0*)?$/.test(row.index.trim())) {
      throw new InputError(`${row.where}: index '${row.index}' is not a non-negative integer`);
    }
    fromIndex = Number(row.index);
    if (fromIndex >= gt.n)
      throw new InputError(`${row.where}: index ${fromIndex} is out of range (0..${gt.n - 1})`);
  }
  if (row.arch !== undefined && row.arch !== '') {
    try {
      fromArch = gt.indexOf(parseArch(row.arch));
    } catch (e) {
      throw new InputError(`${row.where}: ${(e as Error).message}`);
    }
  }
  if (fromIndex !== undefined && fromArch !== undefined && fromIndex !== fromArch) {
    throw new InputError(`${row.where}: index ${fromIndex} and arch (NB201 index ${fromArch}) disagree`);
  }
  const i = fromArch ?? fromIndex;
  if (i === undefined) throw new InputError(`${row.where}: both 'arch' and 'index' are empty`);
  return i;
}
