import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { writeFileAtomic, writeResultFiles } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { FORCE_HELP, rerunVerdict, sameRunNote } from '../io/rerun.js';
import { asInvocation } from '../io/invocation.js';
import { toJson } from '../io/json.js';
import { sha256File, writeManifest } from '../io/manifest.js';
import { readShardSet, unshardedArgs, type ShardSet } from '../runners/shard-set.js';

/** The zero-shot shards' rows, joined under their common settings line (each architecture once). */
function joinZeroShotPartials(set: ShardSet, outDir: string): number {
  let key: string | undefined;
  const rows = new Map<number, string>();
  for (const s of set.shards) {
    const file = path.join(s.path, 'partial.jsonl');
    if (!existsSync(file)) throw new InputError(`${s.path}: no partial.jsonl, so it holds no scores`);
    const [first, ...lines] = readFileSync(file, 'utf8').split('\n');
    if (key === undefined) key = first;
    else if (first !== key) {
      throw new InputError(
        `${file}: its settings line differs from shard 0's: shards of different runs do not merge`,
      );
    }
    lines.forEach((line, k) => {
      if (line.trim() === '') return;
      let index: number;
      try {
        index = (JSON.parse(line) as { index: number }).index;
      } catch {
        return; // an append cut short: the row is not there (the coverage check below names what is missing)
      }
      if (rows.has(index)) throw new InputError(`${file}:${k + 2}: architecture ${index} is in two shards`);
      rows.set(index, line);
    });
  }
  writeFileAtomic(path.join(outDir, 'partial.jsonl'), [key!, ...rows.values()].join('\n') + '\n');
  return rows.size;
}

/** The predictor shards' run files (and predictions) copied into `outDir/runs`, each run once. */
function joinPredictorRuns(set: ShardSet, outDir: string): number {
  const seen = new Map<string, string>();
  const dest = path.join(outDir, 'runs');
  mkdirSync(dest, { recursive: true });
  for (const s of set.shards) {
    const dir = path.join(s.path, 'runs');
    if (!existsSync(dir)) throw new InputError(`${s.path}: no runs/ folder, so it holds no runs`);
    for (const name of readdirSync(dir).filter(
      (n) => n.endsWith('.json') || n.endsWith('.predictions.csv'),
    )) {
      const twin = seen.get(name);
      if (twin) throw new InputError(`${path.join(dir, name)}: the run is also in ${twin}`);
      seen.set(name, s.path);
      copyFileSync(path.join(dir, name), path.join(dest, name));
    }
  }
  return [...seen.keys()].filter((n) => n.endsWith('.json')).length;
}

/** Files whose presence in `out` means results are there (refused without --force). */
const RESULTS: Record<string, string[]> = {
  'zeroshot score': ['scores.csv', 'zeroshot.json', 'summary.md', 'partial.jsonl'],
  'oneshot curve': ['curve.json', 'curve.csv', 'scores'],
  'predictors run': ['summary.json', 'runs.csv', 'runs'],
};

export function registerMergeCommand(program: Command): void {
  program
    .command('merge')
    .description(
      'join the shards of a sharded job (zeroshot score, oneshot derive, oneshot curve, predictors run; each run ' +
        'with --shard i/n or --shard auto) into what the job writes unsharded, byte for byte. Refuses (exit 2) a ' +
        'missing, duplicated or unfinished shard, shards of another configuration or of another n.',
    )
    .argument('<shards...>', 'the shard outputs, in any order (folders; score files for oneshot derive)')
    .requiredOption('--out <path>', 'where the unsharded job writes (its --out)')
    .option('--force', FORCE_HELP)
    .action(async (paths: string[], f: { out: string; force?: boolean }) => {
      const started = new Date();
      const set = readShardSet(paths);
      if (set.command === 'oneshot derive') {
        const { mergeDeriveShards, deriveManifestFile } = await import('../oneshot/merge-shards.js');
        const merged = mergeDeriveShards(set.shards.map((s) => s.path));
        const config = { ...merged.settings, shard: '0/1', mergedFrom: set.shards.map((s) => s.path) };
        const verdict = rerunVerdict({
          out: f.out,
          manifestFile: deriveManifestFile(f.out),
          results: [f.out],
          command: 'oneshot derive',
          options: config,
          inputs: set.shards.map((s) => s.path),
          force: f.force ?? false,
        });
        if (verdict === 'same') return void process.stderr.write(sameRunNote(f.out) + '\n');
        writeResultFiles(path.dirname(f.out), { [path.basename(f.out)]: merged.csv }, verdict === 'replace');
        writeManifest(deriveManifestFile(f.out), {
          command: 'oneshot derive',
          config,
          inputs: set.shards.map((s) => s.path),
          startedAt: started,
          timingsMs: { total: Date.now() - started.getTime() },
        });
        console.log(
          `merged ${merged.architectures} architectures from ${merged.shards} shard${merged.shards === 1 ? '' : 's'} → ${f.out}`,
        );
        return;
      }
      // The same shards (paths and manifests) merged before: nothing to do. Anything else there needs --force.
      const mergedFrom = {
        shards: set.count,
        paths: set.shards.map((s) => s.path),
        manifests: set.shards.map((s) => sha256File(s.manifestFile)),
      };
      const present = RESULTS[set.command].filter((name) => existsSync(path.join(f.out, name)));
      if (present.length > 0 && !f.force) {
        const prior = readPriorMergedFrom(path.join(f.out, 'manifest.json'));
        if (prior === JSON.stringify(mergedFrom)) return void process.stderr.write(sameRunNote(f.out) + '\n');
        throw new InputError(
          `${f.out}: it holds ${prior ? 'a merge of other shards' : 'a run that was not merged from these shards'}; ` +
            'use another --out, or --force to replace it',
        );
      }
      mkdirSync(f.out, { recursive: true });
      let joined: string;
      if (set.command === 'zeroshot score') joined = `${joinZeroShotPartials(set, f.out)} architectures`;
      else if (set.command === 'predictors run') joined = `${joinPredictorRuns(set, f.out)} runs`;
      else {
        const { mergeCurveShards } = await import('../oneshot/curve.js');
        joined = `${
          mergeCurveShards(
            set.shards.map((s) => s.path),
            f.out,
          ).length
        } checkpoints`;
      }
      // The unsharded command then finishes the job from the joined state: it computes nothing new (--resume-only
      // refuses if the shards left a gap) and writes the summaries as it would have, with its own command line.
      const args = unshardedArgs(set.shards[0].argv, f.out);
      const run = [...args, '--resume-only', ...(f.force && !args.includes('--force') ? ['--force'] : [])];
      const { buildProgram } = await import('./main.js');
      const program = await buildProgram();
      await asInvocation(args, () => program.parseAsync(run, { from: 'user' }));
      const manifestFile = path.join(f.out, 'manifest.json');
      const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
      manifest.mergedFrom = mergedFrom;
      writeFileAtomic(manifestFile, toJson(manifest) + '\n');
      console.log(`merged ${joined} from ${set.count} shard${set.count === 1 ? '' : 's'} → ${f.out}`);
    });
}

/** The `mergedFrom` record of an earlier merge in --out, as JSON, or undefined. */
function readPriorMergedFrom(manifestFile: string): string | undefined {
  if (!existsSync(manifestFile)) return undefined;
  try {
    const m = JSON.parse(readFileSync(manifestFile, 'utf8')) as { mergedFrom?: unknown };
    return m.mergedFrom === undefined ? undefined : JSON.stringify(m.mergedFrom);
  } catch {
    return undefined;
  }
}
