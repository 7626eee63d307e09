/**
 * TensorFlow.js backend selection for every tfjs user in nas-surgery (predictors, later the supernet).
 *
 * `wasm` (XNNPACK, SIMD, single-threaded in Node) is ~30× faster than the pure-JS `cpu` backend for the
 * matrix products the predictors need. Initialisation is idempotent: asking again for the backend that is
 * already active (or that was asked for and fell back) returns at once.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';

export const TF_BACKENDS = ['wasm', 'cpu'] as const;
export type TfBackendName = (typeof TF_BACKENDS)[number];

let requested: TfBackendName | undefined;
let active: Promise<string> | undefined;

async function activate(backend: TfBackendName): Promise<string> {
  // Silences tfjs's "install tfjs-node" banner on the cpu backend (and skips a few debug-only checks).
  tf.enableProdMode();
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
