import { EDGES, NUM_EDGES, NUM_NODES, type Arch } from './arch.js';
import { NONE, isConv } from './ops.js';

/** Reachability of one cell (method §1), nodes as bit sets (bit i = node i). */
export interface Reachability {
  /** Nodes reachable from node 0 over non-none edges (node 0 included). */
  fromInput: number;
  /** Nodes that reach node 3 over non-none edges (node 3 included). */
  toOutput: number;
  /** live[e]: edge e (tril order) is not none, starts in fromInput and ends in toOutput. */
  live: readonly boolean[];
}

export function reachability(arch: Arch): Reachability {
  let fromInput = 1;
  for (let to = 1; to < NUM_NODES; to++) {
    for (let e = 0; e < NUM_EDGES; e++) {
      const [from, t] = EDGES[e];
      if (t === to && arch[e] !== NONE && fromInput & (1 << from)) fromInput |= 1 << to;
    }
  }
  let toOutput = 1 << (NUM_NODES - 1);
  for (let from = NUM_NODES - 2; from >= 0; from--) {
    for (let e = 0; e < NUM_EDGES; e++) {
      const [f, to] = EDGES[e];
      if (f === from && arch[e] !== NONE && toOutput & (1 << to)) toOutput |= 1 << from;
    }
  }
  const live = EDGES.map(
    ([from, to], e) => arch[e] !== NONE && (fromInput & (1 << from)) !== 0 && (toOutput & (1 << to)) !== 0,
  );
  return { fromInput, toOutput, live };
}

/** The live edges of a cell (tril positions): the only ones ever computed. */
export function liveEdges(arch: Arch): number[] {
  const { live } = reachability(arch);
  const out: number[] = [];
  for (let e = 0; e < NUM_EDGES; e++) if (live[e]) out.push(e);
  return out;
}

/** Whether the output node can be reached from the input (341 architectures cannot; their accuracy is 10%). */
export function reachesOutput(arch: Arch): boolean {
  return (reachability(arch).fromInput & (1 << (NUM_NODES - 1))) !== 0;
}

/** `valid` for supernet sampling: some live edge is a convolution (13,642 of 15,625). */
export function isValid(arch: Arch): boolean {
  const { live } = reachability(arch);
  for (let e = 0; e < NUM_EDGES; e++) if (live[e] && isConv(arch[e])) return true;
  return false;
}
