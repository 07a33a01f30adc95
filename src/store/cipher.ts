/**
 * Encryption at rest: an encrypted database is a SQLCipher 4 file, read and
 * written through better-sqlite3-multiple-ciphers (SQLite3 Multiple Ciphers
 * under better-sqlite3's API, so kysely's SqliteDialect takes it as it is).
 * That driver is loaded only when a key is used: a plain database never pays
 * for a second native addon at start-up. The key is never logged, printed or
 * stored: it goes to SQLite in a pragma and nowhere else.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import { SqliteDatabase, type SqliteDatabaseType } from './better-sqlite.js';
import { StoreError } from './errors.js';

const require = createRequire(import.meta.url);

const SQLITE_HEADER = Buffer.from('SQLite format 3\0', 'latin1');
/** SQLCipher 4's page size (its default, which bridgefit keeps). */
const CIPHER_PAGE_SIZE = 4096;

/** What a file holds, from its first bytes: nothing yet, a plain SQLite database, or (presumably) an encrypted one. */
export type FileForm = 'empty' | 'plain' | 'encrypted' | 'other';

/**
 * A SQLCipher 4 file begins with its random salt, not SQLite's header, and is
 * a whole number of 4096-byte pages (bridgefit never changes SQLCipher 4's
 * page size). Nothing tells it from random bytes of that size, so that is
 * what "encrypted" means here, and the messages say "or not a database at
 * all"; the key then decides.
 */
export function fileForm(file: string): FileForm {
  const fd = fs.openSync(file, 'r');
  try {
    // Read before the size is trusted: /proc/self/mem and the like say 0 bytes, and refuse a read.
    const head = Buffer.alloc(SQLITE_HEADER.length);
    const n = fs.readSync(fd, head, 0, head.length, 0);
    if (n === 0) return 'empty';
    if (n === head.length && head.equals(SQLITE_HEADER)) return 'plain';
    const size = fs.fstatSync(fd).size;
    return size >= CIPHER_PAGE_SIZE && size % CIPHER_PAGE_SIZE === 0 ? 'encrypted' : 'other';
  } finally {
    fs.closeSync(fd);
  }
}

/** Whether the file at `file` is an encrypted database (false when there is none). */
export function isEncryptedFile(file: string): boolean {
  try {
    return fileForm(file) === 'encrypted';
  } catch {
    return false;
  }
}

let ciphers: typeof SqliteDatabaseType | undefined;

/** The ciphers driver, loaded on first use, or one line saying how to mend it. */
function cipherDriver(): typeof SqliteDatabaseType {
  if (ciphers) return ciphers;
  try {
    const Database = require('better-sqlite3-multiple-ciphers') as typeof SqliteDatabaseType;
    new Database(':memory:').close();
    return (ciphers = Database);
  } catch (err) {
    const message = (err as Error | undefined)?.message ?? '';
    const versions = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(message);
    if (!versions && (err as NodeJS.ErrnoException | undefined)?.code !== 'ERR_DLOPEN_FAILED' && (err as NodeJS.ErrnoException | undefined)?.code !== 'MODULE_NOT_FOUND') throw err;
    const which = versions ? ` (it was built for NODE_MODULE_VERSION ${versions[1]}; Node.js ${process.versions.node} needs ${versions[2]})` : '';
    throw new StoreError(
      'driver',
      `the encryption driver (better-sqlite3-multiple-ciphers) cannot be loaded by this Node.js${which}: run "npm rebuild better-sqlite3-multiple-ciphers" where bridgefit is installed`,
      { cause: err },
    );
  }
}

/** A string as an SQL literal. */
function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}

/** SQLCipher 4's settings (cipher, KDF, page size), then the key: before the first read of the file. */
export function applyKey(raw: SqliteDatabaseType.Database, key: string): void {
  raw.pragma("cipher = 'sqlcipher'");
  raw.pragma('legacy = 4');
  raw.pragma(`key = ${literal(key)}`);
}

/** The same SQLCipher settings for a database attached as `schema` (its key is given to ATTACH). */
export function attachKeyed(raw: SqliteDatabaseType.Database, file: string, schema: string, key: string): void {
  raw.prepare(`attach database ? as ${schema} key ?`).run(file, key);
}

export interface ConnectOptions {
  fileMustExist?: boolean;
  readonly?: boolean;
}

/**
 * A connection to `file`: the plain driver without a key, the ciphers driver
 * with one, keyed and checked by a first read (after `setup`, for pragmas
 * that must come before any read) (a wrong key reads as "not a
 * database", SQLITE_NOTADB). Nothing is written by a failed open.
 */
export function connect(file: string, key: string | undefined, options: ConnectOptions = {}, setup?: (raw: SqliteDatabaseType.Database) => void): SqliteDatabaseType.Database {
  if (key === undefined) {
    const raw = new SqliteDatabase(file, options);
    try {
      setup?.(raw);
    } catch (err) {
      raw.close();
      throw err;
    }
    return raw;
  }
  const Driver = cipherDriver();
  const raw = new Driver(file, options);
  try {
    applyKey(raw, key);
    setup?.(raw); // before the first read, as pragmas such as locking_mode need
    raw.prepare('select count(*) from sqlite_master').pluck().get();
    return raw;
  } catch (err) {
    raw.close();
    if ((err as { code?: unknown }).code === 'SQLITE_NOTADB') throw new StoreError('wrong-key', `the key does not open ${file} (a wrong key, or not a bridgefit database); nothing was written`, { cause: err });
    throw err;
  }
}

/** Change the key of the database open on `raw` (undefined: decrypt it). Not in WAL mode: SQLite3 Multiple Ciphers refuses to rekey a WAL database. */
export function rekey(raw: SqliteDatabaseType.Database, key: string | undefined): void {
  if (key !== undefined) {
    raw.pragma("cipher = 'sqlcipher'");
    raw.pragma('legacy = 4');
  }
  raw.pragma(`rekey = ${literal(key ?? '')}`);
}

/** A plain connection through the ciphers driver (to rekey a plain copy into an encrypted one). */
export function connectCipherDriver(file: string): SqliteDatabaseType.Database {
  return new (cipherDriver())(file, { fileMustExist: true });
}
