import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, torchAvailable } from '../engine/registry.js';
import { loadTorchAddon, type TorchEngine } from '../engine/torch-engine.js';
import type { Engine } from '../engine/engine.js';
import { initSupernetWeights, type SupernetConfig } from '../oneshot/supernet-params.js';
import { Rng } from '../predictors/rng.js';
import { parseArch } from '../space/index.js';
import { ZEROSHOT_PROXIES } from './proxies.js';
import { scoreArchitecture } from './score-arch.js';

const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0.1 };
const ARCHS = [
  '|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|none~1|nor_conv_3x3~2|',
  '|avg_pool_3x3~0|+|nor_conv_3x3~0|skip_connect~1|+|nor_conv_1x1~0|avg_pool_3x3~1|none~2|',
  // The output is unreachable: cells output zeros, the weights before them get no gradient (none on torch, zeros
  // on tfjs), and the images none either.
  '|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|none~0|none~1|none~2|',
].map(parseArch);

test('every zero-shot proxy, grasp included, agrees between torch and cpu', async (t) => {
  if (!torchAvailable()) {
    const why = loadTorchAddon().error!;
    if (process.env.CI === 'true') assert.fail(`CI=true but ${why}`);
    t.skip(`torch engine not built: ${why}`);
    return;
  }
  const torch = (await loadEngine('torch', { threads: 2 })) as unknown as TorchEngine;
  const cpu = await loadEngine('cpu');
  const rng = new Rng(8);
  const b = 8;
  const images = Float32Array.from({ length: b * 16 * 16 * 3 }, () => 2 * rng.float() - 1);
  const labels = Int32Array.from({ length: b }, (_, i) => (i * 3) % 10);
  const score = (e: Engine<unknown>) => {
    const input = {
      params: initSupernetWeights(CONFIG, 5, e),
      config: CONFIG,
      x: e.images(images, [b, 16, 16, 3]),
      labels,
    };
    return ARCHS.map((arch) => scoreArchitecture(input, arch, ZEROSHOT_PROXIES, e));
  };
  const live0 = torch.addon.liveTensors();
  const onTorch = score(torch as Engine<unknown>);
  const params = initSupernetWeights(CONFIG, 5, torch).size + 1; // the weights and the images stay
  assert.ok(torch.addon.liveTensors() - live0 <= 2 * params, 'the proxies leave no tensors behind');
  const onCpu = score(cpu);
  ARCHS.forEach((_, k) => {
    for (const p of ZEROSHOT_PROXIES) {
      const a = onTorch[k][p]!;
      const c = onCpu[k][p]!;
      if (!Number.isFinite(c)) {
        assert.ok(Object.is(a, c) || (Number.isNaN(a) && Number.isNaN(c)), `arch ${k} ${p}: ${a} vs ${c}`);
        continue;
      }
      assert.ok(Math.abs(a - c) <= 1e-4 * Math.max(1, Math.abs(c)), `arch ${k} ${p}: torch ${a}, cpu ${c}`);
    }
  });
});
