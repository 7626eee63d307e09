import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { planEvalBatches } from '../data/batches.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { InputError } from '../io/input-error.js';
import { saveCheckpoint } from './checkpoint.js';
import { isoSpread } from '../metrics/iso-spread.js';
import { evaluateArchScores } from '../surgery/evaluate.js';
import { isoMembers } from './arch-lists.js';
import { buildCurve, checkpointName, type DeriveSettings } from './curve.js';
import { PAPER_SGD } from './sgd.js';
import { initSupernetWeights, type SupernetConfig } from './supernet-params.js';
import { freshTrainState } from './trainer.js';
import { tinyCifar } from '../../test/helpers/tiny-cifar.js';
// Library calls here that are given no engine run on tfjs: loading its engine makes it the default.
import '../engine/tfjs-engine.js';

const CONFIG: SupernetConfig = { channels: 4, cellsPerStage: 1, classes: 10, dropout: 0.1 };

const tinyData = () => tinyCifar(9);

test('curve reuses a scores file only when its settings file matches; otherwise it refuses, or derives with force', async () => {
  await initTensorflow('cpu');
  const gt = loadGroundTruth();
  const data = tinyData();
  const runDir = mkdtempSync(path.join(tmpdir(), 'nass-curve-'));
  const ckpt = path.join(runDir, 'checkpoints', checkpointName(1));
  const save = (seed: number) => {
    const state = freshTrainState(initSupernetWeights(CONFIG, seed), PAPER_SGD);
    saveCheckpoint(ckpt, CONFIG, state, { seed });
    state.params.forEach((v) => v.dispose());
  };
  save(1);
  const indices = Int32Array.from(gt.iso().representative.slice(0, 6));
  const make = (images: number, batchSize: number) => {
    const plan = planEvalBatches(data, { start: 16, end: 16 + images }, batchSize);
    const batches = Array.from({ length: plan.numBatches }, (_, b) => plan.batch(b));
    const settings: DeriveSettings = { heldOutImages: images, batchSize, split: 'custom', data: '24 images' };
    return { batches, settings };
  };
  const outDir = path.join(runDir, 'curve');
  const files = {
    csv: path.join(outDir, 'scores', 'epoch-0001.csv'),
    sidecar: path.join(outDir, 'scores', 'epoch-0001.json'),
  };
  const reused: boolean[] = [];
  const curve = (images: number, batchSize: number, extra: { force?: boolean; indices?: Int32Array } = {}) =>
    buildCurve({
      runDir,
      outDir,
      gt,
      indices: extra.indices ?? indices,
      ...make(images, batchSize),
      label: 't',
      mode: 'deiso',
      force: extra.force,
      onCheckpoint: (_e, _d, _t, r) => reused.push(r),
    });

  const refuses = (fn: () => unknown, re: RegExp) =>
    assert.throws(
      fn,
      (e: unknown) => e instanceof InputError && re.test(e.message) && !e.message.includes('\n'),
    );
  curve(8, 4);
  const csv8 = readFileSync(files.csv, 'utf8');
  // Fewer held-out images than the scores were derived with: refused, naming the file and the setting.
  refuses(
    () => curve(4, 4),
    /epoch-0001\.json: its scores were derived with held-out images 8, not 4 .*--force/,
  );
  assert.deepEqual(reused.splice(0), [false]);
  const sidecar = JSON.parse(readFileSync(files.sidecar, 'utf8'));
  assert.equal(sidecar.heldOutImages, 8);
  assert.equal(sidecar.batchSize, 4);
  assert.equal(sidecar.checkpoint, 'epoch-0001.ckpt');
  assert.match(sidecar.checkpointSha256, /^[0-9a-f]{64}$/);

  // Same settings: reused (resume).
  curve(8, 4);
  assert.deepEqual(reused.splice(0), [true]);

  // Another batch size or architecture list: refused too.
  refuses(() => curve(8, 8), /epoch-0001\.json: .*batch size 4, not 8/);
  refuses(() => curve(8, 4, { indices: indices.slice(0, 5) }), /epoch-0001\.json: .*architectures 6, not 5/);
  assert.equal(readFileSync(files.csv, 'utf8'), csv8, 'a refusal changes nothing');

  // The checkpoint's contents changed (same name): refused.
  save(2);
  refuses(
    () => curve(8, 4),
    /epoch-0001\.json: .*checkpoint epoch-0001\.ckpt of sha256 .*the checkpoint has changed/,
  );

  // --force derives again with the new weights and settings, and the new files are then reused.
  curve(4, 4, { force: true });
  assert.deepEqual(reused.splice(0), [false]);
  assert.equal(JSON.parse(readFileSync(files.sidecar, 'utf8')).heldOutImages, 4);
  assert.notEqual(readFileSync(files.csv, 'utf8'), csv8);
  curve(4, 4);
  assert.deepEqual(reused.splice(0), [true]);

  // A scores file edited by hand, or one without a settings file (an older curve): refused.
  writeFileSync(files.csv, csv8);
  refuses(() => curve(4, 4), /epoch-0001\.csv was changed after it was derived/);
  rmSync(files.sidecar);
  refuses(() => curve(4, 4), /epoch-0001\.csv has no settings file epoch-0001\.json/);

  // A fake checkpoint beside an old scores file: refused, not reused; no held-out batches: refused.
  writeFileSync(files.sidecar, JSON.stringify({ format: 1 }));
  writeFileSync(ckpt, 'not a checkpoint');
  refuses(() => curve(4, 4), /epoch-0001\.json: not a valid scores settings file/);
  refuses(
    () =>
      buildCurve({
        runDir,
        outDir,
        gt,
        indices,
        batches: [],
        settings: { heldOutImages: 0, batchSize: 4, split: 'custom', data: '24 images' },
        label: 't',
        mode: 'deiso',
      }),
    /no held-out batches/,
  );
  assert.ok(existsSync(files.csv));
});

test('a curve keeps the points of checkpoints removed since they were derived, and checks their settings', async () => {
  await initTensorflow('cpu');
  const gt = loadGroundTruth();
  const data = tinyData();
  const runDir = mkdtempSync(path.join(tmpdir(), 'nass-curve-gone-'));
  const save = (epoch: number, seed: number) => {
    const state = freshTrainState(initSupernetWeights(CONFIG, seed), PAPER_SGD);
    saveCheckpoint(path.join(runDir, 'checkpoints', checkpointName(epoch)), CONFIG, state, { seed });
    state.params.forEach((v) => v.dispose());
  };
  save(1, 1);
  save(2, 2);
  const indices = Int32Array.from(gt.iso().representative.slice(0, 6));
  const make = (images: number) => {
    const plan = planEvalBatches(data, { start: 16, end: 16 + images }, 4);
    const batches = Array.from({ length: plan.numBatches }, (_, b) => plan.batch(b));
    const settings: DeriveSettings = {
      heldOutImages: images,
      batchSize: 4,
      split: 'custom',
      data: '24 images',
    };
    return { batches, settings };
  };
  const outDir = path.join(runDir, 'curve');
  const reused: [number, boolean][] = [];
  const curve = (images: number, force = false) =>
    buildCurve({
      runDir,
      outDir,
      gt,
      indices,
      ...make(images),
      label: 't',
      mode: 'deiso',
      force,
      onCheckpoint: (e, _d, _t, r) => reused.push([e, r]),
    });
  const first = curve(8);
  assert.deepEqual(reused.splice(0), [
    [1, false],
    [2, false],
  ]);
  // A long run keeps only its latest checkpoint: epoch 1's is removed, epoch 3's is new.
  rmSync(path.join(runDir, 'checkpoints', checkpointName(1)));
  save(3, 3);
  const second = curve(8);
  assert.deepEqual(reused.splice(0), [
    [1, true],
    [2, true],
    [3, false],
  ]);
  assert.deepEqual(second.slice(0, 2), first, 'the removed checkpoint keeps its point');
  assert.ok(
    second.every((p) => Number.isFinite(p.meanAccuracy) && p.meanAccuracy >= 0 && p.meanAccuracy <= 1),
  );
  // Other settings than its scores were derived with: refused (it cannot be derived again, even with force).
  assert.throws(
    () => curve(4, true),
    (e: unknown) => e instanceof InputError && /epoch-0001\.json: .*held-out images 8, not 4/.test(e.message),
  );
  // Its settings file lost: refused, naming it.
  rmSync(path.join(outDir, 'scores', 'epoch-0001.json'));
  assert.throws(
    () => curve(8),
    (e: unknown) => e instanceof InputError && /epoch-0001\.csv: its checkpoint is gone/.test(e.message),
  );
});

test('isoMembers draws whole small classes and capped large ones; a curve records their within-class spread', async () => {
  await initTensorflow('cpu');
  const gt = loadGroundTruth();
  const { classOf, size } = gt.iso();
  const members = isoMembers(gt, 5, 3, 7);
  const byClass = new Map<number, number>();
  for (const a of members) byClass.set(classOf[a], (byClass.get(classOf[a]) ?? 0) + 1);
  assert.equal(byClass.size, 5);
  for (const [c, k] of byClass) assert.equal(k, Math.min(size[c], 3), `class ${c} of ${size[c]}`);
  assert.deepEqual(isoMembers(gt, 5, 3, 7), members, 'seeded');
  assert.ok(
    [...members].every((a, i) => i === 0 || members[i - 1] < a),
    'sorted, distinct',
  );
  assert.equal(isoMembers(gt, 'all', 2).length, 2 * 1350, 'every class with ≥ 2 members, 2 each');

  const data = tinyData();
  const runDir = mkdtempSync(path.join(tmpdir(), 'nass-curve-iso-'));
  const state = freshTrainState(initSupernetWeights(CONFIG, 1), PAPER_SGD);
  saveCheckpoint(path.join(runDir, 'checkpoints', checkpointName(1)), CONFIG, state, { seed: 1 });
  state.params.forEach((v) => v.dispose());
  const plan = planEvalBatches(data, { start: 16, end: 24 }, 4);
  const iso = isoMembers(gt, 2, 2, 1);
  const indices = Int32Array.from(gt.iso().representative.slice(0, 4));
  const [point] = buildCurve({
    runDir,
    outDir: path.join(runDir, 'curve'),
    gt,
    indices,
    isoIndices: iso,
    batches: [plan.batch(0), plan.batch(1)],
    settings: { heldOutImages: 8, batchSize: 4, split: 'custom', data: '24 images' },
    label: 't',
    mode: 'deiso',
  });
  assert.equal(point.criteria.n, 4, 'criteria over the architectures, not the class members');
  assert.equal(point.iso!.members, 4);
  assert.equal(point.iso!.spread.classes, 2);
  const truth = gt.truth('cifar10');
  assert.deepEqual(
    point.iso!.truth,
    isoSpread(
      Float64Array.from(iso, (a) => truth[a]),
      Int32Array.from(iso, (a) => classOf[a]),
    ),
  );
  const lines = readFileSync(path.join(runDir, 'curve', 'scores', 'epoch-0001.csv'), 'utf8')
    .trim()
    .split('\n');
  assert.equal(lines.length - 1, new Set([...indices, ...iso]).size, 'each architecture derived once');
  // score: neg_loss judges the other column of the same scores file (reused, not derived again).
  const negLoss = new Map(lines.slice(1).map((l) => [Number(l.split(',')[0]), Number(l.split(',')[2])]));
  const [byLoss] = buildCurve({
    runDir,
    outDir: path.join(runDir, 'curve'),
    gt,
    indices,
    isoIndices: iso,
    batches: [plan.batch(0), plan.batch(1)],
    settings: { heldOutImages: 8, batchSize: 4, split: 'custom', data: '24 images' },
    label: 't',
    mode: 'deiso',
    score: 'neg_loss',
  });
  const want = evaluateArchScores(
    { index: indices, score: Float64Array.from(indices, (a) => negLoss.get(a)!), merged: 0 },
    { mode: 'deiso', bootstrap: false },
  );
  assert.equal(byLoss.criteria.kendall, want.kendall);
  assert.equal(byLoss.meanAccuracy, point.meanAccuracy, 'the mean accuracy stays the accuracy');
});
