import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { fileForm } from '../../src/store/cipher.js';
import { StoreError } from '../../src/store/errors.js';
import { convertDatabase, openSqlite } from '../../src/store/sqlite.js';
import type { Store } from '../../src/store/store.js';
import { mode, tempDir } from '../helpers/tmp.js';

const KEY = 'correct horse battery staple';
/** A name that appears nowhere else: found in a file's bytes, the file is not encrypted. */
const NAME = 'Wojciechowska';

async function addClient(store: Store, lastName = NAME): Promise<void> {
  await store.write((tx) =>
    tx
      .insertInto('clients')
      .values({ first_name: 'Zofia', last_name: lastName, date_of_birth: '1958-03-09', status: 'active', notes: `${lastName} knee`, created_at: '2026-12-02T10:00:00Z', updated_at: '2026-12-02T10:00:00Z' } as never)
      .execute(),
  );
}

async function lastNames(store: Store): Promise<string[]> {
  return (await store.db.selectFrom('clients').select('last_name').orderBy('id').execute()).map((r) => r.last_name as string);
}

const holds = (file: string, text: string) => fs.existsSync(file) && fs.readFileSync(file).includes(Buffer.from(text, 'utf8'));

async function openError(p: Promise<unknown>): Promise<StoreError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(StoreError);
  return err as StoreError;
}

// Each keyed open derives the key anew (SQLCipher 4: 256,000 rounds of PBKDF2), about 0.1 s here.
describe('an encrypted database (SQLCipher 4, issue 19)', { timeout: 30_000 }, () => {
  it('is created encrypted when a key is given: no name in the file or its -wal, and it reads back with the key', async () => {
    const db = path.join(tempDir(), 'c.db');
    const store = await openSqlite(db, { create: true, key: KEY });
    expect(store.encrypted).toBe(true);
    await addClient(store);
    // While it is open the change is in the -wal: that is encrypted too.
    expect(fs.statSync(`${db}-wal`).size).toBeGreaterThan(0);
    expect(holds(`${db}-wal`, NAME)).toBe(false);
    expect(holds(db, NAME)).toBe(false);
    await store.close();
    expect(holds(db, NAME)).toBe(false);
    expect(fileForm(db)).toBe('encrypted');
    expect(mode(db)).toBe(0o600);

    const again = await openSqlite(db, { create: false, key: KEY });
    expect(await lastNames(again)).toEqual([NAME]);
    await again.close();
    // The plain driver cannot read it at all.
    const plain = new SqliteDatabase(db, { readonly: true });
    expect(() => plain.prepare('select * from clients').all()).toThrow(/not a database/);
    plain.close();
  });

  it('is refused in one line without the key, with a wrong one, and a plain file is refused with a key; nothing is written', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.db');
    const store = await openSqlite(db, { create: true, key: KEY });
    await addClient(store);
    await store.close();
    const before = fs.readFileSync(db);

    const missing = await openError(openSqlite(db, { create: false }));
    expect(missing.code).toBe('encrypted');
    expect(missing.message).toBe(`the database ${db} is encrypted (or not a database at all): set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file, to open it; it was left untouched`);
    const wrong = await openError(openSqlite(db, { create: false, key: 'wrong' }));
    expect(wrong.code).toBe('wrong-key');
    expect(wrong.message).toMatch(/^the key does not open .*c\.db/);
    expect(wrong.message).not.toContain('wrong\'');
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.readdirSync(dir).sort()).toEqual(['c.db']);

    const plainDb = path.join(dir, 'plain.db');
    await (await openSqlite(plainDb, { create: true })).close();
    const plain = await openError(openSqlite(plainDb, { create: false, key: KEY }));
    expect(plain.code).toBe('not-encrypted');
    expect(plain.message).toContain('run "bridgefit encrypt"');
  });

  it('backs up by VACUUM INTO: the copy is encrypted with the same key, 0600', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.db');
    const store = await openSqlite(db, { create: true, key: KEY });
    await addClient(store);
    const copy = path.join(dir, 'copy.db');
    await store.backup(copy);
    await store.close();
    expect(fileForm(copy)).toBe('encrypted');
    expect(holds(copy, NAME)).toBe(false);
    expect(mode(copy)).toBe(0o600);
    expect(fs.readdirSync(dir).sort()).toEqual(['c.db', 'copy.db']);
    const back = await openSqlite(copy, { create: false, readOnly: true, key: KEY });
    expect(await lastNames(back)).toEqual([NAME]);
    expect(await back.check()).toEqual([]);
    await back.close();
  });

  it('takes a plain backup or an encrypted one in a restore, and the rows land encrypted', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.db');
    const store = await openSqlite(db, { create: true, key: KEY });
    await addClient(store, 'Current');
    const plainBackup = path.join(dir, 'plain.db');
    const plain = await openSqlite(plainBackup, { create: true });
    await addClient(plain);
    await plain.close();
    await store.replaceWith(plainBackup, null);
    expect(await lastNames(store)).toEqual([NAME]);
    expect(holds(db, NAME) || holds(`${db}-wal`, NAME)).toBe(false);

    const encryptedBackup = path.join(dir, 'enc.db');
    const other = await openSqlite(encryptedBackup, { create: true, key: KEY });
    await addClient(other, 'Encrypted');
    await other.close();
    await store.replaceWith(encryptedBackup, null, KEY);
    expect(await lastNames(store)).toEqual(['Encrypted']);
    await store.close();
    expect(holds(db, 'Encrypted')).toBe(false);
  });

  it('is encrypted and decrypted in place, after a copy in the form it had; a wrong key changes nothing', async () => {
    const dir = tempDir();
    const db = path.join(dir, 'c.db');
    const store = await openSqlite(db, { create: true });
    await addClient(store);
    await store.close();
    expect(holds(db, NAME)).toBe(true);

    const before = path.join(dir, 'backups', 'before.db');
    await convertDatabase(db, undefined, KEY, before);
    expect(fileForm(db)).toBe('encrypted');
    expect(holds(db, NAME)).toBe(false);
    expect(mode(db)).toBe(0o600);
    expect(fileForm(before)).toBe('plain'); // the copy from before, as it was
    expect(fs.readdirSync(dir).sort()).toEqual(['backups', 'c.db']); // no partial, no -wal or -shm of the old file
    const enc = await openSqlite(db, { create: false, key: KEY });
    expect(await lastNames(enc)).toEqual([NAME]);
    expect(await enc.check()).toEqual([]);
    await enc.close();

    const bytes = fs.readFileSync(db);
    const wrong = await convertDatabase(db, 'wrong', undefined, path.join(dir, 'backups', 'never.db')).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((wrong as StoreError).code).toBe('wrong-key');
    expect(fs.readFileSync(db).equals(bytes)).toBe(true);
    expect(fs.readdirSync(path.join(dir, 'backups'))).toEqual(['before.db']);

    const encryptedCopy = path.join(dir, 'backups', 'encrypted.db');
    await convertDatabase(db, KEY, undefined, encryptedCopy);
    expect(fileForm(db)).toBe('plain');
    expect(fileForm(encryptedCopy)).toBe('encrypted');
    const back = await openSqlite(db, { create: false });
    expect(await lastNames(back)).toEqual([NAME]);
    expect(back.encrypted).toBe(false);
    await back.close();
  });
});
