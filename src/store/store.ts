import type { Kysely } from 'kysely';
import type { DialectName } from './migrations.js';
import type { Database } from './schema.js';
import type { SchemaFindings } from './sqlite-schema.js';

/** A clinic member's kind (clinic mode, PostgreSQL): their login is in that group role. */
export type ClinicRole = 'admin' | 'trainer' | 'clinician';

/** An open bridgefit database. Repositories take `store.db` (or a transaction) first. */
export interface Store {
  readonly dialect: DialectName;
  /** Where the data lives, for messages: a file path, or a clinic database's URL without its password. */
  readonly location: string;
  readonly db: Kysely<Database>;
  /** The schema version after opening (and migrating). */
  readonly schemaVersion: number;
  /** True when this open created the database. */
  readonly created: boolean;
  /** Path of the backup taken before an upgrade, when one was needed. */
  readonly upgradeBackup: string | null;
  /** True when the file is encrypted (opened with a key). */
  readonly encrypted: boolean;
  /** On a clinic database: who is connected, and as what (null: not a member, only while administering). */
  readonly clinic?: { readonly login: string; readonly role: ClinicRole | null };
  /**
   * Run `fn` as one write transaction: all of it lands or none of it does.
   * On SQLite the write lock is taken up front, so concurrent writers wait
   * for each other (busy timeout) instead of failing half-way.
   */
  write<T>(fn: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  /** Copy the whole database to `dest` while it stays in use. */
  backup(dest: string): Promise<void>;
  /**
   * Make this database hold exactly what the bridgefit database `file` holds
   * (every row and id counter, in tables and indexes made from bridgefit's own
   * migrations at the file's schema version, never from the file's SQL; a file
   * holding a trigger, view, table, index or column bridgefit never makes is
   * refused, naming them), as one write transaction: other
   * processes see all of the old data or all of the new, and nothing of the old
   * survives in a -wal. `file` must already be checked (see `restore`).
   * `keepAt`: first copy the database as it is to this file, under the same
   * write lock, so no change made by another process falls between the two.
   * `fileKey`: the key of `file` when it is encrypted (an encrypted database
   * takes a plain file or an encrypted one; the rows land encrypted).
   */
  replaceWith(file: string, keepAt: string | null, fileKey?: string): Promise<void>;
  /** Integrity and foreign-key problems, empty when all is well. */
  check(): Promise<string[]>;
  /**
   * The file against the schema bridgefit's migrations make (at its version):
   * objects that are not bridgefit's (a trigger, a view, a table, an index, a
   * column), what it lacks, and the JSON cells that do not parse (the first 20).
   */
  schemaCheck(): Promise<SchemaFindings & { json: { cells: string[]; more: boolean } }>;
  close(): Promise<void>;
}
