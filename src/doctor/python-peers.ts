/**
 * The Python peers that the benchmarks measure against: a python3 that imports torch (Debian's /usr/bin/python3 with
 * python3-torch; a pyenv python3 first on PATH does not see it; NAS_PYTORCH_PYTHON overrides) and one that imports
 * scipy (the criteria's reference).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export interface PythonPeer {
  python?: string;
  version?: string;
  why?: string;
}

/** `first`, then every python3 on PATH in order. */
function candidates(first: string[]): string[] {
  const onPath = (process.env.PATH ?? '')
    .split(path.delimiter)
    .filter(Boolean)
    .map((d) => path.join(d, 'python3'))
    .filter((p) => existsSync(p));
  return [...new Set([...first, ...onPath].filter((c) => c.trim() !== ''))];
}

function find(module: string, tried: string[]): PythonPeer {
  for (const python of tried) {
    const r = spawnSync(python, ['-c', `import ${module}; print(${module}.__version__)`], {
      encoding: 'utf8',
      timeout: 30_000,
    });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return { why: `no python3 imports ${module} (tried ${tried.join(', ') || 'none: no python3 on PATH'})` };
}

let torchFound: PythonPeer | undefined;

/** The python3 that has torch, and torch's version; or why there is none. */
export function torchPython(): PythonPeer {
  torchFound ??= find('torch', candidates([process.env.NAS_PYTORCH_PYTHON ?? '', '/usr/bin/python3']));
  return torchFound;
}

/** The python3 that has scipy (the first on PATH first), and scipy's version; or why there is none. */
export function scipyPython(): PythonPeer {
  return find('scipy', candidates([]));
}
