import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { sql, type Kysely } from 'kysely';
import { describe, expect, it } from 'vitest';
import { checkNewClient } from '../../src/domain/client.js';
import { listAudit } from '../../src/store/audit.js';
import { deleteClient, getClient, insertClient, listClients, setClientStatus, updateClient } from '../../src/store/clients.js';
import { StoreError } from '../../src/store/errors.js';
import { migrations, versionOf } from '../../src/store/migrations.js';

/** The schema version this bridgefit writes. */
const LATEST = versionOf(Object.keys(migrations('sqlite')));
import { openSqlite } from '../../src/store/sqlite.js';
import { mode, tempDir } from '../helpers/tmp.js';
import { seedSchema1Client } from '../helpers/db.js';

const ctx = { command: 'test', now: '2026-11-26T10:00:00.000Z' };
const zoe = checkNewClient({ firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12', sex: 'female' }, '2026-11-26');

async function storeError(promise: Promise<unknown>): Promise<StoreError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

describe('opening a SQLite database', () => {
  it('creates the file 0600 in a new folder 0700, in WAL mode with foreign keys on', async () => {
    const dir = path.join(tempDir(), 'data', 'bridgefit');
    const file = path.join(dir, 'bridgefit.db');
    const store = await openSqlite(file, { create: true });
    expect(store.created).toBe(true);
    expect(store.schemaVersion).toBe(LATEST);
    const journal = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db);
    const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(store.db);
    expect(journal.rows[0]!.journal_mode).toBe('wal');
    expect(fk.rows[0]!.foreign_keys).toBe(1);
    await store.close();
    expect(mode(file)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
  });

  it('does not create a database when asked not to', async () => {
    const file = path.join(tempDir(), 'none.db');
    const err = await storeError(openSqlite(file, { create: false }));
    expect(err.code).toBe('missing');
    expect(fs.existsSync(file)).toBe(false);
  });

  it('opens an existing database again without migrating twice', async () => {
    const file = path.join(tempDir(), 'b.db');
    await (await openSqlite(file, { create: true })).close();
    const again = await openSqlite(file, { create: true });
    expect(again.created).toBe(false);
    expect(again.upgradeBackup).toBeNull();
    await again.close();
  });

  it('leaves a file that is not SQLite untouched', async () => {
    const file = path.join(tempDir(), 'notes.txt');
    fs.writeFileSync(file, 'shopping list: eggs, milk\n'.repeat(100));
    const before = fs.readFileSync(file);
    const err = await storeError(openSqlite(file, { create: true }));
    expect(err.code).toBe('not-sqlite');
    expect(err.message).toContain('not a bridgefit database');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it("leaves another application's SQLite database untouched", async () => {
    const file = path.join(tempDir(), 'other.db');
    const other = new SqliteDatabase(file);
    other.exec('create table recipes (id integer primary key, name text); insert into recipes (name) values (\'soup\');');
    other.close();
    const before = fs.readFileSync(file);
    const err = await storeError(openSqlite(file, { create: true }));
    expect(err.code).toBe('foreign');
    expect(fs.readFileSync(file).equals(before)).toBe(true);
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
  });

  it('refuses a database written by a newer bridgefit', async () => {
    const file = path.join(tempDir(), 'newer.db');
    const future = { ...migrations('sqlite'), '0099_future': { async up(db: Kysely<any>) { await db.schema.createTable('future').addColumn('x', 'text').execute(); } } };
    await (await openSqlite(file, { create: true, migrations: future })).close();
    const err = await storeError(openSqlite(file, { create: true }));
    expect(err.code).toBe('newer-schema');
    expect(err.message).toContain(`newer bridgefit (schema 99, this one knows ${LATEST})`);
  });

  it('upgrades a schema-1 database to the current schema after backing it up, keeping the data', async () => {
    const file = path.join(tempDir(), 'old.db');
    const v1Only = { '0001_clients': migrations('sqlite')['0001_clients']! };
    const v1 = await openSqlite(file, { create: true, migrations: v1Only });
    expect(v1.schemaVersion).toBe(1);
    await v1.close();
    seedSchema1Client(file, zoe);

    const current = await openSqlite(file, { create: true });
    expect(current.schemaVersion).toBe(LATEST);
    const bak = current.upgradeBackup!;
    expect(bak).toMatch(new RegExp(`^${file}\\.schema-1-\\d{8}-\\d{6}\\.bak$`)); // named by when: never an earlier upgrade's copy
    expect((await listClients(current.db)).map((c) => c.firstName)).toEqual(['Zoë']);
    expect(await current.check()).toEqual([]);
    await current.close();
    expect(mode(bak)).toBe(0o600);
    const old = new SqliteDatabase(bak, { readonly: true });
    expect(old.prepare('select name from kysely_migration').pluck().all()).toEqual(['0001_clients']);
    expect(old.prepare('select first_name from clients').pluck().all()).toEqual(['Zoë']);
    old.close();
  });

  it('a failed migration leaves the database as it was', async () => {
    const file = path.join(tempDir(), 'fail.db');
    await (await openSqlite(file, { create: true })).close();
    const broken = {
      ...migrations('sqlite'),
      '0003_broken': {
        async up(db: Kysely<any>) {
          await db.schema.alterTable('clients').addColumn('extra', 'text').execute();
          await db.schema.createTable('clients').addColumn('x', 'text').execute(); // fails: exists
        },
      },
    };
    const err = await storeError(openSqlite(file, { create: true, migrations: broken }));
    expect(err.code).toBe('migration-failed');
    const after = new SqliteDatabase(file, { readonly: true });
    expect(after.prepare("select count(*) from pragma_table_info('clients') where name = 'extra'").pluck().get()).toBe(0);
    expect(after.prepare('select name from kysely_migration order by name').pluck().all()).toEqual(Object.keys(migrations('sqlite')));
    after.close();
  });

  it('reports a damaged file as damaged', async () => {
    const file = path.join(tempDir(), 'damaged.db');
    const store = await openSqlite(file, { create: true });
    await store.write(async (tx) => {
      for (let i = 0; i < 300; i++) await insertClient(tx, { ...zoe, notes: 'x'.repeat(500) }, ctx);
    });
    await store.close();
    const size = fs.statSync(file).size;
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096, 0xab), 0, 4096, Math.floor(size / 2));
    fs.closeSync(fd);
    const reopened = await openSqlite(file, { create: false, readOnly: true });
    expect((await reopened.check()).length).toBeGreaterThan(0);
    await reopened.close();
  });
});

describe('client records', () => {
  it('adds, reads, edits, archives and restores a client, each change in the audit log', async () => {
    const store = await openSqlite(path.join(tempDir(), 'c.db'), { create: true });
    const added = await store.write((tx) => insertClient(tx, zoe, ctx));
    expect(added).toMatchObject({ id: 1, firstName: 'Zoë', status: 'active', createdAt: ctx.now });
    const edited = await store.write((tx) => updateClient(tx, added, { email: 'zoe@example.org' }, { ...ctx, command: 'client edit' }));
    expect(edited.email).toBe('zoe@example.org');
    await store.write((tx) => setClientStatus(tx, added.id, 'archived', ctx));
    expect(await listClients(store.db, 'active')).toEqual([]);
    expect((await listClients(store.db, 'archived')).map((c) => c.id)).toEqual([1]);
    await store.write((tx) => setClientStatus(tx, added.id, 'active', ctx));
    const audit = await listAudit(store.db, added.id);
    expect(audit.map((a) => a.action)).toEqual(['client.create', 'client.update', 'client.archive', 'client.restore']);
    expect(audit[1]).toMatchObject({ command: 'client edit', detail: { email: { from: null, to: 'zoe@example.org' } } });
    await store.close();
  });

  it('writes all of a transaction or none of it', async () => {
    const store = await openSqlite(path.join(tempDir(), 't.db'), { create: true });
    await expect(
      store.write(async (tx) => {
        await insertClient(tx, zoe, ctx);
        throw new Error('power cut');
      }),
    ).rejects.toThrow('power cut');
    expect(await listClients(store.db, 'all')).toEqual([]);
    expect(await listAudit(store.db)).toEqual([]);
    await store.close();
  });

  it('deletes a client with their audit history, keeping one record of the deletion', async () => {
    const store = await openSqlite(path.join(tempDir(), 'd.db'), { create: true });
    const a = await store.write((tx) => insertClient(tx, zoe, ctx));
    const b = await store.write((tx) => insertClient(tx, { ...zoe, firstName: 'Marie' }, ctx));
    await store.write((tx) => deleteClient(tx, a.id, ctx));
    expect(await getClient(store.db, a.id)).toBeUndefined();
    expect(await getClient(store.db, b.id)).toBeDefined();
    const audit = await listAudit(store.db, a.id);
    expect(audit).toEqual([expect.objectContaining({ action: 'client.delete', detail: null })]);
    expect(JSON.stringify(await listAudit(store.db))).not.toContain('Zoë');
    await store.close();
  });

  it('rejects a status the schema does not know', async () => {
    const store = await openSqlite(path.join(tempDir(), 'k.db'), { create: true });
    const a = await store.write((tx) => insertClient(tx, zoe, ctx));
    await expect(store.write((tx) => setClientStatus(tx, a.id, 'gone' as 'active', ctx))).rejects.toThrow(/CHECK constraint/);
    await store.close();
  });
});

describe('backup', () => {
  it('copies every row to a new 0600 file while the database is open, and refuses to overwrite', async () => {
    const dir = tempDir();
    const store = await openSqlite(path.join(dir, 'live.db'), { create: true });
    await store.write((tx) => insertClient(tx, zoe, ctx));
    const dest = path.join(dir, 'backups', 'copy.db');
    await store.backup(dest);
    await expect(store.backup(dest)).rejects.toThrow('already exists');
    await store.close();
    expect(mode(dest)).toBe(0o600);
    const copy = await openSqlite(dest, { create: false, readOnly: true });
    expect((await listClients(copy.db)).map((c) => c.lastName)).toEqual(['Moreau']);
    expect(await copy.check()).toEqual([]);
    await copy.close();
  });
});

describe('a damaged file is refused before a write', () => {
  /** A real database: one client, and `sessions` progress entries of `notesBytes` each (the bulk of a big file). */
  async function database(file: string, sessions: number, notesBytes: number): Promise<void> {
    const store = await openSqlite(file, { create: true });
    await store.write((tx) => insertClient(tx, zoe, ctx));
    await store.close();
    const raw = new SqliteDatabase(file);
    const insert = raw.prepare(
      "insert into progress_entries (client_id, session_date, recorded_at, attended, symptoms, exercises, decision, notes) values (1, '2026-01-01', '', 1, '[]', '[]', '{}', ?)",
    );
    const notes = 'x'.repeat(notesBytes);
    raw.transaction(() => {
      for (let i = 0; i < sessions; i++) insert.run(notes);
    })();
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
  }
  function zero(file: string, page: number): void {
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, Buffer.alloc(4096), 0, 4096, (page - 1) * 4096);
    fs.closeSync(fd);
  }
  function rootOf(file: string, table: string): number {
    const raw = new SqliteDatabase(file);
    const page = raw.prepare('select rootpage from sqlite_master where name = ?').pluck().get(table) as number;
    raw.close();
    return page;
  }

  it('a zeroed page of a table the write never reads: refused for writing, still opened for reading (doctor finds it)', async () => {
    const file = path.join(tempDir(), 'small.db');
    await database(file, 10, 100);
    zero(file, rootOf(file, 'signoffs'));
    const err = await storeError(openSqlite(file, { create: false }));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/is damaged \(.*page.*\), so nothing was written; run "bridgefit doctor", then restore from a backup/);
    expect(err.message).not.toMatch(/\n/);
    const reading = await openSqlite(file, { create: false, readOnly: true });
    expect((await reading.check()).length).toBeGreaterThan(0);
    await reading.close();
  });

  it('a file past the size checked whole (32 MiB): the small tables a write goes into are still checked, and the file\'s length', async () => {
    const file = path.join(tempDir(), 'big.db');
    await database(file, 40, 1024 * 1024); // ~40 MB of session notes
    expect(fs.statSync(file).size).toBeGreaterThan(32 * 1024 * 1024);
    const ok = await openSqlite(file, { create: false });
    await ok.close();
    const signoffs = rootOf(file, 'signoffs');
    const page = Buffer.alloc(4096);
    const keep = fs.openSync(file, 'r');
    fs.readSync(keep, page, 0, 4096, (signoffs - 1) * 4096);
    fs.closeSync(keep);
    zero(file, signoffs);
    expect((await storeError(openSqlite(file, { create: false }))).message).toMatch(/is damaged \(SQLITE_CORRUPT.* in table 'signoffs'\), so nothing was written/);
    // Mended, then cut short by a page: SQLite itself refuses a file shorter than its header says, at any size.
    const fd = fs.openSync(file, 'r+');
    fs.writeSync(fd, page, 0, 4096, (signoffs - 1) * 4096);
    await (await openSqlite(file, { create: false })).close();
    fs.ftruncateSync(fd, fs.fstatSync(fd).size - 4096);
    fs.closeSync(fd);
    expect((await storeError(openSqlite(file, { create: false }))).message).toMatch(/is damaged \(SQLITE_CORRUPT\)/);
  }, 60_000);
});

describe('replaceWith takes only bridgefit\'s schema', () => {
  async function withClient(file: string, name: string): Promise<void> {
    const store = await openSqlite(file, { create: true });
    await store.write((tx) => insertClient(tx, { ...zoe, firstName: name }, ctx));
    await store.close();
  }

  it('a file carrying a trigger is refused in the store itself (not only by restore\'s check), and nothing changes', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.db');
    const other = path.join(dir, 'other.db');
    await withClient(live, 'Live');
    await withClient(other, 'Other');
    const raw = new SqliteDatabase(other);
    raw.exec("create trigger tamper after insert on clients begin delete from audit_log; update clients set notes = 'tampered'; end;");
    raw.close();
    const store = await openSqlite(live, { create: false });
    const err = await storeError(store.replaceWith(other, null));
    expect(err.message).toMatch(/holds what bridgefit never makes \(trigger "tamper"\); nothing was changed/);
    expect((await listClients(store.db)).map((c) => c.firstName)).toEqual(['Live']);
    await store.close();
  });

  it('a clean file: its rows, in bridgefit\'s tables; a trigger the live file had is gone', async () => {
    const dir = tempDir();
    const live = path.join(dir, 'live.db');
    const other = path.join(dir, 'other.db');
    await withClient(live, 'Live');
    await withClient(other, 'Other');
    const raw = new SqliteDatabase(live);
    raw.exec("create trigger tamper after insert on clients begin delete from audit_log; end;");
    raw.close();
    const store = await openSqlite(live, { create: false });
    expect((await store.schemaCheck()).foreign).toEqual(['trigger "tamper"']);
    await store.replaceWith(other, null);
    expect((await listClients(store.db)).map((c) => c.firstName)).toEqual(['Other']);
    expect(await store.schemaCheck()).toEqual({ foreign: [], missing: [], json: { cells: [], more: false } });
    await store.close();
  });
});
