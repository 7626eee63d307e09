/**
 * Every option of every command that parses its value rejects a bad value the same way: exit 2, one error line
 * naming the option, no stack, before any work. Table-driven over the commander definitions, so a new option is
 * covered by being declared.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Command, Option } from 'commander';
import { buildProgram, main } from '../src/cli/main.js';

const BAD_VALUES = ['0', '-1', 'x', '1.5', ''];

/** Every (command path, option) with a value parser. */
function parsedOptions(cmd: Command, path: string[] = []): { path: string[]; option: Option }[] {
  const here = cmd.options
    .filter((o) => (o as unknown as { parseArg?: unknown }).parseArg)
    .map((option) => ({ path, option }));
  return [...here, ...cmd.commands.flatMap((c) => parsedOptions(c, [...path, c.name()]))];
}

/** The CLI in this process, stderr captured (stdout is left alone: the test runner reports through it). */
async function runInProcess(argv: string[]): Promise<{ code: number; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  }) as typeof process.stderr.write;
  try {
    return { code: await main(argv), stderr };
  } finally {
    process.stderr.write = write;
  }
}

test('every value-parsing option refuses what its parser refuses: exit 2, one line naming it, no stack', async () => {
  const options = parsedOptions(await buildProgram());
  assert.ok(options.length >= 30, `${options.length} options with parsers`);
  let cases = 0;
  for (const { path, option } of options) {
    const parse = (option as unknown as { parseArg: (v: string, prev: unknown) => unknown }).parseArg;
    for (const bad of BAD_VALUES) {
      let refused = false;
      try {
        parse(bad, undefined);
      } catch {
        refused = true;
      }
      if (!refused) continue;
      cases++;
      const flag = option.long!;
      const r = await runInProcess([...path, `${flag}=${bad}`]);
      const what = `${path.join(' ')} ${flag}=${bad}`;
      assert.equal(r.code, 2, `${what}: exit ${r.code}, ${r.stderr}`);
      assert.ok(!/internal error|\n\s+at /.test(r.stderr), `${what}: ${r.stderr}`);
      const lines = r.stderr
        .trim()
        .split('\n')
        .filter((l) => !l.startsWith('(add --help'));
      assert.equal(lines.length, 1, `${what}: ${r.stderr}`);
      assert.ok(lines[0].includes(flag.replace(/^--/, '')), `${what} names the option: ${lines[0]}`);
    }
  }
  assert.ok(cases >= 60, `${cases} refused values checked`);
});

test('the numbers the issue found print a stack today are refused before any work', async () => {
  const cases = [
    ['oneshot', 'train', '--channels', '0'],
    ['oneshot', 'train', '--cells', '0'],
    ['oneshot', 'train', '--epochs', '0'],
    ['oneshot', 'train', '--batch-size', '0'],
    ['oneshot', 'train', '--checkpoint-every', '0'],
    ['predictors', 'run', '--sets', '0'],
    ['predictors', 'run', '--workers', '0'],
    ['predictors', 'run', '--epochs', '0'],
    ['predictors', 'search', '--stages', '0'],
    ['predictors', 'search', '--per-stage', '0'],
    ['oneshot', 'curve', 'somewhere', '--every', '0'],
    ['zeroshot', 'score', '--batch-size', '0'],
    ['demo', '--predictor-size', '0'],
  ];
  for (const argv of cases) {
    const r = await runInProcess(argv);
    assert.equal(r.code, 2, `${argv.join(' ')}: ${r.stderr}`);
    assert.match(r.stderr, /'0' is not a positive integer/, argv.join(' '));
  }
});
