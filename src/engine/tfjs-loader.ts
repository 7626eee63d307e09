/**
 * Loads the TensorFlow.js side of the project (backend selection, the tfjs engine) on demand. The tfjs packages are
 * optional for an installed package, so a missing one becomes one line with the command that adds it.
 */
import { BackendUnavailableError } from './engine-errors.js';
import { TFJS_INSTALL } from './install-lines.js';

/** Why the tfjs engines cannot load, when the reason is a missing @tensorflow package; else undefined. */
export function missingTfjsReason(e: unknown): string | undefined {
  const err = e as NodeJS.ErrnoException;
  if (err?.code !== 'ERR_MODULE_NOT_FOUND' && err?.code !== 'MODULE_NOT_FOUND') return undefined;
  const pkg = /'(@tensorflow\/[^/']+)/.exec(err.message ?? '')?.[1];
  if (!pkg) return undefined;
  return `the wasm and cpu engines are not installed (${pkg} is missing): run ${TFJS_INSTALL}`;
}

async function guarded<M>(load: () => Promise<M>): Promise<M> {
  try {
    return await load();
  } catch (e) {
    const why = missingTfjsReason(e);
    if (why) throw new BackendUnavailableError(why);
    throw e;
  }
}

/** engine/tf-backend.js (initTensorflow, probeWebgpu), or a BackendUnavailableError naming the install. */
export const tfBackendModule = () => guarded(() => import('./tf-backend.js'));

/** engine/tfjs-engine.js (which also makes tfjs the default engine), or a BackendUnavailableError. */
export const tfjsEngineModule = () => guarded(() => import('./tfjs-engine.js'));

/** Set and ready a tfjs backend (see tf-backend.ts initTensorflow), loading tfjs first. */
export async function initTensorflow(backend?: 'wasm' | 'cpu' | 'webgpu'): Promise<string> {
  const m = await tfBackendModule();
  await tfjsEngineModule();
  return m.initTensorflow(backend);
}
