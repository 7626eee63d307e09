import { EDGES, NUM_EDGES, NUM_NODES, edgeIndex, makeArch, type Arch } from './arch.js';
import { NUM_OPS, type Op } from './ops.js';

/** Encoding names, for predictors and users (NASLib-style enum of encodings). */
export const ENCODINGS = ['seq6', 'onehot30', 'op-matrix', 'naslib'] as const;
export type EncodingName = (typeof ENCODINGS)[number];

/** `seq6`: the 6 op indices in tril order. */
export function toSeq6(arch: Arch): Int32Array {
  return Int32Array.from(arch);
}

/** `onehot30`: 6 edges × 5 ops, edge-major (row e has a 1 at column op). */
export function toOneHot30(arch: Arch): Float32Array {
  const out = new Float32Array(NUM_EDGES * NUM_OPS);
  for (let e = 0; e < NUM_EDGES; e++) out[e * NUM_OPS + arch[e]] = 1;
  return out;
}

export function fromOneHot30(v: ArrayLike<number>): Arch {
  if (v.length !== NUM_EDGES * NUM_OPS) throw new Error(`fromOneHot30: expected 30 values, got ${v.length}`);
  const ops: number[] = [];
  for (let e = 0; e < NUM_EDGES; e++) {
    const hot: number[] = [];
    for (let o = 0; o < NUM_OPS; o++)
      if (v[e * NUM_OPS + o] === 1) hot.push(o);
      else if (v[e * NUM_OPS + o] !== 0)
        throw new Error(`fromOneHot30: value at ${e * NUM_OPS + o} is not 0 or 1`);
    if (hot.length !== 1)
      throw new Error(`fromOneHot30: edge ${e} must have exactly one hot op, has ${hot.length}`);
    ops.push(hot[0]);
  }
  return makeArch(ops);
}

/**
 * 4×4 op matrix: `m[to][from]` is the op on edge from→to (lower triangle), other cells 0 (= none), as in
 * NB201's own `str2matrix`.
 */
export function toOpMatrix(arch: Arch): number[][] {
  const m = Array.from({ length: NUM_NODES }, () => new Array<number>(NUM_NODES).fill(0));
  for (let e = 0; e < NUM_EDGES; e++) {
    const [from, to] = EDGES[e];
    m[to][from] = arch[e];
  }
  return m;
}

export function fromOpMatrix(m: readonly (readonly number[])[]): Arch {
  if (m.length !== NUM_NODES || m.some((row) => row.length !== NUM_NODES)) {
    throw new Error('fromOpMatrix: expected a 4×4 matrix');
  }
  for (let i = 0; i < NUM_NODES; i++)
    for (let j = i; j < NUM_NODES; j++)
      if (m[i][j] !== 0) throw new Error(`fromOpMatrix: m[${i}][${j}] must be 0 (only j < i are edges)`);
  return makeArch(EDGES.map(([from, to]) => m[to][from]));
}

/**
 * NASLib's `op_indices` for NB201: edges ordered (0→1), (0→2), (0→3), (1→2), (1→3), (2→3) and ops
 * ordered Identity, Zero, ReLUConvBN3x3, ReLUConvBN1x1, AvgPool1x1.
 */
export const NASLIB_EDGES: readonly (readonly [number, number])[] = [
  [0, 1],
  [0, 2],
  [0, 3],
  [1, 2],
  [1, 3],
  [2, 3],
];
/** NASLib op index → our op index (skip, none, conv3x3, conv1x1, avg pool). */
const NASLIB_TO_OP: readonly Op[] = [1, 0, 3, 2, 4];
const OP_TO_NASLIB: readonly number[] = [1, 0, 3, 2, 4];

export function toNaslibOpIndices(arch: Arch): number[] {
  return NASLIB_EDGES.map(([from, to]) => OP_TO_NASLIB[arch[edgeIndex(from, to)]]);
}

export function fromNaslibOpIndices(indices: ArrayLike<number>): Arch {
  if (indices.length !== NUM_EDGES)
    throw new Error(`fromNaslibOpIndices: expected 6 values, got ${indices.length}`);
  const ops = new Array<number>(NUM_EDGES);
  for (let k = 0; k < NUM_EDGES; k++) {
    const v = indices[k];
    if (!Number.isInteger(v) || v < 0 || v >= NUM_OPS) {
      throw new Error(`fromNaslibOpIndices: value ${k} must be an integer in [0, 4], got ${v}`);
    }
    const [from, to] = NASLIB_EDGES[k];
    ops[edgeIndex(from, to)] = NASLIB_TO_OP[v];
  }
  return makeArch(ops);
}

/** Architectures packed into one flat array: 6 op indices (tril order) per architecture, row-major. */
export function packOps(archs: readonly Arch[]): Uint8Array {
  const ops = new Uint8Array(archs.length * NUM_EDGES);
  for (let i = 0; i < archs.length; i++) {
    const a = archs[i];
    for (let e = 0; e < NUM_EDGES; e++) ops[i * NUM_EDGES + e] = a[e];
  }
  return ops;
}
