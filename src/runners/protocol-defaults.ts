/** The paper's predictor protocol (method §5): sizes 0.25–5% of the space, 3 training sets × 3 seeds, 200 epochs. */
export const PROTOCOL_DEFAULTS = {
  sizes: [39, 78, 390, 781],
  sets: 3,
  seeds: [20, 2020, 202020],
  epochs: 200,
  batchSize: 512,
  learningRate: 1e-3,
  setSeed: 0,
} as const;
