import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { loadCheckpoint, saveCheckpoint } from '../oneshot/checkpoint.js';
import { createSampler } from '../oneshot/samplers.js';
import { PAPER_SGD, sgdStep } from '../oneshot/sgd.js';
import { initSupernetWeights, type SupernetConfig } from '../oneshot/supernet-params.js';
import { supernetGradients } from '../oneshot/train-step.js';
import { freshTrainState, trainSupernet, type TrainOptions } from '../oneshot/trainer.js';
import { Rng } from '../predictors/rng.js';
import type { Arch } from '../space/arch.js';
import { AVG_POOL, CONV1X1, CONV3X3, NONE, SKIP } from '../space/ops.js';
import type { Engine } from './engine.js';
import { loadEngine, torchAvailable } from './registry.js';
import { loadTorchAddon, type TorchEngine, type TorchTensor } from './torch-engine.js';
import { tinyCifar } from '../../test/helpers/tiny-cifar.js';

/** In CI the torch engine must be there: its tests fail instead of skipping. */
function torchOrSkip(t: TestContext): boolean {
  if (torchAvailable()) return true;
  const why = loadTorchAddon().error!;
  if (process.env.CI === 'true') assert.fail(`CI=true but ${why}`);
  t.skip(`torch engine not built: ${why}`);
  return false;
}

const engines = async () => ({
  torch: (await loadEngine('torch', { threads: 2 })) as unknown as TorchEngine,
  cpu: await loadEngine('cpu'),
});

function randomImages(n: number, side: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: n * side * side * 3 }, () => 2 * rng.float() - 1);
}

/** max |a − b| relative to max |b| (every entry, one scale per tensor). */
function relDiff(a: Float32Array, b: Float32Array): number {
  assert.equal(a.length, b.length);
  let d = 0;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    m = Math.max(m, Math.abs(b[i]));
  }
  return m === 0 ? d : d / m;
}

// conv 3×3, conv 1×1, avg pool, skip and none in one cell (edges 0→1, 0→2, 1→2, 0→3, 1→3, 2→3).
const MIXED: Arch = [CONV3X3, CONV1X1, AVG_POOL, SKIP, NONE, CONV3X3] as unknown as Arch;
const POOLS: Arch = [AVG_POOL, CONV3X3, SKIP, CONV1X1, AVG_POOL, NONE] as unknown as Arch;
const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0 };

test('one supernet step on torch and on cpu: same loss and every gradient to 1e-4 relative', async (t) => {
  if (!torchOrSkip(t)) return;
  const { torch, cpu } = await engines();
  const labels = Int32Array.from({ length: 6 }, (_, i) => (i * 7) % 10);
  const images = randomImages(6, 16, 3);
  const results = [torch, cpu].map((e) => {
    const params = initSupernetWeights(CONFIG, 11, e as Engine<unknown>);
    const x = e.images(images, [6, 16, 16, 3]);
    // Two architectures (the mc-2 average) and micro-batches of 4 + 2.
    const { loss, grads } = supernetGradients(params, CONFIG, [MIXED, POOLS], x, labels, {
      engine: e as Engine<unknown>,
      dropoutSeed: 1,
      microBatch: 4,
    });
    const values = new Map([...grads].map(([n, g]) => [n, e.readCanonical(g)]));
    return { loss, values };
  });
  const [tr, cr] = results;
  assert.ok(Math.abs(tr.loss - cr.loss) <= 1e-4 * Math.abs(cr.loss), `loss ${tr.loss} vs ${cr.loss}`);
  assert.deepEqual([...tr.values.keys()].sort(), [...cr.values.keys()].sort());
  // The step reaches every kind of weight: stem, reductions (stride 2), cell convs, BN affine, classifier.
  for (const n of ['stem.conv', 'r1.conv_a', 'r2.shortcut', 's0.c0.e0.op3', 's1.c0.e1.op2', 'head.bn.gamma'])
    assert.ok(tr.values.has(n), n);
  for (const [name, g] of cr.values) {
    const d = relDiff(tr.values.get(name)!, g);
    assert.ok(d <= 1e-4, `${name}: relative difference ${d}`);
  }
});

test('an SGD step (momentum, weight decay, clipping) matches between torch and cpu', async (t) => {
  if (!torchOrSkip(t)) return;
  const { torch, cpu } = await engines();
  const labels = Int32Array.from({ length: 4 }, (_, i) => i);
  const images = randomImages(4, 8, 4);
  const after = [torch, cpu].map((e0) => {
    const e = e0 as Engine<unknown>;
    const params = initSupernetWeights(CONFIG, 2, e);
    const momentum = new Map<string, unknown>();
    const sgd = { ...PAPER_SGD, clipNorm: 0.5 };
    for (const arch of [MIXED, POOLS, MIXED]) {
      const x = e.images(images, [4, 8, 8, 3]);
      const { grads } = supernetGradients(params, CONFIG, [arch], x, labels, { engine: e, dropoutSeed: 0 });
      sgdStep(params, grads, momentum, sgd, 0.1, e);
      e.dispose([x, ...grads.values()]);
    }
    return new Map([...params].map(([n, w]) => [n, e.readCanonical(w)]));
  });
  for (const [name, w] of after[1]) {
    const d = relDiff(after[0].get(name)!, w);
    assert.ok(d <= 1e-4, `${name}: relative difference ${d}`);
  }
});

const tinyData = () => tinyCifar(5);

function trainOptions<T>(engine: Engine<T>, epochs: number): TrainOptions<T> {
  return {
    engine,
    config: { ...CONFIG, dropout: 0.1 },
    sgd: PAPER_SGD,
    sampler: createSampler('mc-2', loadGroundTruth()),
    data: tinyData(),
    trainRange: { start: 0, end: 8 },
    batchSize: 4,
    microBatch: 0,
    seed: 7,
    epochs,
  };
}

test('torch: a resumed run is bit-identical, and its checkpoints load on the other engine', async (t) => {
  if (!torchOrSkip(t)) return;
  const { torch, cpu } = await engines();
  const config = { ...CONFIG, dropout: 0.1 };
  const dir = mkdtempSync(path.join(tmpdir(), 'nass-torch-'));
  const straight = await trainSupernet(
    freshTrainState(initSupernetWeights(config, 1, torch), PAPER_SGD),
    trainOptions(torch, 2),
  );
  const first = await trainSupernet(
    freshTrainState(initSupernetWeights(config, 1, torch), PAPER_SGD),
    trainOptions(torch, 1),
  );
  const file = path.join(dir, 'epoch1.ckpt');
  saveCheckpoint(file, config, first, { seed: 7 }, torch);
  const resumed = await trainSupernet(loadCheckpoint(file, config, torch).state, trainOptions(torch, 2));
  for (const [name, w] of straight.params)
    assert.deepEqual(torch.readCanonical(resumed.params.get(name)!), torch.readCanonical(w), name);
  assert.deepEqual([...resumed.momentum.keys()].sort(), [...straight.momentum.keys()].sort());

  // torch → cpu → torch: the same values in the canonical layout, shapes included.
  const onCpu = loadCheckpoint(file, config, cpu);
  for (const [name, w] of first.params) {
    assert.deepEqual(cpu.readCanonical(onCpu.state.params.get(name)!), torch.readCanonical(w), name);
    assert.deepEqual(cpu.canonicalShape(onCpu.state.params.get(name)!), torch.canonicalShape(w), name);
  }
  const back = path.join(dir, 'from-cpu.ckpt');
  saveCheckpoint(back, config, onCpu.state, { seed: 7 }, cpu);
  const again = loadCheckpoint(back, config, torch);
  for (const [name, w] of first.momentum)
    assert.deepEqual(torch.readCanonical(again.state.momentum.get(name)!), torch.readCanonical(w), name);
});

test('torch: 1,000 small training steps keep RSS flat (within 10%)', async (t) => {
  if (!torchOrSkip(t)) return;
  const { torch } = await engines();
  const config: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0.1 };
  const params = initSupernetWeights(config, 3, torch);
  const momentum = new Map<string, TorchTensor>();
  const images = randomImages(8, 8, 9);
  const labels = Int32Array.from({ length: 8 }, (_, i) => i);
  const step = (i: number) => {
    const x = torch.images(images, [8, 8, 8, 3]);
    const arch = i % 2 ? MIXED : POOLS;
    const { grads } = supernetGradients(params, config, [arch], x, labels, { engine: torch, dropoutSeed: i });
    sgdStep(params, grads, momentum, PAPER_SGD, 0.01, torch);
    torch.dispose([x, ...grads.values()]);
  };
  const live0 = torch.addon.liveTensors();
  for (let i = 0; i < 100; i++) step(i);
  const warm = process.memoryUsage().rss;
  const liveWarm = torch.addon.liveTensors();
  for (let i = 100; i < 1000; i++) step(i);
  const rss = process.memoryUsage().rss;
  assert.equal(torch.addon.liveTensors(), liveWarm, 'tensors leaked');
  assert.ok(liveWarm - live0 <= params.size, `${liveWarm - live0} tensors beyond the momentum buffers`);
  assert.ok(
    rss <= warm * 1.1,
    `RSS grew from ${(warm / 2 ** 20).toFixed(0)} to ${(rss / 2 ** 20).toFixed(0)} MiB`,
  );
});

test('without the addon: --backend torch is a clear usage error, auto falls back to wasm silently', () => {
  const script = `
    import { loadEngine } from './src/engine/registry.ts';
    const e = await loadEngine('auto');
    console.log('auto:' + e.name);
    try { await loadEngine('torch'); } catch (err) { console.log('torch:' + err.exitCode + ':' + err.message); }
  `;
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    env: { ...process.env, NAS_TORCH_ADDON: '/nonexistent/nas_torch.node' },
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stderr.trim(), '', 'auto must fall back without a word');
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines[0], 'auto:wasm');
  assert.match(
    lines[1],
    /^torch:2:--backend torch: the torch engine is not built \(.*missing\): install libtorch/,
  );
  assert.match(lines[1], /apt install libtorch-dev/);
});
