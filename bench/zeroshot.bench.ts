/**
 * Zero-shot proxies (SPEC §6), one batch of 64 random images: milliseconds per architecture for the proxies and for
 * each pass alone, as ratios to one cross-entropy forward + backward of the same architecture measured in the same
 * run (the cost of the proxies is a few of those). At the paper's size (C16, N5) for every proxy but grasp, whose
 * second differentiation fits the wasm heap only on the C8 N1 proxy model.
 */
import * as tf from '../src/engine/tfjs.js';
import { initTensorflow, type TfBackendName } from '../src/engine/tf-backend.js';
import { initSupernetWeights, type SupernetConfig } from '../src/oneshot/supernet-params.js';
import { supernetGradients } from '../src/oneshot/train-step.js';
import { parseArch } from '../src/space/arch-string.js';
import { ZEROSHOT_PROXIES, type ZeroShotProxy } from '../src/zeroshot/proxies.js';
import { scoreArchitecture } from '../src/zeroshot/score-arch.js';
import { medianMs, type BenchRow } from './timing.js';
import { availableParallelism } from 'node:os';
import type { Engine } from '../src/engine/engine.js';
import { loadEngine, torchAvailable } from '../src/engine/registry.js';
import { Rng } from '../src/predictors/rng.js';
import { runPytorch, torchPython } from './pytorch.js';

// Three architectures from light to heavy (1, 3 and 5 convolutions per cell).
const ARCHS = [
  '|skip_connect~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|skip_connect~2|',
  '|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|avg_pool_3x3~0|skip_connect~1|nor_conv_3x3~2|',
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|nor_conv_3x3~0|skip_connect~1|nor_conv_3x3~2|',
].map(parseArch);

/**
 * All eight proxies of one architecture at C16 N5 with 64 images on the torch engine against PyTorch in the same run
 * (bench/pytorch-reference.py computes them as zero-cost-nas does, plus relu_logdet): the same three architectures,
 * random images, the same threads; the median over 3 rounds of the mean per architecture.
 */
async function benchZeroshotTorch(): Promise<BenchRow[]> {
  if (!torchAvailable()) return [];
  const threads = availableParallelism();
  const e = (await loadEngine('torch', { threads })) as Engine<unknown>;
  const config: SupernetConfig = { channels: 16, cellsPerStage: 5, classes: 10, dropout: 0.1 };
  const rng = new Rng(3);
  const images = Float32Array.from({ length: 64 * 3072 }, () => 2 * rng.float() - 1);
  const labels = Int32Array.from({ length: 64 }, (_, i) => i % 10);
  const input = {
    params: initSupernetWeights(config, 20, e),
    config,
    x: e.images(images, [64, 32, 32, 3]),
    labels,
  };
  const ours: number[] = [];
  const theirs: number[] = [];
  const py = torchPython();
  for (let round = 0; round < 3; round++) {
    scoreArchitecture(input, ARCHS[0], ZEROSHOT_PROXIES, e); // warm-up
    const t0 = performance.now();
    for (const a of ARCHS) scoreArchitecture(input, a, ZEROSHOT_PROXIES, e);
    ours.push((performance.now() - t0) / ARCHS.length);
    if (py.python) {
      const ms = runPytorch({
        mode: 'zeroshot',
        channels: 16,
        cells: 5,
        batch: 64,
        threads,
        archs: [ARCHS[0], ...ARCHS],
        warmup: 1,
      });
      theirs.push(ms.reduce((a, b) => a + b, 0) / ms.length);
    }
  }
  e.dispose([...input.params.values(), input.x]);
  const median = (v: number[]) => [...v].sort((a, b) => a - b)[v.length >> 1];
  const ms = median(ours);
  const ratio = py.python ? ms / median(theirs) : undefined;
  return [
    {
      group: 'zero-shot C16N5 (torch)',
      name: 'all eight proxies, per architecture',
      value: ms,
      unit: 'ms',
      ratio,
      note: py.python
        ? `PyTorch ${median(theirs).toFixed(0)} ms, ${ratio!.toFixed(2)}× PyTorch's time`
        : 'no PyTorch here',
    },
  ];
}

export async function benchZeroshot(backendName: TfBackendName = 'wasm'): Promise<BenchRow[]> {
  const torchRows = await benchZeroshotTorch();
  const backend = await initTensorflow(backendName);
  const withoutGrasp = ZEROSHOT_PROXIES.filter((p) => p !== 'grasp');
  // grasp's exact Hessian-vector product does not fit the wasm heap at C16 N5 with 64 images: it is priced on the
  // C8 N1 proxy model, against that model's own cross-entropy step.
  return [
    ...torchRows,
    ...(await benchConfig(backend, { channels: 16, cellsPerStage: 5, classes: 10, dropout: 0.1 }, [
      ['the seven proxies but grasp', withoutGrasp],
      ['grad_norm + snip + plain + fisher', ['grad_norm', 'snip', 'plain', 'fisher']],
      ['relu_logdet', ['relu_logdet']],
      ['jacob_cov', ['jacob_cov']],
      ['synflow', ['synflow']],
    ])),
    ...(await benchConfig(backend, { channels: 8, cellsPerStage: 1, classes: 10, dropout: 0.1 }, [
      ['all eight proxies', [...ZEROSHOT_PROXIES]],
      ['grasp', ['grasp']],
    ])),
  ];
}

async function benchConfig(
  backend: string,
  config: SupernetConfig,
  cases: readonly [string, ZeroShotProxy[]][],
): Promise<BenchRow[]> {
  const params = initSupernetWeights(config, 20);
  const x = tf.randomNormal([64, 32, 32, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
  const labels = Int32Array.from({ length: 64 }, (_, i) => i % 10);
  const input = { params, config, x, labels };
  const group = `zero-shot C${config.channels}N${config.cellsPerStage} (${backend})`;
  const perArch = (fn: (a: (typeof ARCHS)[number]) => void) =>
    medianMs(() => ARCHS.forEach(fn), 1, 2) / ARCHS.length;
  const baseline = perArch((a) =>
    supernetGradients(params, config, [a], x, labels, { dropoutSeed: 1 }).grads.forEach((g) => g.dispose()),
  );
  const rows: BenchRow[] = [
    {
      group,
      name: 'one CE forward + backward (baseline)',
      value: baseline,
      unit: 'ms',
      note: 'per architecture',
    },
  ];
  for (const [name, proxies] of cases) {
    const ms = perArch((a) => scoreArchitecture(input, a, proxies));
    rows.push({ group, name, value: ms, unit: 'ms', note: `${(ms / baseline).toFixed(2)}× the baseline` });
  }
  x.dispose();
  params.forEach((v) => v.dispose());
  return rows;
}
