import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CHECK_IDS } from '../src/doctor/probes.js';
import { runCli } from './helpers/run-cli.js';

interface DoctorJson {
  tool: string;
  version: string;
  checks: { id: string; purpose: string; status: string; detail: string; fix?: string; info: object }[];
}

test('doctor --json: a stable shape, the truth about each part, a fix for each missing one, exit 0', async () => {
  // Two CIFAR-10 training files of 3 and 2 records (1 label byte + 3,072 pixels each), no test file.
  const data = mkdtempSync(path.join(tmpdir(), 'nass-doctor-'));
  writeFileSync(path.join(data, 'data_batch_1.bin'), new Uint8Array(3 * 3073));
  writeFileSync(path.join(data, 'data_batch_2.bin'), new Uint8Array(2 * 3073));
  // The torch addon made unreachable: doctor must say so and how to get it.
  const r = await runCli(['doctor', '--json', '--data', data], undefined, {
    NAS_TORCH_ADDON: path.join(data, 'no-such-addon.node'),
  });
  assert.equal(r.code, 0, r.stderr);
  const d = JSON.parse(r.stdout) as DoctorJson;
  assert.equal(d.tool, 'nas-surgery');
  assert.match(d.version, /^\d+\.\d+\.\d+/);
  assert.deepEqual(
    d.checks.map((c) => c.id),
    [...CHECK_IDS],
  );
  for (const c of d.checks) {
    assert.deepEqual(
      Object.keys(c)
        .filter((k) => k !== 'fix')
        .sort(),
      ['detail', 'id', 'info', 'purpose', 'status'],
    );
    assert.ok(['ok', 'missing', 'error'].includes(c.status), `${c.id}: ${c.status}`);
    assert.ok(c.detail.length > 0 && c.purpose.length > 0);
    if (c.status === 'ok') assert.equal(c.fix, undefined, c.id);
    else assert.ok(c.fix && c.fix.length > 10, `${c.id} is ${c.status} and names its fix`);
  }
  const byId = Object.fromEntries(d.checks.map((c) => [c.id, c]));
  assert.equal(byId.node.status, 'ok');
  assert.equal(byId.torch.status, 'missing');
  assert.match(byId.torch.detail, /no-such-addon\.node is missing/);
  // libtorch is here when Debian's libtorch-dev is (CI installs it): then the fix is the build alone.
  if (existsSync('/usr/include/torch/csrc/api/include/torch/version.h'))
    assert.equal(byId.torch.fix, 'npm run build:torch (libtorch found: Debian libtorch-dev)');
  else assert.match(byId.torch.fix!, /^apt install libtorch-dev .*then npm run build:torch$/);
  assert.equal(byId.wasm.status, 'ok');
  assert.equal(byId.cpu.status, 'ok');
  assert.equal(byId.cifar10.status, 'ok');
  assert.deepEqual(
    [
      (byId.cifar10.info as { trainRecords: number }).trainRecords,
      (byId.cifar10.info as { testRecords: number }).testRecords,
    ],
    [5, 0],
  );
  assert.match(byId.cifar10.detail, /checksums: unknown/);
  if (byId.webgpu.status !== 'ok') assert.match(byId.webgpu.fix!, /npm install webgpu|Vulkan/);
  // In CI the Chromium of the report's browser test is installed.
  if (process.env.CI === 'true') assert.equal(byId.chromium.status, 'ok');
});

test('doctor: text output, and a missing CIFAR-10 folder names the download command', async () => {
  // LIBTORCH pointing at nothing: no libtorch to build against, so the fix starts with installing it.
  const r = await runCli(['doctor', '--data', '/nonexistent/cifar'], undefined, {
    NAS_TORCH_ADDON: '/nonexistent/addon.node',
    LIBTORCH: '/nonexistent/libtorch',
  });
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /· torch .*is missing/);
  assert.match(r.stdout, /fix: apt install libtorch-dev/);
  assert.match(r.stdout, /fix: nas-surgery data download cifar10 --dir \/nonexistent\/cifar/);
  assert.match(r.stdout, /✓ node/);
});
