/**
 * The SQLite dialect: the only module that knows about files, pragmas, the
 * online backup API and SQLite's own SQL. Everything else goes through kysely.
 */
import fs from 'node:fs';
import path from 'node:path';
import { type SqliteDatabaseType } from './better-sqlite.js';
import { Kysely, Migrator, SqliteDialect, sql, type Migration, type SqliteDatabase as KyselySqliteDatabase } from 'kysely';
import { allowSync, OUTSIDE_TRANSACTION } from './batch.js';
import { attachKeyed, connect, connectCipherDriver, fileForm, rekey } from './cipher.js';
import { StoreError, translateSqliteError } from './errors.js';
import { cannotWrite, commitPartial, createPrivateFile, describeFsError, partialName, removeStalePartials } from './files.js';
import { migrations, versionOf } from './migrations.js';
import { compareSchema, damagedJson, expectedSchema, objectsOf, quoteName } from './sqlite-schema.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

/** How long a writer waits for another process's lock before giving up. */
const BUSY_TIMEOUT_MS = 10_000;

export interface OpenOptions {
  /** Create the file (0600, folder 0700) when it does not exist. */
  create: boolean;
  /** Open without writing anything: no migration, no WAL switch. */
  readOnly?: boolean;
  /**
   * What the command does with it. 'read': open as readOnly when the schema is
   * current (nothing is written, not even a -shm on a full disk); an older
   * schema is opened for writing, to be upgraded first. 'write' (the default):
   * the whole file is checked first, and a damaged one is refused.
   */
  intent?: 'read' | 'write';
  /** The migrations to run; tests pass older sets to build old databases. */
  migrations?: Record<string, Migration>;
  /**
   * The key of an encrypted database (SQLCipher 4). Given, a new database is
   * created encrypted, and a plain one is refused (so a key never silently
   * opens a file that is not encrypted); absent, an encrypted one is refused.
   */
  key?: string;
}

export async function openSqlite(file: string, options: OpenOptions): Promise<Store> {
  const location = path.resolve(file);
  const known = options.migrations ?? migrations('sqlite');
  let created = false;
  let existing: fs.Stats | undefined;
  try {
    existing = fs.statSync(location, { throwIfNoEntry: false });
  } catch {
    existing = undefined; // a folder on the way cannot be entered: creating it says why
  }
  // Before anything opens it: SQLite would chmod a device and leave a journal beside it, and wait on a pipe forever.
  if (existing?.isDirectory()) throw new StoreError('not-sqlite', `${location} is a folder, not a database file`);
  if (existing && !existing.isFile()) {
    throw new StoreError('not-sqlite', `${location} is not a regular file (a device, a pipe or a socket), so not a database; it was left untouched`);
  }
  if (!existing) {
    if (!options.create) throw new StoreError('missing', `no database at ${location}; run "bridgefit init" to create one`);
    try {
      createPrivateFile(location);
    } catch (err) {
      throw new StoreError('read-only', `cannot create ${location}: ${describeFsError(err, CREATE_WORDS)}`, { cause: err });
    }
    created = true;
  }
  try {
    if (options.intent === 'read' && !options.readOnly && !created && canWrite(location) === true) {
      const store = await openExisting(location, { ...options, readOnly: true }, known, false);
      if (store.schemaVersion >= versionOf(Object.keys(known))) return store;
      await store.close(); // an older schema: upgraded first, like any open for writing
    }
    return await openExisting(location, options, known, created);
  } catch (err) {
    // A database this call made and could not set up is not left behind, half made.
    if (created) for (const f of [location, `${location}-wal`, `${location}-shm`]) fs.rmSync(f, { force: true });
    throw err;
  }
}

async function openExisting(location: string, options: OpenOptions, known: Record<string, Migration>, created: boolean): Promise<Store> {
  const emptyFile = fs.statSync(location).size === 0;
  const key = keyFor(location, options.key);
  const writable = canWrite(location);
  // Checked before SQLite opens it: SQLite would fall back to reading, make -wal and -shm
  // files beside it, and fail only at the first write.
  if (!options.readOnly && writable !== true) throw new StoreError('read-only', `cannot write ${location}: ${writable}`);
  if (!options.readOnly) assertRoomToOpen(location);
  // Left by a restore or an upgrade copy that was killed: never finished, and no one is writing them now.
  if (!options.readOnly) removeStalePartials(path.dirname(location), `${path.basename(location)}.`);
  // A read on a full disk: SQLite cannot grow a new -shm there, and would leave the part it made.
  // In exclusive locking mode it keeps the WAL index in its own memory instead (and holds the
  // file's lock while it reads). Only when no -shm exists, that is no one else has the file open.
  const heapIndex = (options.readOnly ?? false) && writable === true && !fs.existsSync(`${location}-shm`) && (freeBytes(path.dirname(location)) ?? Infinity) < ROOM_TO_OPEN;

  let raw: SqliteDatabaseType.Database;
  try {
    // A read-only open of a writable file still goes through a read-write connection with
    // writes refused (query_only): SQLite then removes the -wal and -shm it makes when done.
    raw = connect(location, key, { fileMustExist: true, readonly: (options.readOnly ?? false) && writable !== true }, (conn) => {
      if (options.readOnly) conn.pragma('query_only = 1');
      if (heapIndex) conn.pragma('locking_mode = EXCLUSIVE');
    });
  } catch (err) {
    throw translateSqliteError(err, location);
  }
  try {
    raw.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    raw.pragma('foreign_keys = ON');
    // Check each b-tree page's cells as it is read: a damaged page is refused, not written into.
    raw.pragma('cell_size_check = ON');
    const tables = raw.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[];
    if (tables.length > 0) {
      assertBridgefit(raw, tables, location);
      // Nothing is written into a damaged file: a write there can spread the damage, and hides it.
      if (!options.readOnly) assertUndamaged(raw, location, key !== undefined);
    }
    // An empty file is made a database only by the commands that may start one (init, client add, config set).
    else if (!options.create) throw new StoreError('missing', `${location} is empty, not a bridgefit database; "bridgefit --db ${location} init" makes one there`);
    else if (emptyFile && !options.readOnly) fs.chmodSync(location, 0o600); // an empty file becomes health data: owner only
    let executed = migrationsRun(raw);
    assertKnown(executed, known, location);
    let pending = Object.keys(known).filter((n) => !executed.includes(n));

    let upgradeBackup: string | null = null;
    let locked = false;
    if (!options.readOnly) {
      // WAL lets readers go on while one process writes; the setting is stored in the file.
      if (raw.pragma('journal_mode', { simple: true }) !== 'wal') raw.pragma('journal_mode = WAL');
      raw.pragma('synchronous = NORMAL');
      if (pending.length > 0) {
        // Several processes may open an old database at once: the first to take the write lock
        // backs it up and upgrades it; the others wait here and then find nothing left to do.
        raw.exec('begin immediate');
        locked = true;
        executed = migrationsRun(raw);
        assertKnown(executed, known, location);
        pending = Object.keys(known).filter((n) => !executed.includes(n));
        if (pending.length > 0 && executed.length > 0) {
          // A copy of its own for each upgrade, named by when it was taken: a copy left by an
          // earlier upgrade (of a database since restored, say) is never taken for this one.
          upgradeBackup = upgradeCopyName(location, versionOf(executed), new Date());
          await backupWhole(location, upgradeBackup, undefined, key);
        }
      }
    }

    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: translating(withStatementCache(raw), location) }) });
    if (locked && pending.length === 0) raw.exec('commit'); // another process upgraded it while this one waited
    else if (locked) {
      const migrator = new Migrator({ db, provider: { getMigrations: async () => known } });
      // kysely does not wrap SQLite migrations in a transaction; SQLite can, so an upgrade lands
      // whole or not at all (the migrator shares this connection, inside the transaction begun above).
      const { error } = await migrator.migrateToLatest();
      raw.exec(error ? 'rollback' : 'commit');
      if (error) {
        await db.destroy();
        throw new StoreError('migration-failed', `could not upgrade ${location}: ${String((error as Error).message ?? error)}`, {
          cause: error,
        });
      }
    }
    const schemaVersion = versionOf(options.readOnly ? executed : Object.keys(known));
    return makeStore(db, raw, location, schemaVersion, created, upgradeBackup, known, heapIndex, key);
  } catch (err) {
    if (raw.open) raw.close();
    throw translateSqliteError(err, location);
  }
}

/**
 * The connection as kysely sees it, with every SQLite error turned into a
 * StoreError naming the file: a damaged page met by a plain read (client
 * list) says "damaged", not "unexpected error".
 */
function translating(raw: { prepare(sql: string): SqliteDatabaseType.Statement; close(): unknown }, location: string): KyselySqliteDatabase {
  const guard = guardFor(location);
  return {
    close: () => raw.close(),
    prepare(text) {
      const stmt = guard(() => raw.prepare(text));
      return {
        reader: stmt.reader,
        all: (params) => guard(() => stmt.all(params)),
        run: (params) => guard(() => stmt.run(params)),
        *iterate(params) {
          const it = guard(() => stmt.iterate(params));
          for (;;) {
            const next = guard(() => it.next());
            if (next.done) return;
            yield next.value;
          }
        },
      };
    },
  };
}

/** Runs `fn`, turning an SQLite error into a StoreError naming the file. */
function guardFor(location: string) {
  return <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (err) {
      throw translateSqliteError(err, location);
    }
  };
}

function makeStore(
  db: Kysely<Database>,
  raw: SqliteDatabaseType.Database,
  location: string,
  schemaVersion: number,
  created: boolean,
  upgradeBackup: string | null,
  known: Record<string, Migration>,
  heapIndex: boolean,
  key: string | undefined,
): Store {
  const guard = guardFor(location);
  return {
    dialect: 'sqlite',
    location,
    db,
    schemaVersion,
    created,
    upgradeBackup,
    encrypted: key !== undefined,
    async write(fn) {
      try {
        return await db.connection().execute(async (conn) => {
          // IMMEDIATE takes the write lock now, so the busy timeout applies and
          // two writers never deadlock upgrading read locks.
          await sql`begin immediate`.execute(conn);
          // The one connection, already in this transaction: batches may run statements on it
          // directly, and only while it lasts (a statement kept afterwards would write outside it).
          let live = true;
          const inThisTransaction = () => {
            if (!live || !raw.inTransaction) throw new Error(OUTSIDE_TRANSACTION);
          };
          allowSync(conn, (text) => {
            const stmt = guard(() => raw.prepare(text));
            return {
              all: (parameters) => (inThisTransaction(), guard(() => stmt.all(parameters))),
              run: (parameters) => void (inThisTransaction(), guard(() => stmt.run(parameters))),
            };
          });
          try {
            const result = await fn(conn);
            await sql`commit`.execute(conn);
            return result;
          } catch (err) {
            if (raw.inTransaction) await sql`rollback`.execute(conn);
            throw err;
          } finally {
            live = false;
          }
        });
      } catch (err) {
        throw translateSqliteError(err, location);
      }
    },
    async backup(dest) {
      const target = path.resolve(dest);
      if (fs.existsSync(target)) throw new StoreError('exists', `${target} already exists; choose another --out`);
      // Opened for a read on a full disk, this connection holds the file's lock: the copy is read through it.
      await backupWhole(location, target, heapIndex ? raw : undefined, key);
    },
    async replaceWith(file, keepAt, fileKey) {
      // Replaced inside the database, not by renaming a file over it: a process that has the
      // database open keeps its -wal and -shm, which must never be paired with another file.
      // Nothing of the backup's own schema is run: the tables and indexes are made from
      // bridgefit's migrations, and only their rows are copied, column by column.
      try {
        // Neither can change inside a transaction. Foreign keys are off while tables are dropped and
        // filled in any order; the result is checked before it commits.
        raw.pragma('foreign_keys = OFF');
        // An encrypted database attaches the file with its own key ('' for a plain one); a plain one cannot read an encrypted file.
        if (key !== undefined) attachKeyed(raw, file, 'restored', fileKey ?? '');
        else if (fileKey !== undefined) throw new StoreError('not-encrypted', `${file} is encrypted and ${location} is not; nothing was changed`);
        else raw.prepare('attach database ? as restored').run(file);
        const theirs = migrationsRunIn(raw, 'restored');
        assertKnown(theirs, known, file);
        const expected = await expectedSchema(known, theirs);
        const findings = compareSchema(raw, 'restored', expected);
        if (findings.foreign.length > 0) throw new StoreError('foreign', `${file} holds what bridgefit never makes (${findings.foreign.join(', ')}); nothing was changed`);
        if (findings.missing.length > 0) throw new StoreError('corrupt', `${file} is damaged: it lacks ${findings.missing.join(', ')}; nothing was changed`);
        raw.exec('begin immediate');
        if (keepAt !== null) {
          const target = path.resolve(keepAt);
          if (fs.existsSync(target)) throw new StoreError('exists', `${target} already exists; nothing was changed`);
          await backupWhole(location, target, undefined, key); // a reader connection: it sees the last commit, which no one can change now
        }
        const mine = objectsOf(raw, 'main');
        for (const o of mine) if (o.type === 'view' || o.type === 'trigger') raw.exec(`drop ${o.type} main.${quoteName(o.name)}`);
        for (const o of mine) if (o.type === 'table') raw.exec(`drop table main.${quoteName(o.name)}`); // its indexes go with it
        // Tables first, filled, then their indexes (built once, not row by row).
        for (const o of expected.objects) if (o.type === 'table') raw.exec(o.sql!);
        for (const [table, columns] of expected.columns) {
          const list = columns.map(quoteName).join(', ');
          raw.exec(`insert into main.${quoteName(table)} (${list}) select ${list} from restored.${quoteName(table)}`);
        }
        for (const o of expected.objects) if (o.type === 'index') raw.exec(o.sql!);
        // Last, so none runs while the rows go in (bridgefit's migrations make none today).
        for (const o of expected.objects) if (o.type === 'view' || o.type === 'trigger') raw.exec(o.sql!);
        // Id counters as they were, so an id used before (and deleted) is not handed out again.
        const counters = (schema: string) => raw.prepare(`select 1 from ${schema}.sqlite_master where name = 'sqlite_sequence'`).get() !== undefined;
        if (counters('main')) raw.exec('delete from main.sqlite_sequence');
        if (counters('main') && counters('restored')) {
          raw.prepare('insert into main.sqlite_sequence (name, seq) select name, seq from restored.sqlite_sequence where name in (select value from json_each(?))').run(JSON.stringify([...expected.columns.keys()]));
        }
        const orphan = raw.prepare('select * from main.pragma_foreign_key_check').get() as { table: string } | undefined;
        if (orphan) throw new StoreError('corrupt', `${file} has rows pointing at missing ones (in ${orphan.table}); nothing was changed`);
        raw.exec('commit');
      } catch (err) {
        if (raw.inTransaction) raw.exec('rollback');
        // A row bridgefit's own schema refuses (a value its CHECK or NOT NULL does not allow).
        const code = (err as { code?: unknown }).code;
        if (typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT')) {
          throw new StoreError('corrupt', `${file} holds a row bridgefit's schema refuses (${(err as Error).message}); nothing was changed`, { cause: err });
        }
        throw translateSqliteError(err, location);
      } finally {
        if (raw.prepare("select 1 from pragma_database_list where name = 'restored'").get() !== undefined) raw.exec('detach database restored');
        raw.pragma('foreign_keys = ON');
      }
      // Best effort: fold the change into the file and empty the -wal (a reader elsewhere may hold it).
      try {
        raw.pragma('wal_checkpoint(TRUNCATE)');
      } catch {
        // The next checkpoint does it.
      }
    },
    async schemaCheck() {
      const expected = await expectedSchema(known, migrationsRun(raw));
      return { ...compareSchema(raw, 'main', expected), json: damagedJson(raw, 'main', expected) };
    },
    async check() {
      const problems: string[] = [];
      try {
        const integrity = raw.pragma('integrity_check') as { integrity_check: string }[];
        for (const row of integrity) if (row.integrity_check !== 'ok') problems.push(`integrity: ${row.integrity_check}`);
        const fk = raw.pragma('foreign_key_check') as { table: string; rowid: number; parent: string }[];
        for (const row of fk) problems.push(`foreign key: ${row.table} row ${row.rowid} points at a missing ${row.parent}`);
      } catch (err) {
        // So damaged that the check itself cannot run: that is the finding.
        problems.push(`integrity: ${(err as Error).message}`);
      }
      return problems;
    },
    async close() {
      await db.destroy();
    },
  };
}

/**
 * Copy the database to `target` — one self-contained file, 0600 — under a
 * temporary name beside it, renamed only once the copy is complete and on
 * disk: a killed run or a full disk never leaves a file under the final name.
 * Both `backup` and the copy taken before an upgrade go through here.
 * An encrypted database is copied by VACUUM INTO, which writes the copy
 * encrypted with the same key (SQLite's online backup cannot copy between
 * two ciphered connections).
 */
async function backupWhole(location: string, target: string, through: SqliteDatabaseType.Database | undefined, key: string | undefined): Promise<void> {
  const partial = partialName(target);
  // A connection of its own: SQLite's backup reads nothing from a connection inside a write
  // transaction, and an upgrade copies the database while holding the write lock. In WAL mode
  // this reader sees the last committed state, which no one can change while that lock is held.
  let source: SqliteDatabaseType.Database | undefined;
  try {
    if (!through) {
      source = connect(location, key, { fileMustExist: true });
      source.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    }
    createPrivateFile(partial);
    // Left by a backup that was killed: never finished, and no one is writing them now.
    removeStalePartials(path.dirname(target));
    if (key === undefined) await (through ?? source!).backup(partial);
    else (through ?? source!).prepare('vacuum into ?').run(partial); // into the empty 0600 file made above
    source?.close();
    // A backup is one self-contained file: no -wal or -shm beside it.
    // Checked before it gets its name: a file called a backup has been read back whole.
    const copy = connect(partial, key);
    let problem: string | undefined;
    try {
      copy.pragma('journal_mode = DELETE');
      problem = (copy.pragma('integrity_check') as { integrity_check: string }[]).find((r) => r.integrity_check !== 'ok')?.integrity_check;
    } finally {
      copy.close();
    }
    if (problem !== undefined) throw new StoreError('corrupt', `the copy did not check clean (${problem}); no backup was kept. Run "bridgefit doctor" on ${location}`);
    commitPartial(partial, target);
  } catch (err) {
    if (source?.open) source.close();
    // Read before the space is freed: a full disk is recognised by what is left of it.
    const translated = cannotWrite(target, translateSqliteError(err, target));
    for (const f of [partial, `${partial}-journal`]) fs.rmSync(f, { force: true });
    throw translated;
  }
}

/**
 * Encrypt (`from` undefined, `to` a key) or decrypt (`from` the key, `to`
 * undefined) the database at `file` in place. It is opened first as any
 * command would (checked, upgraded), and copied as it is to `backupTo`; then,
 * holding the write lock so no change lands in the old file meanwhile, it is
 * copied (VACUUM INTO) to a private file beside it, rekeyed there, read back
 * with the new key and checked, written to disk and renamed over the
 * database. A failure at any step leaves the database as it was.
 */
export async function convertDatabase(file: string, from: string | undefined, to: string | undefined, backupTo: string): Promise<void> {
  const location = path.resolve(file);
  const store = await openSqlite(location, { create: false, ...(from !== undefined ? { key: from } : {}) });
  await store.close();
  const partial = partialName(location);
  let lock: SqliteDatabaseType.Database | undefined;
  try {
    lock = connect(location, from, { fileMustExist: true });
    lock.pragma(`busy_timeout = ${BUSY_TIMEOUT_MS}`);
    // Everything in the -wal goes into the file first; a reader that keeps it from emptying is another program using the database.
    const [checkpoint] = lock.pragma('wal_checkpoint(TRUNCATE)') as { busy: number }[];
    if (checkpoint && checkpoint.busy !== 0) throw new StoreError('busy', `${location} is in use by another program (another bridgefit?); close it and try again`);
    lock.exec('begin immediate');
    await backupWhole(location, backupTo, undefined, from);
    createPrivateFile(partial);
    const source = connect(location, from, { fileMustExist: true });
    try {
      source.prepare('vacuum into ?').run(partial); // the copy is in the source's form: plain, or encrypted with `from`
    } finally {
      source.close();
    }
    const copy = from === undefined ? connectCipherDriver(partial) : connect(partial, from, { fileMustExist: true });
    try {
      copy.pragma('journal_mode = DELETE'); // SQLite3 Multiple Ciphers rekeys only outside WAL mode
      rekey(copy, to);
    } finally {
      copy.close();
    }
    if ((fileForm(partial) === 'encrypted') !== (to !== undefined)) throw new Error(`the converted copy of ${location} is not ${to !== undefined ? 'encrypted' : 'plain'}`);
    const check = connect(partial, to, { fileMustExist: true });
    try {
      const problem = (check.pragma('integrity_check') as { integrity_check: string }[]).find((r) => r.integrity_check !== 'ok')?.integrity_check;
      if (problem !== undefined) throw new StoreError('corrupt', `the converted copy did not check clean (${problem}); ${location} was left as it was`);
      assertBridgefit(check, check.prepare("select name from sqlite_master where type = 'table'").pluck().all() as string[], partial);
    } finally {
      check.close();
    }
    commitPartial(partial, location);
    fs.chmodSync(location, 0o600);
  } catch (err) {
    for (const f of [partial, `${partial}-journal`]) fs.rmSync(f, { force: true });
    throw cannotWrite(location, translateSqliteError(err, location));
  } finally {
    if (lock?.inTransaction) lock.exec('rollback');
    lock?.close();
  }
  // The old file's -wal (emptied above) and -shm are not the new file's.
  for (const f of [`${location}-wal`, `${location}-shm`]) fs.rmSync(f, { force: true });
}

/** true, or why the file cannot be written (tried with open(2), which is what counts, even for root). */
function canWrite(file: string): true | string {
  try {
    fs.closeSync(fs.openSync(file, 'r+'));
  } catch (err) {
    return `${describeFsError(err)}; bridgefit needs to write to it (copy it somewhere writable to read it)`;
  }
  // SQLite keeps its -wal and -shm files beside the database: the folder must take new files too.
  if (!fs.existsSync(`${file}-wal`) || !fs.existsSync(`${file}-shm`)) {
    try {
      fs.accessSync(path.dirname(file), fs.constants.W_OK);
    } catch (err) {
      return `its folder is read-only (${describeFsError(err)})`;
    }
  }
  return true;
}

/**
 * SQLite makes a 32 KiB -shm file when the first connection opens a WAL
 * database; on a full disk that fails half-way and leaves it behind. Refuse first.
 */
const ROOM_TO_OPEN = 64 * 1024;
function assertRoomToOpen(file: string): void {
  if (fs.existsSync(`${file}-shm`)) return;
  const free = freeBytes(path.dirname(file));
  if (free !== undefined && free < ROOM_TO_OPEN) throw new StoreError('full', `cannot write ${file}: the disk is full`);
}

function freeBytes(dir: string): number | undefined {
  try {
    const s = fs.statfsSync(dir);
    return s.bavail * s.bsize;
  } catch {
    return undefined;
  }
}

/** How many prepared statements one connection keeps (a batch uses a handful, repeated many times). */
const STATEMENT_CACHE_SIZE = 200;

/**
 * The connection as kysely's dialect sees it, with prepared statements reused:
 * kysely asks for a new statement on every query, and preparing costs more
 * than running a small insert (an import of many rows spent most of its time
 * there). A statement still being iterated is never handed out twice.
 */
function withStatementCache(raw: SqliteDatabaseType.Database) {
  const cache = new Map<string, SqliteDatabaseType.Statement>();
  return {
    close: () => raw.close(),
    prepare(sql: string): SqliteDatabaseType.Statement {
      const cached = cache.get(sql);
      if (cached && !cached.busy) return cached;
      const stmt = raw.prepare(sql);
      if (!cached) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
        cache.set(sql, stmt);
      }
      return stmt;
    },
  };
}

/** Why a database file could not be created, in words. */
const CREATE_WORDS: Record<string, string> = { ENOENT: 'a folder on the way does not exist and cannot be made' };

/** The migrations already run on this database, read now (under the write lock, when it is held). */
function migrationsRun(raw: SqliteDatabaseType.Database): string[] {
  return migrationsRunIn(raw, 'main');
}

function migrationsRunIn(raw: SqliteDatabaseType.Database, schema: string): string[] {
  const tracked = raw.prepare(`select 1 from ${schema}.sqlite_master where type = 'table' and name = 'kysely_migration'`).get() !== undefined;
  return tracked ? (raw.prepare(`select name from ${schema}.kysely_migration order by name`).pluck().all() as string[]) : [];
}

function assertKnown(executed: string[], known: Record<string, Migration>, location: string): void {
  if (executed.some((n) => !(n in known))) {
    throw new StoreError(
      'newer-schema',
      `${location} was written by a newer bridgefit (schema ${versionOf(executed)}, this one knows ${versionOf(Object.keys(known))}); upgrade bridgefit to open it`,
    );
  }
}

/**
 * The key to open `file` with: undefined for a plain database, the key for an
 * encrypted one (or for a new, empty file, which becomes encrypted). A plain
 * file with a key, an encrypted one without, and a file that is neither are
 * refused before SQLite opens them, in one line.
 */
function keyFor(file: string, key: string | undefined): string | undefined {
  let form: ReturnType<typeof fileForm>;
  try {
    form = fileForm(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') throw new StoreError('read-only', `cannot read ${file}: ${describeFsError(err)}`, { cause: err });
    // /proc/self/mem and the like: called regular files, but not files one can read as a database.
    throw new StoreError('not-sqlite', `${file} cannot be read as a file (${code ?? (err as Error).message}), so it is not a bridgefit database; it was left untouched`, { cause: err });
  }
  if (form === 'empty') return key; // a new, empty file becomes a database
  if (form === 'plain') {
    if (key !== undefined) throw new StoreError('not-encrypted', `${file} is not encrypted, but a key was given: run "bridgefit encrypt" to encrypt it, or unset the key to open it as it is`);
    return undefined;
  }
  if (form === 'encrypted') {
    if (key === undefined) throw new StoreError('encrypted', `the database ${file} is encrypted (or not a database at all): set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file, to open it; it was left untouched`);
    return key;
  }
  throw new StoreError('not-sqlite', `${file} is not a bridgefit database (not SQLite at all); it was left untouched`);
}

function assertBridgefit(raw: SqliteDatabaseType.Database, tables: string[], file: string): void {
  const app = tables.includes('bridgefit_meta')
    ? (raw.prepare("select value from bridgefit_meta where key = 'app'").pluck().get() as string | undefined)
    : undefined;
  if (app !== 'bridgefit') {
    throw new StoreError('foreign', `${file} is a SQLite database but not a bridgefit one; it was left untouched`);
  }
}

/** `<db>.schema-<version>-<UTC time>.bak`, never the name of a file already there. */
function upgradeCopyName(location: string, version: number, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  const base = `${location}.schema-${version}-${stamp}`;
  let name = `${base}.bak`;
  for (let n = 2; fs.existsSync(name); n++) name = `${base}-${n}.bak`;
  return name;
}

/**
 * The biggest file checked whole on every open for writing: about 25 ms warm
 * at this size (the check reads every page, about 0.7 s a GB; bench/README.md),
 * which holds a solo trainer's year of sessions for about a hundred clients.
 */
const QUICK_CHECK_WHOLE_MAX_BYTES = 32 * 1024 * 1024;
/**
 * In a bigger file, the tables checked on every open for writing: the small
 * ones a write goes into, about 12 ms warm on a 2.8 GB file. The history
 * (sessions, their measures, program snapshots, screenings, the audit log:
 * 99% of a big file, 1.9 s warm) is left to doctor, and to cell_size_check
 * on every page a command reads, which refuses a damaged one as it is met.
 */
const CHECKED_WHEN_BIG = new Set(['kysely_migration', 'kysely_migration_lock', 'bridgefit_meta', 'clients', 'clearances', 'referrals', 'signoffs', 'stage_transitions', 'entry_amendments']);

/**
 * Refuse a damaged file before anything is written to it: its size against the
 * pages its header counts (a file cut short; SQLite itself refuses one shorter
 * than a valid header says, this also catches a cut mid-page or a header no
 * longer valid), then SQLite's quick_check: of
 * every page (a zeroed or overwritten one) for files up to
 * QUICK_CHECK_WHOLE_MAX_BYTES, past that of the small tables in
 * CHECKED_WHEN_BIG (about 12 ms on a 2.8 GB file). Pages of the others a
 * command reads are still checked as it reads them (cell_size_check), and
 * doctor checks the whole file.
 */
function assertUndamaged(raw: SqliteDatabaseType.Database, location: string, encrypted: boolean): void {
  const refuse = (why: string) => {
    throw new StoreError('corrupt', `${location} is damaged (${why}), so nothing was written; run "bridgefit doctor", then restore from a backup ("bridgefit restore <backup>")`);
  };
  // The header as it is on disk (page_count would count pages still in the -wal): its page count
  // is valid when the change counter matches the "valid for" number beside it.
  const head = Buffer.alloc(100);
  const fd = fs.openSync(location, 'r');
  let size: number;
  try {
    fs.readSync(fd, head, 0, 100, 0);
    size = fs.fstatSync(fd).size;
  } finally {
    fs.closeSync(fd);
  }
  // An encrypted file's header is encrypted too: its page size is asked of SQLite, and its page count is
  // compared with the file by SQLite itself as it reads (the decrypted header is checked on the first read).
  const pageSize = encrypted ? (raw.pragma('page_size', { simple: true }) as number) : head.readUInt16BE(16) === 1 ? 65536 : head.readUInt16BE(16);
  const pages = !encrypted && head.readUInt32BE(24) === head.readUInt32BE(92) ? head.readUInt32BE(28) : 0;
  if (size % pageSize !== 0 || size < pages * pageSize) refuse(`the file is ${size} bytes, its header says ${pages} pages of ${pageSize}: it was cut short`);
  const check = (what: string): string[] => {
    try {
      return (raw.pragma(`quick_check(${what})`) as { quick_check: string }[]).map((r) => r.quick_check).filter((r) => r !== 'ok');
    } catch (err) {
      // So damaged that the check itself stops (a zeroed root page): that is the finding.
      const code = (err as { code?: unknown }).code;
      if (typeof code === 'string' && code.startsWith('SQLITE_CORRUPT')) return [`${code} in ${what === '1' ? 'the file' : `table ${what}`}`];
      throw err;
    }
  };
  let problems: string[] = [];
  if (size <= QUICK_CHECK_WHOLE_MAX_BYTES) problems = check('1');
  else {
    const tables = raw.prepare("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'").pluck().all() as string[];
    for (const t of tables) if (CHECKED_WHEN_BIG.has(t) && problems.length === 0) problems = check(`'${t.replace(/'/g, "''")}'`);
  }
  // SQLite heads its report "*** in database main ***" and puts each problem on a line of its own.
  const first = problems.join('\n').replace(/\*\*\* in database \w+ \*\*\*/g, '').split('\n').map((l) => l.trim()).find((l) => l !== '');
  if (problems.length > 0) refuse(first ?? 'quick_check failed');
}
