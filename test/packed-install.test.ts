import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { TFJS_INSTALL } from '../src/engine/install-lines.js';
import { runCli } from './helpers/run-cli.js';
import { writeTinyCifarDir } from './helpers/tiny-cifar.js';

// The package as a user gets it: `npm pack` of this checkout (its dist/, built by `npm test`'s pretest), installed
// into an empty project from the tarball (dependencies from the npm cache where it has them), then the installed
// binary and the library import, run by plain Node (no tsx: a dependency that only loads through a bundler or a
// loader fails here). Default flags, install scripts included: a package install does not compile the torch addon and
// installs no TensorFlow.js, so it stays small; `doctor` then says so, and `build-torch` adds the fast engine.
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
    npm(['install', '--prefer-offline', '--no-audit', '--no-fund', '--silent', path.join(dir, tarball)], app);
    const bin = path.join(app, 'node_modules', '.bin', 'nas-surgery');
    assert.ok(existsSync(bin), 'the nas-surgery binary is installed');
    // The engines are opt-in: no TensorFlow.js or WebGPU package is installed by default.
    assert.ok(!existsSync(path.join(app, 'node_modules', 'webgpu')), 'webgpu is not installed by default');
    assert.ok(!existsSync(path.join(app, 'node_modules', '@tensorflow')), 'tfjs is not installed by default');
    const mb = treeBytes(path.join(app, 'node_modules')) / 2 ** 20;
    assert.ok(mb <= 80, `node_modules holds ${mb.toFixed(1)} MiB (at most 80)`);

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

    // doctor from the install tells the truth: no engine yet, and each fix is the command that adds it.
    const doctor = () =>
      Object.fromEntries(
        (
          JSON.parse(execFileSync(bin, ['doctor', '--json'], { cwd: app, encoding: 'utf8' })) as {
            checks: { id: string; status: string; detail: string; fix?: string }[];
          }
        ).checks.map((c) => [c.id, c]),
      );
    const before = doctor();
    assert.equal(before.wasm!.status, 'missing');
    assert.match(before.wasm!.detail, /not installed \(@tensorflow\/tfjs(-backend-wasm)? is missing\)/);
    assert.equal(before.wasm!.fix, TFJS_INSTALL);
    assert.equal(before.torch!.status, 'missing');
    assert.match(before.torch!.fix!, /npx nas-surgery build-torch/);
    // A command that needs an engine says which two installs would give it one (exit 2).
    const noEngine = spawnSync(
      bin,
      ['oneshot', 'train', '--out', path.join(dir, 'run'), '--data', dir, '--backend', 'wasm'],
      {
        cwd: app,
        encoding: 'utf8',
      },
    );
    assert.equal(noEngine.status, 2, noEngine.stderr);
    assert.ok(noEngine.stderr.includes(TFJS_INSTALL), noEngine.stderr);

    // Random forests need no engine: they run from the bare install. A neural predictor names both ways to get one.
    const predictors = (name: string) =>
      spawnSync(
        bin,
        [
          'predictors',
          'run',
          '--predictor',
          name,
          '--sizes',
          '20',
          '--sets',
          '1',
          '--seeds',
          '1',
          '--workers',
          '1',
          '--quiet',
          '--out',
          path.join(dir, `pred-${name}`),
        ],
        { cwd: app, encoding: 'utf8', timeout: 120_000 },
      );
    const rf = predictors('rf');
    assert.equal(rf.status, 0, rf.stderr);
    assert.match(rf.stdout, /rf/);
    const mlp = predictors('mlp');
    assert.equal(mlp.status, 2, mlp.stderr);
    assert.match(mlp.stderr, /^nas-surgery: error: no neural engine here: .*npx nas-surgery build-torch/);
    assert.ok(mlp.stderr.trim().endsWith(TFJS_INSTALL), mlp.stderr);
    assert.equal(mlp.stderr.trim().split('\n').length, 1, 'one line');

    // With libtorch on the machine (CI installs Debian's), build-torch compiles the addon in the installed package.
    const libtorch = existsSync('/usr/include/torch/csrc/api/include/torch/version.h');
    if (process.env.CI === 'true') assert.ok(libtorch, 'CI installs libtorch-dev');
    if (libtorch) {
      assert.equal(before.torch!.fix, 'npx nas-surgery build-torch (libtorch found: Debian libtorch-dev)');
      const built = spawnSync(bin, ['build-torch'], { cwd: app, encoding: 'utf8', timeout: 240_000 });
      assert.equal(built.status, 0, built.stderr);
      const after = doctor();
      assert.equal(after.torch!.status, 'ok', after.torch!.detail);
      assert.match(after.torch!.detail, /^libtorch \d/);
      // The fast engine trains from this install, with no TensorFlow.js present (auto picks torch).
      const cifar = writeTinyCifarDir(path.join(dir, 'cifar'), 5, 48);
      const train = spawnSync(
        bin,
        [
          'oneshot',
          'train',
          '--out',
          path.join(dir, 'run'),
          '--data',
          cifar,
          '--split',
          '0-32,32-48',
          '--channels',
          '2',
          '--cells',
          '1',
          '--batch-size',
          '16',
          '--epochs',
          '1',
          '--quiet',
        ],
        { cwd: app, encoding: 'utf8', timeout: 120_000 },
      );
      assert.equal(train.status, 0, train.stderr);
      const manifest = JSON.parse(readFileSync(path.join(dir, 'run', 'manifest.json'), 'utf8')) as {
        config: { backend: string };
      };
      assert.equal(manifest.config.backend, 'torch');
    }
  },
);

/** Bytes of the files under `dir` (what `du` counts, without block rounding). */
function treeBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) total += treeBytes(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}
