/**
 * The tfjs engine layer: backend selection and training ops that are fast and exact on the wasm backend.
 */
export { initTensorflow, ensureTensorflow, TF_BACKENDS, type TfBackendName } from './tf-backend.js';
export {
  conv2d,
  conv2dInputGrad,
  conv2dFilterGrad,
  convGeometry,
  explicitPad,
  registerConv2dGradient,
  unregisterConv2dGradient,
  conv2dGradientBackends,
  type Conv2dPad,
  type Conv2dStrides,
  type Conv2dOptions,
  type ConvGeometry,
} from './conv.js';
export { batchNormTrain, BN_EPS, type BatchNormResult } from './batchnorm.js';
export { customOp, type GradFunc } from './custom-op.js';
export { avgPool3x3, avgPool3x3Composed, avgPool2x2 } from './avg-pool.js';
