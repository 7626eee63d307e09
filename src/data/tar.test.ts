import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readTar, writeTar, type TarEntry } from './tar.js';

/** Feed a buffer in pieces of `size` bytes. */
async function* pieces(buf: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < buf.length; i += size) yield buf.subarray(i, i + size);
}

const bytes = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 255);

async function collect(tar: Uint8Array, piece: number, want?: (e: TarEntry) => boolean) {
  const out: { name: string; type: string; content: Buffer | null }[] = [];
  await readTar(pieces(tar, piece), (e, c) => void out.push({ name: e.name, type: e.type, content: c }), {
    want,
  });
  return out;
}

test('reads directories and files of any size, whatever the chunking', async () => {
  const a = bytes(3073 * 2, 1);
  const b = bytes(512, 2);
  const tar = writeTar([
    { name: 'top/', type: 'directory' },
    { name: 'top/a.bin', content: a },
    { name: 'top/b.bin', content: b },
    { name: 'top/empty.txt' },
  ]);
  for (const piece of [1, 7, 512, 100_000]) {
    const got = await collect(tar, piece);
    assert.deepEqual(
      got.map((g) => [g.name, g.type]),
      [
        ['top/', 'directory'],
        ['top/a.bin', 'file'],
        ['top/b.bin', 'file'],
        ['top/empty.txt', 'file'],
      ],
    );
    assert.deepEqual(new Uint8Array(got[1].content!), a);
    assert.deepEqual(new Uint8Array(got[2].content!), b);
    assert.equal(got[3].content!.length, 0);
  }
  // Unwanted entries are skipped (null content).
  const some = await collect(tar, 1000, (e) => e.name.endsWith('b.bin'));
  assert.equal(some[1].content, null);
  assert.deepEqual(new Uint8Array(some[2].content!), b);
});

test('GNU long names apply to the next entry', async () => {
  const long = 'cifar-10-batches-bin/' + 'x'.repeat(120) + '.bin';
  const tar = writeTar([
    { name: '././@LongLink', typeflag: 'L', content: Buffer.from(long + '\0') },
    { name: 'short-name', content: bytes(10, 3) },
    { name: 'next' },
  ]);
  const got = await collect(tar, 333);
  assert.deepEqual(
    got.map((g) => g.name),
    [long, 'next'],
  );
});

test('truncated archives and bad header checksums are clear errors', async () => {
  const tar = writeTar([{ name: 'a.bin', content: bytes(2000, 4) }]);
  await assert.rejects(
    collect(tar.subarray(0, 1500), 100),
    /archive ends at byte 1500 inside 'a\.bin' — truncated/,
  );
  await assert.rejects(collect(tar.subarray(0, 300), 100), /inside a header — truncated/);
  const bad = Buffer.from(tar);
  bad[10] ^= 1;
  await assert.rejects(collect(bad, 512), /bad tar header checksum at byte 0/);
});
