import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Command } from 'commander';

/**
 * `nas-surgery build-torch`: compiles the torch engine (the libtorch addon) in the installed package. A package
 * install does not compile it (that would take ~10 s of every `npm install`, wanted or not); a checkout's `npm ci`
 * does. Exit 0 when built, 1 when it could not be (the reason and the fix on stderr).
 */
export function registerBuildTorchCommand(program: Command): void {
  program
    .command('build-torch')
    .description(
      'compile the torch engine (the fast engine: a thin addon over libtorch) where nas-surgery is installed; ' +
        'libtorch from Debian libtorch-dev or LIBTORCH=<libtorch or pip torch dir>; ~10 s',
    )
    .action(() => {
      const script = fileURLToPath(new URL('../../scripts/build-torch.mjs', import.meta.url));
      const r = spawnSync(process.execPath, [script, '--verbose', '--strict'], { stdio: 'inherit' });
      process.exitCode = r.status ?? 1;
    });
}
