#!/usr/bin/env node
// Builds the torch engine (native/torch-addon.cc) with npm's bundled node-gyp. Run by `npm ci` in a checkout (the
// install script), by `npm run build:torch` and by `nas-surgery build-torch` (--strict: exit 1 when not built). As an
// install script it never fails the install: without libtorch, or when the build fails, it prints one line saying so,
// why, and how to get the engine. An installed package (no src/ beside scripts/) is not compiled at install, so that
// `npm install nas-surgery` stays fast for those who only evaluate score files; NAS_TORCH_BUILD=1 compiles it there.
//
// libtorch is looked for in this order:
//   LIBTORCH=<dir>   a libtorch zip or the torch/ folder of a pip PyTorch (include/, lib/). Wheels before 2.7 use the
//                    old C++ ABI; it is detected from libc10's symbols (NAS_TORCH_CXX11_ABI=0|1 overrides).
//   Debian/Ubuntu    libtorch-dev (headers under /usr/include, libtorch_cpu.so under /usr/lib/<arch>).
// NAS_TORCH_SKIP=1 skips the build.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.join(path.dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = path.join(root, 'native');
const logFile = path.join(nativeDir, 'build.log');
const verbose = process.argv.includes('--verbose');
const strict = process.argv.includes('--strict');
const asInstallScript = process.env.npm_lifecycle_event === 'install';
const checkout = existsSync(path.join(root, 'src'));
const HOW = checkout
  ? 'to get it: apt install libtorch-dev (Debian/Ubuntu) or set LIBTORCH=<libtorch dir>, then npm run build:torch'
  : 'to get it: apt install libtorch-dev (Debian/Ubuntu) or set LIBTORCH=<libtorch dir>, then npx nas-surgery build-torch';

function say(line) {
  process.stderr.write(`nas-surgery: ${line}\n`);
}

function notBuilt(why) {
  say(`the torch engine was not built (${why}); ${HOW}`);
  process.exit(strict ? 1 : 0);
}

function findDebian() {
  const version = '/usr/include/torch/csrc/api/include/torch/version.h';
  if (!existsSync(version)) return undefined;
  const libRoots = ['/usr/lib', ...safeList('/usr/lib').map((d) => path.join('/usr/lib', d))];
  const libDir = libRoots.find((d) => existsSync(path.join(d, 'libtorch_cpu.so')));
  if (!libDir) return undefined;
  return {
    source: 'Debian libtorch-dev',
    include: ['/usr/include', '/usr/include/torch/csrc/api/include'],
    libs: ['-ltorch_cpu', '-lc10'],
    defines: [],
  };
}

function safeList(dir) {
  try {
    return readdirSync(dir).filter((d) => d.includes('-linux-'));
  } catch {
    return [];
  }
}

function findLibtorch(dir) {
  const include = path.join(dir, 'include');
  const lib = path.join(dir, 'lib');
  if (!existsSync(path.join(include, 'ATen', 'ATen.h')))
    notBuilt(`LIBTORCH=${dir} has no include/ATen/ATen.h`);
  const so = (name) =>
    existsSync(path.join(lib, `lib${name}.so`)) || existsSync(path.join(lib, `lib${name}.dylib`));
  if (!so('torch_cpu') || !so('c10')) notBuilt(`LIBTORCH=${dir} has no lib/libtorch_cpu and lib/libc10`);
  const libs = [`-L${lib}`, `-Wl,-rpath,${lib}`, '-Wl,--no-as-needed', '-ltorch_cpu', '-lc10'];
  // A CUDA build: link its CUDA parts too (nothing references them directly; --no-as-needed keeps them).
  if (so('torch_cuda')) libs.push('-ltorch_cuda');
  if (so('c10_cuda')) libs.push('-lc10_cuda');
  if (so('torch')) libs.push('-ltorch');
  let abi = process.env.NAS_TORCH_CXX11_ABI;
  if (abi === undefined) {
    const nm = spawnSync('nm', ['-D', '--defined-only', path.join(lib, 'libc10.so')], { encoding: 'utf8' });
    if (nm.status === 0) abi = /__cxx11/.test(nm.stdout) ? '1' : '0';
  }
  return {
    source: `LIBTORCH=${dir}`,
    include: [include, path.join(include, 'torch', 'csrc', 'api', 'include')],
    libs,
    defines: abi === undefined ? [] : [`_GLIBCXX_USE_CXX11_ABI=${abi}`],
  };
}

function nodeGyp() {
  const candidates = [
    process.env.npm_config_node_gyp,
    path.join(
      path.dirname(process.execPath),
      '..',
      'lib',
      'node_modules',
      'npm',
      'node_modules',
      'node-gyp',
      'bin',
      'node-gyp.js',
    ),
  ];
  return candidates.find((c) => c && existsSync(c));
}

if (process.env.NAS_TORCH_SKIP === '1') notBuilt('NAS_TORCH_SKIP=1');
if (asInstallScript && !checkout && process.env.NAS_TORCH_BUILD !== '1') {
  say('the torch engine is not compiled at install (~10 s; run npx nas-surgery build-torch to add it)');
  process.exit(0);
}
const found = process.env.LIBTORCH ? findLibtorch(process.env.LIBTORCH) : findDebian();
if (!found) notBuilt('no libtorch found: neither LIBTORCH nor Debian libtorch-dev');
const gyp = nodeGyp();
if (!gyp) notBuilt("npm's node-gyp was not found");
const args = [gyp, 'rebuild', `--directory=${nativeDir}`];
const nodeDir = path.join(path.dirname(process.execPath), '..');
if (existsSync(path.join(nodeDir, 'include', 'node', 'node_api.h'))) args.push(`--nodedir=${nodeDir}`);
const t0 = Date.now();
const r = spawnSync(process.execPath, args, {
  cwd: nativeDir,
  encoding: 'utf8',
  env: {
    ...process.env,
    NAS_TORCH_INCLUDE: found.include.join(':'),
    NAS_TORCH_LIBS: found.libs.join(' '),
    NAS_TORCH_DEFINES: found.defines.join(' '),
  },
  stdio: verbose ? 'inherit' : 'pipe',
});
if (r.status !== 0) {
  const log = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (!verbose) writeFileSync(logFile, log);
  const firstError =
    log
      .split('\n')
      .find((l) => /error/i.test(l))
      ?.trim() ?? `node-gyp exited with ${r.status}`;
  notBuilt(
    `build failed against ${found.source}: ${firstError.slice(0, 200)}; full log: ${verbose ? 'above' : logFile}`,
  );
}
say(`built the torch engine against ${found.source} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
