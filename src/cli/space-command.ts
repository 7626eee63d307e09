import type { Command } from 'commander';
import { loadGroundTruth } from '../bench/ground-truth.js';
import { TRUTH_NAMES } from '../bench/truth-names.js';
import { InputError } from '../io/input-error.js';
import { EDGES } from '../space/arch.js';
import { toNaslibOpIndices, toSeq6 } from '../space/encodings.js';
import { OP_NAMES } from '../space/ops.js';
import { isValid, liveEdges, reachesOutput } from '../space/reachability.js';
import { isoKey } from '../space/isomorphism.js';
import { renderTextTable } from '../report/table.js';
import { printJson } from './output.js';

/** Facts about the whole NB201 space. */
export function spaceStats() {
  const gt = loadGroundTruth();
  const { size } = gt.iso();
  const histogram: Record<string, number> = {};
  for (const s of size) histogram[s] = (histogram[s] ?? 0) + 1;
  const { flops, params } = gt.costs();
  const sizes = Array.from(size);
  return {
    architectures: gt.n,
    classes: size.length,
    singletons: histogram[1] ?? 0,
    largestClass: Math.max(...sizes),
    classSizeHistogram: histogram,
    valid: gt.archs.filter(isValid).length,
    unreachable: gt.archs.filter((a) => !reachesOutput(a)).length,
    flopsM: { min: Math.min(...flops) / 1e6, max: Math.max(...flops) / 1e6, distinct: new Set(flops).size },
    paramsM: { min: Math.min(...params) / 1e6, max: Math.max(...params) / 1e6 },
    network: 'NB201 CIFAR-10 network, C=16, N=5',
  };
}

/** Everything known about one architecture. */
export function spaceShow(query: string) {
  const gt = loadGroundTruth();
  let rec;
  try {
    rec = gt.lookup(query.trim());
  } catch (e) {
    throw new InputError(`${(e as Error).message}`);
  }
  const { flops, params } = gt.costs();
  const truths: Record<string, number> = {};
  for (const name of TRUTH_NAMES) truths[name] = gt.truth(name)[rec.index];
  return {
    index: rec.index,
    arch: rec.str,
    seq6: Array.from(toSeq6(rec.arch)),
    naslibOpIndices: toNaslibOpIndices(rec.arch),
    isoKey: isoKey(rec.arch),
    classId: rec.classId,
    classSize: rec.classSize,
    representative: rec.representative,
    isRepresentative: rec.representative === rec.index,
    classMeanTruth: { cifar10: gt.classMeanTruth('cifar10')[rec.classId] },
    liveEdges: liveEdges(rec.arch).map((e) => `${EDGES[e][0]}→${EDGES[e][1]} ${OP_NAMES[rec.arch[e]]}`),
    valid: isValid(rec.arch),
    reachesOutput: reachesOutput(rec.arch),
    flopsM: flops[rec.index] / 1e6,
    paramsM: params[rec.index] / 1e6,
    truth: truths,
  };
}

export function registerSpaceCommands(program: Command): void {
  const space = program.command('space').description('the NAS-Bench-201 search space');
  space
    .command('stats')
    .description('architectures, isomorphism classes, valid and unreachable cells, class sizes, FLOPs range')
    .option('--json', 'print JSON')
    .action((opts: { json?: boolean }) => {
      const s = spaceStats();
      if (opts.json) return printJson(s);
      const hist = Object.entries(s.classSizeHistogram)
        .map(([k, v]) => `${k}:${v}`)
        .join(' ');
      console.log(
        renderTextTable({
          leftAlign: true,
          headers: ['NAS-Bench-201 space', ''],
          rows: [
            ['architectures', String(s.architectures)],
            ['isomorphism classes', String(s.classes)],
            ['  singletons', String(s.singletons)],
            ['  largest class', String(s.largestClass)],
            ['valid (a live conv)', String(s.valid)],
            ['cannot reach output', String(s.unreachable)],
            [
              'FLOPs (M)',
              `${s.flopsM.min.toFixed(2)}–${s.flopsM.max.toFixed(2)} (${s.flopsM.distinct} values)`,
            ],
            ['params (M)', `${s.paramsM.min.toFixed(6)}–${s.paramsM.max.toFixed(6)}`],
          ],
        }),
      );
      console.log(`class sizes (size:count): ${hist}`);
    });
  space
    .command('show')
    .description(
      'one architecture: index, class, representative, live edges, FLOPs, params, every ground truth',
    )
    .argument('<arch>', 'an NB201 string or an NB201 index')
    .option('--json', 'print JSON')
    .action((query: string, opts: { json?: boolean }) => {
      const s = spaceShow(query);
      if (opts.json) return printJson(s);
      const rows: string[][] = [
        ['index', String(s.index)],
        ['arch', s.arch],
        ['seq6 (tril order)', s.seq6.join(',')],
        ['isomorphism key', s.isoKey],
        [
          'class',
          `${s.classId} (${s.classSize} members; representative ${s.representative}${s.isRepresentative ? ', this one' : ''})`,
        ],
        ['live edges', s.liveEdges.join(', ') || '(none)'],
        ['valid / reaches output', `${s.valid} / ${s.reachesOutput}`],
        ['FLOPs (M)', s.flopsM.toFixed(5)],
        ['params (M)', s.paramsM.toFixed(6)],
        ...Object.entries(s.truth).map(([k, v]) => [`truth ${k}`, v.toFixed(3)]),
        ['class-mean cifar10', s.classMeanTruth.cifar10.toFixed(3)],
      ];
      console.log(renderTextTable({ headers: ['field', 'value'], rows, leftAlign: true }));
    });
}
