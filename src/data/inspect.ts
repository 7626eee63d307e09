/**
 * A summary of a CIFAR-10 folder: what it holds, counts, label histograms, channel statistics, md5 report and the
 * split the one-shot evaluator would use. Shared by `nas-surgery data check cifar10` and scripts/cifar10-check.ts.
 */
import { InputError } from '../io/input-error.js';
import {
  CIFAR10_CLASS_NAMES,
  channelStats,
  labelHistogram,
  listCifar10Files,
  readCifar10Test,
  readCifar10Train,
  type Cifar10Data,
} from './cifar10-binary.js';
import { cifar10Md5Report, type Md5Report } from './checksums.js';
import { resolveSplit, type Cifar10Split, type SplitChoice } from './splits.js';

export interface Cifar10SetSummary {
  files: string[];
  images: number;
  labelHistogram: number[];
  /** Per-channel (R, G, B) mean and std of the pixels / 255. */
  mean: number[];
  std: number[];
}

export interface Cifar10Inspection {
  dir: string;
  classes: readonly string[];
  train: Cifar10SetSummary | null;
  test: Cifar10SetSummary | null;
  split: Cifar10Split | null;
  md5: Md5Report[];
  loadMs: number;
}

function summarize(d: Cifar10Data): Cifar10SetSummary {
  const { mean, std } = channelStats(d);
  return {
    files: d.sources.map((s) => s.file),
    images: d.n,
    labelHistogram: labelHistogram(d.labels),
    mean,
    std,
  };
}

/** Load what `dir` holds and summarise it; `train`/`test` are returned for further use (e.g. timing). */
export function inspectCifar10(
  dir: string,
  opts: { split?: SplitChoice; md5?: boolean } = {},
): { report: Cifar10Inspection; train: Cifar10Data | null; test: Cifar10Data | null } {
  const present = listCifar10Files(dir);
  if (present.train.length === 0 && !present.test) {
    throw new InputError(
      `${dir} holds no CIFAR-10 binary batch (data_batch_N.bin, test_batch.bin); ` +
        `get them with: nas-surgery data download cifar10 --dir ${dir}`,
    );
  }
  const t0 = performance.now();
  const train = present.train.length > 0 ? readCifar10Train(dir) : null;
  const test = present.test ? readCifar10Test(dir) : null;
  const loadMs = performance.now() - t0;
  return {
    report: {
      dir,
      classes: CIFAR10_CLASS_NAMES,
      train: train && summarize(train),
      test: test && summarize(test),
      split: train && resolveSplit(train.n, opts.split ?? 'auto'),
      md5: opts.md5 === false ? [] : cifar10Md5Report(dir),
      loadMs,
    },
    train,
    test,
  };
}

/** Human-readable lines of an inspection. */
export function inspectionText(r: Cifar10Inspection): string[] {
  const lines: string[] = [`CIFAR-10 in ${r.dir} (loaded in ${(r.loadMs / 1000).toFixed(2)} s)`];
  const fmt = (xs: number[], digits: number) => xs.map((v) => v.toFixed(digits)).join(', ');
  for (const [name, s] of [
    ['train', r.train],
    ['test', r.test],
  ] as const) {
    if (!s) {
      lines.push(`${name}: none`);
      continue;
    }
    lines.push(`${name}: ${s.images} images from ${s.files.join(', ')}`);
    lines.push(`  labels: ${s.labelHistogram.map((c, i) => `${i} ${r.classes[i]} ${c}`).join(' · ')}`);
    lines.push(`  channel mean (R, G, B): ${fmt(s.mean, 4)}   (CIFAR-10: 0.4914, 0.4822, 0.4465)`);
    lines.push(`  channel std  (R, G, B): ${fmt(s.std, 4)}   (CIFAR-10: 0.2470, 0.2435, 0.2616)`);
  }
  if (r.split) {
    lines.push(`split: ${r.split.description}`);
    if (r.split.fallback) lines.push(`  note: ${r.split.fallback}`);
  }
  if (r.md5.length > 0) {
    lines.push('md5:');
    for (const m of r.md5) lines.push(`  ${m.file}  ${m.md5}  ${m.matches} — ${m.note}`);
  }
  return lines;
}
