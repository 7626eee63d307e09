import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import { z } from 'zod';

/**
 * The compact ground-truth bundle: gzip of
 *   8-byte magic "NASSGT01" | uint32 LE header length | UTF-8 JSON header | payload
 * payload = n uint16 LE architecture codes (base-5 tril-order code of NB201 index i), then one float64 LE block of
 * n values per column, in header order. The header carries the payload's sha256 and the data's attribution.
 */
export const BUNDLE_MAGIC = 'NASSGT01';

export const bundleHeaderSchema = z.object({
  format: z.literal(1),
  n: z.number().int().positive(),
  columns: z.array(z.string().min(1)).min(1),
  payloadSha256: z.string().regex(/^[0-9a-f]{64}$/),
  source: z.string(),
  license: z.string(),
});
export type BundleHeader = z.infer<typeof bundleHeaderSchema>;

export interface BundleContent {
  codes: Uint16Array;
  columns: Map<string, Float64Array>;
  header: BundleHeader;
}

export function encodeBundle(
  codes: Uint16Array,
  columns: ReadonlyMap<string, Float64Array>,
  meta: { source: string; license: string },
): Buffer {
  const n = codes.length;
  const parts: Buffer[] = [Buffer.from(codes.buffer, codes.byteOffset, codes.byteLength)];
  for (const [name, col] of columns) {
    if (col.length !== n)
      throw new Error(`encodeBundle: column '${name}' has ${col.length} values, expected ${n}`);
    parts.push(Buffer.from(col.buffer, col.byteOffset, col.byteLength));
  }
  // Typed arrays are little-endian on every platform Node supports; the format says LE explicitly.
  const payload = Buffer.concat(parts);
  const header: BundleHeader = {
    format: 1,
    n,
    columns: [...columns.keys()],
    payloadSha256: createHash('sha256').update(payload).digest('hex'),
    ...meta,
  };
  const headerBytes = Buffer.from(JSON.stringify(header), 'utf8');
  const len = Buffer.alloc(4);
  len.writeUInt32LE(headerBytes.length);
  return gzipSync(Buffer.concat([Buffer.from(BUNDLE_MAGIC, 'latin1'), len, headerBytes, payload]), {
    level: 9,
  });
}

/** Decode and validate a bundle; every failure names the file and what is wrong. */
export function decodeBundle(gz: Buffer, file: string): BundleContent {
  let raw: Buffer;
  try {
    raw = gunzipSync(gz);
  } catch (e) {
    throw new Error(`${file}: not a valid gzip ground-truth bundle (${(e as Error).message})`);
  }
  if (raw.length < 12 || raw.subarray(0, 8).toString('latin1') !== BUNDLE_MAGIC) {
    throw new Error(`${file}: bad magic, not a nas-surgery ground-truth bundle`);
  }
  const headerLen = raw.readUInt32LE(8);
  if (12 + headerLen > raw.length) throw new Error(`${file}: truncated header`);
  let header: BundleHeader;
  try {
    header = bundleHeaderSchema.parse(JSON.parse(raw.subarray(12, 12 + headerLen).toString('utf8')));
  } catch (e) {
    throw new Error(`${file}: invalid header (${(e as Error).message})`);
  }
  const payload = raw.subarray(12 + headerLen);
  const expected = header.n * 2 + header.columns.length * header.n * 8;
  if (payload.length !== expected) {
    throw new Error(`${file}: payload has ${payload.length} bytes, header implies ${expected}`);
  }
  const sha = createHash('sha256').update(payload).digest('hex');
  if (sha !== header.payloadSha256) throw new Error(`${file}: checksum mismatch (payload is corrupt)`);
  // Copy into fresh aligned buffers.
  const codes = new Uint16Array(header.n);
  Buffer.from(codes.buffer).set(payload.subarray(0, header.n * 2));
  const columns = new Map<string, Float64Array>();
  let off = header.n * 2;
  for (const name of header.columns) {
    const col = new Float64Array(header.n);
    Buffer.from(col.buffer).set(payload.subarray(off, off + header.n * 8));
    columns.set(name, col);
    off += header.n * 8;
  }
  return { codes, columns, header };
}
