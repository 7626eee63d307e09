import type { GroundTruth } from '../benchmarks/ground-truth.js';
import { readScoreFile } from '../scores/read-score-file.js';
import { resolveScores } from '../scores/resolve-scores.js';
import { sampleWithoutReplacement } from '../runners/training-sets.js';

/**
 * Which architectures to derive, as NB201 indices: `deiso` (the 6,466 class representatives), `iso` (all 15,625),
 * `deiso:K` (K representatives drawn with `seed`, for pilots), or the architectures a file lists (a CSV with an
 * `index` or `arch` column, a score column or not; a JSON array of `{index|arch}` objects).
 */
export function archList(gt: GroundTruth, spec: string, seed = 0): Int32Array {
  const reps = gt.iso().representative;
  if (spec === 'deiso') return Int32Array.from(reps);
  if (spec === 'iso') return Int32Array.from({ length: gt.n }, (_, i) => i);
  const m = /^deiso:(\d+)$/.exec(spec);
  if (m) {
    const k = Math.min(Number(m[1]), reps.length);
    return sampleWithoutReplacement(reps, k, seed).sort();
  }
  return Int32Array.from(
    resolveScores(readScoreFile(spec, { architecturesOnly: true }), gt, 'mean').index,
  ).sort();
}

/**
 * Members of isomorphism classes for the within-class spread (method §3, the paper's Tab 2): `classes` classes with at
 * least two members drawn with `seed` (or `all` of them), and of each at most `perClass` members (all when it has no
 * more, else a draw with the same seed). Sorted NB201 indices.
 */
export function isoMembers(gt: GroundTruth, classes: number | 'all', perClass: number, seed = 0): Int32Array {
  if (!(perClass >= 2)) throw new Error(`isoMembers: perClass must be at least 2, got ${perClass}`);
  const { classOf, size } = gt.iso();
  const multi: number[] = [];
  for (let c = 0; c < size.length; c++) if (size[c] >= 2) multi.push(c);
  const chosen =
    classes === 'all' || classes >= multi.length
      ? multi
      : Array.from(sampleWithoutReplacement(multi, classes, seed));
  const members = new Map<number, number[]>(chosen.map((c) => [c, []]));
  for (let i = 0; i < classOf.length; i++) members.get(classOf[i])?.push(i);
  const out: number[] = [];
  for (const list of members.values()) {
    out.push(...(list.length <= perClass ? list : sampleWithoutReplacement(list, perClass, seed)));
  }
  return Int32Array.from(out).sort();
}
