import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from './helpers/run-cli.js';

// The package as a user gets it: `npm pack` of this checkout (its dist/, built by `npm test`'s pretest), installed
// into an empty project from the tarball (dependencies from the npm cache where it has them), then the installed
// binary and the library import, run by plain Node (no tsx: a dependency that only loads through a bundler or a
// loader fails here). Install scripts are skipped: the torch addon's build is `npm ci`'s test, not this one's.
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const npm = (args: string[], cwd: string) =>
  execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });

test(
  'npm pack, npm install of the tarball into an empty project: evaluate, space show and the library work',
  { timeout: 300_000 },
  async () => {
    assert.ok(
      existsSync(path.join(ROOT, 'dist', 'cli', 'bin.js')),
      'dist/ is built (npm test builds it first)',
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'nass-pack-'));
    npm(['pack', '--ignore-scripts', '--silent', '--pack-destination', dir], ROOT);
    const tarball = readdirSync(dir).find((f) => f.endsWith('.tgz'));
    assert.ok(tarball, 'npm pack wrote a tarball');
    const app = path.join(dir, 'app');
    execFileSync('mkdir', [app]);
    writeFileSync(
      path.join(app, 'package.json'),
      JSON.stringify({ name: 'app', version: '1.0.0', private: true }),
    );
    npm(
      [
        'install',
        '--prefer-offline',
        '--ignore-scripts',
        '--no-audit',
        '--no-fund',
        '--silent',
        path.join(dir, tarball),
      ],
      app,
    );
    const bin = path.join(app, 'node_modules', '.bin', 'nas-surgery');
    assert.ok(existsSync(bin), 'the nas-surgery binary is installed');
    // WebGPU is opt-in: its packages are not installed by default.
    assert.ok(!existsSync(path.join(app, 'node_modules', 'webgpu')), 'webgpu is not installed by default');
    assert.ok(!existsSync(path.join(app, 'node_modules', '@tensorflow', 'tfjs-backend-webgpu')));

    const show = JSON.parse(
      execFileSync(bin, ['space', 'show', '1', '--json'], { cwd: app, encoding: 'utf8' }),
    );
    assert.equal(
      show.arch,
      '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
    );

    // evaluate on a score file: the same criteria as this checkout's own CLI gives.
    const scores = path.join(dir, 'scores.csv');
    const rows = ['index,score'];
    for (let i = 0; i < 15625; i++)
      rows.push(
        `${i},${Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453)}`,
      );
    writeFileSync(scores, rows.join('\n') + '\n');
    const installed = JSON.parse(
      execFileSync(bin, ['evaluate', '--scores', scores, '--json'], { cwd: app, encoding: 'utf8' }),
    );
    const here = await runCli(['evaluate', '--scores', scores, '--json']);
    assert.equal(here.code, 0, here.stderr);
    assert.deepEqual(installed, JSON.parse(here.stdout));

    // The library: ESM import by name, and a criterion computed through it.
    const lib = execFileSync(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        "import * as n from 'nas-surgery'; console.log(JSON.stringify({ k: n.kendallTau([1, 2, 3, 4], [1, 3, 2, 4]), evaluate: typeof n.evaluateScoreFile }))",
      ],
      { cwd: app, encoding: 'utf8' },
    );
    const got = JSON.parse(lib);
    assert.ok(Math.abs(got.k - 2 / 3) < 1e-12, `kendallTau through the installed library: ${lib}`);
    assert.equal(got.evaluate, 'function');
  },
);
