/**
 * A file-system error on a path the user named (an --out where a file stands in the way, a folder without write
 * permission, a full disk): one line that names the path and says what is wrong, instead of a stack trace.
 */
const WHY: Record<string, string> = {
  EEXIST: 'something else already stands there (a file where a folder is needed?)',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'read-only file system',
  ENOENT: 'no such file or folder',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'disk quota exceeded',
};

/** The line and exit code for a Node file-system error with a path, or undefined for anything else. */
export function fsErrorLine(e: unknown): { message: string; exitCode: number } | undefined {
  if (!(e instanceof Error)) return undefined;
  const err = e as NodeJS.ErrnoException;
  if (typeof err.code !== 'string' || typeof err.path !== 'string' || !(err.code in WHY)) return undefined;
  const verb = err.syscall ? `cannot ${err.syscall}` : 'cannot use';
  // A full disk or a quota is the machine's state, not bad input.
  const exitCode = err.code === 'ENOSPC' || err.code === 'EDQUOT' ? 1 : 2;
  return { message: `${err.path}: ${verb}: ${WHY[err.code]} (${err.code})`, exitCode };
}
