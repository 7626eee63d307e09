import { NUM_EDGES, edgeIndex, type Arch } from './arch.js';
import { OP_NAMES, opIndex, type Op } from './ops.js';

/** Error raised for a malformed NB201 string; `position` is the 0-based character offset. */
export class ArchParseError extends Error {
  constructor(
    message: string,
    readonly input: string,
    readonly position: number,
  ) {
    super(message);
    this.name = 'ArchParseError';
  }
}

/**
 * Format an architecture as its NB201 string, e.g.
 * `|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|`.
 */
export function formatArch(arch: Arch): string {
  const nodes: string[] = [];
  for (let to = 1; to <= 3; to++) {
    let s = '|';
    for (let from = 0; from < to; from++) s += `${OP_NAMES[arch[edgeIndex(from, to)]]}~${from}|`;
    nodes.push(s);
  }
  return nodes.join('+');
}

/**
 * Parse an NB201 string strictly: exactly three node groups joined by `+`, each `|op~j|…|` with the inputs
 * j = 0..i-1 in increasing order, known op names, no whitespace. Throws {@link ArchParseError} saying what is
 * wrong and at which character.
 */
export function parseArch(input: string): Arch {
  if (typeof input !== 'string') throw new ArchParseError('architecture must be a string', String(input), 0);
  if (input.length === 0) throw new ArchParseError('empty architecture string', input, 0);
  const ops = new Array<Op>(NUM_EDGES);
  const fail = (msg: string, pos: number): never => {
    throw new ArchParseError(`malformed NB201 string at character ${pos + 1}: ${msg}`, input, pos);
  };
  let pos = 0;
  for (let to = 1; to <= 3; to++) {
    if (to > 1) {
      if (input[pos] !== '+') fail(`expected '+' before node ${to}, found ${describe(input, pos)}`, pos);
      pos++;
    }
    if (input[pos] !== '|') fail(`expected '|' to open node ${to}, found ${describe(input, pos)}`, pos);
    pos++;
    for (let from = 0; from < to; from++) {
      const tilde = input.indexOf('~', pos);
      const bar = input.indexOf('|', pos);
      if (tilde < 0 || (bar >= 0 && bar < tilde)) {
        fail(`expected 'op~${from}' for edge ${from}→${to}`, pos);
      }
      const name = input.slice(pos, tilde);
      const op = opIndex(name);
      if (op === undefined) {
        fail(`unknown op '${name}' on edge ${from}→${to} (ops: ${OP_NAMES.join(', ')})`, pos);
      }
      const end = bar < 0 ? input.length : bar;
      const src = input.slice(tilde + 1, end);
      if (src !== String(from)) {
        fail(`edge into node ${to} must come from node ${from} here, found '~${src}'`, tilde + 1);
      }
      if (bar < 0) fail(`expected '|' after '${name}~${src}'`, end);
      ops[edgeIndex(from, to)] = op as Op;
      pos = bar + 1;
    }
  }
  if (pos !== input.length) fail(`unexpected trailing text ${describe(input, pos)}`, pos);
  return ops as unknown as Arch;
}

function describe(s: string, pos: number): string {
  return pos >= s.length ? 'end of string' : `'${s.slice(pos, pos + 12)}'`;
}
