/**
 * The webgpu backend is an opt-in install (Dawn's Node bindings for every platform are about 130 MB): the exact
 * command that adds its two packages, for the error of `--backend webgpu` and for `nas-surgery doctor`.
 */
export const WEBGPU_INSTALL = 'npm install webgpu@0.6 @tensorflow/tfjs-backend-webgpu@4.22';
