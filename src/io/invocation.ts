/**
 * The command line a run records (in its manifest and summaries): the process's own arguments, or, while `merge`
 * finishes a sharded job, the command line of the job as if it had run unsharded (so that the merged files are the
 * unsharded run's, byte for byte).
 */
let override: string[] | undefined;

/** The arguments after `nas-surgery`. */
export function invocationArgs(): string[] {
  return override ?? process.argv.slice(2);
}

/** `nas-surgery <args>`, as summaries print it. */
export function invocationLine(): string {
  return `nas-surgery ${invocationArgs().join(' ')}`;
}

/** Run `fn` as if invoked with `args`. */
export async function asInvocation<T>(args: string[], fn: () => Promise<T>): Promise<T> {
  const before = override;
  override = args;
  try {
    return await fn();
  } finally {
    override = before;
  }
}
