import fs from 'node:fs';
import path from 'node:path';
import { countClients } from '../store/clients.js';
import { migrations, versionOf } from '../store/migrations.js';
import { listStageColumnMismatches } from '../store/programs.js';
import { StoreError } from '../store/errors.js';
import { isEncryptedFile } from '../store/cipher.js';
import { convertDatabase, openSqlite } from '../store/sqlite.js';
import { cannotWrite, createPrivateFile, partialName, syncFile, syncFolder } from '../store/files.js';
import type { Store } from '../store/store.js';
import { CancelledError, UsageError, UserError } from './errors.js';
import type { DatabaseLocation } from './open.js';

export interface InitResult {
  path: string;
  source: DatabaseLocation['source'];
  created: boolean;
  schemaVersion: number;
  encrypted: boolean;
  upgradeBackup: string | null;
}

/** The key as an open option, when there is one. */
function keyed(key: string | undefined): { key?: string } {
  return key !== undefined ? { key } : {};
}

/** `init`: create the database, or upgrade it (after a backup); say where it is. */
export async function initDatabase(where: DatabaseLocation, key?: string): Promise<InitResult> {
  const store = await openSqlite(where.file, { create: true, ...keyed(key) });
  const result = { path: store.location, source: where.source, created: store.created, schemaVersion: store.schemaVersion, encrypted: store.encrypted, upgradeBackup: store.upgradeBackup };
  await store.close();
  return result;
}

/** `backup`: copy the open database while it stays in use, then check the copy; a copy that does not check clean is removed. */
export async function backupDatabase(store: Store, out: string | undefined, now: string, key?: string): Promise<{ path: string; source: string; encrypted: boolean }> {
  if (out !== undefined && out.trim() === '') throw new UsageError('--out needs a file or folder name');
  const dest = backupPath(out, store.location, new Date(now));
  await store.backup(dest);
  // A backup is only worth keeping if it opens and checks clean.
  // The copy of an encrypted database is encrypted with the same key.
  const copy = await openSqlite(dest, { create: false, readOnly: true, ...keyed(store.encrypted ? key : undefined) });
  const problems = await copy.check();
  await copy.close();
  if (problems.length > 0) {
    fs.rmSync(dest, { force: true });
    throw new UserError(`the backup did not check clean (${problems[0]}); it was removed. Run "bridgefit doctor" on the database`);
  }
  return { path: dest, source: store.location, encrypted: store.encrypted };
}

/**
 * `bridgefit restore <backup>`: the database becomes exactly the backup. The
 * backup is checked first (a bridgefit database, not newer, integrity and
 * foreign keys clean); the current data is copied to backups/ as `backup`
 * would; then every table is replaced in one write transaction.
 */
export interface RestoreResult {
  path: string;
  restoredFrom: string;
  clients: number;
  schemaVersion: number;
  safetyBackup: string | null;
}

/** What a restore is about to do, for the person to confirm. */
export interface RestorePlan {
  location: string;
  from: string;
  /** Clients in the database it replaces (null: unreadable); undefined when there is none yet. */
  currentClients?: number | null;
  incoming: { clients: number; schemaVersion: number };
}

/**
 * `confirm` is asked once the backup is checked and before anything changes
 * (the command asks the person, or says yes for --yes); false changes nothing.
 */
export async function restoreDatabase(location: string, backup: string, now: string, confirm: (plan: RestorePlan) => Promise<boolean>, key?: string): Promise<RestoreResult> {
  const from = path.resolve(backup);
  const given = fs.statSync(from, { throwIfNoEntry: false });
  if (!given) throw new UsageError(`no backup at ${from}`);
  if (!given.isFile()) throw new UsageError(`${from} is not a regular file, so not a backup`);
  if (fs.existsSync(location) && fs.realpathSync(location) === fs.realpathSync(from)) throw new UsageError(`${from} is the database itself, not a backup of it`);
  // A copy of a live database without its -wal lacks what the -wal holds; one with a -journal was not finished.
  for (const beside of [`${from}-wal`, `${from}-journal`]) {
    if ((fs.statSync(beside, { throwIfNoEntry: false })?.size ?? 0) > 0) {
      throw new UserError(`${from} has a ${beside.slice(from.length + 1)} file beside it: it is in use or was not finished; back it up with "bridgefit --db ${from} backup" and restore that`);
    }
  }

  // Checked on a private copy beside the database: what is checked is what goes in, whatever happens to the backup meanwhile.
  const copy = partialName(location);
  const fresh = partialName(`${location}.new`);
  try {
    try {
      createPrivateFile(copy);
      fs.copyFileSync(from, copy);
      fs.chmodSync(copy, 0o600); // copyFile gives the copy the backup's mode
    } catch (err) {
      throw cannotWrite(location, err); // the copy goes beside the database: that folder is the problem
    }
    // An encrypted backup is read with the key; a plain one as it is. Either goes into an encrypted database encrypted.
    const copyKey = isEncryptedFile(copy) ? key : undefined;
    const incoming = await checkBackup(copy, from, copyKey);

    const current = fs.existsSync(location) ? await openCurrent(location, key) : undefined;
    try {
      const plan: RestorePlan = { location, from, incoming, ...(current ? { currentClients: await countClients(current.db).catch(() => null) } : {}) };
      if (!(await confirm(plan))) throw new CancelledError('not restored; nothing was changed');
      let safetyBackup: string | null = null;
      if (current) {
        safetyBackup = backupPath(undefined, current.location, new Date(now));
        if (copyKey !== undefined && !current.encrypted) {
          throw new UserError(`${from} is encrypted and ${location} is not: run "bridgefit encrypt" first, or decrypt the backup; nothing was changed`);
        }
        await current.replaceWith(copy, safetyBackup, copyKey);
      } else {
        // No database yet: one is made beside it from bridgefit's own schema, the backup's rows
        // copied in, and it takes the name, unless someone else took it meanwhile.
        try {
          createPrivateFile(fresh);
        } catch (err) {
          throw cannotWrite(location, err);
        }
        // bridgefit's schema, which replaceWith then makes the backup's version of; encrypted when there is a key.
        const made = await openSqlite(fresh, { create: true, ...keyed(key) });
        try {
          await made.replaceWith(copy, null, copyKey);
        } finally {
          await made.close();
        }
        try {
          syncFile(fresh);
          fs.linkSync(fresh, location); // unlike rename, never over a file
          syncFolder(path.dirname(location));
        } catch (err) {
          if ((err as NodeJS.ErrnoException).code === 'EEXIST') throw new UserError(`${location} was made by another command meanwhile; run restore again`);
          throw cannotWrite(location, err);
        }
      }
      fs.chmodSync(location, 0o600);
      return { path: location, restoredFrom: from, clients: incoming.clients, schemaVersion: incoming.schemaVersion, safetyBackup };
    } finally {
      await current?.close();
    }
  } finally {
    for (const f of [copy, fresh]) for (const g of [f, `${f}-wal`, `${f}-shm`, `${f}-journal`]) fs.rmSync(g, { force: true });
  }
}

/**
 * The database restore replaces. A damaged one is not replaced in place: it cannot be
 * copied whole first, nor locked for certain against another process still using it.
 */
async function openCurrent(location: string, key: string | undefined) {
  try {
    return await openSqlite(location, { create: false, ...keyed(key) });
  } catch (err) {
    if (!(err instanceof StoreError) || err.code !== 'corrupt') throw err;
    throw new UserError(
      `${location} is damaged, so restore does not write into it; move it aside (with its -wal and -shm, if any) and run restore again: with no database there, the backup takes its place`,
    );
  }
}

/** Whether `copy` (of the backup `from`) can be restored: a bridgefit database, not newer, checking clean. */
async function checkBackup(copy: string, from: string, key: string | undefined): Promise<{ clients: number; schemaVersion: number }> {
  let store: Awaited<ReturnType<typeof openSqlite>>;
  try {
    store = await openSqlite(copy, { create: false, readOnly: true, ...keyed(key) });
  } catch (err) {
    if (!(err instanceof StoreError)) throw err;
    if (err.code === 'encrypted') throw new UserError(`the backup ${from} is encrypted: set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file, to restore it; nothing was changed`);
    if (err.code === 'wrong-key') throw new UserError(`the key does not open the backup ${from}; nothing was changed`);
    const why: Partial<Record<StoreError['code'], string>> = {
      'not-sqlite': 'is not a bridgefit database (not SQLite at all)',
      foreign: 'is a SQLite database but not a bridgefit one',
      missing: 'is empty, not a bridgefit database',
      corrupt: 'is damaged and cannot be read',
      'newer-schema': 'was written by a newer bridgefit; upgrade bridgefit to restore it',
    };
    throw new UserError(`${from} ${why[err.code] ?? `cannot be read (${err.message})`}; nothing was changed`);
  }
  try {
    const problems = await store.check();
    if (problems.length > 0) throw new UserError(`${from} is damaged (${problems[0]}); nothing was changed`);
    // Only bridgefit's own tables, columns and indexes are restored: a trigger in a backup would
    // run on every later write, a view or another table is not bridgefit's to keep.
    const schema = await store.schemaCheck();
    if (schema.foreign.length > 0) {
      throw new UserError(`${from} holds what bridgefit never makes (${schema.foreign.join(', ')}), so it is not restored; nothing was changed`);
    }
    if (schema.missing.length > 0) throw new UserError(`${from} is damaged: it lacks ${schema.missing.join(', ')}; nothing was changed`);
    if (schema.json.cells.length > 0) {
      throw new UserError(`${from} is damaged: ${listed(schema.json.cells, schema.json.more)} ${schema.json.cells.length === 1 ? 'does' : 'do'} not read as JSON; nothing was changed`);
    }
    return { clients: await countClients(store.db), schemaVersion: store.schemaVersion };
  } finally {
    await store.close();
  }
}

export interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export interface DoctorReport {
  path: string;
  /** Whether the file is encrypted at rest (SQLCipher 4). */
  encrypted: boolean;
  schemaVersion: number | null;
  latestSchemaVersion: number;
  clients: number | null;
  ok: boolean;
  checks: Check[];
}

/** `doctor`: integrity, foreign keys, schema version, file permissions. Reads only; a damaged file is a finding, not a failure. */
export async function checkDatabase(file: string, key?: string): Promise<DoctorReport> {
  const latest = versionOf(Object.keys(migrations('sqlite')));
  let store: Awaited<ReturnType<typeof openSqlite>>;
  try {
    store = await openSqlite(file, { create: false, readOnly: true, ...keyed(key) });
  } catch (err) {
    // Too damaged to open: that is doctor's finding, not its failure.
    if (!(err instanceof StoreError) || err.code !== 'corrupt') throw err;
    const detail = `the file is damaged and cannot be read; restore the latest backup (${path.join(path.dirname(file), 'backups')})`;
    return { path: file, encrypted: isEncryptedFile(file), schemaVersion: null, latestSchemaVersion: latest, clients: null, ok: false, checks: [{ name: 'integrity', ok: false, detail }] };
  }
  const checks: Check[] = [];
  let clients: number | null = 0;
  try {
    const problems = await store.check();
    const integrity = problems.filter((p) => !p.startsWith('foreign key'));
    const foreignKeys = problems.filter((p) => p.startsWith('foreign key'));
    checks.push({ name: 'integrity', ok: integrity.length === 0, detail: integrity.length === 0 ? 'ok' : integrity.join('; ') });
    checks.push({ name: 'foreign keys', ok: foreignKeys.length === 0, detail: foreignKeys.length === 0 ? 'ok' : foreignKeys.join('; ') });
    checks.push({
      name: 'schema',
      ok: true, // an older schema is upgraded (after a backup) the next time bridgefit writes
      detail: store.schemaVersion === latest ? `version ${latest} (current)` : `version ${store.schemaVersion}; run "bridgefit init" to upgrade to ${latest}`,
    });
    checks.push(...(await schemaChecks(store)));
    checks.push(await programsCheck(store, latest));
    clients = await countClients(store.db).catch(() => null);
  } finally {
    await store.close();
  }
  const mode = fs.statSync(file).mode & 0o777;
  checks.push({
    name: 'permissions',
    ok: (mode & 0o077) === 0,
    detail: (mode & 0o077) === 0 ? `${octal(mode)} (only you can read it)` : `${octal(mode)}: others can read health data; run chmod 600 ${file}`,
  });
  checks.push({
    name: 'encryption',
    ok: true, // encryption is the trainer's choice
    detail: store.encrypted ? 'encrypted at rest (SQLCipher 4); its backups are too' : 'not encrypted ("bridgefit encrypt" encrypts it)',
  });
  return { path: file, encrypted: store.encrypted, schemaVersion: store.schemaVersion, latestSchemaVersion: latest, clients, ok: checks.every((c) => c.ok), checks };
}

/**
 * `doctor` on a clinic database: who is connected (never a superuser), the
 * schema version, bridgefit's tables all there and nothing else, row-level
 * security on and forced on every table, and the programs' stage columns.
 * File checks (integrity, permissions, encryption) are the server's.
 */
export async function checkClinicDatabase(where: DatabaseLocation): Promise<DoctorReport> {
  const latest = versionOf(Object.keys(migrations('postgres')));
  const { openDatabase } = await import('./open.js');
  const store = await openDatabase(where);
  const checks: Check[] = [];
  let clients: number | null = null;
  try {
    checks.push({ name: 'login', ok: true, detail: `${store.clinic?.login} (${store.clinic?.role}; row-level security decides what it sees)` });
    checks.push({ name: 'schema', ok: true, detail: `version ${store.schemaVersion} (current)` });
    const found = await store.schemaCheck();
    const objects: string[] = [];
    if (found.foreign.length > 0) objects.push(`not bridgefit's: ${found.foreign.join(', ')}`);
    if (found.missing.length > 0) objects.push(`missing: ${found.missing.join(', ')}; run "bridgefit clinic init" as an administrator`);
    checks.push({ name: 'objects', ok: objects.length === 0, detail: objects.length === 0 ? "every table is bridgefit's, and none is missing" : objects.join('; ') });
    const security = await store.check();
    checks.push({ name: 'security', ok: security.length === 0, detail: security.length === 0 ? 'row-level security is on and forced on every table' : security.join('; ') });
    checks.push(await programsCheck(store, latest));
    clients = await countClients(store.db);
  } finally {
    await store.close();
  }
  return { path: where.file, encrypted: false, schemaVersion: latest, latestSchemaVersion: latest, clients, ok: checks.every((c) => c.ok), checks };
}

/**
 * Whether every table, column and index is bridgefit's and there (at the file's
 * schema version), and whether every stored JSON value reads back.
 */
async function schemaChecks(store: Awaited<ReturnType<typeof openSqlite>>): Promise<Check[]> {
  let found: Awaited<ReturnType<Store['schemaCheck']>>;
  try {
    found = await store.schemaCheck();
  } catch (err) {
    const detail = `cannot be read (${(err as Error).message})`;
    return [{ name: 'objects', ok: false, detail }, { name: 'json', ok: false, detail }];
  }
  const objects: string[] = [];
  if (found.foreign.length > 0) objects.push(`not bridgefit's: ${found.foreign.join(', ')} (remove them, or restore a backup)`);
  if (found.missing.length > 0) objects.push(`missing: ${found.missing.join(', ')}; restore the latest backup`);
  return [
    { name: 'objects', ok: objects.length === 0, detail: objects.length === 0 ? "every table, column and index is bridgefit's, and none is missing" : objects.join('; ') },
    {
      name: 'json',
      ok: found.json.cells.length === 0,
      detail:
        found.json.cells.length === 0
          ? 'every stored JSON value reads'
          : `damaged: ${listed(found.json.cells, found.json.more)} ${found.json.cells.length === 1 ? 'does' : 'do'} not read as JSON; restore the latest backup`,
    },
  ];
}

function listed(items: string[], more: boolean): string {
  return items.join(', ') + (more ? ' and more' : '');
}

/** Whether each program's stage columns (what summary shows) say what its stored program says. */
async function programsCheck(store: Store, latest: number): Promise<Check> {
  const name = 'programs';
  if (store.schemaVersion < latest) return { name, ok: true, detail: 'checked once upgraded (run "bridgefit init"); the upgrade sets each stage from the stored program' };
  let wrong: Awaited<ReturnType<typeof listStageColumnMismatches>>;
  try {
    wrong = await listStageColumnMismatches(store.db);
  } catch (err) {
    return { name, ok: false, detail: `the programs cannot be read (${(err as Error).message})` };
  }
  if (wrong.length === 0) return { name, ok: true, detail: 'every stage name and sessions a week agree with the stored program' };
  const shown = (s: { stageName: string | null; sessionsPerWeek: number | null }) => `${s.stageName === null ? 'no name' : JSON.stringify(s.stageName)}, ${s.sessionsPerWeek ?? 'no'} a week`;
  const first = wrong[0]!;
  const ids = wrong.slice(0, 20).map((w) => w.id).join(', ') + (wrong.length > 20 ? ` and ${wrong.length - 20} more` : '');
  const example = first.snapshot
    ? `program ${first.id}, stage ${first.currentStage}: the columns say ${shown(first.stored)}, the stored program ${shown(first.snapshot)}`
    : `program ${first.id}: its stored program does not read as a program`;
  return { name, ok: false, detail: `${wrong.length === 1 ? 'program' : 'programs'} ${ids}: the stage columns (what summary shows) disagree with the stored program (${example})` };
}

export interface ConversionResult {
  path: string;
  encrypted: boolean;
  /** The copy taken first, in the form the database had (a plain copy when it is being encrypted). */
  backup: string;
}

/**
 * `encrypt`: the plain database at `location` becomes encrypted with `key`, in
 * place (a new file beside it, checked, renamed over it), after a plain copy
 * to backups/.
 */
export async function encryptDatabase(location: string, key: string, now: string): Promise<ConversionResult> {
  if (!fs.existsSync(location)) throw new UserError(`no database at ${location}; run "bridgefit init" to create one (with a key set, it is created encrypted)`);
  if (isEncryptedFile(location)) throw new UserError(`${location} is already encrypted; nothing was changed`);
  const backup = backupPath(undefined, location, new Date(now));
  await convertDatabase(location, undefined, key, backup);
  return { path: location, encrypted: true, backup };
}

/** `decrypt`: the encrypted database at `location` becomes plain, in place, after an (encrypted) copy to backups/. */
export async function decryptDatabase(location: string, key: string | undefined, now: string): Promise<ConversionResult> {
  if (!fs.existsSync(location)) throw new UserError(`no database at ${location}`);
  if (!isEncryptedFile(location)) throw new UserError(`${location} is not encrypted; nothing was changed`);
  if (key === undefined) throw new UserError(`the database ${location} is encrypted: set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file, to decrypt it`);
  const backup = backupPath(undefined, location, new Date(now));
  await convertDatabase(location, key, undefined, backup);
  return { path: location, encrypted: false, backup };
}

/**
 * Where a backup goes: --out as given, or a dated file in --out when it is a
 * folder, or in backups/ beside the database; never over an existing file.
 */
function backupPath(out: string | undefined, database: string, now: Date): string {
  if (out !== undefined && !(fs.existsSync(out) && fs.statSync(out).isDirectory())) return path.resolve(out);
  const dir = out !== undefined ? path.resolve(out) : path.join(path.dirname(database), 'backups');
  const base = `bridgefit-${stamp(now)}`;
  let candidate = path.join(dir, `${base}.db`);
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(dir, `${base}-${n}.db`);
  return candidate;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
