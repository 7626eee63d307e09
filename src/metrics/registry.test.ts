import { test } from 'node:test';
import assert from 'node:assert/strict';
import { precisionAtTop } from './precision.js';
import {
  getCriterion,
  listCriteria,
  percentLabel,
  registerCriterion,
  unregisterCriterion,
} from './registry.js';
import { kendallTau } from './kendall.js';

const s = [5, 3, 4, 1, 2, 9, 8, 7, 6, 0];
const t = [4, 3, 5, 2, 1, 8, 9, 6, 7, 0];

test('pre-registered names', () => {
  assert.deepEqual(listCriteria('p@top*'), [
    'p@top0.1%',
    'p@top0.5%',
    'p@top1%',
    'p@top10%',
    'p@top100%',
    'p@top5%',
    'p@top50%',
  ]);
  assert.deepEqual(listCriteria('br@*'), ['br@0.1%', 'br@0.5%', 'br@1%', 'br@10%', 'br@20%', 'br@5%']);
  assert.deepEqual(listCriteria(/^(pearson|kendall|spearman)$/), ['kendall', 'pearson', 'spearman']);
  assert.equal(listCriteria().length, 3 + 4 * 7 + 2 * 6);
  assert.equal(getCriterion('p@top50%')(s, t), precisionAtTop(s, t, 0.5));
  assert.equal(getCriterion('kendall')(s, t), kendallTau(s, t));
  assert.ok(Number.isNaN(getCriterion('kt@top10%')(s, t)));
  assert.equal(percentLabel(0.001), '0.1');
  assert.equal(percentLabel(0.2), '20');
});

test('register, duplicate, overwrite, unregister, unknown', () => {
  registerCriterion('test:first', (a) => a[0]);
  assert.equal(getCriterion('test:first')(s, t), 5);
  assert.throws(() => registerCriterion('test:first', () => 0), /already registered: 'test:first'/);
  registerCriterion('test:first', () => 1, true);
  assert.equal(getCriterion('test:first')(s, t), 1);
  assert.ok(unregisterCriterion('test:first'));
  assert.throws(
    () => getCriterion('test:first'),
    /Argument 'name' passed to 'getCriterion' is not a registered criterion: 'test:first'/,
  );
});
