/**
 * A small registry of scalar criteria by name (in the spirit of timm's model registry).
 *
 * Pre-registered names (K written in percent):
 *   pearson, kendall, spearman
 *   p@top{K}%, p@bottom{K}%, kt@top{K}%, kt@bottom{K}%   K ∈ 0.1, 0.5, 1, 5, 10, 50, 100
 *   br@{K}%, wr@{K}%                                       K ∈ 0.1, 0.5, 1, 5, 10, 20
 * e.g. "p@top5%", "br@0.1%", "kt@bottom10%". Criteria return NaN where undefined (k too small).
 */
import { bestRankAtK, worstRankAtK } from './best-rank.js';
import { kendallTau } from './kendall.js';
import { kendallAtBottom, kendallAtTop } from './kendall-subset.js';
import { pearson } from './pearson.js';
import { precisionAtBottom, precisionAtTop } from './precision.js';
import { PRECISION_RATIOS, RANK_RATIOS } from './ratios.js';
import { spearman } from './spearman.js';
import type { NumericArray } from './validate.js';

/** A scalar criterion of (score, truth). */
export type Criterion = (score: NumericArray, truth: NumericArray) => number;

const registry = new Map<string, Criterion>();

/** Registers `fn` under `name`; throws if the name is taken unless `overwrite` is true. */
export function registerCriterion(name: string, fn: Criterion, overwrite = false): void {
  if (typeof name !== 'string' || name.length === 0) {
    throw new Error(`Argument 'name' passed to 'registerCriterion' must be a non-empty string`);
  }
  if (typeof fn !== 'function') {
    throw new Error(`Argument 'fn' passed to 'registerCriterion' must be a function; got ${typeof fn}`);
  }
  if (registry.has(name) && !overwrite) {
    throw new Error(`Argument 'name' passed to 'registerCriterion' is already registered: '${name}'`);
  }
  registry.set(name, fn);
}

/** Removes a criterion; returns whether it existed. */
export function unregisterCriterion(name: string): boolean {
  return registry.delete(name);
}

/** The criterion registered under `name`; throws (listing the known names) when there is none. */
export function getCriterion(name: string): Criterion {
  const fn = registry.get(name);
  if (!fn) {
    throw new Error(
      `Argument 'name' passed to 'getCriterion' is not a registered criterion: '${name}'. ` +
        `Known: ${listCriteria().join(', ')}`,
    );
  }
  return fn;
}

function wildcardToRegExp(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${escaped}$`);
}

/**
 * Registered names, sorted. `filter` is a RegExp or a shell-style pattern (`*` any run, `?` one character),
 * e.g. `listCriteria('p@top*')`.
 */
export function listCriteria(filter?: string | RegExp): string[] {
  const names = [...registry.keys()].sort();
  if (filter === undefined) return names;
  const re = typeof filter === 'string' ? wildcardToRegExp(filter) : filter;
  return names.filter((n) => {
    re.lastIndex = 0;
    return re.test(n);
  });
}

/** Ratio as a percent label: 0.001 → "0.1", 0.05 → "5", 1 → "100". */
export function percentLabel(ratio: number): string {
  return String(Number((ratio * 100).toPrecision(12)));
}

registerCriterion('pearson', (s, t) => pearson(s, t));
registerCriterion('kendall', (s, t) => kendallTau(s, t));
registerCriterion('spearman', (s, t) => spearman(s, t));
for (const r of PRECISION_RATIOS) {
  const p = percentLabel(r);
  registerCriterion(`p@top${p}%`, (s, t) => precisionAtTop(s, t, r));
  registerCriterion(`p@bottom${p}%`, (s, t) => precisionAtBottom(s, t, r));
  registerCriterion(`kt@top${p}%`, (s, t) => kendallAtTop(s, t, r));
  registerCriterion(`kt@bottom${p}%`, (s, t) => kendallAtBottom(s, t, r));
}
for (const r of RANK_RATIOS) {
  const p = percentLabel(r);
  registerCriterion(`br@${p}%`, (s, t) => bestRankAtK(s, t, r));
  registerCriterion(`wr@${p}%`, (s, t) => worstRankAtK(s, t, r));
}
