/**
 * A complete binary tree of counts over the integers 0 … size − 1, for counting inversions (Kendall's τ), stored
 * in an Int32Array of length 2·base (base = the power of two ≥ size): leaf `base + v` counts the occurrences of v,
 * and every inner node t the occurrences under it (children 2t and 2t + 1; the root is 1; index 0 is unused).
 *
 * "How many recorded values are greater than v" is the sum, over the path from v's leaf up to the root, of the right
 * siblings of the nodes that are left children: one fixed-length walk (log2 base steps, branch-free), which can also
 * record v on the way up. On the small trees of the criteria this is faster than a Fenwick tree, whose two walks
 * have data-dependent lengths. Plain functions on the typed array (no object): they are inlined into hot loops.
 */

/** An empty tree for the values 0 … size − 1. */
export function countTree(size: number): Int32Array {
  const base = size <= 1 ? 1 : 2 ** (32 - Math.clz32(size - 1));
  return new Int32Array(2 * base);
}

/** Number of recorded values strictly greater than `value` (0 ≤ value < size). */
export function countAbove(tree: Int32Array, value: number): number {
  let above = 0;
  // A left child (even node) has its right sibling (node + 1) holding larger values; a right child has none.
  for (let node = (tree.length >>> 1) + value; node > 1; node >>>= 1)
    above += tree[node ^ 1] & ((node & 1) - 1);
  return above;
}

/** Records one occurrence of `value` (0 ≤ value < size). */
export function addValue(tree: Int32Array, value: number): void {
  for (let node = (tree.length >>> 1) + value; node >= 1; node >>>= 1) tree[node]++;
}

/** `countAbove(tree, value)`, then `addValue(tree, value)`, in one walk. */
export function countAboveThenAdd(tree: Int32Array, value: number): number {
  let above = 0;
  let node = (tree.length >>> 1) + value;
  for (; node > 1; node >>>= 1) {
    above += tree[node ^ 1] & ((node & 1) - 1);
    tree[node]++;
  }
  tree[1]++;
  return above;
}
