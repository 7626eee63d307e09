import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GroundTruth, loadGroundTruth, DEFAULT_BUNDLE_PATH } from './ground-truth.js';
import { HP12_COLUMNS, HP200_COLUMNS, V1_0_COLUMNS, readNb201Csv } from './nb201-csv.js';
import { decodeBundle, encodeBundle } from './truth-bundle-format.js';
import { TRUTH_NAMES } from './truth-names.js';
import { formatArch } from '../space/arch-string.js';
import { archCode } from '../space/arch.js';
import { gunzipSync, gzipSync } from 'node:zlib';

const SHARED_NB201 = fileURLToPath(new URL('../../../shared/data/nb201/', import.meta.url));

test('the bundled truth equals the NB201 CSV exports exactly (where ../shared is present)', (t) => {
  if (!existsSync(SHARED_NB201)) {
    if (process.env.CI === 'true') assert.fail(`CI=true but ${SHARED_NB201} is missing`);
    t.skip('../shared is not beside this clone: the bundled truth is not compared with its source CSVs');
    return;
  }
  const gt = loadGroundTruth();
  const hp200 = readNb201Csv(path.join(SHARED_NB201, 'nb201-hp200.csv'), HP200_COLUMNS);
  const hp12 = readNb201Csv(path.join(SHARED_NB201, 'nb201-hp12.csv'), HP12_COLUMNS);
  const v10 = readNb201Csv(path.join(SHARED_NB201, 'nb201-v1_0-cifar10-paper.csv'), V1_0_COLUMNS);
  assert.equal(gt.n, 15625);
  for (let i = 0; i < gt.n; i++) assert.deepEqual(gt.archs[i], hp200.archs[i]);
  for (let i = 0; i < gt.n; i++) assert.deepEqual(v10.archs[i], hp200.archs[i]);
  assert.deepEqual(
    new Set([...hp200.columns.keys(), ...v10.columns.keys(), ...hp12.columns.keys()]),
    new Set(TRUTH_NAMES),
  );
  for (const [name, col] of [...hp200.columns, ...hp12.columns, ...v10.columns]) {
    const ours = gt.truth(name);
    for (let i = 0; i < gt.n; i++)
      if (ours[i] !== col[i]) assert.fail(`${name}[${i}]: ${ours[i]} != ${col[i]}`);
  }
});

test('reference values from the benchmark README', () => {
  const gt = loadGroundTruth();
  const c10 = gt.truth('cifar10');
  let best = 0;
  for (let i = 1; i < gt.n; i++) if (c10[i] > c10[best]) best = i;
  assert.equal(best, 6111);
  assert.ok(Math.abs(c10[best] - 94.373) < 1e-3);
  assert.ok(Math.abs(Math.max(...gt.truth('cifar100')) - 73.51) < 0.01);
  assert.ok(Math.abs(Math.max(...gt.truth('imagenet16')) - 47.31) < 0.01);
  assert.equal(c10.filter((v) => v === 10).length, 341);
});

test('lookup by index and by string; an isomorphic string finds its class', () => {
  const gt = loadGroundTruth();
  const one = gt.lookup(1);
  assert.equal(
    one.str,
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  );
  assert.equal(gt.lookup(one.str).index, 1);
  assert.equal(gt.lookup('1').index, 1);
  assert.throws(() => gt.lookup(15625), /index 15625 is out of range \(0\.\.15624\)/);
  assert.throws(() => gt.lookup('|bogus~0|'), /unknown op 'bogus'/);
  // Find a class of size ≥ 2 and check that each member maps to the same class and representative.
  const iso = gt.iso();
  const c = iso.size.findIndex((s) => s >= 2);
  const members = [...iso.classOf.keys()].filter((i) => iso.classOf[i] === c);
  const rep = iso.representative[c];
  assert.equal(rep, Math.min(...members));
  for (const m of members) {
    const r = gt.lookup(formatArch(gt.archs[m]));
    assert.equal(r.classId, c);
    assert.equal(r.representative, rep);
    assert.equal(r.classSize, members.length);
  }
});

test('class-mean truth averages the members', () => {
  const gt = loadGroundTruth();
  const iso = gt.iso();
  const mean = gt.classMeanTruth('cifar10');
  assert.equal(mean.length, 6466);
  const c10 = gt.truth('cifar10');
  const big = iso.size.indexOf(275);
  let s = 0;
  for (let i = 0; i < gt.n; i++) if (iso.classOf[i] === big) s += c10[i];
  assert.ok(Math.abs(mean[big] - s / 275) < 1e-12);
  assert.throws(() => gt.truth('cifar11'), /unknown truth 'cifar11' \(available: cifar10, /);
});

test('costs per index at the default network', () => {
  const gt = loadGroundTruth();
  const { flops, params } = gt.costs();
  assert.equal(flops[1], 113951370);
  assert.equal(params[1], 802426);
  assert.equal(Math.min(...flops), 7783050);
  assert.equal(Math.max(...flops), 220119690);
});

test('bundle round trip and corruption is detected', () => {
  const codes = Uint16Array.from([3, 1, 2]);
  const cols = new Map([['a', Float64Array.from([1.5, 2.5, 3.25])]]);
  const buf = encodeBundle(codes, cols, { source: 's', license: 'l' });
  const back = decodeBundle(buf, 'x.bin.gz');
  assert.deepEqual(Array.from(back.codes), [3, 1, 2]);
  assert.deepEqual(Array.from(back.columns.get('a')!), [1.5, 2.5, 3.25]);
  assert.throws(() => decodeBundle(Buffer.from('not gzip'), 'x.bin.gz'), /x\.bin\.gz: not a valid gzip/);
  const dir = mkdtempSync(path.join(tmpdir(), 'nass-'));
  // Flip one payload byte (after gunzip) and re-gzip: the checksum must catch it.
  const raw = gunzipSync(readFileSync(DEFAULT_BUNDLE_PATH));
  raw[raw.length - 3] ^= 0xff;
  const bad = path.join(dir, 'bad.bin.gz');
  writeFileSync(bad, gzipSync(raw));
  assert.throws(() => GroundTruth.load(bad), /bad\.bin\.gz: checksum mismatch/);
  assert.throws(() => GroundTruth.load(path.join(dir, 'missing.bin.gz')), /missing\.bin\.gz: cannot read/);
});

test('validation rejects a table whose unreachable cells are not at 10%', () => {
  const gt = loadGroundTruth();
  const codes = Uint16Array.from(gt.archs.map(archCode));
  const truths = new Map(TRUTH_NAMES.map((n) => [n, Float64Array.from(gt.truth(n))]));
  const c10 = truths.get('cifar10')!;
  const unreachable = c10.findIndex((v) => v === 10);
  c10[unreachable] = 55;
  assert.throws(
    () => new GroundTruth(codes, truths, 's', 't.bin'),
    new RegExp(`index ${unreachable} cannot reach`),
  );
  codes[1] = codes[0];
  assert.throws(
    () => new GroundTruth(codes, truths, 's', 't.bin'),
    /indices 0 and 1 hold the same architecture/,
  );
});
