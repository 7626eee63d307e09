/**
 * Download CIFAR-10 (binary version) for users with internet: fetch the official `cifar-10-binary.tar.gz`
 * resumably (HTTP Range on a `.part` file), verify its md5, extract the batch files into a folder.
 *
 * - Resume: a `.part` file left by an interrupted transfer (this run or an earlier one) is continued with
 *   `Range: bytes=N-`; a server that ignores the range (200) restarts the file; 416 with the full size means done.
 *   An interrupted transfer is retried `retries` times, each resuming where the last stopped.
 * - Verify: md5 of the whole archive against the expected one; on mismatch the `.part` is deleted (resuming a
 *   corrupt file is pointless) and an InputError says so.
 * - Extract: gunzip (node:zlib) and the ustar reader of ./tar.ts; only `data_batch_[1-5].bin`, `test_batch.bin`
 *   and `batches.meta.txt` are taken (by base name, never a path from the archive); each batch is validated, written
 *   to a temp file and renamed into place only once every required file has been extracted (all or nothing).
 *   `cifar10-download.json` records the URL, the archive md5 and the md5 of each extracted file.
 */
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { writeFileAtomic } from '../io/atomic-write.js';
import { InputError } from '../io/input-error.js';
import { CIFAR10_TEST_FILE, CIFAR10_TRAIN_FILES, validateCifar10Binary } from './cifar10-binary.js';
import {
  CIFAR10_BINARY_ARCHIVE,
  CIFAR10_BINARY_MD5,
  CIFAR10_BINARY_URL,
  CIFAR10_PROVENANCE_FILE,
  md5File,
  md5Hex,
  type Cifar10Provenance,
} from './checksums.js';
import { readTar } from './tar.js';

export const CIFAR10_BINARY_FILES: readonly string[] = [...CIFAR10_TRAIN_FILES, CIFAR10_TEST_FILE];

export interface ResumableDownloadOptions {
  url: string;
  /** Final file; the transfer goes to `${dest}.part` and is renamed when complete and verified. */
  dest: string;
  /** Expected md5 (hex); none = no check. */
  md5?: string;
  /** Further attempts after an interrupted transfer; default 5. */
  retries?: number;
  /** Wait before attempt k (k ≥ 1) is k × this; default 2,000 ms. */
  retryDelayMs?: number;
  /** Socket idle timeout; default 60 s. */
  timeoutMs?: number;
  /** Called as bytes arrive: bytes of the file so far, and its full size when known. */
  onProgress?: (bytes: number, total: number | null) => void;
  /** One line per event (resume, restart, retry). */
  log?: (line: string) => void;
}

export interface ResumableDownloadResult {
  bytes: number;
  md5: string;
  /** Bytes already in `.part` when the first request was made. */
  resumedFrom: number;
  /** HTTP requests made (redirects not counted). */
  requests: number;
}

function fileSize(p: string): number {
  return existsSync(p) ? statSync(p).size : 0;
}

function request(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<http.IncomingMessage> {
  const mod = url.startsWith('https:') ? https : url.startsWith('http:') ? http : null;
  if (!mod) return Promise.reject(new InputError(`only http and https URLs are supported; got ${url}`));
  return new Promise((resolve, reject) => {
    const req = mod.get(url, { headers }, resolve);
    req.on('error', reject);
    req.setTimeout(timeoutMs, () => req.destroy(new Error(`no data from ${url} for ${timeoutMs / 1000} s`)));
  });
}

/** GET following up to 5 redirects; returns the final response and URL. */
async function get(
  url: string,
  headers: Record<string, string>,
  timeoutMs: number,
): Promise<{ res: http.IncomingMessage; url: string }> {
  let current = url;
  for (let hop = 0; hop <= 5; hop++) {
    const res = await request(current, headers, timeoutMs);
    const status = res.statusCode ?? 0;
    if (status >= 300 && status < 400 && res.headers.location) {
      res.resume();
      current = new URL(res.headers.location, current).href;
      continue;
    }
    return { res, url: current };
  }
  throw new Error(`more than 5 redirects from ${url}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Download `url` to `dest` through `${dest}.part`, resuming and retrying; verify the md5 if given. */
export async function downloadResumable(opts: ResumableDownloadOptions): Promise<ResumableDownloadResult> {
  const { url, dest } = opts;
  const part = `${dest}.part`;
  const retries = opts.retries ?? 5;
  const delay = opts.retryDelayMs ?? 2000;
  const timeoutMs = opts.timeoutMs ?? 60_000;
  const log = opts.log ?? (() => {});
  mkdirSync(path.dirname(dest), { recursive: true });
  const resumedFrom = fileSize(part);
  if (resumedFrom > 0)
    log(`resuming ${path.basename(part)} from byte ${resumedFrom.toLocaleString('en-US')}`);
  let requests = 0;
  let complete = false;
  let lastError: unknown = null;
  for (let attempt = 0; attempt <= retries && !complete; attempt++) {
    if (attempt > 0) {
      log(
        `transfer interrupted at byte ${fileSize(part).toLocaleString('en-US')} ` +
          `(${(lastError as Error)?.message ?? lastError}); ` +
          `retry ${attempt}/${retries}`,
      );
      await sleep(delay * attempt);
    }
    const offset = fileSize(part);
    try {
      requests++;
      const { res } = await get(url, offset > 0 ? { Range: `bytes=${offset}-` } : {}, timeoutMs);
      const status = res.statusCode ?? 0;
      let append = false;
      let total: number | null = null;
      if (status === 206) {
        const m = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(String(res.headers['content-range'] ?? ''));
        if (!m || Number(m[1]) !== offset) {
          res.resume();
          rmSync(part, { force: true });
          throw new Error(
            `server answered the range request from byte ${offset} with '${res.headers['content-range']}'`,
          );
        }
        append = true;
        total = m[3] === '*' ? null : Number(m[3]);
      } else if (status === 200) {
        if (offset > 0) log(`the server ignored the range request: starting ${path.basename(part)} over`);
        const len = Number(res.headers['content-length']);
        total = Number.isFinite(len) && res.headers['content-length'] !== undefined ? len : null;
      } else if (status === 416 && offset > 0) {
        res.resume();
        const m = /^bytes \*\/(\d+)$/.exec(String(res.headers['content-range'] ?? ''));
        if (m && Number(m[1]) === offset) {
          complete = true;
          break;
        }
        rmSync(part, { force: true });
        throw new Error(`the server refused the range from byte ${offset}; starting over`);
      } else {
        res.resume();
        const message = `downloading ${url}: HTTP ${status} ${res.statusMessage ?? ''}`.trim();
        // Server trouble and rate limits are worth retrying; other client errors are not.
        if (status >= 500 || status === 429) throw new Error(message);
        throw new InputError(message);
      }
      let bytes = append ? offset : 0;
      opts.onProgress?.(bytes, total);
      const out = createWriteStream(part, { flags: append ? 'a' : 'w' });
      await pipeline(
        res,
        async function* (source: AsyncIterable<Buffer>) {
          for await (const chunk of source) {
            bytes += chunk.length;
            opts.onProgress?.(bytes, total);
            yield chunk;
          }
        },
        out,
      );
      const size = fileSize(part);
      if (total !== null && size !== total) {
        throw new Error(`the transfer ended at byte ${size} of ${total}`);
      }
      complete = true;
    } catch (e) {
      if (e instanceof InputError) throw e;
      // The name does not resolve: retrying cannot help (this machine is offline, or the host is wrong).
      const code = (e as NodeJS.ErrnoException).code;
      if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
        throw new InputError(
          `downloading ${url}: the host name does not resolve (${code}): this machine looks offline; copy the ` +
            `files into the folder by hand, or point --dir / NAS_SURGERY_CIFAR10 at a copy`,
        );
      }
      lastError = e;
    }
  }
  if (!complete) {
    const kept = fileSize(part);
    throw new InputError(
      `could not download ${url} after ${retries + 1} attempt${retries === 0 ? '' : 's'}: ` +
        `${(lastError as Error)?.message ?? lastError}` +
        (kept > 0
          ? `. ${path.basename(part)} keeps ${kept.toLocaleString('en-US')} bytes; run again to resume`
          : ''),
    );
  }
  const md5 = md5File(part);
  if (opts.md5 && md5 !== opts.md5.toLowerCase()) {
    const size = fileSize(part);
    rmSync(part, { force: true });
    throw new InputError(
      `checksum mismatch for ${url}: md5 ${md5} (${size.toLocaleString('en-US')} bytes), expected ${opts.md5}; ` +
        `the download was deleted — run again to fetch it anew, or check the URL`,
    );
  }
  renameSync(part, dest);
  return { bytes: fileSize(dest), md5, resumedFrom, requests };
}

export interface ExtractedFile {
  file: string;
  bytes: number;
  md5: string;
}

const WANTED = /^(?:data_batch_[1-5]\.bin|test_batch\.bin|batches\.meta\.txt)$/;

/**
 * Extract the CIFAR-10 binary batches (and batches.meta.txt when present) from a `.tar.gz` into `dir`: every
 * `required` file must be in the archive, every batch must be well formed; nothing lands in `dir` otherwise.
 */
export async function extractCifar10Archive(
  archive: string,
  dir: string,
  required: readonly string[] = CIFAR10_BINARY_FILES,
): Promise<ExtractedFile[]> {
  mkdirSync(dir, { recursive: true });
  const temps = new Map<string, string>();
  const extracted: ExtractedFile[] = [];
  const label = path.basename(archive);
  try {
    const file = createReadStream(archive);
    const gunzip = createGunzip();
    file.on('error', (e) => gunzip.destroy(e));
    file.pipe(gunzip);
    try {
      await readTar(
        gunzip,
        (entry, content) => {
          const base = path.posix.basename(entry.name);
          if (!content || temps.has(base)) return;
          if (base.endsWith('.bin')) validateCifar10Binary(content, `${label}:${entry.name}`);
          const tmp = path.join(dir, `.${base}.${process.pid}.tmp`);
          temps.set(base, tmp);
          writeFileSync(tmp, content);
          extracted.push({ file: base, bytes: content.length, md5: md5Hex(content) });
        },
        { name: label, want: (e) => e.type === 'file' && WANTED.test(path.posix.basename(e.name)) },
      );
    } finally {
      file.destroy();
      gunzip.destroy();
    }
    const missing = required.filter((f) => !temps.has(f));
    if (missing.length > 0) throw new InputError(`${label} does not hold ${missing.join(', ')}`);
    for (const [base, tmp] of temps) renameSync(tmp, path.join(dir, base));
    temps.clear();
    return extracted;
  } catch (e) {
    if (e instanceof InputError) throw e;
    const code = (e as NodeJS.ErrnoException).code ?? '';
    if (code.startsWith('Z_'))
      throw new InputError(`${archive}: not a valid gzip file (${(e as Error).message})`);
    throw e;
  } finally {
    for (const tmp of temps.values()) rmSync(tmp, { force: true });
  }
}

export interface DownloadCifar10Options {
  dir: string;
  url?: string;
  md5?: string;
  /** Fetch and extract even when every batch file is already in `dir`. */
  force?: boolean;
  /** Keep `cifar-10-binary.tar.gz` in `dir` after extraction; default false. */
  keepArchive?: boolean;
  retries?: number;
  retryDelayMs?: number;
  timeoutMs?: number;
  onProgress?: (bytes: number, total: number | null) => void;
  log?: (line: string) => void;
}

export interface DownloadCifar10Result {
  dir: string;
  /** `present`: every file was there already, nothing done. */
  status: 'present' | 'downloaded' | 'extracted-existing-archive';
  files: ExtractedFile[];
  archiveMd5?: string;
}

/** `nas-surgery data download cifar10`: fetch, verify and extract into `dir`. */
export async function downloadCifar10(opts: DownloadCifar10Options): Promise<DownloadCifar10Result> {
  const dir = opts.dir;
  const url = opts.url ?? CIFAR10_BINARY_URL;
  const md5 = (opts.md5 ?? CIFAR10_BINARY_MD5).toLowerCase();
  const log = opts.log ?? (() => {});
  mkdirSync(dir, { recursive: true });
  if (!opts.force && CIFAR10_BINARY_FILES.every((f) => existsSync(path.join(dir, f)))) {
    log(`every CIFAR-10 batch file is already in ${dir} (pass --force to fetch again)`);
    return { dir, status: 'present', files: [] };
  }
  const archive = path.join(dir, CIFAR10_BINARY_ARCHIVE);
  let status: DownloadCifar10Result['status'] = 'downloaded';
  if (existsSync(archive)) {
    const have = md5File(archive);
    if (have === md5) {
      log(`using the verified ${CIFAR10_BINARY_ARCHIVE} already in ${dir}`);
      status = 'extracted-existing-archive';
    } else {
      log(
        `${CIFAR10_BINARY_ARCHIVE} in ${dir} has md5 ${have}, expected ${md5}: deleting it and downloading again`,
      );
      rmSync(archive);
    }
  }
  if (status === 'downloaded') {
    log(`downloading ${url}`);
    await downloadResumable({
      url,
      dest: archive,
      md5,
      retries: opts.retries,
      retryDelayMs: opts.retryDelayMs,
      timeoutMs: opts.timeoutMs,
      onProgress: opts.onProgress,
      log,
    });
    log(`md5 ${md5} verified`);
  }
  log(`extracting into ${dir}`);
  const files = await extractCifar10Archive(archive, dir);
  const provenance: Cifar10Provenance = {
    url,
    archiveMd5: md5,
    downloadedAt: new Date().toISOString(),
    files: Object.fromEntries(files.map((f) => [f.file, f.md5])),
  };
  writeFileAtomic(path.join(dir, CIFAR10_PROVENANCE_FILE), JSON.stringify(provenance, null, 2) + '\n');
  if (!opts.keepArchive) rmSync(archive, { force: true });
  return { dir, status, files, archiveMd5: md5 };
}

/** True when `dir` holds every binary batch file (no check of their content). */
export function hasCifar10Binary(dir: string): boolean {
  return CIFAR10_BINARY_FILES.every((f) => existsSync(path.join(dir, f)));
}
