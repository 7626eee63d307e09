/**
 * Isomorphic-group spread (method §3): for the classes (e.g. isomorphism classes of cells) with at least two
 * members, the population standard deviation (ddof = 0) of the scores within the class and of the predicted
 * rank positions within the class (0-based positions of the stable descending order of the score over all
 * N, not normalised), each averaged over those classes. An ideal evaluator scores isomorphic cells alike.
 *
 * Choice: when no class has ≥ 2 members the result is { classes: 0, meanScoreStd: 0, meanRankStd: 0 }
 * (0 rather than NaN, so that it serialises to JSON and reads as "no measurable spread").
 */
import { invertPermutation, stableArgsort } from './sort.js';
import { assertMinLength, assertSameLength, toFiniteFloat64, type NumericArray } from './validate.js';

export interface IsoSpread {
  /** Number of classes with at least two members. */
  classes: number;
  /** Mean over those classes of the population std of the scores. */
  meanScoreStd: number;
  /** Mean over those classes of the population std of the predicted rank positions. */
  meanRankStd: number;
}

/** Isomorphic-group spread of `score` over the classes given by `classIds` (any finite labels). */
export function isoSpread(score: NumericArray, classIds: Int32Array | NumericArray): IsoSpread {
  const fn = 'isoSpread';
  const s = toFiniteFloat64(score, 'score', fn);
  const c = toFiniteFloat64(classIds, 'classIds', fn);
  assertSameLength(s, c, 'score', 'classIds', fn);
  assertMinLength(s, 2, 'score', fn);
  return isoSpreadCore(s, c, invertPermutation(stableArgsort(s, true)));
}

/** Population standard deviation of vals[idx[from..to)] with a read accessor (two-pass). */
function stdOf(get: (i: number) => number, order: Uint32Array, from: number, to: number): number {
  const m = to - from;
  let sum = 0;
  for (let p = from; p < to; p++) sum += get(order[p]);
  const mean = sum / m;
  let ss = 0;
  for (let p = from; p < to; p++) {
    const d = get(order[p]) - mean;
    ss += d * d;
  }
  return Math.sqrt(ss / m);
}

/** Internal: isomorphic-group spread from the precomputed predicted ranks. */
export function isoSpreadCore(s: Float64Array, classIds: Float64Array, rankS: Uint32Array): IsoSpread {
  const n = s.length;
  const orderC = stableArgsort(classIds, false);
  const getScore = (i: number): number => s[i];
  const getRank = (i: number): number => rankS[i];
  let classes = 0;
  let sumScoreStd = 0;
  let sumRankStd = 0;
  let i = 0;
  while (i < n) {
    const id = classIds[orderC[i]];
    let j = i + 1;
    while (j < n && classIds[orderC[j]] === id) j++;
    if (j - i >= 2) {
      classes++;
      sumScoreStd += stdOf(getScore, orderC, i, j);
      sumRankStd += stdOf(getRank, orderC, i, j);
    }
    i = j;
  }
  if (classes === 0) return { classes: 0, meanScoreStd: 0, meanRankStd: 0 };
  return { classes, meanScoreStd: sumScoreStd / classes, meanRankStd: sumRankStd / classes };
}
