/**
 * Dense ranks: equal values share a rank, and the ranks have no gaps (0 … distinct − 1). The sorts of `sort.ts`
 * produce them; this module holds the type and the counting sorts that turn ranks back into orders.
 */

/** Dense ranks of a vector, in some direction (ascending or descending values). */
export interface DenseRanks {
  /** Rank of each element: 0 for the first value in the direction, +1 for each next distinct value. */
  dense: Uint32Array;
  /** Number of distinct values (0 when empty). */
  distinct: number;
  /** Number of pairs of elements with equal values: the sum of c(c − 1)/2 over the runs of c equal values. */
  tiedPairs: number;
}

/**
 * Start position of each rank in the order by rank: starts[r] = number of elements of rank < r, and
 * starts[distinct] = n.
 */
export function rankStarts(dense: Uint32Array, distinct: number): Uint32Array {
  const starts = new Uint32Array(distinct + 1);
  for (let i = 0; i < dense.length; i++) starts[dense[i] + 1]++;
  for (let r = 0; r < distinct; r++) starts[r + 1] += starts[r];
  return starts;
}

/**
 * The order by rank, ties by ascending index: the stable argsort of the values in the ranks' direction (one
 * counting sort).
 */
export function orderFromDenseRanks(dense: Uint32Array, distinct: number): Uint32Array {
  const next = rankStarts(dense, distinct);
  const order = new Uint32Array(dense.length);
  for (let i = 0; i < dense.length; i++) order[next[dense[i]]++] = i;
  return order;
}
