import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InputError } from './input-error.js';

/** Write a file atomically: write a temp file beside it, then rename over the target. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${Date.now()}.tmp`);
  try {
    writeFileSync(tmp, data);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

/**
 * Write a set of result files into `dir`. Nothing is written unless all can be: without `force`, an existing file of
 * the set is an error (no partial overwrite), and every file is written atomically.
 */
export function writeResultFiles(
  dir: string,
  files: Record<string, string | Uint8Array>,
  force: boolean,
): string[] {
  const targets = Object.keys(files).map((name) => path.join(dir, name));
  if (!force) {
    const existing = targets.filter((t) => existsSync(t));
    if (existing.length > 0) {
      throw new InputError(`${existing[0]} already exists; pass --force to overwrite results in ${dir}`);
    }
  }
  for (const [name, data] of Object.entries(files)) writeFileAtomic(path.join(dir, name), data);
  return targets;
}
