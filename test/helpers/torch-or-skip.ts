/**
 * The torch engine for a test, or a skip with the reason where the addon is not built. Under CI=true a missing addon
 * fails the test instead: CI builds it.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { loadEngine, torchAvailable } from '../../src/engine/registry.js';
import { loadTorchAddon, type TorchEngine } from '../../src/engine/torch-engine.js';

export async function torchOrSkip(t: TestContext, threads = 1): Promise<TorchEngine | undefined> {
  if (!torchAvailable()) {
    const why = loadTorchAddon().error!;
    if (process.env.CI === 'true') assert.fail(`CI=true but ${why}`);
    t.skip(`torch engine not built: ${why}`);
    return undefined;
  }
  return (await loadEngine('torch', { threads })) as unknown as TorchEngine;
}
