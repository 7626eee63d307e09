import { InvalidArgumentError } from 'commander';
import { InputError } from '../io/input-error.js';

/** Parse a comma-separated list option, naming the flag on error. */
export function listOf<T>(flag: string, parseItem: (s: string) => T): (raw: string) => T[] {
  return (raw: string) => {
    const items = raw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (items.length === 0) throw new InputError(`${flag} needs at least one value`);
    return items.map((s) => {
      try {
        return parseItem(s);
      } catch (e) {
        throw new InputError(`${flag}: ${(e as Error).message}`);
      }
    });
  };
}

// Option parsers throw commander's InvalidArgumentError: commander then names the option in one line and the CLI
// exits with 2 (see main.ts), before any work.

export function positiveInt(s: string): number {
  if (!/^\d+$/.test(s) || Number(s) < 1) throw new InvalidArgumentError(`'${s}' is not a positive integer`);
  return Number(s);
}

export function nonNegativeInt(s: string): number {
  if (!/^\d+$/.test(s)) throw new InvalidArgumentError(`'${s}' is not a non-negative integer`);
  return Number(s);
}

export function positiveNumber(flag: string): (s: string) => number {
  return (s: string) => {
    const v = Number(s);
    if (!Number.isFinite(v) || v <= 0) throw new InputError(`${flag} must be a positive number, got '${s}'`);
    return v;
  };
}
