import os from 'node:os';
import path from 'node:path';

/**
 * Default folder of the CIFAR-10 binary batches: `$NAS_SURGERY_CIFAR10` if set, else
 * `$XDG_CACHE_HOME/nas-surgery/cifar10` (`~/.cache/nas-surgery/cifar10`): outside the package, shared by every
 * checkout. `nas-surgery data download cifar10` fills it.
 */
export function defaultCifar10Dir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.NAS_SURGERY_CIFAR10) return env.NAS_SURGERY_CIFAR10;
  const cache = env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'nas-surgery', 'cifar10');
}
