import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadGroundTruth } from '../bench/ground-truth.js';
import { planEvalBatches } from '../data/batches.js';
import { initTensorflow } from '../engine/tf-backend.js';
import { InputError } from '../io/input-error.js';
import { saveCheckpoint } from './checkpoint.js';
import { buildCurve, checkpointName, type DeriveSettings } from './curve.js';
import { PAPER_SGD } from './sgd.js';
import { initSupernetWeights, type SupernetConfig } from './supernet-params.js';
import { freshTrainState } from './trainer.js';
import { tinyCifar } from '../../test/helpers/tiny-cifar.js';

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
