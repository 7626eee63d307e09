/**
 * TensorFlow.js as nas-surgery uses it; every tfjs user imports tf from here, so the package behind it is chosen in
 * one place. It is the `@tensorflow/tfjs` umbrella (core, gradients, chained ops, the cpu backend; also layers,
 * converter, data and WebGL, which nas-surgery never uses): `@tensorflow/tfjs-core` alone ships its kernel gradients
 * only as ES modules with extensionless imports, which Node cannot load without a bundler. For an installed package it
 * is an optional peer (engine/install-lines.ts): only modules loaded through engine/tfjs-loader.ts import this one.
 * The wasm backend is registered by tf-backend.ts; webgpu is an opt-in install.
 */
export * from '@tensorflow/tfjs';
