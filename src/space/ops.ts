/**
 * NAS-Bench-201 operations, with the fixed index order used everywhere in nas-surgery (method §1).
 */
export const OP_NAMES = ['none', 'skip_connect', 'nor_conv_1x1', 'nor_conv_3x3', 'avg_pool_3x3'] as const;

export type OpName = (typeof OP_NAMES)[number];
/** Index of an op in {@link OP_NAMES}: 0 none, 1 skip, 2 conv 1x1, 3 conv 3x3, 4 avg pool. */
export type Op = 0 | 1 | 2 | 3 | 4;

export const NONE: Op = 0;
export const SKIP: Op = 1;
export const CONV1X1: Op = 2;
export const CONV3X3: Op = 3;
export const AVG_POOL: Op = 4;
export const NUM_OPS = 5;

const BY_NAME = new Map<string, Op>(OP_NAMES.map((name, i) => [name, i as Op]));

/** The op index of a NB201 op name, or undefined when the name is not an op. */
export function opIndex(name: string): Op | undefined {
  return BY_NAME.get(name);
}

export function opName(op: Op): OpName {
  return OP_NAMES[op];
}

export function isConv(op: Op): boolean {
  return op === CONV1X1 || op === CONV3X3;
}
