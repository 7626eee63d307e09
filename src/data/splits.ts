/**
 * Splits of the CIFAR-10 training images for the one-shot evaluator, as index ranges [start, end) over the loaded
 * training images (official order).
 *
 * - `paper`: supernet training on [0, 40000), derive (held-out evaluation) on [40000, 50000), as in the paper;
 *   it needs all 50,000 training images (data_batch_1 … data_batch_5).
 * - `proportional`: the same 4 : 1 proportion over whatever is loaded: train [0, ⌊0.8·n⌋), held-out [⌊0.8·n⌋, n).
 *   With the shared copy's 20,000 images that is train [0, 16000), held-out [16000, 20000).
 * - `auto` (the default): `paper` when 50,000 images are loaded, else `proportional`; the result then carries a
 *   `fallback` message saying so, which callers must print and record (never silent).
 * - explicit ranges, e.g. `0-16000,16000-20000`.
 */
import { InputError } from '../io/input-error.js';

/** Indices [start, end). */
export interface IndexRange {
  start: number;
  end: number;
}

export interface Cifar10Split {
  kind: 'paper' | 'proportional' | 'custom';
  train: IndexRange;
  heldOut: IndexRange;
  /** One line for logs and manifests, e.g. "paper: train [0, 40000), held-out [40000, 50000)". */
  description: string;
  /** Set when `auto` could not use the paper's split: the reason and what was used instead. */
  fallback?: string;
}

export type SplitChoice =
  'auto' | 'paper' | 'proportional' | { trainFraction: number } | { train: IndexRange; heldOut: IndexRange };

export const PAPER_TRAIN: IndexRange = { start: 0, end: 40_000 };
export const PAPER_HELD_OUT: IndexRange = { start: 40_000, end: 50_000 };
/** The paper's proportion of training images, 40,000 / 50,000. */
export const PAPER_TRAIN_FRACTION = 0.8;

export function rangeSize(r: IndexRange): number {
  return r.end - r.start;
}

/** The indices of a range, in order. */
export function rangeIndices(r: IndexRange): Int32Array {
  const out = new Int32Array(rangeSize(r));
  for (let i = 0; i < out.length; i++) out[i] = r.start + i;
  return out;
}

export function formatRange(r: IndexRange): string {
  return `[${r.start}, ${r.end})`;
}

function describe(kind: Cifar10Split['kind'], train: IndexRange, heldOut: IndexRange): string {
  return `${kind}: train ${formatRange(train)} (${rangeSize(train)} images), held-out ${formatRange(heldOut)} (${rangeSize(heldOut)} images)`;
}

function checkRanges(n: number, train: IndexRange, heldOut: IndexRange, what: string): void {
  for (const [name, r] of [
    ['train', train],
    ['held-out', heldOut],
  ] as const) {
    if (!Number.isInteger(r.start) || !Number.isInteger(r.end) || r.start < 0 || r.end <= r.start) {
      throw new InputError(`${what}: ${name} range ${formatRange(r)} must be non-empty integers ≥ 0`);
    }
    if (r.end > n) {
      throw new InputError(
        `${what}: ${name} range ${formatRange(r)} needs ${r.end.toLocaleString('en-US')} CIFAR-10 training images, ` +
          `but only ${n.toLocaleString('en-US')} are loaded` +
          (n < 50_000 ? ' (use the proportional split, or load more batches)' : ''),
      );
    }
  }
  if (train.start < heldOut.end && heldOut.start < train.end) {
    throw new InputError(
      `${what}: train ${formatRange(train)} and held-out ${formatRange(heldOut)} overlap; held-out images must not be trained on`,
    );
  }
}

/** The paper's split; an error when fewer than 50,000 images are loaded. */
export function paperSplit(n: number): Cifar10Split {
  checkRanges(n, PAPER_TRAIN, PAPER_HELD_OUT, "the paper's split");
  return {
    kind: 'paper',
    train: { ...PAPER_TRAIN },
    heldOut: { ...PAPER_HELD_OUT },
    description: describe('paper', PAPER_TRAIN, PAPER_HELD_OUT),
  };
}

/** Train [0, ⌊f·n⌋), held-out [⌊f·n⌋, n). */
export function proportionalSplit(n: number, trainFraction = PAPER_TRAIN_FRACTION): Cifar10Split {
  if (!(trainFraction > 0 && trainFraction < 1)) {
    throw new InputError(`train fraction must be in (0, 1); got ${trainFraction}`);
  }
  const cut = Math.floor(trainFraction * n);
  const train = { start: 0, end: cut };
  const heldOut = { start: cut, end: n };
  checkRanges(n, train, heldOut, `the proportional split (${trainFraction}) of ${n} images`);
  return { kind: 'proportional', train, heldOut, description: describe('proportional', train, heldOut) };
}

/** Resolve a split choice against the number of loaded training images. */
export function resolveSplit(n: number, choice: SplitChoice = 'auto'): Cifar10Split {
  if (choice === 'paper') return paperSplit(n);
  if (choice === 'proportional') return proportionalSplit(n);
  if (choice === 'auto') {
    if (n >= PAPER_HELD_OUT.end) return paperSplit(n);
    const s = proportionalSplit(n);
    return {
      ...s,
      fallback:
        `only ${n.toLocaleString('en-US')} CIFAR-10 training images are loaded and the paper's split ` +
        `(train [0, 40000), held-out [40000, 50000)) needs 50,000: using the same 4 : 1 proportion, ` +
        `train ${formatRange(s.train)}, held-out ${formatRange(s.heldOut)}`,
    };
  }
  if ('trainFraction' in choice) return proportionalSplit(n, choice.trainFraction);
  checkRanges(n, choice.train, choice.heldOut, 'the split');
  return {
    kind: 'custom',
    train: { ...choice.train },
    heldOut: { ...choice.heldOut },
    description: describe('custom', choice.train, choice.heldOut),
  };
}

/**
 * Parse a split option: `auto`, `paper`, `proportional`, `proportional:0.75`, or explicit ranges
 * `TRAIN_START-TRAIN_END,HELD_START-HELD_END` (ends exclusive), e.g. `0-16000,16000-20000`.
 */
export function parseSplitChoice(raw: string, flag = '--split'): SplitChoice {
  const s = raw.trim();
  if (s === 'auto' || s === 'paper' || s === 'proportional') return s;
  const prop = /^proportional:([0-9.]+)$/.exec(s);
  if (prop) {
    const f = Number(prop[1]);
    if (!(f > 0 && f < 1))
      throw new InputError(`${flag}: train fraction must be in (0, 1); got '${prop[1]}'`);
    return { trainFraction: f };
  }
  const ranges = /^(\d+)-(\d+),(\d+)-(\d+)$/.exec(s);
  if (ranges) {
    const [a, b, c, d] = ranges.slice(1).map(Number);
    return { train: { start: a, end: b }, heldOut: { start: c, end: d } };
  }
  throw new InputError(
    `${flag} must be auto, paper, proportional, proportional:FRACTION or TRAIN_START-TRAIN_END,HELD_START-HELD_END ` +
      `(e.g. 0-16000,16000-20000); got '${raw}'`,
  );
}
