import type { EvalMode, GroundTruth } from '../benchmarks/ground-truth.js';
import { InputError } from '../io/input-error.js';
import type { ArchScores } from './resolve-scores.js';

/** Scores and truth side by side, ready for the criteria. */
export interface AlignedScores {
  mode: EvalMode;
  truthName: string;
  /** Items compared: architectures (iso) or isomorphism classes (deiso, post-deiso). */
  n: number;
  /** Items the mode has in all: 15,625 (iso) or 6,466 (deiso, post-deiso). */
  total: number;
  score: Float64Array;
  truth: Float64Array;
  /** FLOPs (CIFAR-10 network) of each item (of the representative for classes). */
  flops: Float64Array;
  /** NB201 index of each item (the class representative for classes); a truth file's row (0-based). */
  index: Int32Array;
  /** Rows of the file not used by the mode (deiso keeps one architecture per class). */
  unused: number;
  /** A truth file's ids of the items (absent for NB201, whose items are named by `index`). */
  ids?: string[];
  /** A truth file's cost columns for the items (absent for NB201: `flops`). */
  costs?: { name: string; values: Float64Array }[];
}

/**
 * Put per-architecture scores beside the truth, in one of the method §2 modes. Items come out in NB201 index order
 * (classes in the order of their representatives), so the stable tie rule of the rank criteria never depends on the
 * order of the rows in a score file.
 * - `iso`: every scored architecture against its own truth;
 * - `deiso`: one architecture per isomorphism class (the representative if scored, else the scored member with the
 *   smallest NB201 index) against the class-mean truth;
 * - `post-deiso`: the mean score of the scored members of each class against the class-mean truth.
 */
export function alignToTruth(
  scores: ArchScores,
  gt: GroundTruth,
  mode: EvalMode,
  truthName: string,
): AlignedScores {
  const truthAll = gt.truth(truthName);
  const { flops } = gt.costs();
  if (mode === 'iso') {
    // Items in NB201 index order, so that ties are broken the same way whatever the file's row order.
    const n = scores.index.length;
    const order = Array.from(scores.index.keys()).sort((a, b) => scores.index[a] - scores.index[b]);
    const index = Int32Array.from(order, (k) => scores.index[k]);
    const score = Float64Array.from(order, (k) => scores.score[k]);
    const truth = Float64Array.from(index, (i) => truthAll[i]);
    const cost = Float64Array.from(index, (i) => flops[i]);
    return check({ mode, truthName, n, total: gt.n, score, truth, flops: cost, index, unused: 0 });
  }
  const { classOf, representative } = gt.iso();
  const classTruth = gt.classMeanTruth(truthName);
  const numClasses = representative.length;
  // Per class: the chosen row (deiso) or the running sum and count (post-deiso).
  const chosen = new Int32Array(numClasses).fill(-1);
  const sum = new Float64Array(numClasses);
  const count = new Int32Array(numClasses);
  for (let k = 0; k < scores.index.length; k++) {
    const i = scores.index[k];
    const c = classOf[i];
    sum[c] += scores.score[k];
    count[c]++;
    const prev = chosen[c];
    if (prev < 0 || i < scores.index[prev]) chosen[c] = k;
  }
  const classes: number[] = [];
  for (let c = 0; c < numClasses; c++) if (count[c] > 0) classes.push(c);
  const n = classes.length;
  const score = new Float64Array(n);
  const truth = new Float64Array(n);
  const cost = new Float64Array(n);
  const index = new Int32Array(n);
  classes.forEach((c, k) => {
    score[k] = mode === 'deiso' ? scores.score[chosen[c]] : sum[c] / count[c];
    truth[k] = classTruth[c];
    index[k] = representative[c];
    cost[k] = flops[representative[c]];
  });
  const unused = mode === 'deiso' ? scores.index.length - n : 0;
  return check({ mode, truthName, n, total: numClasses, score, truth, flops: cost, index, unused });
}

function check(a: AlignedScores): AlignedScores {
  if (a.n < 2) {
    throw new InputError(
      `only ${a.n} of ${a.total} ${a.mode === 'iso' ? 'architectures' : 'classes'} are scored; need at least 2`,
    );
  }
  return a;
}
