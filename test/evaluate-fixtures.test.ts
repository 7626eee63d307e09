import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../src/benchmarks/ground-truth.js';
import { formatArch } from '../src/space/arch-string.js';
import { evaluateScoreFile } from '../src/surgery/evaluate.js';

const fixture = JSON.parse(
  readFileSync(new URL('./fixtures/criteria/nb201-noisy.json', import.meta.url), 'utf8'),
) as { score: number[]; expected: Record<string, number | Record<string, number>> };
const gt = loadGroundTruth();
const dir = mkdtempSync(path.join(tmpdir(), 'nass-fx-'));

const FIELDS: [string, string][] = [
  ['pearson', 'pearson'],
  ['kendall_tau_b', 'kendall'],
  ['spearman', 'spearman'],
  ['precision_top', 'precisionTop'],
  ['precision_bottom', 'precisionBottom'],
  ['best_rank', 'bestRank'],
  ['worst_rank', 'worstRank'],
];

function assertMatchesFixture(result: Record<string, unknown>): void {
  assert.equal(result.n, fixture.expected.n);
  for (const [theirs, ours] of FIELDS) {
    const want = fixture.expected[theirs];
    const got = result[ours] as number | Record<string, number>;
    if (typeof want === 'number') {
      assert.ok(Math.abs((got as number) - want) <= 1e-9, `${ours}: ${got} vs ${want}`);
    } else {
      assert.deepEqual(Object.keys(got).sort(), Object.keys(want).sort(), ours);
      for (const k of Object.keys(want)) {
        assert.ok(Math.abs((got as Record<string, number>)[k] - want[k]) <= 1e-9, `${ours}[${k}]`);
      }
    }
  }
}

test('evaluate on the nb201-noisy fixture as a CSV by index reproduces scipy to 1e-9', () => {
  const file = path.join(dir, 'noisy.csv');
  writeFileSync(file, 'index,score\n' + fixture.score.map((s, i) => `${i},${s}`).join('\n') + '\n');
  assertMatchesFixture(evaluateScoreFile(file, { bootstrap: false }) as unknown as Record<string, unknown>);
});

test('the same scores as JSON by arch string, rows shuffled, give the same values (ties by NB201 index)', () => {
  const order = fixture.score.map((_, i) => i).sort((a, b) => ((a * 7919) % 15625) - ((b * 7919) % 15625));
  const file = path.join(dir, 'noisy.json');
  writeFileSync(
    file,
    JSON.stringify(order.map((i) => ({ arch: formatArch(gt.archs[i]), value: fixture.score[i] }))),
  );
  const result = evaluateScoreFile(file, { bootstrap: false, scoreColumn: 'value' });
  assertMatchesFixture(result as unknown as Record<string, unknown>);
});
