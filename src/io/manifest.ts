import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { writeFileAtomic } from './atomic-write.js';
import { invocationArgs } from './invocation.js';
import { toJson } from './json.js';

const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface PackageInfo {
  name: string;
  version: string;
  dependencies: Record<string, string>;
}

let pkgCache: PackageInfo | undefined;
export function packageInfo(): PackageInfo {
  if (!pkgCache) {
    const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'package.json'), 'utf8'));
    const dependencies: Record<string, string> = {};
    for (const dep of Object.keys(pkg.dependencies ?? {})) {
      try {
        const p = JSON.parse(
          readFileSync(path.join(PACKAGE_ROOT, 'node_modules', dep, 'package.json'), 'utf8'),
        );
        dependencies[dep] = p.version;
      } catch {
        dependencies[dep] = pkg.dependencies[dep];
      }
    }
    pkgCache = { name: pkg.name, version: pkg.version, dependencies };
  }
  return pkgCache;
}

/** The git commit of the nas-surgery checkout, with `-dirty` when it has uncommitted changes; null outside git. */
export function gitCommit(): string | null {
  try {
    const run = (args: string[]) =>
      execFileSync('git', args, { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'ignore'] })
        .toString()
        .trim();
    const head = run(['rev-parse', 'HEAD']);
    const dirty = run(['status', '--porcelain', '--untracked-files=no']).length > 0;
    return dirty ? `${head}-dirty` : head;
  } catch {
    return null;
  }
}

export function sha256File(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export interface Manifest {
  tool: string;
  version: string;
  command: string;
  argv: string[];
  config: Record<string, unknown>;
  seeds: Record<string, number>;
  inputs: { file: string; sha256: string }[];
  versions: Record<string, string>;
  gitCommit: string | null;
  startedAt: string;
  /** null while the run is still going (a manifest written at the start of a long run). */
  finishedAt: string | null;
  timingsMs: Record<string, number>;
}

/** What a caller tells {@link makeManifest}; the rest (versions, commit, times) is found out. */
export interface ManifestArgs {
  /** The subcommand, e.g. `evaluate`. */
  command: string;
  config: Record<string, unknown>;
  seeds?: Record<string, number>;
  /** Input files, checksummed into the manifest. */
  inputs?: string[];
  startedAt: Date;
  timingsMs: Record<string, number>;
  /** false: the run is still going (finishedAt null). Default true. */
  finished?: boolean;
}

/** A manifest describing a run: what was asked, with which inputs, code and versions, and how long it took. */
export function makeManifest(args: ManifestArgs): Manifest {
  const pkg = packageInfo();
  return {
    tool: pkg.name,
    version: pkg.version,
    command: args.command,
    argv: invocationArgs(),
    config: args.config,
    seeds: args.seeds ?? {},
    inputs: (args.inputs ?? []).map((file) => ({ file, sha256: sha256File(file) })),
    versions: { node: process.version, [pkg.name]: pkg.version, ...pkg.dependencies },
    gitCommit: gitCommit(),
    startedAt: args.startedAt.toISOString(),
    finishedAt: args.finished === false ? null : new Date().toISOString(),
    timingsMs: args.timingsMs,
  };
}

/** Make a manifest and write it to `file` atomically (JSON, one trailing newline). */
export function writeManifest(file: string, args: ManifestArgs): void {
  writeFileAtomic(file, toJson(makeManifest(args)) + '\n');
}
