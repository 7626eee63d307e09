import assert from 'node:assert/strict';
import type { CliResult } from './run-cli.js';

/**
 * The rule for bad input, checked on each CLI result: exit code 2, stderr one line matching the case's pattern,
 * nothing on stdout.
 */
export function assertBadInputs(results: readonly CliResult[], cases: readonly [string[], RegExp][]): void {
  results.forEach((r, i) => {
    const [args, re] = cases[i];
    assert.equal(r.code, 2, `${args.join(' ')} → ${r.code}: ${r.stderr}`);
    assert.match(r.stderr, re, args.join(' '));
    assert.equal(r.stderr.trim().split('\n').length, 1, `one line: ${r.stderr}`);
    assert.equal(r.stdout, '');
  });
}
