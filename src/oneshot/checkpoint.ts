/**
 * Supernet checkpoints: gzip of 8-byte magic "NASSCK01" | uint32 LE header length | UTF-8 JSON header | payload
 * (float32 LE weights, then momentum buffers, in header order). The header holds the config, the run identity
 * (seed, sampler, micro-batch, `sgdUntouched`…), the training state and the payload's sha256. The momentum buffers
 * present are exactly the weights that have had a gradient so far, the state `sgdStep`'s `decay` mode needs, so a
 * resumed run continues bit for bit. Written atomically; every load failure names the file and says what is wrong.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import type * as tf from '../engine/tfjs.js';
import { z } from 'zod';
import { writeFileAtomic } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { supernetParamShapes, type SupernetConfig } from './supernet-params.js';
import type { TrainState } from './trainer.js';
import type { Engine } from '../engine/engine.js';
import { defaultEngine } from '../engine/default-engine.js';

const MAGIC = 'NASSCK01';

const headerSchema = z.object({
  format: z.literal(1),
  config: z.object({
    channels: z.number().int().positive(),
    cellsPerStage: z.number().int().positive(),
    classes: z.number().int().positive(),
    dropout: z.number().min(0).max(1),
  }),
  run: z.record(z.string(), z.unknown()),
  epoch: z.number().int().min(0),
  plateau: z.object({ learningRate: z.number(), best: z.number().nullable(), badEpochs: z.number().int() }),
  history: z.array(
    z.object({ epoch: z.number(), loss: z.number(), learningRate: z.number(), seconds: z.number() }),
  ),
  params: z.array(z.tuple([z.string(), z.array(z.number().int())])),
  momentum: z.array(z.string()),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export type CheckpointRun = Record<string, unknown>;

/** Save the training state atomically. `run` identifies the run (seed, sampler, data…) for resume checks. */
export function saveCheckpoint<T = tf.Tensor>(
  file: string,
  config: SupernetConfig,
  state: TrainState<T>,
  run: CheckpointRun,
  engine: Engine<T> = defaultEngine<T>(),
): void {
  const shapes = supernetParamShapes(config);
  const momentumNames = shapes.map(([n]) => n).filter((n) => state.momentum.has(n));
  const parts: Buffer[] = [];
  for (const [name] of shapes) parts.push(f32(engine.readCanonical(state.params.get(name)!)));
  for (const name of momentumNames) parts.push(f32(engine.readCanonical(state.momentum.get(name)!)));
  const payload = Buffer.concat(parts);
  const header = {
    format: 1 as const,
    config,
    run,
    epoch: state.epoch,
    plateau: { ...state.plateau, best: Number.isFinite(state.plateau.best) ? state.plateau.best : null },
    history: state.history,
    params: shapes,
    momentum: momentumNames,
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
  };
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(h.length);
  writeFileAtomic(
    file,
    gzipSync(Buffer.concat([Buffer.from(MAGIC, 'latin1'), len, h, payload]), { level: 1 }),
  );
}

function f32(a: Float32Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

export interface LoadedCheckpoint<T = tf.Tensor> {
  config: SupernetConfig;
  run: CheckpointRun;
  state: TrainState<T>;
}

/**
 * Load a checkpoint onto `engine` (default tfjs), checking its integrity and (when given) that it belongs to this
 * config. The file is engine-neutral: one written on any engine loads on every other.
 */
export function loadCheckpoint<T = tf.Tensor>(
  file: string,
  expected?: SupernetConfig,
  engine: Engine<T> = defaultEngine<T>(),
): LoadedCheckpoint<T> {
  const fail = (what: string): never => {
    throw new InputError(`${file}: ${what}`);
  };
  let raw: Buffer;
  try {
    raw = gunzipSync(readFileSync(file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(
      code === 'ENOENT' ? 'no such checkpoint' : `not a valid checkpoint (${(e as Error).message})`,
    );
  }
  if (raw.length < 12 || raw.subarray(0, 8).toString('latin1') !== MAGIC)
    fail('bad magic: not a supernet checkpoint');
  const hl = raw.readUInt32LE(8);
  if (12 + hl > raw.length) fail('truncated header');
  let header: z.infer<typeof headerSchema>;
  try {
    header = headerSchema.parse(JSON.parse(raw.subarray(12, 12 + hl).toString('utf8')));
  } catch (e) {
    return fail(`invalid header (${(e as Error).message.split('\n')[0]})`);
  }
  const payload = raw.subarray(12 + hl);
  if (createHash('sha256').update(payload).digest('hex') !== header.payloadSha256)
    fail('checksum mismatch (corrupt)');
  if (expected && JSON.stringify(header.config) !== JSON.stringify(expected)) {
    fail(`made for supernet ${JSON.stringify(header.config)}, not ${JSON.stringify(expected)}`);
  }
  const shapes = supernetParamShapes(header.config);
  if (JSON.stringify(shapes) !== JSON.stringify(header.params)) fail('weight list does not match its config');
  const size = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const shapeOf = new Map(shapes);
  const total =
    shapes.reduce((a, [, s]) => a + size(s), 0) +
    header.momentum.reduce((a, n) => a + size(shapeOf.get(n)!), 0);
  if (payload.length !== total * 4) fail(`payload has ${payload.length} bytes, expected ${total * 4}`);
  let off = 0;
  const take = (shape: number[]) => {
    const n = size(shape);
    const a = new Float32Array(n);
    Buffer.from(a.buffer).set(payload.subarray(off, off + n * 4));
    off += n * 4;
    return a;
  };
  const params = new Map<string, T>();
  for (const [name, shape] of shapes) params.set(name, engine.variable(take(shape), shape));
  const momentum = new Map<string, T>();
  for (const name of header.momentum) {
    const shape = shapeOf.get(name)!;
    momentum.set(name, engine.tensor(take(shape), shape));
  }
  return {
    config: header.config,
    run: header.run,
    state: {
      params,
      momentum,
      epoch: header.epoch,
      plateau: { ...header.plateau, best: header.plateau.best ?? Infinity },
      history: header.history,
    },
  };
}
