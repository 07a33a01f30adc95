/**
 * The use cases on a real database, as the commands call them: no binary, no
 * terminal, the day fixed. `openFresh(dialect)` gives a SQLite file in a
 * temporary folder or a new clinic on the PostgreSQL test server (opened as a
 * trainer); `openTemp` is the SQLite file alone, for suites about the file.
 */
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Migration } from 'kysely';
import { addClient } from '../../src/app/clients.js';
import { addClearance } from '../../src/app/clearances.js';
import type { Ctx } from '../../src/app/context.js';
import { recordIntake } from '../../src/app/intake.js';
import { CREATE, openDatabase, type Store } from '../../src/app/open.js';
import { generateProgram } from '../../src/app/programs.js';
import { recordSession } from '../../src/app/record-session.js';
import { builtInTemplates } from '../../src/app/templates.js';
import { checkClearance } from '../../src/domain/clearance.js';
import { checkNewClient, type Client } from '../../src/domain/client.js';
import { addDays } from '../../src/domain/dates.js';
import { checkIntakeAnswers } from '../../src/domain/intake.js';
import { checkProgressInput } from '../../src/domain/progress-input.js';
import { versionOf } from '../../src/store/migrations.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { rows } from './db.js';
import { eachAs, freshClinic, SERVER, type Clinic, type Dialect } from './postgres.js';
import { tempDir } from './tmp.js';

export const TODAY = '2026-12-02';
export const ctx: Ctx = { command: 'test', now: '2026-12-02T10:00:00.000Z', today: TODAY };
export const ago = (n: number) => addDays(TODAY, -n);

export const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false };

export async function openTemp(name = 'clients.db'): Promise<{ store: Store; file: string; dir: string }> {
  const dir = tempDir();
  const file = path.join(dir, name);
  return { store: await openDatabase(file, CREATE), file, dir };
}

/** A copy of a closed database, opened: one starting point for several paths. */
export async function reopenCopy(file: string): Promise<Store> {
  const copy = path.join(tempDir(), 'copy.db');
  fs.copyFileSync(file, copy);
  return openDatabase(copy);
}

/** A new, empty database on either dialect, opened as a command opens it, with what a test needs to look behind the store. */
export interface FreshStore {
  dialect: Dialect;
  store: Store;
  /** A copy of the database as it is now, opened as the same login: one starting point for several paths (close `store` first). */
  reopen(): Promise<Store>;
  /** The same database opened again (after `store` was closed and changed behind its back). */
  again(): Promise<Store>;
  /** Rows straight from the database: the SQLite file read-only, or PostgreSQL as the login (row-level security applies, as in psql). `?` placeholders on both. */
  rows(query: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /** A statement run straight on the database, behind the store (PostgreSQL: as the login). */
  run(query: string, values?: unknown[]): Promise<void>;
  /**
   * Run `fn` on a store opened as whoever may change the settings: on SQLite
   * the trainer's own file; in a clinic its administrator (row-level security
   * lets trainers only read them).
   */
  configure(fn: (store: Store) => Promise<unknown>): Promise<void>;
  /** The SQLite file (sqlite only). */
  file?: string;
  /** The clinic and the trainer login the store is opened as (postgres only). */
  clinic?: Clinic;
  login?: string;
}

/**
 * A fresh store on `dialect`: a new SQLite file in a temporary folder, or a
 * new clinic on the test server opened as one of its trainers (never as the
 * administrator, who sees all: a trainer is whom the use cases run as).
 */
export async function openFresh(dialect: Dialect, name = 'clients.db'): Promise<FreshStore> {
  if (dialect === 'sqlite') {
    const { store, file } = await openTemp(name);
    return {
      dialect,
      store,
      file,
      reopen: () => reopenCopy(file),
      again: () => openDatabase(file),
      configure: async (fn) => {
        await fn(store);
      },
      rows: async (query, values = []) => rows(file, query, values),
      run: async (query, values = []) => {
        const db = new SqliteDatabase(file);
        try {
          db.prepare(query).run(...values);
        } finally {
          db.close();
        }
      },
    };
  }
  const clinic = await freshClinic();
  const login = await clinic.member('trainer', null, 'trainer');
  const store = await clinic.open(login);
  return {
    dialect,
    store,
    clinic,
    login,
    reopen: async () => (await clinic.copy()).open(login),
    again: () => clinic.open(login),
    configure: async (fn) => {
      const admin = await clinic.open(clinic.admin);
      try {
        await fn(admin);
      } finally {
        await admin.close();
      }
    },
    rows: async (query, values = []) => (await eachAs(login, clinic.database, query, [values]))[0]!,
    run: async (query, values = []) => {
      await eachAs(login, clinic.database, query, [values]);
    },
  };
}

export async function client(store: Store, first = 'Zoë', last = 'Moreau'): Promise<Client> {
  return (await addClient(store, checkNewClient({ firstName: first, lastName: last, dateOfBirth: '1961-04-12', sex: 'female' }, TODAY), ctx)).client;
}

export async function intake(store: Store, c: Client, answers: Record<string, unknown>) {
  const checked = checkIntakeAnswers({ date: ago(30), physicallyActive: false, parq: { ...allNo, q6: true, followUps: { arthritis: { has: false } } }, desiredIntensity: 'moderate', ...answers }, { today: TODAY, dateOfBirth: c.dateOfBirth });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return recordIntake(store, c, checked.answers, ctx);
}

export async function cleared(store: Store, c: Client) {
  return addClearance(store, c, checkClearance({ clinician: 'J. Okafor', profession: 'physiotherapist', contact: null, issuedOn: ago(29), expiresOn: null, status: 'cleared', restrictions: [], note: null }, TODAY), ctx);
}

/** A program from a built-in template, started `daysAgo` days ago. */
export async function program(store: Store, c: Client, templateId: string, intakeSaved: Awaited<ReturnType<typeof intake>>['saved'], daysAgo = 21) {
  const set = builtInTemplates();
  return generateProgram(store, c, { template: set.programs.get(templateId)!, set, intake: intakeSaved, start: ago(daysAgo), startGiven: true }, ctx);
}

export function entry(raw: Record<string, unknown>, c: Client) {
  const checked = checkProgressInput(raw, { today: TODAY, dateOfBirth: c.dateOfBirth });
  if (!checked.ok) throw new Error(checked.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return checked.entry;
}

export async function session(store: Store, c: Client, raw: Record<string, unknown>) {
  return recordSession(store, c, entry(raw, c), ctx);
}

/** A database an older bridgefit made, to fill behind the store and then upgrade. */
export interface OlderDatabase {
  dialect: Dialect;
  /** The schema version the older migrations made. */
  schemaVersion: number;
  /** A statement run behind the store (PostgreSQL: as the superuser, as the older schema had no roles' limits), once per list of values, in one transaction. */
  run(query: string, ...valueLists: unknown[][]): Promise<void>;
  rows(query: string, values?: unknown[]): Promise<Record<string, unknown>[]>;
  /**
   * Upgrade it as this bridgefit does (SQLite: opening the file; a clinic:
   * `clinic init` again) and open it: a clinic as its administrator, who
   * sees every row whichever role wrote it.
   */
  upgrade(): Promise<Store>;
  file?: string;
  clinic?: Clinic;
}

/** A new database made by `migrations` only (an older schema): a SQLite file, or a clinic on the test server. */
export async function openOlder(dialect: Dialect, migrations: Record<string, Migration>, name = 'old.db'): Promise<OlderDatabase> {
  if (dialect === 'sqlite') {
    const file = path.join(tempDir(), name);
    const store = await openSqlite(file, { create: true, migrations });
    const schemaVersion = store.schemaVersion;
    await store.close();
    return {
      dialect,
      schemaVersion,
      file,
      run: async (query, ...valueLists) => {
        const db = new SqliteDatabase(file);
        try {
          const statement = db.prepare(query);
          db.transaction(() => {
            for (const values of valueLists.length ? valueLists : [[]]) statement.run(...values);
          })();
        } finally {
          db.close();
        }
      },
      rows: async (query, values = []) => rows(file, query, values),
      upgrade: () => openSqlite(file, { create: true }),
    };
  }
  const clinic = await freshClinic({ migrations });
  const superuser = new URL(SERVER!).username || 'postgres';
  return {
    dialect,
    schemaVersion: versionOf(Object.keys(migrations)),
    clinic,
    run: async (query, ...valueLists) => {
      await eachAs(superuser, clinic.database, query, valueLists.length ? valueLists : [[]]);
    },
    rows: async (query, values = []) => (await eachAs(superuser, clinic.database, query, [values]))[0]!,
    upgrade: async () => {
      await clinic.upgrade();
      return clinic.open(clinic.admin);
    },
  };
}
