/**
 * Where the database is and opening it: the one door from the commands to
 * the store. Commands hold the opened Store as a handle and pass it to use
 * cases; they never call a repository.
 */
import { resolveLocation, type DatabaseLocation } from '../store/location.js';
import type { OpenOptions } from '../store/sqlite.js';
import type { Store } from '../store/store.js';

export type { DatabaseLocation, OpenOptions, Store };

/**
 * Open options for commands that only read: a missing database is an error, not a new file,
 * and nothing is written to it (unless an older schema must be upgraded first).
 */
export const READ = { create: false, intent: 'read' } as const;
/** Open options for the commands that may start a database. */
export const CREATE = { create: true } as const;

/** --db, else BRIDGEFIT_DB, else the per-user data directory. */
export function databaseLocation(flag: string | undefined, env: NodeJS.ProcessEnv): DatabaseLocation {
  return resolveLocation(flag, env);
}

/** Whether the file at `file` is an encrypted database (read from its first bytes; false when there is none). */
export async function databaseIsEncrypted(file: string): Promise<boolean> {
  const { isEncryptedFile } = await import('../store/cipher.js');
  return isEncryptedFile(file);
}

/** Open (and upgrade, unless read-only) the database at `file`; `options.key` opens an encrypted one. */
export async function openDatabase(file: string, options: Partial<OpenOptions> = {}): Promise<Store> {
  // Loaded here, not at start-up: --help and template commands never pay for SQLite and kysely.
  const { openSqlite } = await import('../store/sqlite.js');
  return openSqlite(file, { create: false, ...options });
}
