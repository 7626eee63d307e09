/**
 * The mean of a criterion over repeated runs that share a cluster (the predictor protocol's training sets:
 * every seed of a set sees the same architectures, so its runs are not independent), with how far to trust it.
 *
 * - `mean`: the mean of the cluster means (equal to the plain mean when every cluster has as many runs);
 * - `low`/`high`: Student-t interval on the cluster means, mean ± t(k − 1, (1 + level)/2) · sd / √k over the k
 *   clusters. Treating the n runs as independent would understate the uncertainty when the clusters differ
 *   (their means vary more than seeds alone explain); with k < 2 the interval is NaN;
 * - `sdBetween`: standard deviation of the cluster means (n − 1 denominator), the spread from the cluster draw;
 * - `sdWithin`: pooled standard deviation inside clusters (√(Σ (x − cluster mean)² / (n − k))), the spread
 *   from seeds; NaN when no cluster has two runs.
 *
 * Non-finite values are dropped before anything else; a cluster left empty does not count.
 */
import jstatPkg from 'jstat';

const { jStat } = jstatPkg;

export interface ClusteredMean {
  mean: number;
  low: number;
  high: number;
  level: number;
  /** Finite values used. */
  n: number;
  /** Clusters with at least one finite value. */
  clusters: number;
  sdBetween: number;
  sdWithin: number;
}

export function clusteredMean(
  values: ArrayLike<number>,
  clusters: ArrayLike<number | string>,
  level = 0.95,
): ClusteredMean {
  if (values.length !== clusters.length) {
    throw new Error(`clusteredMean: ${values.length} values but ${clusters.length} cluster labels`);
  }
  if (!(level > 0 && level < 1)) throw new Error(`clusteredMean: level must be in (0, 1), got ${level}`);
  const groups = new Map<number | string, number[]>();
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    let g = groups.get(clusters[i]);
    if (!g) groups.set(clusters[i], (g = []));
    g.push(v);
    n++;
  }
  const k = groups.size;
  if (k === 0)
    return { mean: NaN, low: NaN, high: NaN, level, n, clusters: 0, sdBetween: NaN, sdWithin: NaN };
  const means: number[] = [];
  let ssWithin = 0;
  for (const g of groups.values()) {
    const m = g.reduce((a, b) => a + b, 0) / g.length;
    means.push(m);
    for (const v of g) ssWithin += (v - m) ** 2;
  }
  const mean = means.reduce((a, b) => a + b, 0) / k;
  const sdBetween = k > 1 ? Math.sqrt(means.reduce((a, m) => a + (m - mean) ** 2, 0) / (k - 1)) : NaN;
  const sdWithin = n > k ? Math.sqrt(ssWithin / (n - k)) : NaN;
  const half = k > 1 ? (jStat.studentt.inv((1 + level) / 2, k - 1) * sdBetween) / Math.sqrt(k) : NaN;
  return { mean, low: mean - half, high: mean + half, level, n, clusters: k, sdBetween, sdWithin };
}
