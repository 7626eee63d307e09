/**
 * What this machine can run, part by part (`nas-surgery doctor`): Node, each engine, the Python peers of the
 * benchmarks, the CIFAR-10 folder, SLURM and Chromium. Every probe answers, never throws; a part that is missing says
 * the one command that would add it. The ids and fields are a stable shape (`doctor --json`).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BackendUnavailableError } from '../engine/engine-errors.js';
import { TFJS_INSTALL, WEBGPU_INSTALL } from '../engine/install-lines.js';
import { tfBackendModule } from '../engine/tfjs-loader.js';

export type CheckStatus = 'ok' | 'missing' | 'error';

export interface Check {
  /** Stable id: node, torch, wasm, cpu, webgpu, pytorch, scipy, cifar10, slurm, chromium. */
  id: string;
  /** What it is for, in a few words. */
  purpose: string;
  /** ok: usable; missing: not installed or not found; error: present but failing. */
  status: CheckStatus;
  /** What was found (versions, counts), or why not. */
  detail: string;
  /** The one command that would add or repair it (absent when ok). */
  fix?: string;
  /** Facts for scripts (versions, paths, counts); absent fields were not found. */
  info: Record<string, string | number | boolean>;
}

export const CHECK_IDS = [
  'node',
  'torch',
  'wasm',
  'cpu',
  'webgpu',
  'pytorch',
  'scipy',
  'cifar10',
  'slurm',
  'chromium',
] as const;

/** The package (or checkout) root: a checkout has src/ and builds the addon with npm run build:torch. */
const PACKAGE_ROOT = fileURLToPath(new URL('../..', import.meta.url));
/** The header that says Debian's libtorch-dev is installed (what scripts/build-torch.mjs looks for first). */
const DEBIAN_LIBTORCH_HEADER = '/usr/include/torch/csrc/api/include/torch/version.h';

const firstLine = (e: unknown) => String((e as Error)?.message ?? e).split('\n')[0];

function nodeCheck(): Check {
  const major = Number(process.versions.node.split('.')[0]);
  const ok = major >= 20;
  return {
    id: 'node',
    purpose: 'runs nas-surgery (Node 20 or later)',
    status: ok ? 'ok' : 'error',
    detail: `Node ${process.versions.node}`,
    ...(ok ? {} : { fix: 'install Node 20 or later (https://nodejs.org)' }),
    info: { version: process.versions.node },
  };
}

async function torchCheck(): Promise<Check> {
  const { loadTorchAddon } = await import('../engine/torch-engine.js');
  const purpose = 'the fast engine (supernet, derive, zero-shot, neural predictors)';
  const build = existsSync(path.join(PACKAGE_ROOT, 'src'))
    ? 'npm run build:torch'
    : 'npx nas-surgery build-torch';
  // Where the build would find libtorch, in the build script's order: LIBTORCH when set, else Debian's.
  const env = process.env.LIBTORCH;
  const libtorch = env
    ? existsSync(path.join(env, 'include', 'ATen', 'ATen.h'))
      ? `LIBTORCH=${env}`
      : undefined
    : existsSync(DEBIAN_LIBTORCH_HEADER)
      ? 'Debian libtorch-dev'
      : undefined;
  const fix = libtorch
    ? `${build} (libtorch found: ${libtorch})`
    : `apt install libtorch-dev libopenblas0-pthread (or set LIBTORCH=<libtorch or pip torch dir>), then ${build}`;
  const { addon, error } = loadTorchAddon();
  if (!addon) return { id: 'torch', purpose, status: 'missing', detail: error!, fix, info: {} };
  try {
    const threads = Number(process.env.NAS_TORCH_THREADS) || availableParallelism();
    const cuda = addon.cudaAvailable();
    return {
      id: 'torch',
      purpose,
      status: 'ok',
      detail: `libtorch ${addon.version()}, ${threads} threads by default${cuda ? ', CUDA available' : ', CPU only'}`,
      info: { libtorch: addon.version(), threads, cuda },
    };
  } catch (e) {
    return {
      id: 'torch',
      purpose,
      status: 'error',
      detail: `the addon loads but fails: ${firstLine(e)}`,
      fix,
      info: {},
    };
  }
}

async function tfjsCheck(id: 'wasm' | 'cpu'): Promise<Check> {
  const purpose =
    id === 'wasm' ? 'the default engine without torch (TensorFlow.js wasm)' : 'the pure-JS reference engine';
  try {
    const { initTensorflow } = await tfBackendModule();
    const tf = await import('../engine/tfjs.js');
    const active = await initTensorflow(id);
    const works = tf.tidy(() => tf.add(tf.scalar(1), tf.scalar(2)).dataSync()[0]) === 3;
    if (active !== id || !works) {
      return {
        id,
        purpose,
        status: 'error',
        detail: `TensorFlow.js started ${active} instead`,
        fix: 'npm rebuild nas-surgery',
        info: { tfjs: tf.version_core },
      };
    }
    return {
      id,
      purpose,
      status: 'ok',
      detail: `TensorFlow.js ${tf.version_core}`,
      info: { tfjs: tf.version_core },
    };
  } catch (e) {
    if (e instanceof BackendUnavailableError)
      return { id, purpose, status: 'missing', detail: e.message, fix: TFJS_INSTALL, info: {} };
    return { id, purpose, status: 'error', detail: firstLine(e), fix: TFJS_INSTALL, info: {} };
  }
}

export { WEBGPU_INSTALL };

async function webgpuCheck(): Promise<Check> {
  const purpose = 'a GPU through TensorFlow.js (optional)';
  let r: Awaited<ReturnType<Awaited<ReturnType<typeof tfBackendModule>>['probeWebgpu']>>;
  try {
    r = await (await tfBackendModule()).probeWebgpu();
  } catch (e) {
    return {
      id: 'webgpu',
      purpose,
      status: 'missing',
      detail: firstLine(e),
      fix: `${TFJS_INSTALL} && ${WEBGPU_INSTALL}`,
      info: {},
    };
  }
  if (r.packages === false)
    return { id: 'webgpu', purpose, status: 'missing', detail: r.why!, fix: WEBGPU_INSTALL, info: {} };
  if (!r.adapter) {
    return {
      id: 'webgpu',
      purpose,
      status: 'missing',
      detail: r.why!,
      fix: 'a GPU with a Vulkan (Linux), Metal or D3D12 driver; on Debian: apt install libvulkan1 mesa-vulkan-drivers',
      info: { packages: true },
    };
  }
  return {
    id: 'webgpu',
    purpose,
    status: 'ok',
    detail: r.adapter,
    info: { packages: true, adapter: r.adapter },
  };
}

async function pytorchCheck(): Promise<Check> {
  const { torchPython } = await import('./python-peers.js');
  const p = torchPython();
  const purpose = 'the PyTorch peer of npm run bench';
  if (!p.python)
    return {
      id: 'pytorch',
      purpose,
      status: 'missing',
      detail: p.why!,
      fix: 'apt install python3-torch',
      info: {},
    };
  return {
    id: 'pytorch',
    purpose,
    status: 'ok',
    detail: `torch ${p.version} (${p.python})`,
    info: { python: p.python, version: p.version! },
  };
}

async function scipyCheck(): Promise<Check> {
  const { scipyPython } = await import('./python-peers.js');
  const p = scipyPython();
  const purpose = 'the reference of the criteria benchmark';
  if (!p.python) {
    return {
      id: 'scipy',
      purpose,
      status: 'missing',
      detail: p.why!,
      fix: 'pip install numpy scipy (or apt install python3-scipy)',
      info: {},
    };
  }
  return {
    id: 'scipy',
    purpose,
    status: 'ok',
    detail: `scipy ${p.version} (${p.python})`,
    info: { python: p.python, version: p.version! },
  };
}

/** CIFAR-10 binary records are 1 label byte + 3,072 pixel bytes. */
const RECORD_BYTES = 3073;

async function cifarCheck(dir: string): Promise<Check> {
  const purpose = 'training and deriving supernets, zero-shot proxies';
  const fix = `nas-surgery data download cifar10 --dir ${dir} (or point NAS_SURGERY_CIFAR10 / --data at a copy)`;
  const { CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE } = await import('../data/cifar10-binary.js');
  const files = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((f) => existsSync(path.join(dir, f)));
  if (files.length === 0)
    return {
      id: 'cifar10',
      purpose,
      status: 'missing',
      detail: `${dir} holds no CIFAR-10 binary batch`,
      fix,
      info: { dir },
    };
  try {
    const { cifar10Md5Report } = await import('../data/checksums.js');
    const count = (names: string[]) =>
      names.reduce((a, f) => a + Math.floor(statSync(path.join(dir, f)).size / RECORD_BYTES), 0);
    const train = count(files.filter((f) => f !== CIFAR10_TEST_FILE));
    const test = count(files.filter((f) => f === CIFAR10_TEST_FILE));
    const md5 = cifar10Md5Report(dir, files);
    const unknown = md5.filter((m) => m.matches === 'unknown').map((m) => m.file);
    const kinds = [...new Set(md5.map((m) => m.matches))].join(', ');
    return {
      id: 'cifar10',
      purpose,
      status: 'ok',
      detail:
        `${dir}: ${train} training and ${test} test records in ${files.length} files; checksums: ${kinds}` +
        (unknown.length > 0 ? ` (unknown: ${unknown.join(', ')})` : ''),
      info: { dir, trainRecords: train, testRecords: test, files: files.length, checksums: kinds },
    };
  } catch (e) {
    return { id: 'cifar10', purpose, status: 'error', detail: `${dir}: ${firstLine(e)}`, fix, info: { dir } };
  }
}

function onPath(cmd: string): string | undefined {
  const r = spawnSync('sh', ['-c', `command -v ${cmd}`], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.trim() : undefined;
}

function slurmCheck(): Check {
  const purpose = 'scale-out of long jobs as job arrays';
  const sbatch = onPath('sbatch');
  const conf = process.env.SLURM_CONF;
  if (!sbatch) {
    return {
      id: 'slurm',
      purpose,
      status: 'missing',
      detail: 'sbatch is not on PATH',
      fix: 'apt install slurm-wlm munge (then start munge, slurmctld and slurmd), or load your cluster’s slurm module',
      info: conf ? { slurmConf: conf } : {},
    };
  }
  const sinfo = spawnSync('sinfo', ['-h', '-o', '%P %a %D'], { encoding: 'utf8', timeout: 10_000 });
  const reachable = sinfo.status === 0;
  const info = { sbatch, ...(conf ? { slurmConf: conf } : {}), reachable };
  if (!reachable) {
    return {
      id: 'slurm',
      purpose,
      status: 'error',
      detail: `sbatch at ${sbatch}, but sinfo cannot reach a controller (${(sinfo.stderr || sinfo.error?.message || 'no answer').trim().split('\n')[0]})`,
      fix: 'start munge and slurmctld (systemctl start munge slurmctld slurmd), or set SLURM_CONF to your cluster’s slurm.conf',
      info,
    };
  }
  const partitions = sinfo.stdout.trim().split('\n').filter(Boolean);
  return {
    id: 'slurm',
    purpose,
    status: 'ok',
    detail: `sbatch at ${sbatch}; ${partitions.length} partition(s): ${partitions.join('; ')}${conf ? `; SLURM_CONF ${conf}` : ''}`,
    info: { ...info, partitions: partitions.length },
  };
}

/** Where the report's browser test looks for Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

function chromiumCheck(): Check {
  const purpose = 'the report’s browser test';
  const bin = existsSync(CHROMIUM_PATH) ? CHROMIUM_PATH : onPath('chromium');
  if (!bin)
    return {
      id: 'chromium',
      purpose,
      status: 'missing',
      detail: 'no chromium found',
      fix: 'apt install chromium',
      info: {},
    };
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8', timeout: 20_000 });
  if (r.status !== 0)
    return {
      id: 'chromium',
      purpose,
      status: 'error',
      detail: `${bin} --version failed`,
      fix: 'apt install --reinstall chromium',
      info: { path: bin },
    };
  return {
    id: 'chromium',
    purpose,
    status: 'ok',
    detail: r.stdout.trim(),
    info: { path: bin, version: r.stdout.trim() },
  };
}

/** Every check, in {@link CHECK_IDS} order. */
export async function runChecks(opts: { cifar10Dir: string }): Promise<Check[]> {
  const safe = async (id: string, f: () => Check | Promise<Check>): Promise<Check> => {
    try {
      return await f();
    } catch (e) {
      return { id, purpose: id, status: 'error', detail: `the check failed: ${firstLine(e)}`, info: {} };
    }
  };
  return [
    await safe('node', nodeCheck),
    await safe('torch', torchCheck),
    await safe('wasm', () => tfjsCheck('wasm')),
    await safe('cpu', () => tfjsCheck('cpu')),
    await safe('webgpu', webgpuCheck),
    await safe('pytorch', pytorchCheck),
    await safe('scipy', scipyCheck),
    await safe('cifar10', () => cifarCheck(opts.cifar10Dir)),
    await safe('slurm', slurmCheck),
    await safe('chromium', chromiumCheck),
  ];
}
