/**
 * md5 checksums of CIFAR-10 files: reported, never required (a loader accepts any file of the right format).
 *
 * What is known, in one table:
 * - `official-archive`: the official `cifar-10-binary.tar.gz` (https://www.cs.toronto.edu/~kriz/cifar.html).
 *   `nas-surgery data download cifar10` verifies it, and records the md5 of each file it extracts in
 *   `cifar10-download.json` beside them; a file matching that record is reported as `official`.
 * - `shared-jpeg-copy`: the JPEG-degraded copy in ../shared/data/cifar10 (its README lists these md5s).
 * - `official-python-pickle`: the md5s commonly quoted as "the CIFAR-10 batch checksums" (torchvision's list) are
 *   those of the *pickled* batches `data_batch_1` … `test_batch` in `cifar-10-python.tar.gz`, a different
 *   container for the same images; a binary-format `.bin` file never has them. They are kept here so that nobody
 *   mistakes them for the `.bin` checksums again; no `.bin` md5 of the official archive is listed (not verified
 *   from this machine, which has no internet).
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import path from 'node:path';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES } from './cifar10-binary.js';

export const CIFAR10_BINARY_URL = 'https://www.cs.toronto.edu/~kriz/cifar-10-binary.tar.gz';
export const CIFAR10_BINARY_ARCHIVE = 'cifar-10-binary.tar.gz';
/** Provenance file written by the downloader beside the extracted files. */
export const CIFAR10_PROVENANCE_FILE = 'cifar10-download.json';

export type Md5Source = 'official-archive' | 'official-python-pickle' | 'shared-jpeg-copy';

export interface KnownMd5 {
  file: string;
  md5: string;
  source: Md5Source;
}

export const KNOWN_CIFAR10_MD5: readonly KnownMd5[] = [
  { file: CIFAR10_BINARY_ARCHIVE, md5: 'c32a1d4ab5d03f1284b67883e8d87530', source: 'official-archive' },
  { file: 'data_batch_1.bin', md5: '5a5142663b2c457eb7edf61944cf14cd', source: 'shared-jpeg-copy' },
  { file: 'data_batch_2.bin', md5: 'a03813b579934887e19fffa24f57e096', source: 'shared-jpeg-copy' },
  { file: 'test_batch.bin', md5: '11e2161f06e495577766fe4411c65d23', source: 'shared-jpeg-copy' },
  { file: 'data_batch_1', md5: 'c99cafc152244af753f735de768cd75f', source: 'official-python-pickle' },
  { file: 'data_batch_2', md5: 'd4bba439e000b95fd0a9bffe97cbabec', source: 'official-python-pickle' },
  { file: 'data_batch_3', md5: '54ebc095f3ab1f0389bbae665268c751', source: 'official-python-pickle' },
  { file: 'data_batch_4', md5: '634d18415352ddfa80567beed471001a', source: 'official-python-pickle' },
  { file: 'data_batch_5', md5: '482c414d41f54cd18b22e5b47cb7c3cb', source: 'official-python-pickle' },
  { file: 'test_batch', md5: '40351d587109b95175f43aff81a1287e', source: 'official-python-pickle' },
];

export const CIFAR10_BINARY_MD5 = KNOWN_CIFAR10_MD5.find((k) => k.source === 'official-archive')!.md5;

/** What the downloader records beside the files it extracted from the verified official archive. */
export interface Cifar10Provenance {
  url: string;
  archiveMd5: string;
  downloadedAt: string;
  files: Record<string, string>;
}

export interface Md5Report {
  file: string;
  bytes: number;
  md5: string;
  matches: 'official' | 'shared-jpeg-copy' | 'unknown';
  note: string;
}

export function md5Hex(data: Uint8Array): string {
  return createHash('md5').update(data).digest('hex');
}

/** md5 of a file, streamed in 4 MiB pieces. */
export function md5File(file: string): string {
  const h = createHash('md5');
  const buf = Buffer.allocUnsafe(4 << 20);
  const fd = openSync(file, 'r');
  try {
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n === 0) break;
      h.update(buf.subarray(0, n));
    }
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** The provenance record in `dir`, or null if absent or unreadable. */
export function readProvenance(dir: string): Cifar10Provenance | null {
  const p = path.join(dir, CIFAR10_PROVENANCE_FILE);
  if (!existsSync(p)) return null;
  try {
    const v = JSON.parse(readFileSync(p, 'utf8')) as Cifar10Provenance;
    return v && typeof v.files === 'object' ? v : null;
  } catch {
    return null;
  }
}

/** Classify one file's md5 against the known table and `dir`'s provenance record. */
export function classifyMd5(
  file: string,
  md5: string,
  provenance: Cifar10Provenance | null,
): Pick<Md5Report, 'matches' | 'note'> {
  if (provenance && provenance.archiveMd5 === CIFAR10_BINARY_MD5 && provenance.files[file] === md5) {
    return { matches: 'official', note: `extracted from the verified official archive (${provenance.url})` };
  }
  const known = KNOWN_CIFAR10_MD5.find((k) => k.md5 === md5);
  if (known?.source === 'shared-jpeg-copy') {
    return known.file === file
      ? {
          matches: 'shared-jpeg-copy',
          note: 'the JPEG-degraded shared copy (pixels differ from the official)',
        }
      : { matches: 'unknown', note: `has the md5 of the shared copy's ${known.file}: renamed?` };
  }
  if (provenance && provenance.files[file] && provenance.files[file] !== md5) {
    return { matches: 'unknown', note: `differs from the md5 recorded at download: changed since` };
  }
  return { matches: 'unknown', note: 'not a known checksum (accepted all the same)' };
}

/**
 * md5 of each standard CIFAR-10 batch file present in `dir` (or of `files`), with what it matches.
 * Reads every file once; about 0.1 s per 30 MB batch.
 */
export function cifar10Md5Report(dir: string, files?: readonly string[]): Md5Report[] {
  const names =
    files ?? [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE].filter((f) => existsSync(path.join(dir, f)));
  const provenance = readProvenance(dir);
  return names.map((file) => {
    const p = path.join(dir, file);
    const md5 = md5File(p);
    return { file, bytes: statSync(p).size, md5, ...classifyMd5(file, md5, provenance) };
  });
}
