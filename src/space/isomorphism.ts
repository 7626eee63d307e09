import { NUM_NODES, edgeIndex, type Arch } from './arch.js';
import { NONE, SKIP, OP_NAMES } from './ops.js';

/**
 * Canonical isomorphism key of a cell (method §1): S0 = "0"; for node i one term per input j < i:
 * "#" if the op is none or S_j is exactly "#"; S_j for skip_connect; otherwise "(" + S_j + ")@" + op.
 * Terms are sorted and joined with "+". The key is S3. A node whose inputs are all none becomes "#+#" (not "#"),
 * as in the paper's reference implementation; this yields exactly 6,466 classes over the 15,625 cells.
 */
export function isoKey(arch: Arch): string {
  const s: string[] = ['0'];
  for (let i = 1; i < NUM_NODES; i++) {
    const terms: string[] = [];
    for (let j = 0; j < i; j++) {
      const op = arch[edgeIndex(j, i)];
      if (op === NONE || s[j] === '#') terms.push('#');
      else if (op === SKIP) terms.push(s[j]);
      else terms.push(`(${s[j]})@${OP_NAMES[op]}`);
    }
    terms.sort(compareCodeUnits);
    s.push(terms.join('+'));
  }
  return s[NUM_NODES - 1];
}

function compareCodeUnits(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Isomorphism classes of a list of architectures (in the list's order, i.e. NB201 index order). */
export interface IsoClasses {
  /** Class id of each architecture; ids are numbered in order of their first member. */
  classOf: Int32Array;
  /** Position (in the input list) of each class's representative: its first member. */
  representative: Int32Array;
  /** Number of members per class. */
  size: Int32Array;
  /** Canonical key of each class. */
  key: string[];
}

/**
 * Group architectures into isomorphism classes. The representative of a class is its member that comes first in
 * `archs`; pass the architectures in NB201 index order to get the benchmark's representatives (smallest index).
 */
export function isoClasses(archs: readonly Arch[]): IsoClasses {
  const ids = new Map<string, number>();
  const classOf = new Int32Array(archs.length);
  const rep: number[] = [];
  const size: number[] = [];
  const key: string[] = [];
  for (let i = 0; i < archs.length; i++) {
    const k = isoKey(archs[i]);
    let id = ids.get(k);
    if (id === undefined) {
      id = rep.length;
      ids.set(k, id);
      rep.push(i);
      size.push(0);
      key.push(k);
    }
    classOf[i] = id;
    size[id]++;
  }
  return { classOf, representative: Int32Array.from(rep), size: Int32Array.from(size), key };
}
