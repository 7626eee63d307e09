/**
 * A random forest of regression trees over small-integer features (method §5's random forest, with
 * scikit-learn's RandomForestRegressor semantics): each tree is grown on a bootstrap sample; at every split a
 * fresh random subset of `maxFeatures` features is searched (more are tried only if none of them can split the
 * node, as scikit-learn does); splits minimise the squared error; trees grow until leaves are pure or hold one
 * sample; the forest predicts the mean of its trees.
 *
 * Written here because ml-random-forest draws the feature subset once per tree, not per split: with 3 of the 6
 * edges per tree, no tree can model a target that depends on all six (its τ on FLOPs stayed near 0.8).
 *
 * Features are integers in [0, numValues) (op indices); thresholds are "x ≤ v goes left". With few distinct
 * values a node's best split comes from per-value sums in O(samples + values) per feature.
 */
import { Rng } from './rng.js';

export interface ForestOptions {
  trees: number;
  /** Features searched per split, as a fraction of all features (rounded, at least 1). */
  maxFeatures: number;
  /** Every feature value lies in [0, numValues). */
  numValues: number;
  seed: number;
  /** Grow each tree on a bootstrap sample (default) or on every row. */
  bootstrap?: boolean;
}

/** A tree in flat arrays; node 0 is the root; a leaf has feature −1. */
export interface RegressionTree {
  feature: Int8Array;
  threshold: Uint8Array;
  left: Int32Array;
  right: Int32Array;
  value: Float64Array;
}

export interface RegressionForest {
  numFeatures: number;
  trees: RegressionTree[];
}

/** `x`: n rows × `numFeatures` values, row-major. */
export function fitForest(
  x: Uint8Array,
  y: Float64Array,
  numFeatures: number,
  options: ForestOptions,
): RegressionForest {
  const n = y.length;
  if (x.length !== n * numFeatures) throw new Error(`fitForest: ${x.length} feature values for ${n} rows`);
  if (n === 0) throw new Error('fitForest: no training rows');
  for (let i = 0; i < x.length; i++) {
    if (x[i] >= options.numValues) throw new Error(`fitForest: feature value ${x[i]} ≥ ${options.numValues}`);
  }
  const perSplit = Math.max(1, Math.min(numFeatures, Math.round(options.maxFeatures * numFeatures)));
  const trees: RegressionTree[] = [];
  for (let t = 0; t < options.trees; t++) {
    const rng = Rng.derive(options.seed, t);
    const sample = new Int32Array(n);
    for (let i = 0; i < n; i++) sample[i] = options.bootstrap === false ? i : rng.int(0, n - 1);
    trees.push(growTree(x, y, numFeatures, sample, perSplit, options.numValues, rng));
  }
  return { numFeatures, trees };
}

export function predictForest(forest: RegressionForest, x: Uint8Array): Float64Array {
  const { numFeatures, trees } = forest;
  const n = x.length / numFeatures;
  const out = new Float64Array(n);
  for (const tree of trees) {
    for (let i = 0; i < n; i++) {
      let node = 0;
      while (tree.feature[node] >= 0) {
        node =
          x[i * numFeatures + tree.feature[node]] <= tree.threshold[node]
            ? tree.left[node]
            : tree.right[node];
      }
      out[i] += tree.value[node];
    }
  }
  for (let i = 0; i < n; i++) out[i] /= trees.length;
  return out;
}

function growTree(
  x: Uint8Array,
  y: Float64Array,
  numFeatures: number,
  sample: Int32Array,
  perSplit: number,
  numValues: number,
  rng: Rng,
): RegressionTree {
  const feature: number[] = [];
  const threshold: number[] = [];
  const left: number[] = [];
  const right: number[] = [];
  const value: number[] = [];
  const count = new Float64Array(numValues);
  const sum = new Float64Array(numValues);
  const order = new Int32Array(numFeatures);
  const rows = Int32Array.from(sample);
  const scratch = new Int32Array(rows.length);
  // Work list of (node, start, end) ranges of `rows`.
  const stack: number[] = [];
  const newNode = (): number => {
    feature.push(-1);
    threshold.push(0);
    left.push(-1);
    right.push(-1);
    value.push(0);
    return feature.length - 1;
  };
  stack.push(newNode(), 0, rows.length);
  while (stack.length > 0) {
    const end = stack.pop()!;
    const start = stack.pop()!;
    const node = stack.pop()!;
    const m = end - start;
    let total = 0;
    let constant = true;
    const y0 = y[rows[start]];
    for (let k = start; k < end; k++) {
      const v = y[rows[k]];
      total += v;
      if (v !== y0) constant = false;
    }
    value[node] = total / m;
    if (m < 2 || constant) continue;

    for (let f = 0; f < numFeatures; f++) order[f] = f;
    let bestFeature = -1;
    let bestThreshold = 0;
    let bestScore = -Infinity;
    // Partial Fisher–Yates: features are visited in random order; stop after `perSplit` of them once a valid
    // split has been found.
    for (let visited = 0; visited < numFeatures; visited++) {
      if (visited >= perSplit && bestFeature >= 0) break;
      const j = rng.int(visited, numFeatures - 1);
      const f = order[j];
      order[j] = order[visited];
      order[visited] = f;
      count.fill(0);
      sum.fill(0);
      for (let k = start; k < end; k++) {
        const r = rows[k];
        const v = x[r * numFeatures + f];
        count[v]++;
        sum[v] += y[r];
      }
      let nLeft = 0;
      let sLeft = 0;
      for (let v = 0; v < numValues - 1; v++) {
        if (count[v] === 0) continue;
        nLeft += count[v];
        sLeft += sum[v];
        if (nLeft === m) break;
        const nRight = m - nLeft;
        const sRight = total - sLeft;
        // Maximising Σ_side (Σy)²/n minimises the children's squared error.
        const score = (sLeft * sLeft) / nLeft + (sRight * sRight) / nRight;
        if (score > bestScore) {
          bestScore = score;
          bestFeature = f;
          bestThreshold = v;
        }
      }
    }
    if (bestFeature < 0) continue; // every feature is constant here: a leaf
    // Partition rows[start, end) by the split (stable, through scratch).
    let lo = start;
    let hi = 0;
    for (let k = start; k < end; k++) {
      const r = rows[k];
      if (x[r * numFeatures + bestFeature] <= bestThreshold) rows[lo++] = r;
      else scratch[hi++] = r;
    }
    rows.set(scratch.subarray(0, hi), lo);
    feature[node] = bestFeature;
    threshold[node] = bestThreshold;
    const l = newNode();
    const rgt = newNode();
    left[node] = l;
    right[node] = rgt;
    stack.push(rgt, lo, end, l, start, lo);
  }
  return {
    feature: Int8Array.from(feature),
    threshold: Uint8Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float64Array.from(value),
  };
}
