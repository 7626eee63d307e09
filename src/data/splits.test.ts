import { test } from 'node:test';
import assert from 'node:assert/strict';
import { paperSplit, parseSplitChoice, proportionalSplit, rangeIndices, resolveSplit } from './splits.js';

test("the paper's split needs 50,000 images and says how many are loaded when short", () => {
  const s = paperSplit(50_000);
  assert.deepEqual(
    [s.train, s.heldOut],
    [
      { start: 0, end: 40_000 },
      { start: 40_000, end: 50_000 },
    ],
  );
  assert.equal(s.fallback, undefined);
  assert.throws(
    () => paperSplit(20_000),
    /needs 40,000 CIFAR-10 training images, but only 20,000 are loaded/,
  );
  assert.throws(() => resolveSplit(45_000, 'paper'), /needs 50,000 .* only 45,000/);
});

test('auto: the paper split with 50,000 images, else the 4 : 1 proportional split with a fallback message', () => {
  assert.equal(resolveSplit(50_000).kind, 'paper');
  const s = resolveSplit(20_000);
  assert.equal(s.kind, 'proportional');
  assert.deepEqual(
    [s.train, s.heldOut],
    [
      { start: 0, end: 16_000 },
      { start: 16_000, end: 20_000 },
    ],
  );
  assert.match(s.fallback ?? '', /only 20,000 .* train \[0, 16000\), held-out \[16000, 20000\)/);
  assert.match(
    s.description,
    /^proportional: train \[0, 16000\) \(16000 images\), held-out \[16000, 20000\)/,
  );
  // Asking for the proportional split explicitly is not a fallback.
  assert.equal(resolveSplit(20_000, 'proportional').fallback, undefined);
});

test('proportional and custom splits are validated', () => {
  assert.deepEqual(proportionalSplit(10, 0.7).heldOut, { start: 7, end: 10 });
  assert.throws(() => proportionalSplit(10, 1), /train fraction/);
  const c = resolveSplit(100, { train: { start: 0, end: 60 }, heldOut: { start: 80, end: 100 } });
  assert.equal(c.kind, 'custom');
  assert.throws(
    () => resolveSplit(100, { train: { start: 0, end: 60 }, heldOut: { start: 50, end: 100 } }),
    /overlap/,
  );
  assert.throws(
    () => resolveSplit(100, { train: { start: 0, end: 60 }, heldOut: { start: 60, end: 101 } }),
    /101/,
  );
  assert.deepEqual(Array.from(rangeIndices({ start: 3, end: 6 })), [3, 4, 5]);
});

test('split options parse', () => {
  assert.equal(parseSplitChoice('paper'), 'paper');
  assert.deepEqual(parseSplitChoice('proportional:0.75'), { trainFraction: 0.75 });
  assert.deepEqual(parseSplitChoice('0-16000,16000-20000'), {
    train: { start: 0, end: 16_000 },
    heldOut: { start: 16_000, end: 20_000 },
  });
  assert.throws(() => parseSplitChoice('half'), /--split must be auto, paper/);
});
