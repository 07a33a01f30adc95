/**
 * A real PostgreSQL server for the clinic half of the suites (issue 18).
 * BRIDGEFIT_TEST_POSTGRES is a superuser's URL (`.ci/postgres start` prints
 * one); each clinic is a database of its own on it, with logins made for the
 * test and dropped after. Without the variable, the PostgreSQL half of each
 * suite is skipped and says so; with BRIDGEFIT_REQUIRE_POSTGRES=1 (CI) a
 * missing server fails the run instead.
 */
import crypto from 'node:crypto';
import { afterAll, describe } from 'vitest';
import pg from 'pg';
import type { Migration } from 'kysely';
import { initClinic, addMember, type ClinicInitResult } from '../../src/store/clinic.js';
import { versionOf } from '../../src/store/migrations.js';
import { clinicKysely, makePool } from '../../src/store/postgres.js';
import { openDatabase, type Store } from '../../src/app/open.js';
import { resolveLocation } from '../../src/store/location.js';
import type { ClinicRole } from '../../src/store/store.js';

export const SERVER = process.env.BRIDGEFIT_TEST_POSTGRES || undefined;
if (process.env.BRIDGEFIT_REQUIRE_POSTGRES === '1' && !SERVER) {
  throw new Error('BRIDGEFIT_REQUIRE_POSTGRES=1 but BRIDGEFIT_TEST_POSTGRES is not set: the PostgreSQL half must run here');
}

export type Dialect = 'sqlite' | 'postgres';

/**
 * `body` twice: on SQLite, and on PostgreSQL (skipped, and named so, when
 * there is no server), as kysely's own suites loop over their dialects.
 */
export function describeDialects(name: string, body: (dialect: Dialect) => void): void {
  describe(`${name} [sqlite]`, () => body('sqlite'));
  if (SERVER) describe(`${name} [postgres]`, () => body('postgres'));
  else describe.skip(`${name} [postgres: skipped, BRIDGEFIT_TEST_POSTGRES is not set]`, () => body('postgres'));
}

/** A URL to `database` on the test server as `login` (no password: the test cluster trusts 127.0.0.1). */
export function urlFor(login: string, database: string): string {
  const u = new URL(SERVER!);
  u.username = login;
  u.password = '';
  u.pathname = `/${database}`;
  return u.toString();
}

/** Run SQL as the superuser on `database` (row-level security does not apply). */
export async function asSuperuser<T extends pg.QueryResultRow = Record<string, unknown>>(database: string, text: string, values: unknown[] = []): Promise<T[]> {
  return asLogin<T>(new URL(SERVER!).username || 'postgres', database, text, values);
}

/** Run SQL as `login` on `database` (as psql would: row-level security applies). */
export async function asLogin<T extends pg.QueryResultRow = Record<string, unknown>>(login: string, database: string, text: string, values: unknown[] = []): Promise<T[]> {
  return (await eachAs<T>(login, database, text, [values]))[0]!;
}

/**
 * Run one statement once for each list of values, as `login`, in one
 * transaction on one connection (a test filling a table). `?` placeholders
 * (SQLite's, outside quotes) are taken as $1, $2, … so one text serves both
 * dialects. Counts (bigint) and numeric values read as numbers, as the
 * store's pool reads them (postgres.ts makePool).
 */
export async function eachAs<T extends pg.QueryResultRow = Record<string, unknown>>(login: string, database: string, text: string, valueLists: unknown[][]): Promise<T[][]> {
  const numeric = (v: string) => Number(v);
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? numeric : pg.types.getTypeParser(oid, format as 'text')) };
  const client = new pg.Client({ connectionString: urlFor(login, database), types });
  await client.connect();
  try {
    const statement = dollarPlaceholders(text);
    if (valueLists.length === 1) return [(await client.query<T>(statement, valueLists[0])).rows];
    await client.query('begin');
    const out: T[][] = [];
    for (const values of valueLists) out.push((await client.query<T>(statement, values)).rows);
    await client.query('commit');
    return out;
  } finally {
    await client.end();
  }
}

/** `?` → `$n` outside single-quoted literals; text already using $n is left as it is. */
function dollarPlaceholders(text: string): string {
  let n = 0;
  let quoted = false;
  let out = '';
  for (const ch of text) {
    if (ch === "'") quoted = !quoted;
    out += ch === '?' && !quoted ? `$${++n}` : ch;
  }
  return out;
}

export interface Clinic {
  database: string;
  /** The first administrator's login. */
  admin: string;
  url(login: string): string;
  /** A new member's login (unique on the server), made by the administrator. */
  member(kind: ClinicRole, name?: string | null, label?: string): Promise<string>;
  /** Open the clinic as `login`, as a command does. */
  open(login: string): Promise<Store>;
  /** `clinic init` again, as the superuser, with every migration (an upgrade), the administrator added if missing. */
  upgrade(): Promise<ClinicInitResult>;
  /** A new database holding what this one holds now (no one may be connected). */
  copy(): Promise<Clinic>;
}

const made: { databases: string[]; logins: string[] } = { databases: [], logins: [] };
/** Stores opened on a clinic and not closed yet (a test that failed half-way): closed before their database is dropped. */
const open = new Set<Store>();
// Every clinic a test file made, and its logins, go at the end of the file.
afterAll(async () => {
  for (const store of [...open]) await store.close();
  for (const database of made.databases.splice(0)) await asSuperuser('postgres', `drop database if exists ${database} with (force)`);
  for (const login of made.logins.splice(0)) await asSuperuser('postgres', `drop role if exists ${login}`);
});

const suffix = () => crypto.randomBytes(4).toString('hex');
const NOW = '2026-12-02T10:00:00.000Z';

/**
 * A new clinic on the test server: a database of its own, `clinic init` run,
 * one administrator. With `migrations` (an older bridgefit's), the schema is
 * theirs and, before clinic_members (0012), there is no administrator yet:
 * `upgrade()` runs clinic init with every migration and adds them.
 */
export async function freshClinic(options: { migrations?: Record<string, Migration> } = {}): Promise<Clinic> {
  if (!SERVER) throw new Error('no PostgreSQL server: set BRIDGEFIT_TEST_POSTGRES');
  const id = suffix();
  const database = `bf_${id}`;
  await asSuperuser('postgres', `create database ${database}`);
  made.databases.push(database);
  const admin = `adm_${id}`;
  made.logins.push(admin);
  const members = !options.migrations || Object.keys(options.migrations).some((n) => versionOf([n]) >= 12);
  await initClinic(superuserUrl(database), database, { ...(members ? { admin } : {}), now: NOW, besideOthers: true, ...(options.migrations ? { migrations: options.migrations } : {}) });
  return clinicAt(database, admin);
}

const superuserUrl = (database: string) => urlFor(new URL(SERVER!).username || 'postgres', database);

function clinicAt(database: string, admin: string): Clinic {
  return {
    database,
    admin,
    url: (login) => urlFor(login, database),
    async member(kind, name = null, label = kind) {
      const login = `${label.replace(/[^a-z_]/g, '_')}_${suffix()}`;
      made.logins.push(login);
      const db = clinicKysely(makePool(urlFor(admin, database), { max: 1 }), database);
      try {
        await db.transaction().execute((tx) => addMember(tx, { login, kind, name, profession: null }, NOW));
      } finally {
        await db.destroy();
      }
      return login;
    },
    async open(login) {
      const store = await openDatabase(resolveLocation(urlFor(login, database), {}));
      const close = store.close.bind(store);
      open.add(store);
      store.close = async () => {
        open.delete(store);
        await close();
      };
      return store;
    },
    async upgrade() {
      // The administrator only when there is none yet (a clinic from before 0012).
      const exists = (await asSuperuser('postgres', 'select 1 from pg_roles where rolname = $1', [admin])).length > 0;
      return initClinic(superuserUrl(database), database, { ...(exists ? {} : { admin }), now: NOW, besideOthers: true });
    },
    async copy() {
      const to = `bf_${suffix()}`;
      // A connection just closed may take a moment to leave the server: the template must have none.
      for (let attempt = 1; ; attempt++) {
        try {
          await asSuperuser('postgres', `create database ${to} template ${database}`);
          break;
        } catch (err) {
          if (attempt >= 20 || (err as { code?: string }).code !== '55006') throw err;
          await new Promise((resolve) => setTimeout(resolve, 50));
        }
      }
      made.databases.push(to);
      return clinicAt(to, admin);
    },
  };
}
