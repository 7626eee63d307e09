import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { formatArch } from '../space/arch-string.js';
import { archList } from './arch-lists.js';

const gt = loadGroundTruth();
const dir = mkdtempSync(path.join(tmpdir(), 'nass-archs-'));
const write = (name: string, text: string) => {
  const f = path.join(dir, name);
  writeFileSync(f, text);
  return f;
};

test('architecture lists: deiso, iso, deiso:K, and files with or without a score column', () => {
  assert.equal(archList(gt, 'deiso').length, 6466);
  assert.equal(archList(gt, 'iso').length, 15625);
  const k = archList(gt, 'deiso:50', 3);
  assert.equal(k.length, 50);
  assert.deepEqual(archList(gt, 'deiso:50', 3), k, 'seeded');
  // An index-only CSV (duplicates once, sorted), an arch-only JSON and a score file give the same list.
  const want = Int32Array.from([5, 17, 9000]);
  assert.deepEqual(archList(gt, write('idx.csv', 'index\n9000\n5\n17\n5\n')), want);
  const json = JSON.stringify([9000, 17, 5].map((i) => ({ arch: formatArch(gt.archs[i]) })));
  assert.deepEqual(archList(gt, write('archs.json', json)), want);
  assert.deepEqual(archList(gt, write('scores.csv', 'index,score\n17,0.5\n5,0.1\n9000,0.2\n')), want);
  assert.throws(() => archList(gt, write('bad.csv', 'name\nx\n')), /needs an 'arch' or 'index' column/);
});
