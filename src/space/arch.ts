import { NUM_OPS, type Op } from './ops.js';

/**
 * An NB201 cell: the op of each of the 6 edges, in tril order (method §1):
 * (1←0), (2←0), (2←1), (3←0), (3←1), (3←2).
 */
export type Arch = readonly [Op, Op, Op, Op, Op, Op];

export const NUM_EDGES = 6;
export const NUM_NODES = 4;
/** 5^6 architectures. */
export const NUM_ARCHS = NUM_OPS ** NUM_EDGES;

/** Edges in tril order as [from, to]. */
export const EDGES: readonly (readonly [from: number, to: number])[] = [
  [0, 1],
  [0, 2],
  [1, 2],
  [0, 3],
  [1, 3],
  [2, 3],
];

/** Position in tril order of the edge from → to (to > from). */
export function edgeIndex(from: number, to: number): number {
  if (!(to >= 1 && to <= 3 && from >= 0 && from < to)) {
    throw new Error(`edgeIndex: no edge ${from}→${to} in an NB201 cell`);
  }
  return (to * (to - 1)) / 2 + from;
}

/**
 * A dense code 0..15624 for an architecture: the 6 ops in tril order read as a base-5 number
 * (first edge most significant). This is NOT the NB201 index (the benchmark's own row order).
 */
export function archCode(arch: Arch): number {
  let code = 0;
  for (let e = 0; e < NUM_EDGES; e++) code = code * NUM_OPS + arch[e];
  return code;
}

export function archFromCode(code: number): Arch {
  if (!Number.isInteger(code) || code < 0 || code >= NUM_ARCHS) {
    throw new Error(`archFromCode: code must be an integer in [0, ${NUM_ARCHS - 1}], got ${code}`);
  }
  const ops = new Array<Op>(NUM_EDGES);
  for (let e = NUM_EDGES - 1; e >= 0; e--) {
    ops[e] = (code % NUM_OPS) as Op;
    code = Math.floor(code / NUM_OPS);
  }
  return ops as unknown as Arch;
}

/** Build an Arch from 6 op indices, checking each. */
export function makeArch(ops: ArrayLike<number>): Arch {
  if (ops.length !== NUM_EDGES) {
    throw new Error(`makeArch: an architecture has ${NUM_EDGES} edges, got ${ops.length} ops`);
  }
  const out = new Array<Op>(NUM_EDGES);
  for (let e = 0; e < NUM_EDGES; e++) {
    const v = ops[e];
    if (!Number.isInteger(v) || v < 0 || v >= NUM_OPS) {
      throw new Error(`makeArch: op at edge ${e} must be an integer in [0, ${NUM_OPS - 1}], got ${v}`);
    }
    out[e] = v as Op;
  }
  return out as unknown as Arch;
}

/** Every architecture of the space, in code order (not NB201 index order). */
export function enumerateArchs(): Arch[] {
  const all: Arch[] = new Array(NUM_ARCHS);
  for (let c = 0; c < NUM_ARCHS; c++) all[c] = archFromCode(c);
  return all;
}

export function archEquals(a: Arch, b: Arch): boolean {
  for (let e = 0; e < NUM_EDGES; e++) if (a[e] !== b[e]) return false;
  return true;
}

/** How many edges carry each op (indexed by op), dead edges included. */
export function countOps(arch: Arch): number[] {
  const counts = new Array<number>(NUM_OPS).fill(0);
  for (let e = 0; e < NUM_EDGES; e++) counts[arch[e]]++;
  return counts;
}
