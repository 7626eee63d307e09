import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseShard, shardConfigHash, shardItems } from './shard.js';

test('parseShard i/n: explicit shards, and what is refused', () => {
  assert.deepEqual(parseShard('0/1', undefined, {}), { index: 0, count: 1 });
  assert.deepEqual(parseShard('3/4', undefined, {}), { index: 3, count: 4 });
  assert.deepEqual(parseShard('3/4', 4, {}), { index: 3, count: 4 });
  for (const bad of ['4/4', '1/0', '-1/3', '1/3/4', 'x', '', '1 /3'])
    assert.throws(() => parseShard(bad, undefined, {}), /--shard must be i\/n/, bad);
  assert.throws(() => parseShard('1/4', 3, {}), /--shards 3 contradicts --shard 1\/4/);
});

test('parseShard auto: SLURM arrays with COUNT, with MIN/MAX, with a step; Kubernetes with --shards', () => {
  assert.deepEqual(parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '2', SLURM_ARRAY_TASK_COUNT: '4' }), {
    index: 2,
    count: 4,
  });
  // --array=4-6 : task 5 is the second of three.
  const minMax = { SLURM_ARRAY_TASK_ID: '5', SLURM_ARRAY_TASK_MIN: '4', SLURM_ARRAY_TASK_MAX: '6' };
  assert.deepEqual(parseShard('auto', undefined, minMax), { index: 1, count: 3 });
  // --array=0-9:3 is tasks 0, 3, 6, 9.
  const step = {
    SLURM_ARRAY_TASK_ID: '6',
    SLURM_ARRAY_TASK_MIN: '0',
    SLURM_ARRAY_TASK_MAX: '9',
    SLURM_ARRAY_TASK_STEP: '3',
  };
  assert.deepEqual(parseShard('auto', undefined, step), { index: 2, count: 4 });
  assert.throws(
    () => parseShard('auto', undefined, { ...step, SLURM_ARRAY_TASK_ID: '5' }),
    /SLURM_ARRAY_TASK_ID 5 is not in the array 0-9:3/,
  );
  assert.throws(
    () => parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '2' }),
    /neither SLURM_ARRAY_TASK_COUNT nor _MAX/,
  );
  assert.throws(
    () => parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: '4', SLURM_ARRAY_TASK_COUNT: '4' }),
    /outside an array of 4/,
  );
  assert.throws(
    () => parseShard('auto', undefined, { SLURM_ARRAY_TASK_ID: 'x', SLURM_ARRAY_TASK_COUNT: '4' }),
    /SLURM_ARRAY_TASK_ID='x' is not a non-negative integer/,
  );
  assert.throws(
    () => parseShard('auto', 3, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '4' }),
    /--shards 3 contradicts the SLURM array of 4 tasks/,
  );
  // SLURM wins over a JOB_COMPLETION_INDEX that happens to be set too.
  assert.deepEqual(
    parseShard('auto', undefined, {
      SLURM_ARRAY_TASK_ID: '0',
      SLURM_ARRAY_TASK_COUNT: '2',
      JOB_COMPLETION_INDEX: '1',
    }),
    { index: 0, count: 2 },
  );
  assert.deepEqual(parseShard('auto', 5, { JOB_COMPLETION_INDEX: '4' }), { index: 4, count: 5 });
  assert.throws(() => parseShard('auto', undefined, { JOB_COMPLETION_INDEX: '1' }), /--shards n/);
  assert.throws(() => parseShard('auto', 4, { JOB_COMPLETION_INDEX: '4' }), /not below --shards 4/);
  assert.throws(() => parseShard('auto', undefined, {}), /not in a job array/);
});

test('shardItems: every item in exactly one shard, balanced, in order; independent of anything but the list', () => {
  const items = Array.from({ length: 103 }, (_, k) => `a${k}`);
  for (const n of [1, 2, 3, 7, 103, 200]) {
    const parts = Array.from({ length: n }, (_, i) => shardItems(items, { index: i, count: n }));
    assert.deepEqual(parts.flat().sort(), [...items].sort(), `n=${n}: a partition`);
    const sizes = parts.map((p) => p.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `n=${n}: balanced ${sizes.join(',')}`);
    for (const p of parts)
      assert.deepEqual(
        p,
        [...p].sort((a, b) => items.indexOf(a) - items.indexOf(b)),
      );
  }
  assert.deepEqual(shardItems(['a', 'b', 'c', 'd', 'e'], { index: 1, count: 2 }), ['b', 'd']);
});

test('shardConfigHash: the same for every shard of a job, different for another configuration or input', () => {
  const opts = { seed: 1, archs: 'deiso:9', out: 'x', shard: '0/3', workers: 2, quiet: true, force: false };
  const inputs = [{ file: 'data_batch_1.bin', sha256: 'ab'.repeat(32) }];
  const h = shardConfigHash('zeroshot score', opts, inputs);
  assert.match(h, /^[0-9a-f]{64}$/);
  assert.equal(
    shardConfigHash(
      'zeroshot score',
      { ...opts, out: 'y', shard: '2/3', workers: 1, quiet: false, json: true },
      inputs,
    ),
    h,
    'how a shard runs does not enter the hash',
  );
  // Key order does not matter; undefined options are as absent.
  assert.equal(shardConfigHash('zeroshot score', { archs: 'deiso:9', seed: 1, extra: undefined }, inputs), h);
  assert.notEqual(shardConfigHash('zeroshot score', { ...opts, seed: 2 }, inputs), h);
  assert.notEqual(shardConfigHash('oneshot curve', opts, inputs), h);
  assert.notEqual(
    shardConfigHash('zeroshot score', opts, [{ file: 'data_batch_1.bin', sha256: 'cd'.repeat(32) }]),
    h,
  );
});
