import { NUM_EDGES, type Arch } from './arch.js';
import { CONV1X1, CONV3X3 } from './ops.js';

/** Macro settings of the NB201 network (method §4); defaults are the benchmark's CIFAR-10 network. */
export interface NetworkConfig {
  /** Channels of the first stage (C); stages use C, 2C, 4C. Default 16. */
  channels: number;
  /** Cells per stage (N); L = 3N + 2 layers. Default 5. */
  cellsPerStage: number;
  /** Output classes. Default 10 (CIFAR-10). */
  classes: number;
  /** Input height = width. Default 32. */
  inputSize: number;
  /** Input image channels. Default 3. */
  inputChannels: number;
  /** Whether the BN after each cell conv has affine parameters (true in the benchmark, false in the supernet). */
  cellBnAffine: boolean;
}

export const CIFAR10_NETWORK: NetworkConfig = {
  channels: 16,
  cellsPerStage: 5,
  classes: 10,
  inputSize: 32,
  inputChannels: 3,
  cellBnAffine: true,
};

/** One layer with a cost: a convolution, an affine BatchNorm or the classifier. */
export interface CostLayer {
  name: string;
  kind: 'conv' | 'bn' | 'linear';
  cin: number;
  cout: number;
  kernel: number;
  /** Output spatial size (square). */
  outSize: number;
  bias: boolean;
}

function convOut(size: number, kernel: number, stride: number, pad: number): number {
  return Math.floor((size + 2 * pad - kernel) / stride) + 1;
}

/**
 * The costed layers of the NB201 network for an architecture: stem conv + BN; 3 stages of N cells (every one of the
 * 6 edges, dead ones included, as NB201 counts them) separated by ResNet reduction blocks; head BN + classifier.
 */
export function networkLayers(arch: Arch, config: Partial<NetworkConfig> = {}): CostLayer[] {
  const cfg = { ...CIFAR10_NETWORK, ...config };
  for (const key of ['channels', 'cellsPerStage', 'classes', 'inputSize', 'inputChannels'] as const) {
    const v = cfg[key];
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`networkLayers: '${key}' must be a positive integer, got ${v}`);
  }
  const layers: CostLayer[] = [];
  const conv = (name: string, cin: number, cout: number, kernel: number, outSize: number) =>
    layers.push({ name, kind: 'conv', cin, cout, kernel, outSize, bias: false });
  const bn = (name: string, c: number, outSize: number) =>
    layers.push({ name, kind: 'bn', cin: c, cout: c, kernel: 1, outSize, bias: true });

  let size = cfg.inputSize;
  let c = cfg.channels;
  conv('stem.conv', cfg.inputChannels, c, 3, size);
  bn('stem.bn', c, size);
  for (let stage = 0; stage < 3; stage++) {
    if (stage > 0) {
      const cout = c * 2;
      const half = convOut(size, 3, 2, 1);
      const pooled = convOut(size, 2, 2, 0);
      conv(`reduce${stage}.conv_a`, c, cout, 3, half);
      bn(`reduce${stage}.bn_a`, cout, half);
      conv(`reduce${stage}.conv_b`, cout, cout, 3, half);
      bn(`reduce${stage}.bn_b`, cout, half);
      conv(`reduce${stage}.shortcut`, c, cout, 1, pooled);
      c = cout;
      size = half;
    }
    for (let cell = 0; cell < cfg.cellsPerStage; cell++) {
      for (let e = 0; e < NUM_EDGES; e++) {
        const op = arch[e];
        if (op !== CONV1X1 && op !== CONV3X3) continue;
        const k = op === CONV3X3 ? 3 : 1;
        const name = `stage${stage}.cell${cell}.edge${e}`;
        conv(`${name}.conv`, c, c, k, size);
        if (cfg.cellBnAffine) bn(`${name}.bn`, c, size);
      }
    }
  }
  bn('head.bn', c, size);
  layers.push({
    name: 'classifier',
    kind: 'linear',
    cin: c,
    cout: cfg.classes,
    kernel: 1,
    outSize: 1,
    bias: true,
  });
  return layers;
}

export interface NetworkCost {
  /** Multiply-accumulates of convs and the classifier (+ its bias), as NB201 counts FLOPs. */
  flops: number;
  /** Trainable parameters. */
  params: number;
}

/** FLOPs and parameters of an architecture's network, computed from {@link networkLayers}. */
export function networkCost(arch: Arch, config: Partial<NetworkConfig> = {}): NetworkCost {
  let flops = 0;
  let params = 0;
  for (const l of networkLayers(arch, config)) {
    if (l.kind === 'conv') {
      const w = l.cin * l.cout * l.kernel * l.kernel;
      params += w;
      flops += w * l.outSize * l.outSize;
    } else if (l.kind === 'bn') {
      params += 2 * l.cout;
    } else {
      params += l.cin * l.cout + l.cout;
      flops += l.cin * l.cout + l.cout;
    }
  }
  return { flops, params };
}
