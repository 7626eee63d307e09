// Its own file (so its own process): it breaks the wasm backend on purpose.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { initTensorflow } from './tf-backend.js';

test('initTensorflow falls back to cpu, with a warning on stderr, when wasm cannot start', async () => {
  setWasmPaths('/nonexistent-nas-surgery-wasm/');
  const written: string[] = [];
  const write = process.stderr.write.bind(process.stderr);
  const { warn, error, log } = console;
  process.stderr.write = ((chunk: string | Uint8Array) => (
    written.push(String(chunk)),
    true
  )) as typeof write;
  console.warn = console.error = console.log = () => {}; // emscripten's own abort messages
  try {
    assert.equal(await initTensorflow('wasm'), 'cpu');
    assert.equal(await initTensorflow('wasm'), 'cpu', 'the fallback is remembered');
  } finally {
    process.stderr.write = write;
    Object.assign(console, { warn, error, log });
  }
  assert.ok(
    written.some((s) => /wasm backend failed .*falling back to cpu/.test(s)),
    written.join(''),
  );
});
