export * from './ops.js';
export * from './arch.js';
export * from './arch-string.js';
export * from './encodings.js';
export * from './reachability.js';
export * from './isomorphism.js';
export * from './network-cost.js';
