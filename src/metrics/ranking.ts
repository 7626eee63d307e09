/**
 * The descending ranking of one vector, computed once and shared by the criteria (method §3 convention: stable
 * descending order, ties by ascending input position; rank 0 = best).
 */
import { invertPermutation, rankedArgsort } from './sort.js';

export interface Ranking {
  /** Indices in stable descending order of the values (ties by ascending index). */
  order: Uint32Array;
  /** Position of each element in `order` (the inverse permutation): 0 for the largest value. */
  position: Uint32Array;
  /** Dense descending rank of each element: 0 for the largest value, equal values share a rank, no gaps. */
  dense: Uint32Array;
  /** Number of distinct values (-0 and 0 are one value), i.e. 1 + the largest dense rank (0 when empty). */
  distinct: number;
}

/** Ranking of `values` (validated, finite) from one stable descending argsort. */
export function descendingRanking(values: Float64Array): Ranking {
  const { order, dense, distinct } = rankedArgsort(values, true);
  return { order, position: invertPermutation(order), dense, distinct };
}
