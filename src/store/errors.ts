import fs from 'node:fs';
import path from 'node:path';

export type StoreErrorCode =
  | 'missing'
  | 'not-sqlite'
  | 'foreign'
  | 'newer-schema'
  | 'corrupt'
  | 'read-only'
  | 'busy'
  | 'full'
  | 'migration-failed'
  | 'exists'
  | 'driver'
  | 'encrypted'
  | 'wrong-key'
  | 'not-encrypted'
  // A clinic database (PostgreSQL): a task that is not bridgefit's there, a login refused or
  // not allowed to do this, a server that cannot be reached.
  | 'unsupported'
  | 'denied'
  | 'unreachable';

/** A problem with the database file itself; the message names the file and what to do. */
export class StoreError extends Error {
  override readonly name = 'StoreError';
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Turn a SQLite driver error into a StoreError a person can act on; other errors pass through. */
export function translateSqliteError(err: unknown, file: string): unknown {
  const code = (err as { code?: unknown })?.code;
  if (typeof code !== 'string') return err;
  if (code === 'SQLITE_NOTADB') return new StoreError('not-sqlite', `${file} is not a SQLite database`, { cause: err });
  if (code.startsWith('SQLITE_CORRUPT')) {
    return new StoreError('corrupt', `${file} is damaged (${code}); run "bridgefit doctor", then restore from a backup ("bridgefit restore <backup>")`, { cause: err });
  }
  // bridgefit's own SQL names only what its migrations made: a table or column that is not
  // there was removed from the file (doctor lists what else is missing).
  const message = (err as Error).message ?? '';
  if (code === 'SQLITE_ERROR' && /^(no such (table|column|index)|table \S+ has no column named)/.test(message)) {
    return new StoreError('corrupt', `${file} is damaged: a part of bridgefit's schema is missing (${message}); run "bridgefit doctor", then restore from a backup ("bridgefit restore <backup>")`, { cause: err });
  }
  if (code.startsWith('SQLITE_READONLY') || code === 'SQLITE_CANTOPEN' || code === 'SQLITE_PERM') {
    return new StoreError('read-only', `cannot write ${file}: the file or its folder is read-only (${code})`, { cause: err });
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new StoreError('busy', `${file} is busy: another program (another bridgefit, or a tool with the file open) is writing to it; try again`, { cause: err });
  }
  if (code === 'SQLITE_FULL') return new StoreError('full', `cannot write ${file}: the disk is full`, { cause: err });
  if (code.startsWith('SQLITE_IOERR')) {
    // SQLite says SQLITE_FULL only for some writes; growing the -shm or a short write on a full disk is an I/O error.
    if (diskFull(file)) return new StoreError('full', `cannot write ${file}: the disk is full`, { cause: err });
    return new StoreError('corrupt', `cannot read or write ${file} (${code})`, { cause: err });
  }
  return err;
}

function diskFull(file: string): boolean {
  try {
    const s = fs.statfsSync(path.dirname(file));
    return s.bavail * s.bsize < 64 * 1024;
  } catch {
    return false;
  }
}
