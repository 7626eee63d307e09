/**
 * A typed wrapper over `tf.customGrad`.
 *
 * Everything the gradient needs must go through `save`: tensors merely captured by the closure are disposed by
 * the forward pass's tidy before the backward pass runs. `save` may also be given tensors that are not inputs
 * of the op (they are cloned and kept until the backward pass). When no gradient is being recorded `save`
 * keeps nothing and the gradient function is never called.
 */
import * as tf from './tfjs.js';

export type GradFunc = (dy: tf.Tensor, saved: tf.Tensor[]) => tf.Tensor | tf.Tensor[];

/**
 * `f(inputs, save)` returns the op's value and a gradient function that returns one gradient per input (in
 * input order, each shaped like its input).
 */
export function customOp(
  f: (inputs: tf.Tensor[], save: tf.GradSaveFunc) => { value: tf.Tensor; gradFunc: GradFunc },
): (...inputs: tf.Tensor[]) => tf.Tensor {
  const op = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) =>
    f(args.slice(0, -1) as tf.Tensor[], args[args.length - 1] as tf.GradSaveFunc),
  );
  return (...inputs: tf.Tensor[]) => op(...inputs);
}
