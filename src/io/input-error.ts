/**
 * An error in what the user gave us (a file, a flag, a field): the CLI prints its message on one line and exits 2.
 * The message names the file and line (or the field) where possible.
 */
export class InputError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'InputError';
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
