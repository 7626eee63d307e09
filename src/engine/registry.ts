/**
 * Engines by name: `--backend torch|wasm|cpu|webgpu|auto`. `auto` is torch when its addon loads, else wasm, without a
 * word; asking for torch without the addon is a usage error that says how to get it.
 */
import { BACKEND_CHOICES, type BackendChoice, type Engine } from './engine.js';
import { BackendUnavailableError } from './engine-errors.js';
import type { TfBackendName } from './tf-backend.js';
import { TFJS_INSTALL } from './install-lines.js';
import { tfBackendModule, tfjsEngineModule } from './tfjs-loader.js';
import { loadTorchAddon, TORCH_BUILD_HOW, torchEngine, type TorchEngineOptions } from './torch-engine.js';

export type EngineOptions = TorchEngineOptions;

/** True when the torch addon is built and loads. */
export function torchAvailable(): boolean {
  return loadTorchAddon().addon !== undefined;
}

/** The engine `choice` names, ready to use (tfjs backends are initialised). */
export async function loadEngine(choice: string, options: EngineOptions = {}): Promise<Engine<unknown>> {
  if (!(BACKEND_CHOICES as readonly string[]).includes(choice)) {
    throw new BackendUnavailableError(
      `unknown --backend '${choice}' (choose one of ${BACKEND_CHOICES.join(', ')})`,
    );
  }
  const c = choice as BackendChoice;
  if (c === 'torch' || (c === 'auto' && torchAvailable())) {
    const { error } = loadTorchAddon();
    if (error) throw new BackendUnavailableError(`--backend torch: ${error}`);
    try {
      return torchEngine(options) as Engine<unknown>;
    } catch (e) {
      throw new BackendUnavailableError(`--backend torch: ${(e as Error).message}`);
    }
  }
  if (options.device && options.device !== 'cpu')
    throw new BackendUnavailableError(`--device ${options.device} needs --backend torch`);
  const tfb = await tfjsBackends(c);
  const { tfjsEngine } = await tfjsEngineModule();
  await tfb.initTensorflow(c === 'auto' ? 'wasm' : (c as TfBackendName));
  return tfjsEngine() as Engine<unknown>;
}

/**
 * The tfjs backend module for --backend `choice` (wasm, cpu, webgpu, or auto without torch), or one line saying that
 * TensorFlow.js is not installed and how to add it (for auto, also why torch is not there).
 */
export async function tfjsBackends(
  choice: BackendChoice,
): Promise<Awaited<ReturnType<typeof tfBackendModule>>> {
  try {
    return await tfBackendModule();
  } catch (e) {
    if (choice === 'auto' && e instanceof BackendUnavailableError)
      throw new BackendUnavailableError(
        `no neural engine here: the torch engine is not built and TensorFlow.js is not installed; add one: ` +
          `${TORCH_BUILD_HOW}, or ${TFJS_INSTALL}`,
      );
    throw e;
  }
}
