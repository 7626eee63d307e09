/**
 * What a command does when its --out already holds a run, the same for every command that writes: with the same
 * settings and inputs, nothing (it says so, and exits 0); with other settings or inputs, exit 2 naming the first
 * difference, unless --force, which replaces the run. "The same" is read from the run's manifest: its command, its
 * options (those of {@link RUN_ONLY_KEYS} aside, which say how a run goes, not what it computes) and the checksums
 * of its inputs.
 */
import { existsSync, readFileSync } from 'node:fs';
import { InputError } from './input-error.js';
import { sha256File } from './manifest.js';

/** Options that do not change what a run computes: where it goes, how it is shown, how many workers. */
export const RUN_ONLY_KEYS = [
  'out',
  'shard',
  'shards',
  'workers',
  'threads',
  'quiet',
  'json',
  'force',
  'resumeOnly',
  'engine',
] as const;

/** The first option in which two configs differ, as "seed 7 there, 20 here"; undefined when none does. */
export function firstDifference(
  there: Record<string, unknown>,
  here: Record<string, unknown>,
  { keys, hereName = 'here' }: { keys?: readonly string[]; hereName?: string } = {},
): string | undefined {
  const skip = new Set<string>(RUN_ONLY_KEYS);
  const names = keys ?? [...new Set([...Object.keys(there), ...Object.keys(here)])];
  for (const k of names) {
    if (skip.has(k)) continue;
    const [a, b] = [JSON.stringify(there[k]), JSON.stringify(here[k])];
    if (a !== b) return `${k} ${a ?? '(none)'} there, ${b ?? '(none)'} ${hereName}`;
  }
  return undefined;
}

export type RerunVerdict = 'fresh' | 'same' | 'replace';

export interface RerunCheck {
  /** The --out as the user gave it, for messages. */
  out: string;
  manifestFile: string;
  /** Files whose presence means that a run is there. */
  results: readonly string[];
  command: string;
  /** The options of this invocation; only these keys are compared (an option the old run lacks differs). */
  options: Record<string, unknown>;
  /** Input files whose contents must be the same (compared with the manifest's checksums, in order). */
  inputs?: readonly string[];
  force: boolean;
}

/**
 * `fresh` (nothing there), `same` (the run there has these settings and inputs: do nothing) or `replace` (--force
 * over another run); an InputError for another run without --force, or for results without a manifest.
 */
export function rerunVerdict(c: RerunCheck): RerunVerdict {
  // A run is there when one of its results is; a manifest alone (results removed) is not one.
  const present = c.results.filter((f) => existsSync(f));
  if (present.length === 0) return 'fresh';
  let prior:
    { command?: unknown; config?: Record<string, unknown>; inputs?: { sha256?: string }[] } | undefined;
  if (existsSync(c.manifestFile)) {
    try {
      prior = JSON.parse(readFileSync(c.manifestFile, 'utf8'));
    } catch {
      prior = undefined;
    }
  }
  const why = ((): string | undefined => {
    if (!prior) return `${present[0]} is there without a readable manifest (${c.manifestFile})`;
    if (prior.command !== c.command) return `it holds a '${String(prior.command)}' run`;
    const diff = firstDifference(prior.config ?? {}, c.options, { keys: Object.keys(c.options) });
    if (diff) return `it holds a run with other settings: ${diff}`;
    const before = (prior.inputs ?? []).map((i) => i.sha256);
    const now = (c.inputs ?? []).map((f) => sha256File(f));
    const changed = now.findIndex((h, k) => h !== before[k]);
    if (changed >= 0 || before.length !== now.length) {
      const file = c.inputs?.[changed >= 0 ? changed : now.length - 1];
      return `its inputs changed since${file ? ` (${file})` : ''}`;
    }
    return undefined;
  })();
  if (why === undefined) return c.force ? 'replace' : 'same';
  if (c.force) return 'replace';
  throw new InputError(`${c.out}: ${why}; use another --out, or --force to replace it`);
}

/** The line a command prints when its --out already holds this very run. */
export function sameRunNote(out: string): string {
  return `nas-surgery: ${out} already holds this run (same settings and inputs): nothing to do; --force redoes it`;
}

/** `--force`, the same words on every command that writes. */
export const FORCE_HELP =
  'redo the run in --out, or replace one made with other settings (without it: the same run is left as it is, ' +
  'another is refused)';
