/**
 * The optional engine packages and the exact commands that add them, for the errors of `--backend` and for
 * `nas-surgery doctor`. The package itself installs no neural engine: the torch addon builds against a libtorch found
 * on the machine, and the TensorFlow.js engines (wasm, cpu: about 310 MB with the umbrella package tfjs needs on
 * Node) and webgpu (Dawn's Node bindings for every platform, about 130 MB more) are opt-in installs.
 */
export const TFJS_INSTALL = 'npm install @tensorflow/tfjs@4.22 @tensorflow/tfjs-backend-wasm@4.22';
export const WEBGPU_INSTALL = 'npm install webgpu@0.6 @tensorflow/tfjs-backend-webgpu@4.22';
