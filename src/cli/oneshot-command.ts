import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { TRUTH_NAMES } from '../benchmarks/truth-names.js';
import { writeFileAtomic, writeResultFiles } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { FORCE_HELP, rerunVerdict, sameRunNote } from '../io/rerun.js';
import { sha256File, writeManifest } from '../io/manifest.js';
import { parseShard, SHARD_HELP, SHARDS_HELP, shardLabel, shardRecord } from '../runners/shard.js';
import { fmt } from '../report/table.js';
import { choice, printJson } from './output.js';
import { nonNegativeInt, positiveInt, positiveNumber } from './list-options.js';
import { makeProgress } from './progress.js';
import { loadData } from './cifar-data.js';
import { BACKEND_CHOICES, type Engine } from '../engine/engine.js';
import { BACKEND_HELP, DEVICE_HELP, THREADS_HELP, engineOf } from './engine-options.js';

/** The paper's training and derive batch (docs/method.md §4): 512 images, BN statistics over the whole batch. */
export const PAPER_BATCH = 512;

function note(line: string): void {
  process.stderr.write(`nas-surgery: note: ${line}\n`);
}

/** `--iso-classes K[:M]` or `all[:M]`: K classes (or all) with ≥ 2 members, at most M members each (default 8). */
function isoClassesArg(raw: string): { classes: number | 'all'; perClass: number } {
  const m = /^(all|\d+)(?::(\d+))?$/.exec(raw);
  if (!m || m[1] === '0' || (m[2] !== undefined && Number(m[2]) < 2)) {
    throw new InputError(
      `--iso-classes must be K or all, optionally :M (at most M ≥ 2 members per class), e.g. 100:8; got '${raw}'`,
    );
  }
  return { classes: m[1] === 'all' ? 'all' : Number(m[1]), perClass: m[2] === undefined ? 8 : Number(m[2]) };
}

/** `--held-out-images`: a positive integer or `all`. */
function heldOutImagesArg(raw: string): number | 'all' {
  if (raw === 'all') return 'all';
  if (!/^\d+$/.test(raw) || Number(raw) < 1)
    throw new InputError(`--held-out-images must be a positive integer or 'all', got '${raw}'`);
  return Number(raw);
}

/**
 * The training micro-batch actually used, and the notices of what differs from the paper. `requested` undefined: the
 * whole batch, or on wasm the largest micro-batch that fits its heap (`wasmLimit`); 0: the whole batch.
 */
export function resolveMicroBatch(args: {
  batchSize: number;
  requested?: number;
  backend: string;
  wasmLimit: number;
  supernet: string;
}): { microBatch: number; notices: string[] } {
  const { batchSize, requested, backend, wasmLimit } = args;
  const notices: string[] = [];
  if (batchSize < PAPER_BATCH)
    notices.push(`batches of ${batchSize} images, not the paper's ${PAPER_BATCH} (--batch-size)`);
  let microBatch = requested === undefined || requested === 0 ? batchSize : Math.min(requested, batchSize);
  let why = '--micro-batch';
  if (requested === undefined && backend === 'wasm' && wasmLimit < batchSize) {
    microBatch = wasmLimit;
    why = `the largest that fits the wasm backend's 4 GiB heap at ${args.supernet}; --backend webgpu or cpu fits the whole batch`;
  }
  if (microBatch < batchSize) {
    notices.push(
      `micro-batches of ${microBatch} images: BN statistics come from ${microBatch} images, not from the whole batch of ${batchSize} as in the paper (${why})`,
    );
  } else if (requested !== undefined && requested > 0 && backend === 'wasm' && requested > wasmLimit) {
    notices.push(
      `--micro-batch ${requested} may not fit the wasm backend's 4 GiB heap at ${args.supernet} (estimated limit ${wasmLimit})`,
    );
  }
  return { microBatch, notices };
}

/**
 * The derive batch and held-out image count actually used, and the notices of what differs from the paper (all
 * held-out images, batches of 512). `batchSize` undefined: 512, or on wasm the largest that fits (`wasmLimit`).
 */
export function resolveDeriveBatch(args: {
  heldOutImages: number | 'all';
  available: number;
  batchSize?: number;
  backend: string;
  wasmLimit: number;
  supernet: string;
}): { images: number; batchSize: number; notices: string[] } {
  const notices: string[] = [];
  const images = args.heldOutImages === 'all' ? args.available : Math.min(args.heldOutImages, args.available);
  if (images < args.available) {
    notices.push(
      `deriving on ${images} of the ${args.available} held-out images, not all of them as in the paper ` +
        `(accuracy moves in steps of ${fmt(100 / images, 3)}%; --held-out-images)`,
    );
  }
  let batchSize = args.batchSize ?? PAPER_BATCH;
  let why = '--batch-size';
  if (args.batchSize === undefined && args.backend === 'wasm' && args.wasmLimit < batchSize) {
    batchSize = args.wasmLimit;
    why = `the largest that fits the wasm backend's 4 GiB heap at ${args.supernet}; --backend webgpu or cpu fits 512`;
  }
  if (batchSize < PAPER_BATCH && batchSize < images) {
    notices.push(
      `derive batches of ${batchSize} images, not the paper's ${PAPER_BATCH}: BN statistics come from each batch (${why})`,
    );
  } else if (
    args.batchSize !== undefined &&
    args.backend === 'wasm' &&
    Math.min(batchSize, images) > args.wasmLimit
  ) {
    notices.push(
      `--batch-size ${batchSize} may not fit the wasm backend's 4 GiB heap at ${args.supernet} (estimated limit ${args.wasmLimit})`,
    );
  }
  return { images, batchSize, notices };
}

/**
 * What differs between the run identity stored in a checkpoint and this invocation's, one `key: there → now` per
 * field. Checkpoints made before `--sgd-untouched` existed trained with `skip`; a micro-batch of 0 or of at least the
 * batch size is the whole batch.
 */
export function runDifferences(stored: Record<string, unknown>, now: Record<string, unknown>): string[] {
  const normal = (r: Record<string, unknown>) => {
    const out: Record<string, unknown> = { ...r, sgdUntouched: r.sgdUntouched ?? 'skip' };
    const b = out.batchSize;
    const m = out.microBatch;
    if (typeof b === 'number' && typeof m === 'number' && (m === 0 || m >= b)) out.microBatch = b;
    return out;
  };
  const a = normal(stored);
  const b = normal(now);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]))
    .map((k) => `${k} ${JSON.stringify(a[k]) ?? '(none)'} there, ${JSON.stringify(b[k]) ?? '(none)'} now`);
}

/** The data identity a curve's scores files record: image count and source files (not the folder's path). */
function dataIdentity(cifar: {
  n: number;
  sources: { file: string; start: number; count: number }[];
}): string {
  return `${cifar.n} images: ${cifar.sources.map((s) => `${path.basename(s.file)}[${s.start}, ${s.start + s.count})`).join(' ')}`;
}

/**
 * What derive and curve share: the tfjs backend, the held-out batches (all held-out images in batches of 512 unless
 * told otherwise or the wasm heap is too small for `supernet`), with notices for every deviation from the paper.
 */
/** The `--split` a training run was started with (from its manifest's argv), or undefined. */
function trainedSplitFlag(runDir: string): string | undefined {
  try {
    const argv: unknown = JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).argv;
    if (!Array.isArray(argv)) return undefined;
    for (let k = 0; k < argv.length; k++) {
      const a = String(argv[k]);
      if (a === '--split' && k + 1 < argv.length) return String(argv[k + 1]);
      if (a.startsWith('--split=')) return a.slice('--split='.length);
    }
  } catch {
    // no manifest: the default split
  }
  return undefined;
}

/**
 * What derive and curve share (see below). The split is the one given, else the training run's own `--split` (read
 * from `runDir`'s manifest), else `auto`; the split the checkpoint was trained with must then be this one, or its
 * held-out images could be training images.
 */
async function deriveSetup(
  f: {
    data?: string;
    split: string;
    heldOutImages: number | 'all';
    batchSize?: number;
    backend: string;
    device?: string;
    threads?: number;
  },
  supernetOf: (engine: Engine<unknown>) => { channels: number; cellsPerStage: number; trainedSplit?: string },
  run: { dir: string; splitGiven: boolean; checkpoint: string },
) {
  choice('--backend', BACKEND_CHOICES, f.backend);
  const dataDir: string = f.data ?? (await import('../data/locations.js')).defaultCifar10Dir();
  const fromRun = run.splitGiven ? undefined : trainedSplitFlag(run.dir);
  if (fromRun !== undefined)
    note(`using the training run's split (--split ${fromRun}, from ${run.dir}/manifest.json)`);
  // The engine first: a missing one is one line before any image is read.
  const engine = await engineOf(f);
  const { data, cifar, split } = await loadData(dataDir, fromRun ?? f.split);
  const backend = engine.name;
  const { wasmMaxDeriveBatch } = await import('../oneshot/derive.js');
  const supernet = supernetOf(engine);
  if (supernet.trainedSplit !== undefined && supernet.trainedSplit !== split.description) {
    throw new InputError(
      `${run.checkpoint} was trained with the split '${supernet.trainedSplit}', but this derive would use ` +
        `'${split.description}': its held-out images could be training images; pass the run's --split`,
    );
  }
  const available = split.heldOut.end - split.heldOut.start;
  const resolved = resolveDeriveBatch({
    heldOutImages: f.heldOutImages,
    available,
    batchSize: f.batchSize,
    backend,
    wasmLimit: wasmMaxDeriveBatch(supernet, available),
    supernet: `C${supernet.channels} N${supernet.cellsPerStage}`,
  });
  resolved.notices.forEach(note);
  const range = { start: split.heldOut.start, end: split.heldOut.start + resolved.images };
  const plan = data.planEvalBatches(cifar, range, resolved.batchSize);
  return {
    dataDir,
    dataFiles: cifar.sources.map((src) => path.join(dataDir, src.file)),
    engine,
    backend,
    batches: Array.from({ length: plan.numBatches }, (_, b) => plan.batch(b)),
    settings: {
      heldOutImages: resolved.images,
      batchSize: resolved.batchSize,
      split: split.description,
      data: dataIdentity(cifar),
    },
  };
}

export function registerOneshotCommands(program: Command): void {
  const oneshot = program
    .command('oneshot')
    .description('the weight-sharing supernet evaluator (docs/method.md §4)');

  oneshot
    .command('train')
    .description('train a supernet on CIFAR-10, with checkpoints; run again to resume')
    .requiredOption('--out <dir>', 'run folder (checkpoints/, train-log.csv, manifest.json)')
    .option(
      '--data <dir>',
      'CIFAR-10 binary folder (default: $NAS_SURGERY_CIFAR10 or ~/.cache/nas-surgery/cifar10)',
    )
    .option('--split <choice>', 'auto | paper | proportional[:f] | a-b,c-d', 'auto')
    .option('--channels <n>', 'C: channels of the first stage (channel proxy)', positiveInt, 16)
    .option('--cells <n>', 'N: cells per stage (layer proxy)', positiveInt, 5)
    .option('--sampler <name>', 'uniform | deiso | mc-S | fairnas', 'deiso')
    .option(
      '--sampler-archs <file>',
      'sample only these architectures (a score or architecture file, as for derive --archs; appendix Q1)',
    )
    .option('--epochs <n>', 'train until this many epochs are done', positiveInt, 1000)
    .option('--batch-size <n>', 'images per step (the paper: 512)', positiveInt, PAPER_BATCH)
    .option(
      '--micro-batch <n>',
      'images per forward/backward; BN statistics are per micro-batch (default: the whole batch, as the paper; on ' +
        'wasm the largest that fits its 4 GiB heap, e.g. 80 at C16 N5, with a notice); 0 = the whole batch',
      nonNegativeInt,
    )
    .option(
      '--sgd-untouched <mode>',
      'a weight trained before that no sampled architecture uses in a step: decay = weight decay and momentum ' +
        'still apply (the reference, torch zero_grad); skip = left alone (nas-surgery before this option)',
      'decay',
    )
    .option('--lr <x>', 'initial SGD learning rate', positiveNumber('--lr'), 0.05)
    .option(
      '--seed <n>',
      'seed of weights, data order, augmentation, sampling and dropout',
      nonNegativeInt,
      0,
    )
    .option('--checkpoint-every <n>', 'epochs between checkpoints', positiveInt, 5)
    .option(
      '--eval-archs <k>',
      'after every epoch, the mean held-out accuracy of k fixed class representatives (deiso:k drawn with --seed) ' +
        'goes to train-log.csv (heldout_accuracy); it does not change training; 0: none',
      nonNegativeInt,
      8,
    )
    .option(
      '--eval-images <m>',
      'held-out images of that accuracy (the first m of the held-out range)',
      positiveInt,
      256,
    )
    .option(
      '--max-minutes <m>',
      'time budget of this invocation: stop (with a checkpoint) before an epoch that would not end within it',
      positiveNumber('--max-minutes'),
    )
    .option('--backend <name>', BACKEND_HELP, 'auto')
    .option('--device <name>', DEVICE_HELP, 'cpu')
    .option('--threads <n>', THREADS_HELP, positiveInt)
    .option('--force', 'start again in a folder that holds another run')
    .option('--quiet', 'no progress output')
    .action(async (f) => {
      const started = new Date();
      choice('--backend', BACKEND_CHOICES, f.backend);
      const { SGD_UNTOUCHED } = await import('../oneshot/sgd.js');
      const sgdUntouched = choice('--sgd-untouched', SGD_UNTOUCHED, f.sgdUntouched);
      // The sampler (and its architecture list) before the data: a bad name costs nothing.
      const gt = loadGroundTruth();
      const { createSampler } = await import('../oneshot/samplers.js');
      const { archList, archListSha256 } = await Promise.all([
        import('../oneshot/arch-lists.js'),
        import('../oneshot/curve.js'),
      ]).then(([a, c]) => ({ archList: a.archList, archListSha256: c.archListSha256 }));
      const samplerArchs: Int32Array | undefined = f.samplerArchs ? archList(gt, f.samplerArchs) : undefined;
      let sampler;
      try {
        sampler = createSampler(f.sampler, gt, samplerArchs);
      } catch (e) {
        throw new InputError(`--sampler ${f.sampler}: ${(e as Error).message}`);
      }
      const engine = await engineOf(f);
      const dataDir: string = f.data ?? (await import('../data/locations.js')).defaultCifar10Dir();
      const { data, cifar, split } = await loadData(dataDir, f.split);
      const backend = engine.name;
      const { initSupernetWeights } = await import('../oneshot/supernet-params.js');
      const { PAPER_SGD } = await import('../oneshot/sgd.js');
      const { freshTrainState, trainSupernet } = await import('../oneshot/trainer.js');
      const { loadCheckpoint, saveCheckpoint } = await import('../oneshot/checkpoint.js');
      const { listCheckpoints, checkpointName } = await import('../oneshot/curve.js');
      const { wasmMaxMicroBatch } = await import('../oneshot/train-step.js');
      const config = { channels: f.channels, cellsPerStage: f.cells, classes: 10, dropout: 0.1 };
      const { microBatch, notices } = resolveMicroBatch({
        batchSize: f.batchSize,
        requested: f.microBatch,
        backend,
        wasmLimit: wasmMaxMicroBatch(config),
        supernet: `C${config.channels} N${config.cellsPerStage}`,
      });
      notices.forEach(note);
      const sgd = { ...PAPER_SGD, learningRate: f.lr, untouched: sgdUntouched };
      const run = {
        seed: f.seed,
        sampler: f.sampler,
        batchSize: f.batchSize,
        microBatch,
        lr: f.lr,
        split: split.description,
        images: cifar.n,
        sgdUntouched,
        // Only with --sampler-archs, so that runs without it resume as before.
        ...(samplerArchs
          ? { samplerArchs: { count: samplerArchs.length, sha256: archListSha256(samplerArchs) } }
          : {}),
      };
      const existing = listCheckpoints(f.out);
      let state;
      if (existing.length > 0 && !f.force) {
        const last = existing[existing.length - 1];
        const loaded = loadCheckpoint(last.file, config, engine);
        const diff = runDifferences(loaded.run, run);
        if (diff.length > 0) {
          throw new InputError(
            `${last.file} belongs to another run (${diff.join('; ')}): pass the same options to resume, ` +
              `use another --out, or --force to start again`,
          );
        }
        state = loaded.state;
        process.stderr.write(`nas-surgery: resuming from ${last.file} (epoch ${state.epoch})\n`);
      } else state = freshTrainState(initSupernetWeights(config, f.seed, engine), sgd);
      const manifest = (finished: boolean, extra: Record<string, number> = {}) =>
        writeManifest(path.join(f.out, 'manifest.json'), {
          command: 'oneshot train',
          config: {
            ...f,
            data: dataDir,
            backend,
            engine: engine.describe(),
            supernet: config,
            split: split.description,
            microBatch,
            sgdUntouched,
            sgd,
          },
          seeds: { seed: f.seed },
          startedAt: started,
          timingsMs: { total: Date.now() - started.getTime(), ...extra },
          finished,
        });
      manifest(false); // a run that is killed still leaves its configuration beside its checkpoints
      const budgetMs = f.maxMinutes === undefined ? Infinity : f.maxMinutes * 60_000;
      let outOfTime = false;
      const startEpoch = state.epoch;
      const steps = Math.ceil((split.train.end - split.train.start) / f.batchSize);
      const progress = makeProgress('supernet steps', f.quiet);
      progress.start(steps * (f.epochs - state.epoch));
      // The held-out accuracy after each epoch: k fixed architectures on the first m held-out images (BN in train
      // mode, as derive). Values of epochs before a resume are read back from the train log.
      const logFile = path.join(f.out, 'train-log.csv');
      const evalRange = {
        start: split.heldOut.start,
        end: Math.min(split.heldOut.end, split.heldOut.start + f.evalImages),
      };
      const evalArchs =
        f.evalArchs > 0 && evalRange.end > evalRange.start
          ? Array.from(archList(gt, `deiso:${f.evalArchs}`, f.seed), (i) => gt.archs[i])
          : [];
      const evalBatches = (() => {
        if (evalArchs.length === 0) return [];
        const plan = data.planEvalBatches(cifar, evalRange, Math.min(256, evalRange.end - evalRange.start));
        return Array.from({ length: plan.numBatches }, (_, b) => plan.batch(b));
      })();
      const heldOut = readHeldOutColumn(logFile, state.epoch);
      const { deriveScores } = await import('../oneshot/derive.js');
      const log = () =>
        [
          'epoch,loss,learning_rate,seconds,heldout_accuracy',
          ...state.history.map(
            (h) =>
              `${h.epoch},${h.loss},${h.learningRate},${h.seconds.toFixed(2)},${heldOut.get(h.epoch) ?? ''}`,
          ),
        ].join('\n') + '\n';
      await trainSupernet(state, {
        engine,
        config,
        sgd,
        sampler,
        data: cifar,
        trainRange: split.train,
        batchSize: f.batchSize,
        microBatch,
        seed: f.seed,
        epochs: f.epochs,
        onStep: ({ epoch, batch, loss }) =>
          progress.tick(`epoch ${epoch + 1} batch ${batch + 1}/${steps} loss ${loss.toFixed(3)}`),
        onEpoch: (s) => {
          if (evalArchs.length) {
            const { accuracy } = deriveScores(s.params, config, evalArchs, evalBatches, { engine });
            heldOut.set(s.epoch, accuracy.reduce((a, b) => a + b, 0) / accuracy.length);
          }
          writeFileAtomic(logFile, log());
          const elapsed = Date.now() - started.getTime();
          const lastEpochMs = s.history[s.history.length - 1].seconds * 1000;
          // Out of budget: another epoch like the last would not end in time. Checkpoint now so nothing is lost.
          outOfTime = s.epoch < f.epochs && elapsed + lastEpochMs > budgetMs;
          if (s.epoch % f.checkpointEvery === 0 || s.epoch === f.epochs || outOfTime) {
            saveCheckpoint(path.join(f.out, 'checkpoints', checkpointName(s.epoch)), config, s, run, engine);
          }
        },
        shouldStop: () => outOfTime,
      });
      progress.stop();
      manifest(true, { epochsRun: state.epoch - startEpoch });
      if (outOfTime) {
        process.stderr.write(
          `nas-surgery: stopped at epoch ${state.epoch} of ${f.epochs}: --max-minutes ${f.maxMinutes} would be exceeded; run again to resume\n`,
        );
      }
      console.log(`trained to epoch ${state.epoch}; checkpoints in ${path.join(f.out, 'checkpoints')}`);
    });

  const HELD_OUT_HELP =
    'held-out images used: the first n of the held-out range, or all (as the paper; fewer make accuracy ' +
    'coarse, with a notice)';
  const DERIVE_BATCH_HELP =
    'derive batch size; BN statistics are per batch (default: 512, as the paper; on wasm the largest that fits ' +
    'its 4 GiB heap, e.g. 256 at C16 N5, with a notice)';

  oneshot
    .command('derive')
    .description('score architectures with a checkpoint’s shared weights on fixed held-out batches')
    .requiredOption('--checkpoint <file>', 'a checkpoint of oneshot train')
    .requiredOption('--out <file.csv>', 'scores: index,score (accuracy),neg_loss')
    .option('--data <dir>', 'CIFAR-10 binary folder')
    .option('--split <choice>', 'as for train', 'auto')
    .option(
      '--archs <list>',
      'deiso | iso | deiso:K (K random representatives) | a file listing architectures (index or arch column)',
      'deiso',
    )
    .option('--held-out-images <n>', HELD_OUT_HELP, heldOutImagesArg, 'all')
    .option('--batch-size <n>', DERIVE_BATCH_HELP, positiveInt)
    .option('--shard <i/n|auto>', SHARD_HELP, '0/1')
    .option('--shards <n>', SHARDS_HELP, positiveInt)
    .option('--backend <name>', BACKEND_HELP, 'auto')
    .option('--device <name>', DEVICE_HELP, 'cpu')
    .option('--threads <n>', THREADS_HELP, positiveInt)
    .option('--force', FORCE_HELP)
    .option('--quiet', 'no progress output')
    .action(async (f, cmd: Command) => {
      const started = new Date();
      const shard = parseShard(f.shard, f.shards);
      f.shard = shardLabel(shard); // manifests record the shard itself ('auto' → i/n)
      const { loadCheckpoint } = await import('../oneshot/checkpoint.js');
      let loaded: ReturnType<typeof loadCheckpoint<unknown>> | undefined;
      const { dataDir, dataFiles, engine, backend, batches, settings } = await deriveSetup(
        f,
        (e) => {
          loaded = loadCheckpoint(f.checkpoint, undefined, e);
          return { ...loaded.config, trainedSplit: loaded.run.split as string | undefined };
        },
        {
          dir: path.dirname(path.dirname(f.checkpoint)),
          splitGiven: cmd.getOptionValueSource('split') !== 'default',
          checkpoint: f.checkpoint,
        },
      );
      const { config, state } = loaded!;
      const manifestFile = `${f.out.replace(/\.csv$/, '')}.manifest.json`;
      const verdict = rerunVerdict({
        out: f.out,
        manifestFile,
        results: [f.out],
        command: 'oneshot derive',
        options: { ...f, ...settings, data: dataDir, backend },
        inputs: [f.checkpoint],
        force: f.force ?? false,
      });
      if (verdict === 'same') {
        process.stderr.write(sameRunNote(f.out) + '\n');
        return;
      }
      const { deriveScores } = await import('../oneshot/derive.js');
      const { shardItems } = await import('../runners/shard.js');
      const { archList } = await import('../oneshot/arch-lists.js');
      const { scoresCsv, fileSha256 } = await import('../oneshot/curve.js');
      const gt = loadGroundTruth();
      const indices = Int32Array.from(shardItems(Array.from(archList(gt, f.archs)), shard));
      const progress = makeProgress('derive', f.quiet);
      progress.start(indices.length);
      const s = deriveScores(
        state.params,
        config,
        Array.from(indices, (i) => gt.archs[i]),
        batches,
        { engine, onArch: () => progress.tick('') },
      );
      progress.stop();
      writeFileAtomic(f.out, scoresCsv(indices, s.accuracy, s.negLoss));
      writeManifest(manifestFile, {
        command: 'oneshot derive',
        config: {
          ...f,
          ...settings,
          data: dataDir,
          dataIdentity: settings.data,
          backend,
          engine: engine.describe(),
          supernet: config,
          checkpointEpoch: state.epoch,
          checkpointSha256: fileSha256(f.checkpoint),
          ...shardRecord(
            shard,
            'oneshot derive',
            f,
            [f.checkpoint, ...dataFiles].map((file) => ({ file, sha256: sha256File(file) })),
          ),
        },
        inputs: [f.checkpoint],
        startedAt: started,
        timingsMs: { total: Date.now() - started.getTime() },
      });
      console.log(`derived ${indices.length} architectures (shard ${shardLabel(shard)}) → ${f.out}`);
    });

  oneshot
    .command('merge')
    .description('merge derive shards into one score file (each architecture once)')
    .argument('<shards...>', 'score files from oneshot derive --shard')
    .requiredOption('--out <file.csv>', 'merged score file')
    .option('--force', FORCE_HELP)
    .action(async (files: string[], f: { out: string; force?: boolean }) => {
      const started = new Date();
      const { mergeDeriveShards, deriveManifestFile } = await import('../oneshot/merge-shards.js');
      const merged = mergeDeriveShards(files);
      const config = { ...f, shards: merged.shards, ...merged.settings, shard: '0/1' };
      const verdict = rerunVerdict({
        out: f.out,
        manifestFile: deriveManifestFile(f.out),
        results: [f.out],
        command: 'oneshot merge',
        options: config,
        inputs: files,
        force: f.force ?? false,
      });
      if (verdict === 'same') return void process.stderr.write(sameRunNote(f.out) + '\n');
      writeResultFiles(path.dirname(f.out), { [path.basename(f.out)]: merged.csv }, verdict === 'replace');
      writeManifest(deriveManifestFile(f.out), {
        command: 'oneshot merge',
        config,
        inputs: files,
        startedAt: started,
        timingsMs: { total: Date.now() - started.getTime() },
      });
      console.log(
        `merged ${merged.architectures} architectures from ${merged.shards} shard${merged.shards === 1 ? '' : 's'} → ${f.out}`,
      );
    });

  oneshot
    .command('curve')
    .description(
      'criteria against training epochs: derive every checkpoint of a run and judge it (curve.json). Each ' +
        'checkpoint’s scores go to <out>/scores/epoch-XXXX.csv with a settings file epoch-XXXX.json (held-out ' +
        'images, batch size, split, data, the sha256 of the held-out batches, of the architecture list and of the ' +
        'checkpoint file). A rerun reuses the scores whose settings file matches (resume) and stops with an error ' +
        '(exit 2) naming the file and the setting when one differs or is missing, before deriving anything: ' +
        'pass --force to derive those again, or use another --out.',
    )
    .argument('<run-dir>', 'a oneshot train folder')
    .option('--out <dir>', 'output folder (default: <run-dir>/curve)')
    .option('--data <dir>', 'CIFAR-10 binary folder')
    .option('--split <choice>', 'as for train', 'auto')
    .option(
      '--archs <list>',
      'deiso | iso | deiso:K | a file listing architectures (index or arch column)',
      'deiso',
    )
    .option('--held-out-images <n>', HELD_OUT_HELP, heldOutImagesArg, 'all')
    .option('--batch-size <n>', DERIVE_BATCH_HELP, positiveInt)
    .option('--every <k>', 'use every k-th checkpoint (and the last)', positiveInt, 1)
    .option(
      '--iso-classes <K[:M]>',
      'also derive the members of K isomorphism classes with ≥ 2 members (drawn with seed 0; all for every such ' +
        'class), at most M each (default 8), and record their within-class spread at every checkpoint (Tab 2)',
      isoClassesArg,
    )
    .option('--label <name>', 'name in reports (default: the run folder’s name)')
    .option(
      '--truth <name>',
      `ground truth the scores are judged against: ${TRUTH_NAMES.join(', ')}`,
      'cifar10',
    )
    .option(
      '--score <name>',
      'the score judged: accuracy (held-out accuracy, the paper’s) | neg_loss (−mean held-out loss)',
      'accuracy',
    )
    .option('--backend <name>', BACKEND_HELP, 'auto')
    .option('--device <name>', DEVICE_HELP, 'cpu')
    .option('--threads <n>', THREADS_HELP, positiveInt)
    .option('--shard <i/n|auto>', SHARD_HELP, '0/1')
    .option('--shards <n>', SHARDS_HELP, positiveInt)
    .addOption(new Option('--resume-only').hideHelp())
    .option(
      '--force',
      'derive again the checkpoints whose scores were made with other settings (or unknown ones)',
    )
    .option('--json', 'print the curve as JSON')
    .option('--quiet', 'no progress output')
    .action(async (runDir: string, f, cmd: Command) => {
      const started = new Date();
      const shard = parseShard(f.shard, f.shards);
      f.shard = shardLabel(shard); // manifests record the shard itself ('auto' → i/n)
      const score = choice('--score', ['accuracy', 'neg_loss'] as const, f.score);
      const truth = choice('--truth', TRUTH_NAMES, f.truth);
      const out: string = f.out ?? path.join(runDir, 'curve');
      const { buildCurve, derivedEpochs, listCheckpoints } = await import('../oneshot/curve.js');
      const checkpoints = listCheckpoints(runDir);
      if (checkpoints.length === 0)
        throw new InputError(`${runDir}: no checkpoints (checkpoints/epoch-*.ckpt)`);
      const { loadCheckpoint } = await import('../oneshot/checkpoint.js');
      const last = checkpoints[checkpoints.length - 1].file;
      const { dataDir, dataFiles, engine, backend, batches, settings } = await deriveSetup(
        f,
        (e) => {
          // Every checkpoint of a run has the supernet and split of the last one (train refuses another).
          const { config, state, run } = loadCheckpoint(last, undefined, e);
          e.dispose([...state.params.values(), ...state.momentum.values()]);
          return { ...config, trainedSplit: run.split as string | undefined };
        },
        { dir: runDir, splitGiven: cmd.getOptionValueSource('split') !== 'default', checkpoint: last },
      );
      const { archList, isoMembers } = await import('../oneshot/arch-lists.js');
      const gt = loadGroundTruth();
      const indices = archList(gt, f.archs);
      const isoIndices = f.isoClasses
        ? isoMembers(gt, f.isoClasses.classes, f.isoClasses.perClass)
        : undefined;
      const reps = new Set(gt.iso().representative);
      const mode = indices.every((i) => reps.has(i)) ? 'deiso' : 'iso';
      let sampler: string | undefined;
      try {
        sampler = JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).config?.sampler;
      } catch {
        sampler = undefined;
      }
      const progress = makeProgress('curve checkpoints', f.quiet || f.json);
      const points0 = new Set([...checkpoints.map((c) => c.epoch), ...derivedEpochs(out)]);
      progress.start(Math.ceil(points0.size / f.every));
      const points = buildCurve({
        runDir,
        outDir: out,
        gt,
        indices,
        batches,
        settings,
        force: f.force ?? false,
        engine,
        backend,
        label: f.label ?? path.basename(path.resolve(runDir)) + (score === 'neg_loss' ? ' (−loss)' : ''),
        sampler,
        mode,
        truth,
        isoIndices,
        score,
        every: f.every,
        shard,
        resumeOnly: f.resumeOnly,
        onCheckpoint: (epoch) => progress.tick(`epoch ${epoch}`),
      });
      progress.stop();
      const { resumeOnly: _resumeOnly, ...options } = f;
      if (shard.count > 1) {
        const inputs = [...dataFiles, last].map((file) => ({ file, sha256: sha256File(file) }));
        writeManifest(path.join(out, 'manifest.json'), {
          command: 'oneshot curve',
          config: {
            ...options,
            ...settings,
            runDir,
            data: dataDir,
            dataIdentity: settings.data,
            backend,
            engine: engine.describe(),
            mode,
            architectures: indices.length,
            isoMembers: isoIndices?.length ?? 0,
            ...shardRecord(shard, 'oneshot curve', { ...options, runDir }, inputs),
          },
          inputs: inputs.map((i) => i.file),
          startedAt: started,
          timingsMs: { total: Date.now() - started.getTime() },
        });
        if (f.json) return printJson({ shard: shardLabel(shard), out });
        console.log(
          `curve shard ${shardLabel(shard)} → ${path.join(out, 'scores')}; join the shards with nas-surgery merge`,
        );
        return;
      }
      const csv =
        [
          'epoch,kendall,spearman,pearson,p_top_5,p_top_50,p_bottom_5,br_1,br_0.1,br_5,mean_accuracy,' +
            'iso_score_std,iso_rank_std,iso_truth_score_std',
          ...points.map((p) => {
            const c = p.criteria;
            return [
              p.epoch,
              c.kendall,
              c.spearman,
              c.pearson,
              c.precisionTop['0.05'],
              c.precisionTop['0.5'],
              c.precisionBottom['0.05'],
              c.bestRank['0.01'],
              c.bestRank['0.001'],
              c.bestRank['0.05'],
              p.meanAccuracy,
              p.iso?.spread.meanScoreStd ?? '',
              p.iso?.spread.meanRankStd ?? '',
              // The truth is in % and the one-shot accuracy a fraction: the floor as a fraction too.
              p.iso ? p.iso.truth.meanScoreStd / 100 : '',
            ].join(',');
          }),
        ].join('\n') + '\n';
      writeFileAtomic(path.join(out, 'curve.csv'), csv);
      writeManifest(path.join(out, 'manifest.json'), {
        command: 'oneshot curve',
        config: {
          ...options,
          ...settings,
          runDir,
          data: dataDir,
          dataIdentity: settings.data,
          backend,
          engine: engine.describe(),
          mode,
          architectures: indices.length,
          isoMembers: isoIndices?.length ?? 0,
        },
        startedAt: started,
        timingsMs: { total: Date.now() - started.getTime() },
      });
      if (f.json) return printJson(points);
      for (const p of points)
        console.log(
          `epoch ${String(p.epoch).padStart(5)}  τ ${fmt(p.criteria.kendall)}  P@top5% ${fmt(p.criteria.precisionTop['0.05'])}  BR@1% ${fmt(p.criteria.bestRank['0.01'], 5)}`,
        );
      console.log(
        `curve of ${points.length} checkpoints (${indices.length} architectures, ${mode}) → ${path.join(out, 'curve.json')}`,
      );
    });
}

/** The heldout_accuracy column of an earlier train log, for the epochs up to `upTo` (a resumed run keeps them). */
function readHeldOutColumn(file: string, upTo: number): Map<number, number> {
  const out = new Map<number, number>();
  if (!existsSync(file)) return out;
  const [header, ...rows] = readFileSync(file, 'utf8').trim().split('\n');
  const col = header.split(',').indexOf('heldout_accuracy');
  if (col < 0) return out;
  for (const row of rows) {
    const cells = row.split(',');
    const epoch = Number(cells[0]);
    const v = cells[col] === undefined || cells[col] === '' ? NaN : Number(cells[col]);
    if (epoch <= upTo && Number.isFinite(v)) out.set(epoch, v);
  }
  return out;
}
