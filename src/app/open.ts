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

/**
 * Open (and upgrade, unless read-only) the database at `where`: a SQLite file
 * (`options.key` opens an encrypted one), or a clinic's PostgreSQL database
 * (made and upgraded by `clinic init` only, so the options do not apply).
 */
export async function openDatabase(where: string | DatabaseLocation, options: Partial<OpenOptions> = {}): Promise<Store> {
  if (typeof where !== 'string' && where.url !== undefined) {
    const { openPostgres } = await import('../store/postgres.js');
    return openPostgres(where.url, where.file, options.migrations ? { migrations: options.migrations } : {});
  }
  // Loaded here, not at start-up: --help and template commands never pay for SQLite and kysely.
  const { openSqlite } = await import('../store/sqlite.js');
  return openSqlite(typeof where === 'string' ? where : where.file, { create: false, ...options });
}

