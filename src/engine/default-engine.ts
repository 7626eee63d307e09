/**
 * The engine that library functions use when they are given none. The tfjs engine registers itself here when its
 * module loads (loadEngine('wasm' | 'cpu' | 'webgpu') or an import of engine/tfjs-engine.js), so code that never
 * touches tfjs never imports it, and an install without the TensorFlow.js packages still loads every module.
 */
import type { Engine } from './engine.js';
import { BackendUnavailableError } from './engine-errors.js';
import type { SupernetKernels } from './tfjs-kernels.js';

type TfjsFactory = (kernels?: SupernetKernels) => Engine<unknown>;

let tfjsFactory: TfjsFactory | undefined;

/** Called by engine/tfjs-engine.ts as it loads. */
export function provideTfjsEngine(factory: TfjsFactory): void {
  tfjsFactory = factory;
}

/** The tfjs engine with `kernels`, when tfjs is loaded; otherwise an error that says to pass an engine. */
export function defaultEngine<T>(kernels?: SupernetKernels): Engine<T> {
  if (!tfjsFactory)
    throw new BackendUnavailableError(
      'no engine was given and none is loaded: pass one from loadEngine(...) (or import engine/tfjs-engine.js)',
    );
  return tfjsFactory(kernels) as Engine<T>;
}
