/**
 * A small streaming reader for (ustar / GNU / pax) tar archives, enough for `cifar-10-binary.tar.gz`: regular files
 * and directories, GNU long names (`L`) and pax `path` records; header checksums are verified. Entries whose
 * content is wanted are handed over whole (in memory); others are skipped without being kept.
 */
import { InputError } from '../io/input-error.js';

const BLOCK = 512;

export interface TarEntry {
  /** Path inside the archive (prefix/name joined, long names resolved). */
  name: string;
  type: 'file' | 'directory' | 'other';
  /** The raw type flag character ('0', '5', …; '' for NUL). */
  typeflag: string;
  size: number;
}

export interface TarReadOptions {
  /** Whether to hand over the content of a file entry; default: every file. */
  want?: (entry: TarEntry) => boolean;
  /** Largest entry content to hold in memory; default 256 MiB. */
  maxEntryBytes?: number;
  /** Name of the archive, for errors. */
  name?: string;
}

function cstring(buf: Uint8Array, start: number, len: number): string {
  let end = start;
  while (end < start + len && buf[end] !== 0) end++;
  return Buffer.from(buf.buffer, buf.byteOffset + start, end - start).toString('utf8');
}

/** A numeric header field: octal ASCII (space/NUL padded), or GNU base-256 when the high bit is set. */
function numeric(buf: Uint8Array, start: number, len: number, what: string): number {
  if (buf[start] & 0x80) {
    let v = buf[start] & 0x7f;
    for (let i = start + 1; i < start + len; i++) v = v * 256 + buf[i];
    if (!Number.isSafeInteger(v)) throw new Error(`${what}: number too large`);
    return v;
  }
  const s = cstring(buf, start, len).trim();
  if (s === '') return 0;
  if (!/^[0-7]+$/.test(s)) throw new Error(`${what}: '${s}' is not an octal number`);
  return parseInt(s, 8);
}

function isZeroBlock(buf: Uint8Array): boolean {
  for (let i = 0; i < BLOCK; i++) if (buf[i] !== 0) return false;
  return true;
}

/** Parse pax extended header records "LEN key=value\n". */
function paxRecords(data: Buffer): Map<string, string> {
  const out = new Map<string, string>();
  let pos = 0;
  while (pos < data.length) {
    const sp = data.indexOf(0x20, pos);
    if (sp < 0) break;
    const len = Number(data.toString('utf8', pos, sp));
    if (!Number.isInteger(len) || len <= 0 || pos + len > data.length) break;
    const rec = data.toString('utf8', sp + 1, pos + len - 1); // without the trailing newline
    const eq = rec.indexOf('=');
    if (eq > 0) out.set(rec.slice(0, eq), rec.slice(eq + 1));
    pos += len;
  }
  return out;
}

/**
 * Read a tar stream, calling `onEntry` for every entry in order: with its whole content for wanted files, with
 * null otherwise. `onEntry` may be async; reading waits for it. A truncated archive or a bad header checksum is an
 * InputError naming the archive and the byte offset.
 */
export async function readTar(
  source: AsyncIterable<Uint8Array>,
  onEntry: (entry: TarEntry, content: Buffer | null) => void | Promise<void>,
  opts: TarReadOptions = {},
): Promise<void> {
  const name = opts.name ?? 'tar archive';
  const want = opts.want ?? ((e: TarEntry) => e.type === 'file');
  const maxBytes = opts.maxEntryBytes ?? 256 * 1024 * 1024;
  const header = new Uint8Array(BLOCK);
  let headerFill = 0;
  let state = 'header' as 'header' | 'data' | 'pad' | 'end';
  let offset = 0; // archive offset of the next byte to consume
  let entry: TarEntry | null = null;
  let content: Buffer | null = null;
  let contentFill = 0;
  let remaining = 0;
  let padRemaining = 0;
  let metaKind: 'longname' | 'pax' | 'skip' | null = null; // content of a metadata entry, not a real one
  let nextName: string | null = null;
  let zeroBlocks = 0;

  const finishEntry = async () => {
    const e = entry!;
    const c = content;
    entry = null;
    content = null;
    if (metaKind === 'longname') nextName = c ? cstring(c, 0, c.length) : nextName;
    else if (metaKind === 'pax') {
      const p = c ? paxRecords(c).get('path') : undefined;
      if (p !== undefined) nextName = p;
    } else if (metaKind === null) await onEntry(e, c);
    metaKind = null;
  };

  const startEntry = async (at: number): Promise<'data' | 'pad' | 'header'> => {
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : header[i];
    const stored = numeric(header, 148, 8, `${name}: header at byte ${at}`);
    if (sum !== stored) {
      throw new InputError(`${name}: bad tar header checksum at byte ${at} (not a tar archive, or corrupt)`);
    }
    const typeChar = header[156] === 0 ? '' : String.fromCharCode(header[156]);
    let entryName = cstring(header, 0, 100);
    const magic = cstring(header, 257, 6);
    const version = cstring(header, 263, 2);
    if (magic === 'ustar' && version === '00') {
      const prefix = cstring(header, 345, 155);
      if (prefix) entryName = `${prefix}/${entryName}`;
    }
    if (nextName !== null && typeChar !== 'L' && typeChar !== 'x' && typeChar !== 'g') {
      entryName = nextName;
      nextName = null;
    }
    const size = numeric(header, 124, 12, `${name}: size of '${entryName}'`);
    const type: TarEntry['type'] =
      typeChar === '' || typeChar === '0' || typeChar === '7'
        ? 'file'
        : typeChar === '5'
          ? 'directory'
          : 'other';
    entry = { name: entryName, type, typeflag: typeChar, size };
    metaKind = typeChar === 'L' ? 'longname' : typeChar === 'x' ? 'pax' : typeChar === 'g' ? 'skip' : null;
    const keep =
      metaKind === 'longname' || metaKind === 'pax' || (metaKind === null && type === 'file' && want(entry));
    if (keep && size > maxBytes) {
      throw new InputError(
        `${name}: entry '${entryName}' is ${size} bytes, more than the ${maxBytes} allowed`,
      );
    }
    // Directories and links carry no content even when a size is set for links.
    const dataSize = type === 'file' || metaKind !== null ? size : 0;
    content = keep ? Buffer.allocUnsafe(dataSize) : null;
    contentFill = 0;
    remaining = dataSize;
    padRemaining = (BLOCK - (dataSize % BLOCK)) % BLOCK;
    if (remaining > 0) return 'data';
    await finishEntry();
    return padRemaining > 0 ? 'pad' : 'header';
  };

  for await (const chunk of source) {
    let pos = 0;
    while (pos < chunk.length && state !== 'end') {
      if (state === 'header') {
        const n = Math.min(BLOCK - headerFill, chunk.length - pos);
        header.set(chunk.subarray(pos, pos + n), headerFill);
        headerFill += n;
        pos += n;
        offset += n;
        if (headerFill < BLOCK) break;
        headerFill = 0;
        if (isZeroBlock(header)) {
          zeroBlocks++;
          if (zeroBlocks >= 2) state = 'end';
          continue;
        }
        zeroBlocks = 0;
        state = await startEntry(offset - BLOCK);
      } else if (state === 'data') {
        const n = Math.min(remaining, chunk.length - pos);
        if (content) {
          (content as Buffer).set(chunk.subarray(pos, pos + n), contentFill);
          contentFill += n;
        }
        remaining -= n;
        pos += n;
        offset += n;
        if (remaining === 0) {
          await finishEntry();
          state = padRemaining > 0 ? 'pad' : 'header';
        }
      } else if (state === 'pad') {
        const n = Math.min(padRemaining, chunk.length - pos);
        padRemaining -= n;
        pos += n;
        offset += n;
        if (padRemaining === 0) state = 'header';
      }
    }
  }
  // Two zero blocks end an archive; accept one or none too, but never a cut inside a header or an entry.
  if (state === 'data' || state === 'pad' || (state === 'header' && headerFill !== 0)) {
    throw new InputError(
      `${name}: archive ends at byte ${offset} inside ${entry ? `'${(entry as TarEntry).name}'` : 'a header'} — truncated`,
    );
  }
}

/** Build a ustar archive from in-memory files (for tests and small fixtures); names up to 100 bytes. */
export function writeTar(
  files: { name: string; content?: Uint8Array; type?: 'file' | 'directory'; typeflag?: string }[],
): Buffer {
  const parts: Buffer[] = [];
  for (const f of files) {
    const content = f.content ?? new Uint8Array(0);
    const dir = f.type === 'directory';
    const flag = f.typeflag ?? (dir ? '5' : '0');
    const h = Buffer.alloc(BLOCK);
    const nameBytes = Buffer.from(f.name, 'utf8');
    if (nameBytes.length > 100) throw new Error(`writeTar: name '${f.name}' is longer than 100 bytes`);
    nameBytes.copy(h, 0);
    h.write(dir ? '0000755\0' : '0000644\0', 100, 'ascii');
    h.write('0000000\0', 108, 'ascii');
    h.write('0000000\0', 116, 'ascii');
    h.write(`${(dir ? 0 : content.length).toString(8).padStart(11, '0')}\0`, 124, 'ascii');
    h.write('00000000000\0', 136, 'ascii');
    h.write('        ', 148, 'ascii');
    h.write(flag, 156, 'ascii');
    h.write('ustar\0', 257, 'ascii');
    h.write('00', 263, 'ascii');
    let sum = 0;
    for (let i = 0; i < BLOCK; i++) sum += h[i];
    h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
    parts.push(h);
    if (!dir && content.length > 0) {
      parts.push(Buffer.from(content.buffer, content.byteOffset, content.length));
      const pad = (BLOCK - (content.length % BLOCK)) % BLOCK;
      if (pad) parts.push(Buffer.alloc(pad));
    }
  }
  parts.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(parts);
}
