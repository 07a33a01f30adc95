import { ValidationError } from '../domain/errors.js';
import { StoreError } from '../store/errors.js';
import { FileError, describeFsError, isFsError } from '../store/files.js';
import { EXIT } from './exit-codes.js';

/** Exit codes: src/app/exit-codes.ts. */
export { EXIT };

/** A bad flag, a bad value, or a missing one. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Bad input with several problems (an answers file): a summary line, then one line per problem. */
export class InputError extends UsageError {
  constructor(
    message: string,
    readonly details: string[],
  ) {
    super(message);
  }
}

/** The client (or other record) named does not exist, or the name fits several. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The user stopped: Ctrl-C at a prompt, or declined a confirmation. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor(message = 'cancelled; nothing was changed') {
    super(message);
  }
}

/** A failure the user can act on, with a message written for them (and, optionally, one line per detail). */
export class UserError extends Error {
  override readonly name = 'UserError';
  constructor(
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

export function exitCodeFor(err: unknown): number {
  if (err instanceof UsageError || err instanceof ValidationError) return EXIT.usage;
  if (err instanceof NotFoundError) return EXIT.notFound;
  if (err instanceof CancelledError) return EXIT.cancelled;
  return EXIT.failure;
}

/** Whether the message was written for a person; anything else is a bug worth reporting. */
export function isExpected(err: unknown): boolean {
  return (
    err instanceof UsageError ||
    err instanceof ValidationError ||
    err instanceof NotFoundError ||
    err instanceof CancelledError ||
    err instanceof UserError ||
    err instanceof StoreError ||
    err instanceof FileError ||
    isFsError(err)
  );
}

/** One line for stderr. */
export function messageFor(err: unknown): string {
  // A file-system error no command put in words (EACCES, ENOENT, ENOSPC, …): the path and the problem.
  if (isFsError(err) && !(err instanceof FileError)) {
    // open(2) is both: which of the two is not known here, so it is not guessed at.
    const verb = err.syscall === 'open' ? 'open' : err.syscall && READING.has(err.syscall) ? 'read' : 'write';
    const why = describeFsError(err, { ENOENT: 'no such file or folder' });
    return err.path ? `cannot ${verb} ${err.path}: ${why}` : why;
  }
  if (isExpected(err)) return firstLine((err as Error).message);
  const text = err instanceof Error ? err.message : String(err);
  return `unexpected error: ${firstLine(text)} (run again with --debug for details, and report it)`;
}

/** System calls that only read; any other failing on a path was a write. */
const READING = new Set(['read', 'stat', 'lstat', 'scandir', 'opendir', 'access', 'readlink']);

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
