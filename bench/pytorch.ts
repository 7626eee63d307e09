/**
 * The PyTorch peer of the benchmarks: bench/pytorch-reference.py run by a python3 that imports torch (Debian's
 * /usr/bin/python3 with python3-torch; the pyenv python3 first on PATH does not see it). NAS_PYTORCH_PYTHON overrides.
 */
import { spawnSync } from 'node:child_process';
import { torchPython } from '../src/doctor/python-peers.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { reachability } from '../src/space/reachability.js';
import type { Arch } from '../src/space/arch.js';

export { torchPython };

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'pytorch-reference.py');

export interface PytorchJob {
  mode: 'train' | 'derive' | 'zeroshot';
  channels: number;
  cells: number;
  batch: number;
  threads: number;
  archs: readonly Arch[];
  warmup: number;
}

/** Milliseconds of each timed step (train) or architecture (derive) in PyTorch. */
export function runPytorch(job: PytorchJob): number[] {
  const { python, why } = torchPython();
  if (!python) throw new Error(why);
  // Dead edges (not on a path from input to output) compute nothing in nas-surgery: send them as 'none'.
  const archs = job.archs.map((a) => {
    const { live } = reachability(a);
    return Array.from(a, (op, e) => (live[e] ? op : 0));
  });
  const r = spawnSync(python, [SCRIPT], {
    input: JSON.stringify({ ...job, archs }),
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`PyTorch reference failed: ${r.stderr.trim().split('\n').pop()}`);
  return (JSON.parse(r.stdout) as { ms: number[] }).ms;
}
