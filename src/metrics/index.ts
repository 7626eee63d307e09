/** Public API of the criteria suite (method §3). */
export type { NumericArray } from './validate.js';
export { argsortDescending, ranksDescending, averageRanks } from './ranks.js';
export { pearson } from './pearson.js';
export { kendallTau, kendallTauNaive } from './kendall.js';
export { spearman } from './spearman.js';
export { precisionAtTop, precisionAtBottom } from './precision.js';
export { bestRankAtK, worstRankAtK } from './best-rank.js';
export { kendallAtTop, kendallAtBottom } from './kendall-subset.js';
export { rankDiffByCostGroup, arraySplitSizes, type CostGroup } from './cost-groups.js';
export { isoSpread, type IsoSpread } from './iso-spread.js';
export {
  bootstrapInterval,
  percentileSorted,
  type BootstrapInterval,
  type BootstrapOptions,
  type PairedStatistic,
} from './bootstrap.js';
export { pairedDifference, type PairedDifference } from './paired-difference.js';
export { clusteredMean, type ClusteredMean } from './clustered-mean.js';
export { PRECISION_RATIOS, RANK_RATIOS, kFromRatio, ratioKey } from './ratios.js';
export {
  criteriaSuite,
  type CriteriaSuiteOptions,
  type CriteriaSuiteResult,
  type FlopsGroup,
} from './suite.js';
export {
  registerCriterion,
  unregisterCriterion,
  getCriterion,
  listCriteria,
  percentLabel,
  type Criterion,
} from './registry.js';
