import { InputError } from '../io/input-error.js';
import { toJson } from '../io/json.js';

export { toJson };

export function printJson(value: unknown): void {
  process.stdout.write(toJson(value) + '\n');
}

/** Parse a non-negative integer option, naming the flag in the error. */
export function intOption(flag: string, min = 0): (raw: string) => number {
  return (raw: string) => {
    if (!/^-?\d+$/.test(raw.trim()) || Number(raw) < min) {
      throw new InputError(`${flag} must be an integer ≥ ${min}, got '${raw}'`);
    }
    return Number(raw);
  };
}

/** Check that an option is one of a fixed set, naming the flag. */
export function choice<T extends string>(flag: string, allowed: readonly T[], value: string): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new InputError(`${flag} must be one of ${allowed.join(', ')}; got '${value}'`);
  }
  return value as T;
}

/** Collect a repeatable option that also takes comma lists (`--cost-column flops,params --cost-column latency`). */
export function listOption(value: string, previous: string[] | undefined): string[] {
  return [
    ...(previous ?? []),
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}
