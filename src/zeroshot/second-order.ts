/**
 * grasp's memory budget on wasm. The twice-differentiable kernels and the Hessian-vector product are the engine's
 * (engine/second-order.ts); re-exported here for the proxies.
 */
export { crossEntropyTwice, hessianVectorProduct, SECOND_ORDER_KERNELS } from '../engine/second-order.js';

/**
 * The largest images × C × N for which grasp's Hessian-vector product fits the wasm backend's 4 GB heap. The
 * nested tape keeps every intermediate of the forward and backward passes; measured with all-conv cells: about
 * 4 MB of heap per image·channel·cell (64 × C8 × N1: 2.0 GB; 16 × C16 × N2: 1.9 GB; 16 × C8 × N5: 2.1 GB), so
 * 768 leaves a margin. C16 N5 with 64 images (5,120) needs ~20 GB.
 */
export const WASM_HVP_BUDGET = 768;

/** Why grasp cannot run on `backend` at this size, or null when it can. */
export function hvpMemoryProblem(
  backend: string,
  images: number,
  channels: number,
  cellsPerStage: number,
): string | null {
  const units = images * channels * cellsPerStage;
  if (backend !== 'wasm' || units <= WASM_HVP_BUDGET) return null;
  return (
    `grasp's exact Hessian-vector product at C${channels} N${cellsPerStage} with ${images} images needs about ` +
    `${((4 * units) / 1024).toFixed(0)} GB, beyond the wasm backend's 4 GB (images × C × N must be at most ` +
    `${WASM_HVP_BUDGET}): leave grasp out of --proxies, use fewer images or a smaller network, or --backend cpu (slow)`
  );
}
