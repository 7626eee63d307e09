import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  ArchParseError,
  NUM_ARCHS,
  archCode,
  archFromCode,
  enumerateArchs,
  formatArch,
  fromNaslibOpIndices,
  fromOneHot30,
  fromOpMatrix,
  isValid,
  isoClasses,
  isoKey,
  liveEdges,
  makeArch,
  networkCost,
  networkLayers,
  parseArch,
  reachesOutput,
  toNaslibOpIndices,
  toOneHot30,
  toOpMatrix,
  toSeq6,
} from './index.js';

const EXAMPLE =
  '|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_1x1~1|nor_conv_3x3~2|';

test('parse and format round-trip every architecture', () => {
  for (const arch of enumerateArchs()) assert.deepEqual(parseArch(formatArch(arch)), arch);
  assert.deepEqual(parseArch(EXAMPLE), [3, 3, 3, 1, 2, 3]);
  assert.equal(formatArch(makeArch([3, 3, 3, 1, 2, 3])), EXAMPLE);
});

test('malformed strings are rejected with what and where', () => {
  const cases: [string, RegExp][] = [
    ['', /empty/],
    [EXAMPLE.replace('nor_conv_3x3~0|+', 'nor_conv_5x5~0|+'), /unknown op 'nor_conv_5x5' on edge 0→1/],
    [EXAMPLE.replace('skip_connect~0', 'skip_connect~1'), /must come from node 0/],
    [EXAMPLE.slice(0, -1), /expected '\|'/],
    [EXAMPLE + 'x', /trailing text/],
    [EXAMPLE.replace('|+|', '|'), /expected '\+' before node 2/],
    [' ' + EXAMPLE, /character 1/],
    ['|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|', /expected '\+' before node 3, found end of string/],
  ];
  for (const [input, re] of cases) {
    assert.throws(
      () => parseArch(input),
      (e: unknown) => e instanceof ArchParseError && re.test(e.message),
      input,
    );
  }
});

test('codes enumerate the space in base-5 tril order', () => {
  assert.equal(NUM_ARCHS, 15625);
  assert.deepEqual(archFromCode(0), [0, 0, 0, 0, 0, 0]);
  assert.deepEqual(archFromCode(15624), [4, 4, 4, 4, 4, 4]);
  assert.equal(archCode(makeArch([0, 0, 0, 0, 0, 1])), 1);
  assert.equal(archCode(makeArch([1, 0, 0, 0, 0, 0])), 3125);
  assert.throws(() => archFromCode(15625), /code must be an integer/);
  assert.throws(() => makeArch([0, 0, 0, 0, 0, 5]), /op at edge 5/);
});

test('encodings and their inverses', () => {
  const a = parseArch(EXAMPLE);
  assert.deepEqual(Array.from(toSeq6(a)), [3, 3, 3, 1, 2, 3]);
  const oh = toOneHot30(a);
  assert.equal(oh.length, 30);
  assert.equal(
    oh.reduce((s, v) => s + v, 0),
    6,
  );
  assert.equal(oh[0 * 5 + 3], 1);
  assert.equal(oh[3 * 5 + 1], 1);
  assert.deepEqual(fromOneHot30(oh), a);
  const m = toOpMatrix(a);
  assert.deepEqual(m, [
    [0, 0, 0, 0],
    [3, 0, 0, 0],
    [3, 3, 0, 0],
    [1, 2, 3, 0],
  ]);
  assert.deepEqual(fromOpMatrix(m), a);
  // NASLib: edges (0→1),(0→2),(0→3),(1→2),(1→3),(2→3); ops Identity, Zero, Conv3x3, Conv1x1, AvgPool.
  assert.deepEqual(toNaslibOpIndices(a), [2, 2, 0, 2, 3, 2]);
  for (const arch of enumerateArchs().filter((_, i) => i % 97 === 0)) {
    assert.deepEqual(fromNaslibOpIndices(toNaslibOpIndices(arch)), arch);
    assert.deepEqual(fromOneHot30(toOneHot30(arch)), arch);
    assert.deepEqual(fromOpMatrix(toOpMatrix(arch)), arch);
  }
});

test('reachability, live edges and validity on hand-made cells', () => {
  // Only 0→3 is a conv: live, valid.
  const direct = makeArch([0, 0, 0, 3, 0, 0]);
  assert.deepEqual(liveEdges(direct), [3]);
  assert.ok(isValid(direct) && reachesOutput(direct));
  // Node 1 has a conv input but no way to the output: 0→1 is dead; 0→3 skip keeps the cell connected.
  const deadBranch = makeArch([3, 0, 0, 1, 0, 0]);
  assert.deepEqual(liveEdges(deadBranch), [3]);
  assert.ok(!isValid(deadBranch), 'the only conv is dead');
  assert.ok(reachesOutput(deadBranch));
  // 1→2 conv is dead because node 1 is not reachable from the input.
  const unreached = makeArch([0, 0, 3, 0, 0, 1]);
  assert.deepEqual(liveEdges(unreached), []);
  assert.ok(!reachesOutput(unreached));
  assert.ok(!isValid(makeArch([0, 0, 0, 0, 0, 0])));
  assert.ok(!isValid(makeArch([1, 1, 1, 4, 4, 4])), 'no conv at all');
});

test('space statistics: 13,642 valid, 341 unreachable, 6,466 isomorphism classes', () => {
  const all = enumerateArchs();
  assert.equal(all.filter(isValid).length, 13642);
  assert.equal(all.filter((a) => !reachesOutput(a)).length, 341);
  const cls = isoClasses(all);
  const sizes = Array.from(cls.size);
  assert.equal(sizes.length, 6466);
  assert.equal(sizes.filter((s) => s === 1).length, 5116);
  assert.equal(Math.max(...sizes), 275);
  assert.equal(sizes.filter((s) => s === 275).length, 3);
  assert.equal(
    sizes.reduce((a, b) => a + b, 0),
    15625,
  );
});

test('isomorphism key: hand-checked cases', () => {
  // 0→1 conv3, 0→3 conv1, 1→3 skip: node 3 sums none (from 2), conv1(x) and conv3(x).
  const a = makeArch([3, 0, 0, 2, 1, 0]);
  assert.equal(isoKey(a), '#+(0)@nor_conv_1x1+(0)@nor_conv_3x3');
  assert.notEqual(isoKey(a), isoKey(makeArch([2, 0, 0, 3, 0, 0])));
  // A skip edge passes its input's expression through: 0→1 skip, 1→3 conv3 equals a direct 0→3 conv3.
  assert.equal(isoKey(makeArch([1, 0, 0, 0, 3, 0])), '#+#+(0)@nor_conv_3x3');
  assert.equal(isoKey(makeArch([0, 0, 0, 3, 0, 0])), '#+#+(0)@nor_conv_3x3');
  // A node whose inputs are all none is '#+#', not '#': it still feeds a conv.
  assert.equal(isoKey(makeArch([0, 0, 0, 0, 0, 3])), '#+#+(#+#)@nor_conv_3x3');
  // Node 1 is a skip copy of the input, so conv1(x) + conv3(node 1) ≅ conv3(x) + conv1(node 1): terms are sorted.
  assert.equal(isoKey(makeArch([1, 0, 0, 2, 3, 0])), isoKey(makeArch([1, 0, 0, 3, 2, 0])));
  assert.notEqual(isoKey(makeArch([1, 0, 0, 2, 3, 0])), isoKey(makeArch([1, 0, 0, 3, 3, 0])));
  // The key is per-node: swapping whole branches that carry a '#' term is not detected (as in the reference).
  assert.notEqual(isoKey(makeArch([3, 2, 0, 0, 1, 1])), isoKey(makeArch([2, 3, 0, 0, 1, 1])));
});

test('FLOPs and params follow the NB201 CIFAR-10 network', () => {
  const a = parseArch(
    '|nor_conv_3x3~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|skip_connect~2|',
  );
  const cost = networkCost(a);
  assert.equal(cost.flops, 113951370);
  assert.equal(cost.params, 802426);
  const none = networkCost(makeArch([0, 0, 0, 0, 0, 0]));
  assert.equal(none.flops, 7783050);
  assert.equal(none.params, 73306);
  const full = networkCost(makeArch([3, 3, 3, 3, 3, 3]));
  assert.equal(full.flops, 220119690);
  assert.equal(full.params, 1531546);
  // FLOPs(M) = 7.78305 + 35.38944 n3x3 + 3.93216 n1x1 at the default size.
  const mixed = networkCost(makeArch([2, 3, 2, 4, 1, 0]));
  assert.ok(Math.abs(mixed.flops / 1e6 - (7.78305 + 35.38944 + 2 * 3.93216)) < 1e-9);
  const distinct = new Set(enumerateArchs().map((x) => networkCost(x).flops));
  assert.equal(distinct.size, 28);
});

test('network cost scales with channels, cells, classes and input size', () => {
  const a = makeArch([3, 3, 3, 3, 3, 3]);
  const base = networkCost(a);
  const half = networkCost(a, { channels: 8 });
  assert.ok(half.flops < base.flops / 3.5 && half.flops > base.flops / 4.5);
  // One cell per stage: 3 cells of 6 convs instead of 15.
  assert.equal(
    networkLayers(a, { cellsPerStage: 1 }).filter((l) => l.name.includes('.cell')).length,
    3 * 6 * 2,
  );
  // ImageNet16-120: 16x16 inputs, 120 classes; classifier 64*120+120.
  const im = networkCost(makeArch([0, 0, 0, 0, 0, 0]), { classes: 120, inputSize: 16 });
  const c10 = networkCost(makeArch([0, 0, 0, 0, 0, 0]));
  assert.equal(im.params - c10.params, 64 * 110 + 110);
  // Input 16 → all spatial sizes quarter: conv MACs /4 exactly (sizes 16, 8, 4).
  assert.equal(im.flops - (64 * 120 + 120), (c10.flops - 650) / 4);
  // Supernet cells have non-affine BN: 2*C params fewer per conv edge.
  assert.equal(base.params - networkCost(a, { cellBnAffine: false }).params, 6 * 5 * 2 * (16 + 32 + 64));
  assert.throws(() => networkCost(a, { channels: 0 }), /'channels' must be a positive integer/);
});
