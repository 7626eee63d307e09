/**
 * What every engine-using command shares: the help of --backend, --device and --threads, and how a choice becomes
 * an engine (in this thread) or an engine name (for workers, which load their own).
 */
import { BACKEND_CHOICES, type BackendChoice, type Engine, type EngineName } from '../engine/engine.js';
import { choice } from './output.js';

export const BACKEND_HELP =
  'engine: auto (torch when its addon is built, else wasm) | torch | wasm | cpu | webgpu';
export const DEVICE_HELP =
  'torch device: cpu, or cuda[:N] with a CUDA build of libtorch (untested here: no GPU)';
export const THREADS_HELP = 'torch intra-op threads (default: $NAS_TORCH_THREADS or the number of cores)';
export const WORKER_THREADS_HELP = 'torch intra-op threads per worker (default: cores / workers)';

/** The engine of --backend/--device/--threads, loaded here. */
export async function engineOf(f: {
  backend: string;
  device?: string;
  threads?: number;
}): Promise<Engine<unknown>> {
  const { loadEngine } = await import('../engine/registry.js');
  choice('--backend', BACKEND_CHOICES, f.backend);
  return loadEngine(f.backend, { device: f.device, threads: f.threads });
}

/**
 * The engine name that workers will load for --backend (auto: torch when the addon loads, else wasm). Torch and
 * webgpu are loaded once here first, so that a missing addon or GPU is one clear error, not one per worker; with
 * `check: false` (no neural work to do, e.g. only random forests) nothing is loaded.
 */
export async function workerBackendOf(raw: string, options: { check?: boolean } = {}): Promise<EngineName> {
  choice('--backend', BACKEND_CHOICES, raw);
  const { loadEngine, tfjsBackends, torchAvailable } = await import('../engine/registry.js');
  const backend: EngineName = raw === 'auto' ? (torchAvailable() ? 'torch' : 'wasm') : (raw as EngineName);
  if (options.check === false) return backend; // the name alone: nothing will run on it
  if (backend === 'webgpu' || backend === 'torch') await loadEngine(backend);
  else await tfjsBackends(raw as BackendChoice); // TensorFlow.js is installed, or one line with its install
  return backend;
}
