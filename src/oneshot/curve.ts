import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { GroundTruth } from '../benchmarks/ground-truth.js';
import type { Batch } from '../data/batches.js';
import { toJson } from '../io/json.js';
import { writeFileAtomic } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { isoSpread, type IsoSpread } from '../metrics/iso-spread.js';
import { evaluateArchScores, type EvaluationResult } from '../surgery/evaluate.js';
import { loadCheckpoint } from './checkpoint.js';
import { deriveScores } from './derive.js';
import type { SupernetKernels } from './supernet.js';
import type { Engine } from '../engine/engine.js';
import { defaultEngine } from '../engine/default-engine.js';
import { shardLabel, WHOLE, type Shard } from '../runners/shard.js';

/** `epoch-0040.ckpt` → 40. */
export function checkpointEpoch(file: string): number | undefined {
  const m = /^epoch-(\d+)\.ckpt$/.exec(path.basename(file));
  return m ? Number(m[1]) : undefined;
}

export function checkpointName(epoch: number): string {
  return `epoch-${String(epoch).padStart(4, '0')}.ckpt`;
}

/** Checkpoints of a training run folder, by epoch. */
export function listCheckpoints(runDir: string): { epoch: number; file: string }[] {
  const dir = path.join(runDir, 'checkpoints');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => ({ epoch: checkpointEpoch(f), file: path.join(dir, f) }))
    .filter((c): c is { epoch: number; file: string } => c.epoch !== undefined)
    .sort((a, b) => a.epoch - b.epoch);
}

export interface CurvePoint {
  epoch: number;
  /** The one-shot mean accuracy over the architectures (held-out images). */
  meanAccuracy: number;
  criteria: EvaluationResult;
  /**
   * The within-class spread over the sampled members of isomorphism classes (method §3; the paper's Tab 2), with the
   * truth's own spread over the same members as its floor; absent when the curve derives no class members.
   */
  iso?: { members: number; spread: IsoSpread; truth: IsoSpread };
}

/** Scores of one checkpoint as CSV (what `evaluate` and the merge step read). */
export function scoresCsv(indices: Int32Array, accuracy: Float64Array, negLoss: Float64Array): string {
  const lines = ['index,score,neg_loss'];
  indices.forEach((i, k) => lines.push(`${i},${accuracy[k]},${negLoss[k]}`));
  return lines.join('\n') + '\n';
}

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

/** sha256 of a file's bytes (a checkpoint's identity: what derive reads). */
export function fileSha256(file: string): string {
  return sha256(readFileSync(file));
}

/** sha256 of the held-out batches exactly as derive sees them: each batch's shape, normalised pixels and labels. */
export function batchesSha256(batches: readonly Batch[]): string {
  const h = createHash('sha256');
  for (const b of batches) {
    h.update(new Uint8Array(Uint32Array.from(b.shape).buffer));
    h.update(new Uint8Array(b.x.buffer, b.x.byteOffset, b.x.byteLength));
    h.update(new Uint8Array(b.y.buffer, b.y.byteOffset, b.y.byteLength));
  }
  return h.digest('hex');
}

/** sha256 of an architecture list (int32 little-endian indices, in order). */
export function archListSha256(indices: Int32Array): string {
  return sha256(new Uint8Array(Int32Array.from(indices).buffer));
}

/** How the held-out batches of a curve were made: stored with every scores file and checked before reusing one. */
export interface DeriveSettings {
  /** Held-out images used. */
  heldOutImages: number;
  /** Derive batch size (BN statistics are per batch). */
  batchSize: number;
  /** The split's description. */
  split: string;
  /** The loaded training data: image count and source files. */
  data: string;
}

const sidecarSchema = z.object({
  format: z.literal(1),
  scores: z.string(),
  scoresSha256: z.string(),
  checkpoint: z.string(),
  checkpointSha256: z.string(),
  epoch: z.number().int(),
  heldOutImages: z.number().int(),
  batchSize: z.number().int(),
  split: z.string(),
  data: z.string(),
  heldOutSha256: z.string(),
  architectures: z.number().int(),
  archsSha256: z.string(),
  backend: z.string().optional(),
  /** Only in a shard's files (`oneshot curve --shard i/n`): which part of `architectures` the CSV holds. */
  shard: z.string().optional(),
});
type Sidecar = z.infer<typeof sidecarSchema>;

/** `…/scores/epoch-0040.csv` and its settings file `…/scores/epoch-0040.json`. */
export function scoresFiles(outDir: string, epoch: number): { csv: string; sidecar: string } {
  const base = path.join(outDir, 'scores', `epoch-${String(epoch).padStart(4, '0')}`);
  return { csv: `${base}.csv`, sidecar: `${base}.json` };
}

const short = (h: string) => `${h.slice(0, 12)}…`;

/**
 * Why an existing scores file may not be reused for these settings (undefined: it may). Checks the settings file
 * beside it (present, valid, made for this CSV) and every setting that changes a score.
 */
function staleReason(
  files: { csv: string; sidecar: string },
  want: Omit<Sidecar, 'format' | 'scores' | 'scoresSha256' | 'backend' | 'shard'> & { shard?: string },
): string | undefined {
  if (!existsSync(files.sidecar)) {
    return (
      `${files.csv} has no settings file ${path.basename(files.sidecar)} (made by an older nas-surgery?), ` +
      `so its held-out images, batch size and checkpoint cannot be checked`
    );
  }
  let have: Sidecar;
  try {
    have = sidecarSchema.parse(JSON.parse(readFileSync(files.sidecar, 'utf8')));
  } catch (e) {
    return `${files.sidecar}: not a valid scores settings file (${(e as Error).message.split('\n')[0]})`;
  }
  if (have.scoresSha256 !== sha256(readFileSync(files.csv))) {
    return `${files.csv} was changed after it was derived (its sha256 is not the one in ${path.basename(files.sidecar)})`;
  }
  const differs = (what: string, there: string | number, now: string | number) =>
    `${files.sidecar}: its scores were derived with ${what} ${there}, not ${now} as now`;
  if (have.checkpointSha256 !== want.checkpointSha256) {
    return differs(
      `checkpoint ${have.checkpoint} of sha256`,
      short(have.checkpointSha256),
      `${short(want.checkpointSha256)} (the checkpoint has changed)`,
    );
  }
  if (have.heldOutImages !== want.heldOutImages)
    return differs('held-out images', have.heldOutImages, want.heldOutImages);
  // A batch size above the image count is one batch of them all, whatever its value.
  const effective = (r: { batchSize: number; heldOutImages: number }) =>
    Math.min(r.batchSize, r.heldOutImages);
  if (effective(have) !== effective(want)) return differs('batch size', have.batchSize, want.batchSize);
  if (have.split !== want.split) return differs('split', `'${have.split}'`, `'${want.split}'`);
  if (have.data !== want.data) return differs('data', `'${have.data}'`, `'${want.data}'`);
  if (have.heldOutSha256 !== want.heldOutSha256) {
    return differs(
      'held-out batches of sha256',
      short(have.heldOutSha256),
      `${short(want.heldOutSha256)} (the images differ)`,
    );
  }
  if (have.architectures !== want.architectures)
    return differs('architectures', have.architectures, want.architectures);
  if ((have.shard ?? '0/1') !== (want.shard ?? '0/1'))
    return differs('shard', have.shard ?? '0/1', want.shard ?? '0/1');
  if (have.archsSha256 !== want.archsSha256) {
    return differs(
      'an architecture list of sha256',
      short(have.archsSha256),
      `${short(want.archsSha256)} (other architectures)`,
    );
  }
  return undefined;
}

/** Epochs that have a scores file in `outDir/scores` (derived before; their checkpoint may since have been removed). */
export function derivedEpochs(outDir: string): number[] {
  const dir = path.join(outDir, 'scores');
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .map((f) => /^epoch-(\d+)\.csv$/.exec(f))
    .filter((m): m is RegExpExecArray => m !== null)
    .map((m) => Number(m[1]))
    .sort((a, b) => a - b);
}

/** The checkpoint a scores file's settings file names (for a checkpoint that is gone), or an InputError. */
function recordedCheckpoint(files: { csv: string; sidecar: string }): {
  checkpoint: string;
  checkpointSha256: string;
} {
  try {
    const have = sidecarSchema.parse(JSON.parse(readFileSync(files.sidecar, 'utf8')));
    return { checkpoint: have.checkpoint, checkpointSha256: have.checkpointSha256 };
  } catch (e) {
    throw new InputError(
      `${files.csv}: its checkpoint is gone and its settings file ${path.basename(files.sidecar)} cannot be read ` +
        `(${(e as Error).message.split('\n')[0]}), so these scores cannot be checked; remove them or use another --out`,
    );
  }
}

/**
 * Criteria against training epochs: for every checkpoint of `runDir` (every `every`-th, and the last), derive the
 * scores of `indices` on the held-out `batches`, judge them against the truth (`mode`) and write `curve.json` (the
 * report's format), `scores/epoch-XXXX.csv` and beside each its settings file `scores/epoch-XXXX.json`: the derive
 * settings, the held-out batches' and the architecture list's sha256 and the checkpoint file's sha256.
 *
 * A scores file that exists is reused (resume) only if its settings file says it was derived from the same checkpoint
 * bytes with the same settings, batches and architectures. Otherwise (or without a settings file) the curve stops with
 * an InputError naming the file and the first differing setting, before deriving anything; `force` derives such
 * checkpoints again and replaces their files.
 *
 * A scores file whose checkpoint is no longer in `runDir` (a long run keeps only its latest checkpoint, see
 * results/README.md) stays a point of the curve when its settings file matches every other setting: its checkpoint's
 * sha256 stays on record there, and `force` cannot derive it again.
 */
export function buildCurve(args: {
  runDir: string;
  outDir: string;
  gt: GroundTruth;
  indices: Int32Array;
  batches: readonly Batch[];
  settings: DeriveSettings;
  label: string;
  sampler?: string;
  mode: 'iso' | 'deiso' | 'post-deiso';
  /** The bundled truth the scores are judged against (default `cifar10`); the derived scores do not depend on it. */
  truth?: string;
  /**
   * Members of isomorphism classes to derive as well (see arch-lists.ts isoMembers), for the within-class spread of
   * each point; their scores share the scores files with `indices`.
   */
  isoIndices?: Int32Array;
  /** Which score the criteria judge: the held-out accuracy (default) or −(mean loss). */
  score?: 'accuracy' | 'neg_loss';
  every?: number;
  force?: boolean;
  /**
   * Derive only this shard's part of the (checkpoint, architecture) pairs: at epoch e the k-th derived architecture belongs
   * to shard (e·A + k) mod n. Its scores files hold that part (their settings file says
   * `shard`); nothing is judged and no curve.json is written: {@link mergeCurveShards} joins the shards.
   */
  shard?: Shard;
  /** Derive nothing: every scores file must exist and match (the merge of shards); else an InputError. */
  resumeOnly?: boolean;
  /** Recorded in the settings files, not compared (backends differ only by rounding). */
  backend?: string;
  /** Default: tfjs with {@link kernels}. */
  engine?: Engine<unknown>;
  kernels?: SupernetKernels;
  onCheckpoint?: (epoch: number, done: number, total: number, reused: boolean) => void;
}): CurvePoint[] {
  if (args.batches.length === 0) throw new InputError(`${args.runDir}: no held-out batches to derive on`);
  const imagesInBatches = args.batches.reduce((a, b) => a + b.y.length, 0);
  if (imagesInBatches !== args.settings.heldOutImages) {
    throw new Error(
      `buildCurve: ${imagesInBatches} held-out images in the batches, settings say ${args.settings.heldOutImages}`,
    );
  }
  const present = listCheckpoints(args.runDir);
  const have = new Set(present.map((c) => c.epoch));
  const gone = derivedEpochs(args.outDir)
    .filter((e) => !have.has(e))
    .map((epoch) => ({ epoch, file: undefined as string | undefined }));
  const all: { epoch: number; file: string | undefined }[] = [...present, ...gone].sort(
    (a, b) => a.epoch - b.epoch,
  );
  const every = args.every ?? 1;
  const chosen = all.filter((c, k) => k % every === 0 || k === all.length - 1);
  // What is derived: the architectures and the class members, once each, in index order (without class members
  // and with a sorted list, that is the list itself, as before they existed).
  const iso = args.isoIndices ?? new Int32Array(0);
  const derived =
    iso.length === 0 ? args.indices : Int32Array.from(new Set([...args.indices, ...iso])).sort();
  const position = new Map<number, number>();
  derived.forEach((a, k) => position.set(a, k));
  const pick = (values: Float64Array, of: Int32Array) =>
    Float64Array.from(of, (a) => values[position.get(a)!]);
  const classOf = args.gt.iso().classOf;
  const isoClassIds = Int32Array.from(iso, (a) => classOf[a]);
  const truth = args.gt.truth(args.truth ?? 'cifar10');
  const isoTruth =
    iso.length > 0
      ? isoSpread(
          Float64Array.from(iso, (a) => truth[a]),
          isoClassIds,
        )
      : undefined;
  const common = {
    ...args.settings,
    heldOutSha256: batchesSha256(args.batches),
    architectures: derived.length,
    archsSha256: archListSha256(derived),
  };
  const shard = args.shard ?? WHOLE;
  const sharded = shard.count > 1;
  const partOf = (epoch: number) =>
    sharded ? derived.filter((_, k) => (epoch * derived.length + k) % shard.count === shard.index) : derived;
  // Check every reusable scores file before deriving anything, so that a refusal costs nothing.
  const plan = chosen.map((c) => {
    const files = scoresFiles(args.outDir, c.epoch);
    const want = {
      ...common,
      ...(c.file === undefined
        ? recordedCheckpoint(files)
        : { checkpoint: path.basename(c.file), checkpointSha256: fileSha256(c.file) }),
      epoch: c.epoch,
    };
    let reuse = false;
    if (existsSync(files.csv) && (!args.force || c.file === undefined)) {
      const reason = staleReason(files, { ...want, ...(sharded ? { shard: shardLabel(shard) } : {}) });
      if (reason) throw new InputError(`${reason}; pass --force to derive it again, or use another --out`);
      reuse = true;
    }
    if (!reuse && args.resumeOnly) {
      throw new InputError(
        `${files.csv}: no shard derived epoch ${c.epoch}, so the shards do not cover the curve`,
      );
    }
    return { ...c, files, want, reuse };
  });
  const points: CurvePoint[] = [];
  plan.forEach((c, k) => {
    let accuracy: Float64Array;
    let negLoss: Float64Array;
    const part = partOf(c.epoch);
    if (c.reuse) {
      ({ accuracy, negLoss } = readScoresFile(c.files.csv, part));
    } else {
      const engine = args.engine ?? defaultEngine<unknown>(args.kernels);
      const { config, state } = loadCheckpoint(c.file!, undefined, engine);
      const archs = Array.from(part, (i) => args.gt.archs[i]);
      const s = deriveScores(state.params, config, archs, args.batches, { engine });
      engine.dispose([...state.params.values(), ...state.momentum.values()]);
      const csv = scoresCsv(part, s.accuracy, s.negLoss);
      const sidecar: Sidecar = {
        format: 1,
        scores: path.basename(c.files.csv),
        scoresSha256: sha256(csv),
        ...c.want,
        ...(args.backend === undefined ? {} : { backend: args.backend }),
        ...(sharded ? { shard: shardLabel(shard) } : {}),
      };
      // The settings file first: a crash between the two writes leaves no CSV that looks checked (a settings file
      // without its CSV is derived again; one whose CSV has another sha256 is refused).
      writeFileAtomic(c.files.sidecar, toJson(sidecar) + '\n');
      writeFileAtomic(c.files.csv, csv);
      accuracy = s.accuracy;
      negLoss = s.negLoss;
    }
    if (sharded) {
      args.onCheckpoint?.(c.epoch, k + 1, plan.length, c.reuse);
      return;
    }
    const judged = args.score === 'neg_loss' ? negLoss : accuracy;
    const main = derived === args.indices ? judged : pick(judged, args.indices);
    const criteria = evaluateArchScores(
      { index: args.indices, score: main, merged: 0 },
      { mode: args.mode, truth: args.truth ?? 'cifar10', bootstrap: { resamples: 200, seed: 0 } },
    );
    const acc = derived === args.indices ? accuracy : pick(accuracy, args.indices);
    const meanAccuracy = acc.reduce((a, v) => a + v, 0) / acc.length;
    const point: CurvePoint = { epoch: c.epoch, meanAccuracy, criteria };
    if (isoTruth) {
      point.iso = {
        members: iso.length,
        spread: isoSpread(pick(judged, iso), isoClassIds),
        truth: isoTruth,
      };
    }
    points.push(point);
    args.onCheckpoint?.(c.epoch, k + 1, plan.length, c.reuse);
  });
  if (sharded) return points;
  writeFileAtomic(
    path.join(args.outDir, 'curve.json'),
    toJson({ label: args.label, sampler: args.sampler, points }) + '\n',
  );
  return points;
}

/** Both scores of a scores file (`index,score,neg_loss`), checked against the architecture list. */
function readScoresFile(
  file: string,
  indices: Int32Array,
): { accuracy: Float64Array; negLoss: Float64Array } {
  const lines = readFileSync(file, 'utf8').trim().split('\n').slice(1);
  if (lines.length !== indices.length) {
    throw new InputError(
      `${file}: ${lines.length} scores, expected ${indices.length}; pass --force to derive again`,
    );
  }
  const accuracy = new Float64Array(lines.length);
  const negLoss = new Float64Array(lines.length);
  lines.forEach((l, k) => {
    const [i, s, n] = l.split(',');
    if (Number(i) !== indices[k])
      throw new InputError(`${file}:${k + 2}: index ${i}, expected ${indices[k]}`);
    accuracy[k] = Number(s);
    negLoss[k] = Number(n);
  });
  return { accuracy, negLoss };
}

/**
 * Join the scores files of `oneshot curve --shard i/n` shards (folders, in shard order 0…n−1) into `outDir/scores`:
 * for every epoch, the rows back in the order of the derived list (the k-th architecture at epoch e is in shard
 * (e·A + k) mod n) and the settings file the unsharded curve writes. Every shard must hold the same epochs
 * with the same settings; the joined list must have the recorded architecture-list sha256. Returns the epochs.
 */
export function mergeCurveShards(shardDirs: readonly string[], outDir: string): number[] {
  const n = shardDirs.length;
  const epochs = derivedEpochs(shardDirs[0]);
  if (epochs.length === 0) throw new InputError(`${shardDirs[0]}: no scores/epoch-*.csv`);
  shardDirs.forEach((d) => {
    const e = derivedEpochs(d);
    if (JSON.stringify(e) !== JSON.stringify(epochs)) {
      throw new InputError(
        `${d} holds the epochs ${e.join(',') || '(none)'}, but ${shardDirs[0]} holds ${epochs.join(',')}`,
      );
    }
  });
  const out: { epoch: number; csv: string; sidecar: string }[] = [];
  epochs.forEach((epoch) => {
    const parts = shardDirs.map((d, i) => {
      const files = scoresFiles(d, epoch);
      let side: Sidecar;
      let raw: Record<string, unknown>;
      try {
        raw = JSON.parse(readFileSync(files.sidecar, 'utf8'));
        side = sidecarSchema.parse(raw);
      } catch (e) {
        throw new InputError(
          `${files.sidecar}: not a valid scores settings file (${(e as Error).message.split('\n')[0]})`,
        );
      }
      if (side.shard !== `${i}/${n}`)
        throw new InputError(`${files.sidecar}: holds shard ${side.shard ?? '0/1'}, expected ${i}/${n}`);
      const text = readFileSync(files.csv, 'utf8');
      if (sha256(text) !== side.scoresSha256)
        throw new InputError(
          `${files.csv} was changed after it was derived (its sha256 is not the one recorded)`,
        );
      const lines = text.trim().split('\n');
      if (lines[0] !== 'index,score,neg_loss')
        throw new InputError(`${files.csv}:1: expected header 'index,score,neg_loss'`);
      return { files, side, raw, rows: lines.slice(1) };
    });
    const { shard: _s, scores: _c, scoresSha256: _h, ...ref } = parts[0].side;
    for (const part of parts) {
      const { shard: _s2, scores: _c2, scoresSha256: _h2, ...mine } = part.side;
      for (const key of Object.keys({ ...ref, ...mine }) as (keyof typeof ref)[]) {
        if (JSON.stringify(ref[key]) !== JSON.stringify(mine[key])) {
          throw new InputError(
            `${part.files.sidecar}: ${key} ${JSON.stringify(mine[key])}, but shard 0 has ` +
              `${JSON.stringify(ref[key])}: shards of different curves do not merge`,
          );
        }
      }
    }
    const total = ref.architectures;
    const next = parts.map(() => 0);
    const rows: string[] = [];
    for (let k = 0; k < total; k++) {
      const s = (epoch * total + k) % n;
      const row = parts[s].rows[next[s]++];
      if (row === undefined) throw new InputError(`${parts[s].files.csv}: too few rows for shard ${s}/${n}`);
      rows.push(row);
    }
    parts.forEach((part, s) => {
      if (next[s] !== part.rows.length)
        throw new InputError(
          `${part.files.csv}: ${part.rows.length} rows, expected ${next[s]} for shard ${s}/${n}`,
        );
    });
    const indices = Int32Array.from(rows, (r) => Number(r.split(',')[0]));
    if (archListSha256(indices) !== ref.archsSha256)
      throw new InputError(`scores of epoch ${epoch}: the shards' architectures are not the curve's list`);
    const csv = ['index,score,neg_loss', ...rows].join('\n') + '\n';
    // The raw object (zod would reorder the keys): the unsharded file's key order, without the shard.
    const side: Record<string, unknown> = { ...parts[0].raw, scoresSha256: sha256(csv) };
    delete side.shard;
    out.push({ epoch, csv, sidecar: toJson(side) + '\n' });
  });
  for (const o of out) {
    const files = scoresFiles(outDir, o.epoch);
    writeFileAtomic(files.sidecar, o.sidecar);
    writeFileAtomic(files.csv, o.csv);
  }
  return epochs;
}
