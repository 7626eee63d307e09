import { cpus } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { TRUTH_NAMES } from '../benchmarks/truth-names.js';
import { writeResultFiles } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { FORCE_HELP, rerunVerdict, sameRunNote } from '../io/rerun.js';
import { invocationLine } from '../io/invocation.js';
import { makeManifest, sha256File } from '../io/manifest.js';
import {
  parseShard,
  SHARD_HELP,
  SHARDS_HELP,
  shardItems,
  shardLabel,
  shardRecord,
} from '../runners/shard.js';
import { fmt, renderMarkdownTable, renderTextTable, type Table } from '../report/table.js';
import { loadData } from './cifar-data.js';
import { nonNegativeInt, positiveInt } from './list-options.js';
import { choice, printJson, toJson } from './output.js';
import { makeProgress } from './progress.js';
import { BACKEND_HELP, WORKER_THREADS_HELP, workerBackendOf } from './engine-options.js';

export function registerZeroshotCommands(program: Command): void {
  const zeroshot = program
    .command('zeroshot')
    .description('zero-shot (training-free) estimators on an untrained network (docs/method.md §6)');

  zeroshot
    .command('list')
    .description('the zero-shot proxies')
    .action(async () => {
      const { ZEROSHOT_PROXIES, PROXY_DESCRIPTIONS, VOTE_PRESETS } = await import('../zeroshot/proxies.js');
      for (const p of ZEROSHOT_PROXIES) console.log(`${p.padEnd(12)} ${PROXY_DESCRIPTIONS[p]}`);
      for (const [name, ps] of Object.entries(VOTE_PRESETS)) {
        console.log(
          `${`vote_${name}`.padEnd(12)} majority vote of ${ps.join(', ')} (--vote ${name}), a Copeland count`,
        );
      }
      console.log(
        'Every column is oriented so that higher = better (plain is the negated zero-cost-nas sum).',
      );
    });

  zeroshot
    .command('score')
    .description('score architectures with the zero-shot proxies and judge every proxy against the truth')
    .requiredOption('--out <dir>', 'run folder: scores.csv, zeroshot.json, summary.md, manifest.json')
    .option(
      '--data <dir>',
      'CIFAR-10 binary folder (default: $NAS_SURGERY_CIFAR10 or ~/.cache/nas-surgery/cifar10)',
    )
    .option('--split <choice>', 'train/held-out split; the batch comes from train', 'auto')
    .option('--archs <list>', 'deiso | iso | deiso:K (K random representatives) | a score file', 'deiso:500')
    .option('--arch-seed <n>', 'seed of the deiso:K draw', nonNegativeInt, 0)
    .option(
      '--proxies <list>',
      'comma list of proxies, all, or auto: all that this backend can run at this size (grasp needs the memory ' +
        'of a second differentiation)',
      'auto',
    )
    .option(
      '--vote <list>',
      'majority votes: presets paper (relu_logdet, jacob_cov, synflow: Ning et al.) and zc (synflow, ' +
        'jacob_cov, snip: Abdelfattah et al.), or three proxies joined by +, comma-separated; or none',
      'paper,zc',
    )
    .option('--batch-size <n>', 'images in the one batch', positiveInt, 64)
    .option('--batch-seed <n>', 'seed of the image draw from the training range', nonNegativeInt, 0)
    .option('--seed <n>', 'seed of the untrained weights', nonNegativeInt, 20)
    .option('--channels <n>', 'C: channels of the first stage', positiveInt, 16)
    .option('--cells <n>', 'N: cells per stage', positiveInt, 5)
    .option('--truth <name>', `ground truth for the summary: ${TRUTH_NAMES.join(', ')}`, 'cifar10')
    .option(
      '--mode <mode>',
      'how the summary compares with the truth: iso | deiso | post-deiso (docs/method.md §2)',
      'deiso',
    )
    .option('--workers <n>', 'worker threads', positiveInt, Math.max(1, Math.min(cpus().length, 4)))
    .option('--backend <name>', BACKEND_HELP, 'auto')
    .option('--threads <n>', WORKER_THREADS_HELP, positiveInt)
    .option('--shard <i/n|auto>', SHARD_HELP, '0/1')
    .option('--shards <n>', SHARDS_HELP, positiveInt)
    .addOption(new Option('--resume-only').hideHelp())
    .option('--force', FORCE_HELP)
    .option('--json', 'print the summary as JSON')
    .option('--quiet', 'no progress output')
    .action(async (f) => {
      const started = new Date();
      const shard = parseShard(f.shard, f.shards);
      f.shard = shardLabel(shard); // manifests record the shard itself ('auto' → i/n)
      const { parseProxyList, parseVoteList } = await import('../zeroshot/proxies.js');
      const parse = (flag: string, raw: string) => {
        try {
          return parseProxyList(raw);
        } catch (e) {
          throw new InputError(`${flag}: ${(e as Error).message}`);
        }
      };
      const backend = await workerBackendOf(f.backend);
      const { hvpMemoryProblem } = await import('../zeroshot/second-order.js');
      const graspProblem = hvpMemoryProblem(backend, f.batchSize, f.channels, f.cells);
      let proxies = parse('--proxies', f.proxies === 'auto' ? 'all' : f.proxies);
      if (f.proxies === 'auto' && graspProblem) {
        proxies = proxies.filter((p) => p !== 'grasp');
        if (!f.quiet) console.error(`note: grasp left out: ${graspProblem}`);
      }
      let votes;
      try {
        votes = parseVoteList(f.vote);
      } catch (e) {
        throw new InputError(`--vote: ${(e as Error).message}`);
      }
      for (const v of votes) {
        const missing = v.proxies.filter((p) => !proxies.includes(p));
        if (missing.length > 0)
          throw new InputError(`--vote: ${v.name} uses ${missing.join(', ')}, which --proxies leaves out`);
      }
      if (proxies.includes('grasp') && graspProblem) throw new InputError(graspProblem);
      const truthName = choice('--truth', TRUTH_NAMES, f.truth);
      const mode = choice('--mode', ['iso', 'deiso', 'post-deiso'] as const, f.mode);
      const gt = loadGroundTruth();
      const { archList } = await import('../oneshot/arch-lists.js');
      const all = archList(gt, f.archs, f.archSeed);
      const indices = Int32Array.from(shardItems(Array.from(all), shard));
      const dataDir: string = f.data ?? (await import('../data/locations.js')).defaultCifar10Dir();
      const { data, cifar, split } = await loadData(dataDir, f.split);
      // A finished run in --out: the same one is left as it is; another is refused without --force. (A shard, and
      // an unfinished run, resume from partial.jsonl, which checks its own settings.)
      const { resumeOnly: _resumeOnly2, ...asked } = f;
      const verdict =
        shard.count > 1 || f.resumeOnly
          ? 'fresh'
          : rerunVerdict({
              out: f.out,
              manifestFile: path.join(f.out, 'manifest.json'),
              results: [path.join(f.out, 'scores.csv')],
              command: 'zeroshot score',
              options: { ...asked, data: dataDir, backend, mode, proxies, split: split.description },
              force: f.force ?? false,
            });
      if (verdict === 'same') {
        process.stderr.write(sameRunNote(f.out) + '\n');
        return;
      }
      const plan = data.planTrainEpoch(cifar, split.train, {
        batchSize: f.batchSize,
        seed: f.batchSeed,
        epoch: 0,
        augment: false,
      });
      const batch = plan.batch(0);
      if (batch.shape[0] < f.batchSize) {
        throw new InputError(
          `--batch-size ${f.batchSize}: the training range has only ${batch.shape[0]} images`,
        );
      }
      const { runZeroShot } = await import('../zeroshot/run-zeroshot.js');
      const config = { channels: f.channels, cellsPerStage: f.cells, classes: 10, dropout: 0.1 };
      const progress = makeProgress('zero-shot', f.quiet || f.json);
      const t0 = performance.now();
      const { rows, fresh } = await runZeroShot({
        indices,
        proxies,
        config,
        seed: f.seed,
        images: { x: batch.x, shape: batch.shape, labels: batch.y, indices: batch.indices },
        outDir: f.out,
        workers: f.workers,
        backend,
        threads: f.threads,
        force: f.force,
        resumeOnly: f.resumeOnly,
        onStart: (total, done) => progress.start(total, done),
        onRows: (rs) => rs.forEach((r) => progress.tick(`#${r.index} ${(r.ms / 1000).toFixed(1)} s`)),
      });
      progress.stop();
      const seconds = (performance.now() - t0) / 1000;
      const meanMs = rows.reduce((a, r) => a + r.ms, 0) / Math.max(1, rows.length);
      const { resumeOnly: _resumeOnly, ...options } = f;
      const runConfig = {
        ...options,
        data: dataDir,
        backend,
        mode,
        proxies,
        votes,
        supernet: config,
        split: split.description,
      };
      const seeds = { seed: f.seed, batchSeed: f.batchSeed, archSeed: f.archSeed };
      const timingsMs = {
        total: Math.round(seconds * 1000),
        meanPerArch: Math.round(meanMs),
        freshArchs: fresh,
      };
      if (shard.count > 1) {
        // A shard keeps its rows (partial.jsonl) and says which part it is; merge makes the summaries.
        const inputs = cifar.sources.map((src) => {
          const file = path.join(dataDir, src.file);
          return { file, sha256: sha256File(file) };
        });
        writeResultFiles(
          f.out,
          {
            'manifest.json':
              toJson(
                makeManifest({
                  command: 'zeroshot score',
                  config: {
                    ...runConfig,
                    ...shardRecord(shard, 'zeroshot score', options, inputs),
                    shardItems: rows.length,
                  },
                  seeds,
                  inputs: inputs.map((i) => i.file),
                  startedAt: started,
                  timingsMs,
                }),
              ) + '\n',
          },
          true,
        );
        if (f.json) return printJson({ shard: shardLabel(shard), archs: rows.length, seconds });
        console.log(
          `shard ${shardLabel(shard)}: ${rows.length} of ${all.length} architectures (${fresh} new) in ` +
            `${seconds.toFixed(0)} s → ${f.out}; join the shards with nas-surgery merge`,
        );
        return;
      }

      const { zeroShotColumns, summarizeZeroShot, zeroShotScoresCsv } =
        await import('../zeroshot/summarize.js');
      const { columns, nonFinite } = zeroShotColumns(rows, proxies, votes, gt);
      const summary = summarizeZeroShot(rows, columns, nonFinite, gt, mode, truthName);
      const table: Table = {
        headers: [
          'evaluator',
          'Kendall τ',
          'τ 95% CI',
          'Spearman ρ',
          'P@top1%',
          'P@top5%',
          'P@top10%',
          'BR@1%',
          'BR@5%',
        ],
        rows: summary.map((s) => [
          s.nonFinite > 0 ? `${s.evaluator} (${s.nonFinite} undefined, ranked last)` : s.evaluator,
          fmt(s.kendall),
          `${fmt(s.kendall_ci_low, 3)} – ${fmt(s.kendall_ci_high, 3)}`,
          ...[s.spearman, s.p_top_1, s.p_top_5, s.p_top_10, s.br_1, s.br_5].map((v) => fmt(v)),
        ]),
      };
      const manifest = makeManifest({
        command: 'zeroshot score',
        config: runConfig,
        seeds,
        inputs: [],
        startedAt: started,
        timingsMs,
      });
      writeResultFiles(
        f.out,
        {
          'scores.csv': zeroShotScoresCsv(rows, columns, gt),
          'zeroshot.json': toJson(summary) + '\n',
          'summary.md': [
            '# Zero-shot proxies',
            '',
            `Command: \`${invocationLine()}\``,
            '',
            `${rows.length} architectures (\`--archs ${f.archs}\`), judged against \`${truthName}\` in \`${mode}\` ` +
              `mode (${summary[0].n} items); untrained ` +
              `C${f.channels} N${f.cells} network (weights seed ${f.seed}), one batch of ${f.batchSize} training ` +
              'images, BN in train mode (the time per architecture is in manifest.json).',
            '',
            renderMarkdownTable(table),
            '',
            'Every column is oriented so that higher = better: plain is −Σ W ⊙ ∂L/∂W (the paper flips ' +
              "zero-cost-nas's sign); the others follow zero-cost-nas. Votes: " +
              votes.map((v) => `${v.name} = ${v.proxies.join(' + ')}`).join('; ') +
              '.',
            '',
            'A proxy value that is undefined (an output that does not depend on the images, for jacob_cov; two ' +
              'images with the same activation codes, for relu_logdet) ranks the architecture last.',
            '',
          ].join('\n'),
          'manifest.json': toJson(manifest) + '\n',
        },
        true, // guarded above (rerunVerdict): a finished run is only replaced with --force
      );
      if (f.json) return printJson({ summary, archs: rows.length, seconds });
      console.log(renderTextTable(table));
      console.log(
        `\n${rows.length} architectures (${fresh} new) in ${seconds.toFixed(0)} s ` +
          `(${(meanMs / 1000).toFixed(2)} s per architecture on one worker); results in ${f.out}`,
      );
    });
}
