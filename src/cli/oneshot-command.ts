import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { loadGroundTruth } from '../bench/ground-truth.js';
import { writeFileAtomic, writeResultFiles } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { writeManifest } from '../io/manifest.js';
import { fmt } from '../report/table.js';
import { choice, printJson } from './output.js';
import { nonNegativeInt, positiveInt, positiveNumber } from './list-options.js';
import { makeProgress } from './progress.js';
import { loadData } from './cifar-data.js';

const BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;

async function heldOutBatches(dir: string, splitRaw: string, images: number, batchSize: number) {
  const { data, cifar, split } = await loadData(dir, splitRaw);
  const end = Math.min(split.heldOut.end, split.heldOut.start + images);
  const plan = data.planEvalBatches(cifar, { start: split.heldOut.start, end }, batchSize);
  return {
    batches: Array.from({ length: plan.numBatches }, (_, b) => plan.batch(b)),
    split,
    images: end - split.heldOut.start,
  };
}

/** What derive and curve share: the data folder, the fixed held-out batches and the chosen tfjs backend. */
async function deriveSetup(f: {
  data?: string;
  split: string;
  heldOutImages: number;
  batchSize: number;
  backend: string;
}) {
  const dataDir: string = f.data ?? (await import('../data/locations.js')).defaultCifar10Dir();
  const { batches } = await heldOutBatches(dataDir, f.split, f.heldOutImages, f.batchSize);
  const { initTensorflow } = await import('../engine/tf-backend.js');
  await initTensorflow(choice('--backend', BACKENDS, f.backend));
  return { dataDir, batches };
}

function parseShard(raw: string): [number, number] {
  const m = /^(\d+)\/(\d+)$/.exec(raw);
  if (!m || Number(m[1]) >= Number(m[2]) || Number(m[2]) < 1)
    throw new InputError(`--shard must be i/n with 0 ≤ i < n, got '${raw}'`);
  return [Number(m[1]), Number(m[2])];
}

export function registerOneshotCommands(program: Command): void {
  const oneshot = program.command('oneshot').description('the weight-sharing supernet evaluator (SPEC §4)');

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
    .option('--epochs <n>', 'train until this many epochs are done', positiveInt, 1000)
    .option('--batch-size <n>', 'images per step', positiveInt, 512)
    .option(
      '--micro-batch <n>',
      'images per forward/backward (memory); 0 = whole batches',
      nonNegativeInt,
      64,
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
      '--max-minutes <m>',
      'time budget of this invocation: stop (with a checkpoint) before an epoch that would not end within it',
      positiveNumber('--max-minutes'),
    )
    .option('--backend <name>', 'TensorFlow.js backend: wasm | cpu | webgpu', 'wasm')
    .option('--force', 'start again in a folder that holds another run')
    .option('--quiet', 'no progress output')
    .action(async (f) => {
      const started = new Date();
      const backendName = choice('--backend', BACKENDS, f.backend);
      const dataDir: string = f.data ?? (await import('../data/locations.js')).defaultCifar10Dir();
      const { cifar, split } = await loadData(dataDir, f.split);
      const { initTensorflow } = await import('../engine/tf-backend.js');
      const backend = await initTensorflow(backendName);
      const { initSupernetWeights } = await import('../oneshot/supernet-params.js');
      const { createSampler } = await import('../oneshot/samplers.js');
      const { PAPER_SGD } = await import('../oneshot/sgd.js');
      const { freshTrainState, trainSupernet } = await import('../oneshot/trainer.js');
      const { loadCheckpoint, saveCheckpoint } = await import('../oneshot/checkpoint.js');
      const { listCheckpoints, checkpointName } = await import('../oneshot/curve.js');
      const config = { channels: f.channels, cellsPerStage: f.cells, classes: 10, dropout: 0.1 };
      const sgd = { ...PAPER_SGD, learningRate: f.lr };
      const run = {
        seed: f.seed,
        sampler: f.sampler,
        batchSize: f.batchSize,
        microBatch: f.microBatch,
        lr: f.lr,
        split: split.description,
        images: cifar.n,
      };
      const sampler = createSampler(f.sampler, loadGroundTruth());
      const existing = listCheckpoints(f.out);
      let state;
      if (existing.length > 0 && !f.force) {
        const last = existing[existing.length - 1];
        const loaded = loadCheckpoint(last.file, config);
        if (JSON.stringify(loaded.run) !== JSON.stringify(run)) {
          throw new InputError(
            `${last.file} belongs to another run (${JSON.stringify(loaded.run)}); use another --out or --force`,
          );
        }
        state = loaded.state;
        process.stderr.write(`nas-surgery: resuming from ${last.file} (epoch ${state.epoch})\n`);
      } else state = freshTrainState(initSupernetWeights(config, f.seed), sgd);
      const manifest = (finished: boolean, extra: Record<string, number> = {}) =>
        writeManifest(path.join(f.out, 'manifest.json'), {
          command: 'oneshot train',
          config: { ...f, data: dataDir, backend, supernet: config, split: split.description },
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
      const log = () =>
        [
          'epoch,loss,learning_rate,seconds',
          ...state.history.map((h) => `${h.epoch},${h.loss},${h.learningRate},${h.seconds.toFixed(2)}`),
        ].join('\n') + '\n';
      await trainSupernet(state, {
        config,
        sgd,
        sampler,
        data: cifar,
        trainRange: split.train,
        batchSize: f.batchSize,
        microBatch: f.microBatch,
        seed: f.seed,
        epochs: f.epochs,
        onStep: ({ epoch, batch, loss }) =>
          progress.tick(`epoch ${epoch + 1} batch ${batch + 1}/${steps} loss ${loss.toFixed(3)}`),
        onEpoch: (s) => {
          writeFileAtomic(path.join(f.out, 'train-log.csv'), log());
          const elapsed = Date.now() - started.getTime();
          const lastEpochMs = s.history[s.history.length - 1].seconds * 1000;
          // Out of budget: another epoch like the last would not end in time. Checkpoint now so nothing is lost.
          outOfTime = s.epoch < f.epochs && elapsed + lastEpochMs > budgetMs;
          if (s.epoch % f.checkpointEvery === 0 || s.epoch === f.epochs || outOfTime) {
            saveCheckpoint(path.join(f.out, 'checkpoints', checkpointName(s.epoch)), config, s, run);
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

  oneshot
    .command('derive')
    .description('score architectures with a checkpoint’s shared weights on fixed held-out batches')
    .requiredOption('--checkpoint <file>', 'a checkpoint of oneshot train')
    .requiredOption('--out <file.csv>', 'scores: index,score (accuracy),neg_loss')
    .option('--data <dir>', 'CIFAR-10 binary folder')
    .option('--split <choice>', 'as for train', 'auto')
    .option('--archs <list>', 'deiso | iso | deiso:K (K random representatives) | a score file', 'deiso')
    .option(
      '--held-out-images <n>',
      'held-out images used (the first n of the held-out range)',
      positiveInt,
      512,
    )
    .option('--batch-size <n>', 'derive batch size', positiveInt, 256)
    .option('--shard <i/n>', 'derive only shard i of n (merge them with oneshot merge)', '0/1')
    .option('--backend <name>', 'wasm | cpu | webgpu', 'wasm')
    .option('--force', 'overwrite --out')
    .option('--quiet', 'no progress output')
    .action(async (f) => {
      const started = new Date();
      const [shard, shards] = parseShard(f.shard);
      if (existsSync(f.out) && !f.force)
        throw new InputError(`${f.out} already exists; pass --force to overwrite`);
      const { dataDir, batches } = await deriveSetup(f);
      const { loadCheckpoint } = await import('../oneshot/checkpoint.js');
      const { deriveScores, shardItems } = await import('../oneshot/derive.js');
      const { archList } = await import('../oneshot/arch-lists.js');
      const { scoresCsv } = await import('../oneshot/curve.js');
      const gt = loadGroundTruth();
      const indices = Int32Array.from(shardItems(Array.from(archList(gt, f.archs)), shard, shards));
      const { config, state } = loadCheckpoint(f.checkpoint);
      const progress = makeProgress('derive', f.quiet);
      progress.start(indices.length);
      const s = deriveScores(
        state.params,
        config,
        Array.from(indices, (i) => gt.archs[i]),
        batches,
        { onArch: () => progress.tick('') },
      );
      progress.stop();
      writeFileAtomic(f.out, scoresCsv(indices, s.accuracy, s.negLoss));
      writeManifest(`${f.out.replace(/\.csv$/, '')}.manifest.json`, {
        command: 'oneshot derive',
        config: { ...f, data: dataDir, supernet: config, checkpointEpoch: state.epoch },
        inputs: [f.checkpoint],
        startedAt: started,
        timingsMs: { total: Date.now() - started.getTime() },
      });
      console.log(`derived ${indices.length} architectures (shard ${shard}/${shards}) → ${f.out}`);
    });

  oneshot
    .command('merge')
    .description('merge derive shards into one score file (each architecture once)')
    .argument('<shards...>', 'score files from oneshot derive --shard')
    .requiredOption('--out <file.csv>', 'merged score file')
    .option('--force', 'overwrite --out')
    .action((files: string[], f: { out: string; force?: boolean }) => {
      const header = 'index,score,neg_loss';
      const rows = new Map<number, string>();
      for (const file of files) {
        const lines = readFileSync(file, 'utf8').trim().split('\n');
        if (lines[0] !== header) throw new InputError(`${file}:1: expected header '${header}'`);
        lines.slice(1).forEach((line, k) => {
          const i = Number(line.split(',')[0]);
          if (rows.has(i)) throw new InputError(`${file}:${k + 2}: architecture ${i} is in two shards`);
          rows.set(i, line);
        });
      }
      writeResultFiles(
        path.dirname(f.out),
        {
          [path.basename(f.out)]:
            [header, ...[...rows.keys()].sort((a, b) => a - b).map((i) => rows.get(i)!)].join('\n') + '\n',
        },
        f.force ?? false,
      );
      console.log(`merged ${rows.size} architectures from ${files.length} shards → ${f.out}`);
    });

  oneshot
    .command('curve')
    .description(
      'criteria against training epochs: derive every checkpoint of a run and judge it (curve.json)',
    )
    .argument('<run-dir>', 'a oneshot train folder')
    .option('--out <dir>', 'output folder (default: <run-dir>/curve)')
    .option('--data <dir>', 'CIFAR-10 binary folder')
    .option('--split <choice>', 'as for train', 'auto')
    .option('--archs <list>', 'deiso | iso | deiso:K | a score file', 'deiso')
    .option('--held-out-images <n>', 'held-out images used', positiveInt, 512)
    .option('--batch-size <n>', 'derive batch size', positiveInt, 256)
    .option('--every <k>', 'use every k-th checkpoint (and the last)', positiveInt, 1)
    .option('--label <name>', 'name in reports (default: the run folder’s name)')
    .option('--backend <name>', 'wasm | cpu | webgpu', 'wasm')
    .option('--json', 'print the curve as JSON')
    .option('--quiet', 'no progress output')
    .action(async (runDir: string, f) => {
      const started = new Date();
      const out: string = f.out ?? path.join(runDir, 'curve');
      const { dataDir, batches } = await deriveSetup(f);
      const { archList } = await import('../oneshot/arch-lists.js');
      const { buildCurve, listCheckpoints } = await import('../oneshot/curve.js');
      if (listCheckpoints(runDir).length === 0)
        throw new InputError(`${runDir}: no checkpoints (checkpoints/epoch-*.ckpt)`);
      const gt = loadGroundTruth();
      const indices = archList(gt, f.archs);
      const reps = new Set(gt.iso().representative);
      const mode = indices.every((i) => reps.has(i)) ? 'deiso' : 'iso';
      let sampler: string | undefined;
      try {
        sampler = JSON.parse(readFileSync(path.join(runDir, 'manifest.json'), 'utf8')).config?.sampler;
      } catch {
        sampler = undefined;
      }
      const progress = makeProgress('curve checkpoints', f.quiet || f.json);
      progress.start(Math.ceil(listCheckpoints(runDir).length / f.every));
      const points = buildCurve({
        runDir,
        outDir: out,
        gt,
        indices,
        batches,
        label: f.label ?? path.basename(path.resolve(runDir)),
        sampler,
        mode,
        every: f.every,
        onCheckpoint: (epoch) => progress.tick(`epoch ${epoch}`),
      });
      progress.stop();
      const csv =
        [
          'epoch,kendall,spearman,pearson,p_top_5,p_top_50,p_bottom_5,br_1,br_0.1',
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
            ].join(',');
          }),
        ].join('\n') + '\n';
      writeFileAtomic(path.join(out, 'curve.csv'), csv);
      writeManifest(path.join(out, 'manifest.json'), {
        command: 'oneshot curve',
        config: { ...f, runDir, data: dataDir, mode, architectures: indices.length },
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
