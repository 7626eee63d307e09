/**
 * Engines by name: `--backend torch|wasm|cpu|webgpu|auto`. `auto` is torch when its addon loads, else wasm, without a
 * word; asking for torch without the addon is a usage error that says how to get it.
 */
import { BACKEND_CHOICES, type BackendChoice, type Engine } from './engine.js';
import { BackendUnavailableError, initTensorflow, type TfBackendName } from './tf-backend.js';
import { tfjsEngine } from './tfjs-engine.js';
import { loadTorchAddon, torchEngine, type TorchEngineOptions } from './torch-engine.js';

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
  await initTensorflow(c === 'auto' ? 'wasm' : (c as TfBackendName));
  return tfjsEngine() as Engine<unknown>;
}
