import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { Rng } from '../predictors/rng.js';
import { archCode } from '../space/arch.js';
import { isValid } from '../space/reachability.js';
import { createSampler, fairnasCandidates, samplingPools } from './samplers.js';

const gt = loadGroundTruth();

test('pools: 13,642 valid architectures; valid class representatives', () => {
  const { valid, validRepresentatives } = samplingPools(gt);
  assert.equal(valid.length, 13642);
  assert.ok(validRepresentatives.length < 6466 && validRepresentatives.length > 5000);
  assert.ok(validRepresentatives.every(isValid));
});

test('deiso samples classes uniformly, uniform samples architectures uniformly', () => {
  const iso = gt.iso();
  const classOfCode = new Map(gt.archs.map((a, i) => [archCode(a), iso.classOf[i]]));
  const bigClass = iso.size.indexOf(275);
  const draws = 200_000;
  const count = (name: string) => {
    const s = createSampler(name, gt);
    const rng = new Rng(11);
    let big = 0;
    for (let k = 0; k < draws; k++) if (classOfCode.get(archCode(s.sample(rng)[0])) === bigClass) big++;
    return big / draws;
  };
  const { validRepresentatives } = samplingPools(gt);
  // deiso: one class among the valid representatives → 1/|reps| (≈ 0.00017); uniform: 275/13,642 ≈ 0.0202.
  const deiso = count('deiso');
  const uniform = count('uniform');
  assert.ok(Math.abs(deiso - 1 / validRepresentatives.length) < 0.0002, `deiso ${deiso}`);
  assert.ok(Math.abs(uniform - 275 / 13642) < 0.002, `uniform ${uniform}`);
});

test('fairnas: every op exactly once per edge among the 5 candidates; only valid ones are kept', () => {
  const rng = new Rng(3);
  for (let step = 0; step < 200; step++) {
    const c = fairnasCandidates(rng);
    assert.equal(c.length, 5);
    for (let e = 0; e < 6; e++) assert.deepEqual(c.map((a) => a[e]).sort(), [0, 1, 2, 3, 4]);
  }
  const s = createSampler('fairnas', gt);
  const r2 = new Rng(4);
  for (let step = 0; step < 100; step++) {
    const archs = s.sample(r2);
    assert.ok(archs.length <= 5 && archs.every(isValid));
  }
});

test('mc-S gives S architectures; unknown names are errors', () => {
  assert.equal(createSampler('mc-4', gt).sample(new Rng(1)).length, 4);
  assert.throws(() => createSampler('mc-0', gt), /unknown sampler 'mc-0'/);
  assert.throws(() => createSampler('random', gt), /available: uniform, deiso, fairnas, mc-S/);
});

test('a subset sampler draws only the subset (valid ones; deiso: the representatives of its classes)', () => {
  const iso = gt.iso();
  const big = iso.size.indexOf(275);
  const members: number[] = [];
  for (let i = 0; i < gt.n && members.length < 4; i++) if (iso.classOf[i] === big) members.push(i);
  // Four isomorphic cells, one invalid architecture and 20 others.
  const invalid = gt.archs.findIndex((a) => !isValid(a));
  const others = Array.from({ length: 20 }, (_, k) => 1000 + 37 * k);
  const subset = Int32Array.from([...members, invalid, ...others]);
  const codes = (name: string) => {
    const s = createSampler(name, gt, subset);
    const rng = new Rng(2);
    const seen = new Map<number, number>();
    for (let k = 0; k < 20_000; k++) {
      for (const a of s.sample(rng)) seen.set(archCode(a), (seen.get(archCode(a)) ?? 0) + 1);
    }
    return seen;
  };
  const code = (i: number) => archCode(gt.archs[i]);
  const allowed = new Set([...members, ...others].filter((i) => isValid(gt.archs[i])).map(code));
  const uniform = codes('uniform');
  assert.deepEqual(
    new Set(uniform.keys()),
    allowed,
    'uniform: every valid member of the subset, nothing else',
  );
  assert.ok(!uniform.has(code(invalid)));
  const deiso = codes('deiso');
  const rep = iso.representative[big];
  // The 4 isomorphic cells count once, through their class representative (which need not be in the subset).
  for (const m of members) if (m !== rep) assert.ok(!deiso.has(code(m)), `member ${m}`);
  assert.ok(deiso.has(code(rep)));
  assert.equal(codes('mc-3').size, allowed.size);
  assert.throws(() => createSampler('fairnas', gt, subset), /cannot be restricted/);
  assert.throws(() => createSampler('uniform', gt, Int32Array.from([invalid])), /no valid architecture/);
});
