/**
 * NASLib's zero-cost score files (NAS-Bench-Suite-Zero, `zc_<space>.json`, github.com/automl/NASLib):
 *
 *   { "<task>": { "<arch key>": { "<proxy>": { "score": x, "time": t }, …, "val_accuracy": y } } }
 *
 * For NAS-Bench-201 an arch key is NASLib's op-index tuple written as a string, e.g. `"(4, 0, 3, 1, 4, 3)"`: one
 * op per edge in NASLib's edge order (1,2), (1,3), (1,4), (2,3), (2,4), (3,4) (1-based nodes, node 1 = the cell
 * input), with NASLib's op order skip_connect, none, nor_conv_3x3, nor_conv_1x1, avg_pool_3x3. In an NB201 string
 * `|a~0|+|b~0|c~1|+|d~0|e~1|f~2|` the tuple positions 0 | 1, 3 | 2, 4, 5 are the nodes 1 | 2 | 3.
 */
import { InputError } from '../io/input-error.js';
import { jsonCell, readInputText, type Table, type TableRow } from '../io/read-table.js';
import { makeArch, NUM_EDGES, type Arch } from '../space/arch.js';
import type { Op } from '../space/ops.js';

/** Our op index (none, skip, conv 1×1, conv 3×3, avg pool) of each NASLib op index. */
const FROM_NASLIB: readonly Op[] = [1, 0, 3, 2, 4];
/** NASLib's op index of each of ours. */
const TO_NASLIB: readonly number[] = [1, 0, 3, 2, 4];
/** Our tril edge (1←0, 2←0, 2←1, 3←0, 3←1, 3←2) at each NASLib tuple position (1,2), (1,3), (1,4), (2,3), (2,4), (3,4). */
const EDGE_OF_POSITION: readonly number[] = [0, 1, 3, 2, 4, 5];

const KEY_PATTERN =
  /^\(\s*([0-4])\s*,\s*([0-4])\s*,\s*([0-4])\s*,\s*([0-4])\s*,\s*([0-4])\s*,\s*([0-4])\s*\)$/;

/** The architecture of a NASLib NB201 key such as `"(4, 0, 3, 1, 4, 3)"`; an Error saying why when it is not one. */
export function naslibKeyToArch(key: string): Arch {
  const m = KEY_PATTERN.exec(key.trim());
  if (!m)
    throw new Error(
      `'${key}' is not a NASLib NAS-Bench-201 key (six op indices 0–4, e.g. "(4, 0, 3, 1, 4, 3)")`,
    );
  const ops = new Array<Op>(NUM_EDGES);
  for (let p = 0; p < NUM_EDGES; p++) ops[EDGE_OF_POSITION[p]] = FROM_NASLIB[Number(m[p + 1])];
  return makeArch(ops);
}

/** NASLib's key of an architecture, written as NASLib writes it: `"(4, 0, 3, 1, 4, 3)"`. */
export function archToNaslibKey(arch: Arch): string {
  const idx = EDGE_OF_POSITION.map((e) => TO_NASLIB[arch[e]]);
  return `(${idx.join(', ')})`;
}

/** The column of a zc table that holds each architecture's key. */
export const NASLIB_KEY_COLUMN = 'arch';
/** NASLib's name for the trained accuracy in a zc file. */
export const NASLIB_TRUTH_KEY = 'val_accuracy';

/**
 * Read one task of a zc file as a table: column `arch` holds the key as written, then one column per proxy (its
 * `score`) and `val_accuracy`, in first-appearance order. A proxy given as a bare number is read as its score.
 */
export function readNaslibZc(file: string, task: string | undefined): Table {
  const text = readInputText(file, 'NASLib zc file');
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${file}: invalid JSON (${(e as Error).message})`);
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new InputError(`${file}: a NASLib zc file is a JSON object {task: {arch: {proxy: {score, time}}}}`);
  }
  const tasks = Object.keys(data);
  if (task === undefined) {
    throw new InputError(`${file}: choose a task with --task (the file has: ${tasks.join(', ') || 'none'})`);
  }
  if (!tasks.includes(task)) {
    throw new InputError(`${file}: no task '${task}' (the file has: ${tasks.join(', ') || 'none'})`);
  }
  const archs = (data as Record<string, unknown>)[task];
  if (archs === null || typeof archs !== 'object' || Array.isArray(archs)) {
    throw new InputError(`${file}: ${task}: expected an object keyed by architecture`);
  }
  const entries = Object.entries(archs as Record<string, unknown>);
  if (entries.length === 0) throw new InputError(`${file}: ${task}: no architectures`);
  const columns = [NASLIB_KEY_COLUMN];
  const known = new Set(columns);
  const rows = entries.map(([key, value]): TableRow => {
    const where = `${file}: ${task}["${key}"]`;
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      throw new InputError(`${where}: expected an object of proxies`);
    }
    const cells: Record<string, string | undefined> = { [NASLIB_KEY_COLUMN]: key };
    for (const [name, v] of Object.entries(value as Record<string, unknown>)) {
      if (name === NASLIB_KEY_COLUMN) throw new InputError(`${where}: a proxy may not be called '${name}'`);
      if (!known.has(name)) {
        known.add(name);
        columns.push(name);
      }
      const score =
        v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>).score : v;
      cells[name] = jsonCell(score, `${where}.${name}${score === v ? '' : '.score'}`);
    }
    return { where, cells };
  });
  return { file, columns, rows };
}
