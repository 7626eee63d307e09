/**
 * TensorFlow.js backend selection for every tfjs user in nas-surgery (predictors, supernet).
 *
 * `wasm` (XNNPACK, SIMD, single-threaded in Node) is ~30× faster than the pure-JS `cpu` backend for the
 * matrix products the predictors need. `webgpu` (optional) runs on a GPU through Dawn's Node bindings (the
 * `webgpu` npm package) and tfjs-backend-webgpu, both an opt-in install ({@link WEBGPU_INSTALL}); it never falls
 * back: asking for it without its packages or without a GPU is an error (exit 2) that names the fix. Initialisation is idempotent: asking again for the backend that is already active
 * (or that was asked for and fell back) returns at once.
 */
import * as tf from './tfjs.js';
import '@tensorflow/tfjs-backend-wasm';
import { createRequire } from 'node:module';
import { BackendUnavailableError } from './engine-errors.js';
import { WEBGPU_INSTALL } from './install-lines.js';

export const TF_BACKENDS = ['wasm', 'cpu', 'webgpu'] as const;
export type TfBackendName = (typeof TF_BACKENDS)[number];

let requested: TfBackendName | undefined;
let active: Promise<string> | undefined;

export { BackendUnavailableError };

const NO_ADAPTER =
  'no WebGPU adapter found: the webgpu backend needs a GPU with a Vulkan (Linux), Metal or D3D12 driver';

/** Dawn's Node bindings (the optional `webgpu` package), or why they cannot be loaded. */
async function loadDawn(): Promise<typeof import('webgpu') | string> {
  try {
    return await import('webgpu');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND')
      return `the 'webgpu' package did not load: ${(e as Error).message.split('\n')[0]}`;
    return `the webgpu backend is not installed (the 'webgpu' package is missing): run ${WEBGPU_INSTALL}`;
  }
}

/**
 * Whether the webgpu backend could start here, without starting it: its packages, then a GPU adapter (`adapter`:
 * its description). For `nas-surgery doctor`.
 */
export async function probeWebgpu(): Promise<{ packages: boolean; adapter?: string; why?: string }> {
  const dawn = await loadDawn();
  if (typeof dawn === 'string') return { packages: false, why: dawn };
  try {
    // Resolved, not imported: importing it registers the backend, which wants navigator.gpu first.
    createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-webgpu');
  } catch {
    return {
      packages: false,
      why: `the webgpu backend is not installed (@tensorflow/tfjs-backend-webgpu is missing): run ${WEBGPU_INSTALL}`,
    };
  }
  try {
    const adapter = await dawn.create([]).requestAdapter({ powerPreference: 'high-performance' });
    if (!adapter) return { packages: true, why: NO_ADAPTER };
    const info = (
      adapter as unknown as { info?: { vendor?: string; architecture?: string; description?: string } }
    ).info;
    return {
      packages: true,
      adapter:
        [info?.vendor, info?.architecture, info?.description].filter(Boolean).join(' ') || 'a WebGPU adapter',
    };
  } catch (e) {
    return {
      packages: true,
      why: `requesting a WebGPU adapter failed: ${(e as Error).message.split('\n')[0]}`,
    };
  }
}

/**
 * Expose a Dawn GPU as `navigator.gpu` (what tfjs-backend-webgpu looks for when it is imported) and register the
 * webgpu backend. Fails with a clear message when the optional packages are missing or no adapter is found.
 */
async function activateWebgpu(): Promise<string> {
  const dawn = await loadDawn();
  if (typeof dawn === 'string') throw new BackendUnavailableError(dawn);
  Object.assign(globalThis, dawn.globals);
  const gpu = dawn.create([]);
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new BackendUnavailableError(NO_ADAPTER);
  const existing = (globalThis as { navigator?: object }).navigator;
  Object.defineProperty(globalThis, 'navigator', {
    value: { ...(existing ?? {}), gpu },
    configurable: true,
    writable: true,
  });
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu')))
    throw new BackendUnavailableError('tfjs could not start the webgpu backend');
  await tf.ready();
  return tf.getBackend();
}

async function activate(backend: TfBackendName): Promise<string> {
  // Silences tfjs's "install tfjs-node" banner on the cpu backend (and skips a few debug-only checks).
  tf.enableProdMode();
  if (backend === 'webgpu') return activateWebgpu();
  if (backend === 'wasm') {
    let reason = 'setBackend returned false';
    try {
      if (await tf.setBackend('wasm')) {
        await tf.ready();
        return tf.getBackend();
      }
    } catch (e) {
      reason = e instanceof Error ? e.message : String(e);
    }
    process.stderr.write(`nas-surgery: the tfjs wasm backend failed (${reason}); falling back to cpu\n`);
  }
  if (!(await tf.setBackend('cpu'))) throw new Error('nas-surgery: cannot initialise the tfjs cpu backend');
  await tf.ready();
  return tf.getBackend();
}

/**
 * Set and ready a tfjs backend once; returns the name of the backend actually active (`cpu` when `wasm`
 * was asked for but failed, with a warning on stderr).
 */
export function initTensorflow(backend: TfBackendName = 'wasm'): Promise<string> {
  if (!(TF_BACKENDS as readonly string[]).includes(backend)) {
    return Promise.reject(
      new Error(`unknown tfjs backend '${backend}' (available: ${TF_BACKENDS.join(', ')})`),
    );
  }
  if (active && requested === backend) return active;
  requested = backend;
  const attempt = activate(backend);
  // A failed attempt is not cached, so a later call can retry.
  active = attempt.catch((e: unknown) => {
    active = undefined;
    requested = undefined;
    throw e;
  });
  return active;
}

/** The backend set by {@link initTensorflow}, initialising the default (`wasm`) if nothing was chosen. */
export function ensureTensorflow(): Promise<string> {
  return active ?? initTensorflow();
}
