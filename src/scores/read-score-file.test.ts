import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseCsvScores, parseJsonScores } from './read-score-file.js';
import { resolveScores } from './resolve-scores.js';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { formatArch } from '../space/arch-string.js';

const gt = loadGroundTruth();
const A = (i: number) => formatArch(gt.archs[i]);

test('CSV with a BOM, CRLF line ends, quotes, blank lines, spaces and a pandas index column', () => {
  const text = `\uFEFF,"arch_str", score ,note\r\n0,"${A(3)}", 1.5e1 ,"a, b"\r\n\r\n1,${A(7)},-2,x\r\n`;
  const rows = parseCsvScores(text, 'f.csv');
  assert.deepEqual(
    rows.map((r) => [r.where, r.arch, r.score]),
    [
      ['f.csv:2', A(3), 15],
      ['f.csv:4', A(7), -2],
    ],
  );
  const resolved = resolveScores(rows, gt);
  assert.deepEqual(Array.from(resolved.index), [3, 7]);
});

test('index columns accept integer-valued floats and reject fractions', () => {
  const ok = resolveScores(parseCsvScores('index,score\n12.0,1\n13,2\n', 'f.csv'), gt);
  assert.deepEqual(Array.from(ok.index), [12, 13]);
  assert.throws(
    () => resolveScores(parseCsvScores('index,score\n12.5,1\n13,2\n', 'f.csv'), gt),
    /f\.csv:2: index '12\.5' is not a non-negative integer/,
  );
});

test('a CSV with a ragged row names its line', () => {
  assert.throws(() => parseCsvScores('index,score\n1,2\n3,4,5\n', 'r.csv'), /r\.csv:3: invalid CSV/);
});

test('JSON accepts index as number or string and a custom score key', () => {
  const rows = parseJsonScores('[{"index": 4, "acc": 1}, {"index": "5", "acc": "2.5"}]', 'j.json', {
    scoreColumn: 'acc',
  });
  assert.deepEqual(
    rows.map((r) => [r.index, r.score]),
    [
      ['4', 1],
      ['5', 2.5],
    ],
  );
  assert.throws(() => parseJsonScores('[{"index": 4}]', 'j.json'), /j\.json: \[0\]: no 'score' field/);
  assert.throws(() => parseJsonScores('[3]', 'j.json'), /j\.json: \[0\]: expected an object/);
});
