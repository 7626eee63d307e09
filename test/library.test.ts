import { test } from 'node:test';
import assert from 'node:assert/strict';
// The package's public entry, as a user imports it (resolved through package.json "exports" to dist/).
import {
  evaluate,
  kendallTau,
  parseArch,
  formatArch,
  loadGroundTruth,
  networkCost,
  isoKey,
} from 'nas-surgery';

test('the package is importable as a library with its main functions', () => {
  assert.equal(kendallTau([1, 2, 3, 4], [1, 2, 3, 4]), 1);
  const arch = parseArch(
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  );
  assert.equal(networkCost(arch).params, 802426);
  assert.equal(typeof isoKey(arch), 'string');
  const gt = loadGroundTruth();
  const c10 = gt.truth('cifar10');
  const entries = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => ({ arch: formatArch(gt.archs[i]), score: c10[i] }));
  const r = evaluate(entries, { bootstrap: false });
  assert.equal(r.n, 8);
  assert.ok(Math.abs(r.kendall - 1) < 1e-12);
  assert.equal(r.coverage.total, 15625);
});

test('the built executable runs through a symlink, as npm links bins', async () => {
  const { execFileSync } = await import('node:child_process');
  const { mkdtempSync, symlinkSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { fileURLToPath } = await import('node:url');
  const bin = fileURLToPath(new URL('../dist/cli/bin.js', import.meta.url));
  const link = path.join(mkdtempSync(path.join(tmpdir(), 'nass-bin-')), 'nas-surgery');
  symlinkSync(bin, link);
  const out = execFileSync(link, ['space', 'stats', '--json']).toString();
  assert.equal(JSON.parse(out).classes, 6466);
});
