import type { Command } from 'commander';
import { loadGroundTruth } from '../benchmarks/ground-truth.js';
import { TRUTH_NAMES } from '../benchmarks/truth-names.js';
import { InputError } from '../io/input-error.js';
import { EDGES } from '../space/arch.js';
import { fromNaslibOpIndices, toNaslibOpIndices, toSeq6 } from '../space/encodings.js';
import { makeArch } from '../space/arch.js';
import { formatArch } from '../space/arch-string.js';
import { writeResultFiles } from '../io/atomic-write.js';
import { writeManifest } from '../io/manifest.js';
import path from 'node:path';
import { OP_NAMES } from '../space/ops.js';
import { isValid, liveEdges, reachesOutput } from '../space/reachability.js';
import { isoKey } from '../space/isomorphism.js';
import { renderTextTable } from '../report/table.js';
import { printJson } from './output.js';
import { FORCE_HELP, rerunVerdict, sameRunNote } from '../io/rerun.js';

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

const ENCODINGS = ['seq6', 'op_indices'] as const;
type Encoding = (typeof ENCODINGS)[number];

/**
 * An architecture query as an NB201 index or string, or six op codes: `seq6:3,3,4,1,3,1` (nas-surgery's tril order,
 * ops none 0, skip 1, conv1x1 2, conv3x3 3, pool 4), `op_indices:…` (NASLib's), or a bare list with `as` naming
 * which (a bare list alone is ambiguous: both use the codes 0–4).
 */
export function resolveArchQuery(query: string, as?: string): string {
  const q = query.trim();
  const m = /^(?:(seq6|op_indices):)?\s*(\d(?:\s*,\s*\d){5})$/.exec(q);
  if (!m) {
    if (as !== undefined) throw new InputError(`--as ${as}: '${query}' is not six comma-separated op codes`);
    return q;
  }
  const encoding = (m[1] ?? as) as Encoding | undefined;
  if (encoding === undefined) {
    throw new InputError(
      `'${query}' is six op codes, but in which encoding? Write seq6:${m[2]} (tril order; none 0, skip 1, ` +
        `conv1x1 2, conv3x3 3, pool 4) or op_indices:${m[2]} (NASLib's), or pass --as seq6|op_indices`,
    );
  }
  if (!(ENCODINGS as readonly string[]).includes(encoding))
    throw new InputError(`--as must be one of ${ENCODINGS.join(', ')}; got '${encoding}'`);
  const codes = m[2].split(',').map((v) => Number(v.trim()));
  if (codes.some((c) => c > 4)) throw new InputError(`'${query}': op codes are 0–4`);
  return formatArch(encoding === 'seq6' ? makeArch(codes) : fromNaslibOpIndices(codes));
}

/** Everything known about one architecture (`query`: see {@link resolveArchQuery}). */
export function spaceShow(query: string, as?: string) {
  const gt = loadGroundTruth();
  let rec;
  try {
    rec = gt.lookup(resolveArchQuery(query, as));
  } catch (e) {
    if (e instanceof InputError) throw e;
    throw new InputError(`${(e as Error).message}`);
  }
  const classOf = gt.iso().classOf;
  const members: number[] = [];
  for (let i = 0; i < gt.n; i++) if (classOf[i] === rec.classId) members.push(i);
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
    members,
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
    .argument(
      '<arch>',
      'an NB201 index, an NB201 string, or six op codes: seq6:3,3,4,1,3,1 (tril order; none 0, skip 1, conv1x1 2, ' +
        'conv3x3 3, pool 4) or op_indices:… (NASLib)',
    )
    .option('--as <encoding>', 'how to read six bare op codes: seq6 | op_indices')
    .option('--json', 'print JSON')
    .action((query: string, opts: { json?: boolean; as?: string }) => {
      const s = spaceShow(query, opts.as);
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
        [
          'class members',
          s.members.length <= 20
            ? s.members.join(', ')
            : `${s.members.slice(0, 20).join(', ')}, … (${s.members.length} in all; --json lists them)`,
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

  space
    .command('export')
    .description(
      'every architecture as one CSV row: index, NB201 string, seq6, NASLib op_indices, isomorphism key, class, ' +
        'representative, class size, FLOPs, params and every bundled truth (for pandas, R or a spreadsheet)',
    )
    .requiredOption('--out <file>', 'CSV file to write')
    .option('--force', FORCE_HELP)
    .action((opts: { out: string; force?: boolean }) => {
      const started = new Date();
      const manifestFile = `${opts.out.replace(/\.csv$/i, '')}.manifest.json`;
      const verdict = rerunVerdict({
        out: opts.out,
        manifestFile,
        results: [opts.out],
        command: 'space export',
        options: {},
        force: opts.force ?? false,
      });
      if (verdict === 'same') return void process.stderr.write(sameRunNote(opts.out) + '\n');
      const csv = spaceCsv();
      writeResultFiles(path.dirname(opts.out), { [path.basename(opts.out)]: csv }, verdict === 'replace');
      writeManifest(manifestFile, {
        command: 'space export',
        config: { ...opts },
        startedAt: started,
        timingsMs: { total: Date.now() - started.getTime() },
      });
      console.log(`wrote ${loadGroundTruth().n} architectures → ${opts.out}`);
    });
}

/** A CSV field, quoted when it holds a comma, a quote or a line break. */
const field = (v: string | number) => {
  const s = String(v);
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The whole space as CSV (see `space export`). */
export function spaceCsv(): string {
  const gt = loadGroundTruth();
  const { classOf, representative, size } = gt.iso();
  const { flops, params } = gt.costs();
  const truths = TRUTH_NAMES.map((t) => gt.truth(t));
  const header = [
    'index',
    'arch',
    'seq6',
    'naslib_op_indices',
    'iso_key',
    'class_id',
    'representative',
    'class_size',
    'flops_m',
    'params_m',
    ...TRUTH_NAMES,
  ];
  const lines = [header.join(',')];
  for (let i = 0; i < gt.n; i++) {
    const a = gt.archs[i];
    const c = classOf[i];
    lines.push(
      [
        i,
        formatArch(a),
        Array.from(toSeq6(a)).join(','),
        toNaslibOpIndices(a).join(','),
        isoKey(a),
        c,
        representative[c],
        size[c],
        flops[i] / 1e6,
        params[i] / 1e6,
        ...truths.map((t) => t[i]),
      ]
        .map(field)
        .join(','),
    );
  }
  return lines.join('\n') + '\n';
}
