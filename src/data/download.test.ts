import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { CIFAR10_PROVENANCE_FILE } from './checksums.js';
import { readCifar10Files } from './cifar10-binary.js';
import {
  CIFAR10_BINARY_FILES,
  downloadCifar10,
  downloadResumable,
  extractCifar10Archive,
} from './download.js';
import { writeTar } from './tar.js';
import { InputError } from '../io/input-error.js';

const md5 = (b: Uint8Array) => createHash('md5').update(b).digest('hex');
const tmp = () => mkdtempSync(path.join(tmpdir(), 'nas-dl-'));

/** `count` records of file number `f`: label (f + k) % 10, pixels from (f, k). */
function batch(f: number, count: number, badLabel = false): Uint8Array {
  const b = new Uint8Array(count * 3073);
  for (let k = 0; k < count; k++) {
    b[k * 3073] = badLabel && k === 1 ? 12 : (f + k) % 10;
    for (let p = 1; p < 3073; p++) b[k * 3073 + p] = (f * 13 + k * 7 + p) & 255;
  }
  return b;
}

/** A small archive laid out like the official one (folder, six batches, meta, readme). */
function archive(opts: { omit?: string; badLabel?: boolean } = {}): Buffer {
  const files = CIFAR10_BINARY_FILES.filter((f) => f !== opts.omit).map((name, f) => ({
    name: `cifar-10-batches-bin/${name}`,
    content: batch(f, 3, opts.badLabel && f === 0),
  }));
  return gzipSync(
    writeTar([
      { name: 'cifar-10-batches-bin/', type: 'directory' },
      ...files,
      { name: 'cifar-10-batches-bin/batches.meta.txt', content: Buffer.from('airplane\nautomobile\n') },
      { name: 'cifar-10-batches-bin/readme.html', content: Buffer.from('<html></html>') },
    ]),
  );
}

const good = archive();
const goodMd5 = md5(good);

/** What the server does and what it saw. */
const server = {
  body: good as Buffer,
  /** Cut the first response after this many bytes (then serve normally). */
  cutFirstAt: 0,
  ignoreRange: false,
  /** Answer this many requests with 503 first. */
  fail503: 0,
  requests: [] as { url: string; range: string | undefined }[],
};
let httpServer: http.Server;
let base = '';

before(async () => {
  httpServer = http.createServer((req, res) => {
    server.requests.push({ url: req.url ?? '', range: req.headers.range });
    if (req.url === '/moved') {
      res.writeHead(302, { Location: '/cifar.tar.gz' });
      return res.end();
    }
    if (server.fail503 > 0) {
      server.fail503--;
      res.writeHead(503);
      return res.end();
    }
    if (req.url !== '/cifar.tar.gz') {
      res.writeHead(404);
      return res.end();
    }
    const body = server.body;
    const m = /^bytes=(\d+)-$/.exec(req.headers.range ?? '');
    if (m && !server.ignoreRange) {
      const start = Number(m[1]);
      if (start >= body.length) {
        res.writeHead(416, { 'Content-Range': `bytes */${body.length}` });
        return res.end();
      }
      res.writeHead(206, {
        'Content-Length': body.length - start,
        'Content-Range': `bytes ${start}-${body.length - 1}/${body.length}`,
      });
      return res.end(body.subarray(start));
    }
    res.writeHead(200, { 'Content-Length': body.length });
    if (server.cutFirstAt > 0) {
      const cut = server.cutFirstAt;
      server.cutFirstAt = 0;
      res.write(body.subarray(0, cut), () => setTimeout(() => res.socket?.destroy(), 20));
      return;
    }
    res.end(body);
  });
  await new Promise<void>((r) => httpServer.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(httpServer.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((r) => httpServer.close(() => r())));

function reset(body: Buffer = good) {
  Object.assign(server, { body, cutFirstAt: 0, ignoreRange: false, fail503: 0, requests: [] });
}

test('an interrupted transfer resumes with a Range request; md5 verified; batches extracted with a record', async () => {
  reset();
  server.cutFirstAt = Math.floor(good.length / 2);
  const dir = tmp();
  const logs: string[] = [];
  let lastProgress = 0;
  const r = await downloadCifar10({
    dir,
    url: `${base}/cifar.tar.gz`,
    md5: goodMd5,
    retryDelayMs: 0,
    log: (l) => logs.push(l),
    onProgress: (bytes) => (lastProgress = bytes),
  });
  assert.equal(r.status, 'downloaded');
  assert.deepEqual(
    server.requests.map((q) => q.range),
    [undefined, `bytes=${Math.floor(good.length / 2)}-`],
  );
  assert.equal(lastProgress, good.length);
  assert.ok(logs.some((l) => /transfer interrupted at byte/.test(l)));
  // Extracted: the six batches and the meta file, flat in dir; no archive, .part or temp files left.
  assert.deepEqual(
    readdirSync(dir).sort(),
    [...CIFAR10_BINARY_FILES, 'batches.meta.txt', CIFAR10_PROVENANCE_FILE].sort(),
  );
  const d = readCifar10Files(dir, CIFAR10_BINARY_FILES);
  assert.equal(d.n, 18);
  assert.deepEqual(d.images.subarray(3 * 3072, 3 * 3072 + 3072), batch(1, 1).subarray(1));
  const prov = JSON.parse(readFileSync(path.join(dir, CIFAR10_PROVENANCE_FILE), 'utf8'));
  assert.equal(prov.archiveMd5, goodMd5);
  assert.equal(prov.files['test_batch.bin'], md5(batch(5, 3)));
  // A second run finds everything present and asks nothing.
  reset();
  assert.equal((await downloadCifar10({ dir, url: `${base}/cifar.tar.gz`, md5: goodMd5 })).status, 'present');
  assert.equal(server.requests.length, 0);
});

test('a .part left by an earlier run is resumed; a server ignoring Range restarts it', async () => {
  reset();
  const dir = tmp();
  const dest = path.join(dir, 'x.tar.gz');
  writeFileSync(`${dest}.part`, good.subarray(0, 1000));
  const r = await downloadResumable({ url: `${base}/moved`, dest, md5: goodMd5, retryDelayMs: 0 });
  assert.equal(r.resumedFrom, 1000);
  assert.equal(r.md5, goodMd5);
  assert.deepEqual(readFileSync(dest), good);
  assert.equal(server.requests.at(-1)?.range, 'bytes=1000-');

  reset();
  server.ignoreRange = true;
  const dest2 = path.join(dir, 'y.tar.gz');
  writeFileSync(`${dest2}.part`, Buffer.alloc(1000, 7)); // garbage: appending to it would corrupt the file
  const logs: string[] = [];
  await downloadResumable({
    url: `${base}/cifar.tar.gz`,
    dest: dest2,
    md5: goodMd5,
    log: (l) => logs.push(l),
  });
  assert.deepEqual(readFileSync(dest2), good);
  assert.ok(logs.some((l) => /ignored the range request/.test(l)));

  // A complete .part answered with 416 is taken as done.
  reset();
  const dest3 = path.join(dir, 'z.tar.gz');
  writeFileSync(`${dest3}.part`, good);
  await downloadResumable({ url: `${base}/cifar.tar.gz`, dest: dest3, md5: goodMd5 });
  assert.deepEqual(readFileSync(dest3), good);
});

test('a checksum mismatch is an error and deletes the download; HTTP errors are named', async () => {
  reset();
  const dir = tmp();
  const corrupt = Buffer.from(good);
  corrupt[100] ^= 0xff;
  server.body = corrupt;
  await assert.rejects(
    downloadCifar10({ dir, url: `${base}/cifar.tar.gz`, md5: goodMd5, retryDelayMs: 0 }),
    new RegExp(
      `checksum mismatch for .*: md5 ${md5(corrupt)} .*expected ${goodMd5}; the download was deleted`,
    ),
  );
  assert.deepEqual(readdirSync(dir), []);
  reset();
  await assert.rejects(
    downloadResumable({ url: `${base}/nothing`, dest: path.join(dir, 'n'), retryDelayMs: 0 }),
    /HTTP 404/,
  );
  // Server errors (5xx) are retried; a 404 is not.
  server.fail503 = 2;
  const r = await downloadResumable({
    url: `${base}/cifar.tar.gz`,
    dest: path.join(dir, 'ok'),
    retryDelayMs: 0,
  });
  assert.equal(r.requests, 3);
  assert.equal(r.md5, goodMd5);
  await assert.rejects(
    downloadResumable({
      url: 'http://127.0.0.1:1/x',
      dest: path.join(dir, 'n'),
      retries: 1,
      retryDelayMs: 0,
    }),
    /could not download .* after 2 attempts/,
  );
});

test('extraction is all or nothing: a missing batch or a bad label leaves no file behind', async () => {
  const dir = tmp();
  const a = path.join(dir, 'missing.tar.gz');
  writeFileSync(a, archive({ omit: 'test_batch.bin' }));
  const out = path.join(dir, 'out');
  await assert.rejects(extractCifar10Archive(a, out), /missing\.tar\.gz does not hold test_batch\.bin/);
  assert.deepEqual(readdirSync(out), []);
  const b = path.join(dir, 'badlabel.tar.gz');
  writeFileSync(b, archive({ badLabel: true }));
  await assert.rejects(extractCifar10Archive(b, out), /data_batch_1\.bin: record 1 .* has label 12/);
  assert.deepEqual(readdirSync(out), []);
  const c = path.join(dir, 'notgz.tar.gz');
  writeFileSync(c, 'hello');
  await assert.rejects(extractCifar10Archive(c, out), /not a valid gzip file/);
  assert.ok(!existsSync(path.join(out, 'data_batch_1.bin')));
});

test('a host name that does not resolve fails at once, without retries, saying the machine looks offline', async () => {
  const dir = tmp();
  const t0 = performance.now();
  // .invalid never resolves (RFC 2606); retries with the default 2 s back-off would take over 30 s.
  await assert.rejects(
    downloadResumable({ url: 'http://cifar.nas-surgery.invalid/cifar.tar.gz', dest: path.join(dir, 'c') }),
    (e: unknown) =>
      e instanceof InputError && /does not resolve \((ENOTFOUND|EAI_AGAIN)\): .*offline/.test(e.message),
  );
  assert.ok(performance.now() - t0 < 15_000, `took ${(performance.now() - t0).toFixed(0)} ms`);
  assert.deepEqual(readdirSync(dir), []);
});
