/**
 * An error in what the user gave us (a file, a flag, a field): the CLI prints its message on one line and exits 2.
 * The message names the file and line (or the field) where possible.
 */
export class InputError extends Error {
  /** 2 for bad input; 1 for an outcome that is reported the same way (a cluster job whose task failed). */
  readonly exitCode: number;
  constructor(message: string, exitCode = 2) {
    super(message);
    this.name = 'InputError';
    this.exitCode = exitCode;
  }
}

export function isInputError(e: unknown): e is InputError {
  return e instanceof InputError;
}
