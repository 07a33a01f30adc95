/**
 * The PostgreSQL dialect, for a clinic (issue 18): the only module that knows
 * about pg, the server's roles and its error codes. Everything else goes
 * through kysely, as on SQLite. Who may see and change what is decided by the
 * server's row-level security (migrations 0012), never here: bridgefit only
 * refuses to work as a superuser, which would bypass it.
 */
import { createRequire } from 'node:module';
import {
  Kysely,
  PostgresDialect,
  sql,
  type DatabaseConnection,
  type Driver,
  type Migration,
  type QueryResult,
  type CompiledQuery,
  type TransactionSettings,
} from 'kysely';
import type { Pool, PoolConfig } from 'pg';
import { StoreError } from './errors.js';
import { migrations, versionOf } from './migrations.js';
import type { Database } from './schema.js';
import type { ClinicRole, Store } from './store.js';

const require = createRequire(import.meta.url);

/** The clinic's group roles; `clinic init` makes them, logins are members of one. */
export const GROUP_ROLES = { admin: 'bridgefit_admin', trainer: 'bridgefit_trainer', clinician: 'bridgefit_clinician' } as const satisfies Record<ClinicRole, string>;

/** How often a write that lost a serialisation race is run again before it is reported. */
const WRITE_ATTEMPTS = 30;

export interface PostgresOpenOptions {
  /** The migrations to run; tests pass older sets. */
  migrations?: Record<string, Migration>;
  /** `clinic init` only: a superuser may connect, and pending migrations are left to the caller. */
  administering?: boolean;
}

/** A pool for `url`: counts (bigint) and averages (numeric) come back as numbers, as on SQLite. */
export function makePool(url: string, extra: PoolConfig = {}): Pool {
  const pg = require('pg') as typeof import('pg');
  const numeric = (text: string) => Number(text);
  const types = {
    getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 || oid === 1700 ? numeric : pg.types.getTypeParser(oid, format as 'text')),
  };
  // JIT off: bridgefit's queries are short, and compiling their plans cost more than it saved (the
  // summary of 10,000 clients as a trainer took 3.0 s with it, 2.2 s without; bench/README.md).
  const options = ['-c jit=off', extra.options].filter(Boolean).join(' ');
  const pool = new pg.Pool({ connectionString: url, max: 4, connectionTimeoutMillis: 10_000, application_name: 'bridgefit', types, ...extra, options });
  // An idle connection the server ends (a restart, an administrator's terminate) is an 'error' event on
  // the pool, which would end the process; the next query reconnects, or fails with its own error.
  pool.on('error', () => {});
  return pool;
}

/** kysely on `pool`, with every server error turned into a StoreError naming the database. */
export function clinicKysely(pool: Pool, display: string): Kysely<Database> {
  return new Kysely<Database>({ dialect: new TranslatingPostgresDialect(pool, display) });
}

export async function openPostgres(url: string, display: string, options: PostgresOpenOptions = {}): Promise<Store> {
  const known = options.migrations ?? migrations('postgres');
  const pool = makePool(url);
  const db = clinicKysely(pool, display);
  try {
    const who = await whoAmI(db);
    if (who.superuser && !options.administering) {
      throw new StoreError(
        'denied',
        `${display}: connected as ${who.login}, a superuser, who bypasses row-level security; bridgefit works only as a clinic member's own login (an administrator adds them with "bridgefit clinic add-trainer" or "add-clinician")`,
      );
    }
    if (!who.schema) {
      throw new StoreError('missing', `no bridgefit clinic at ${display}; an administrator makes one there with "bridgefit --db <url> clinic init"`);
    }
    if (who.bypassesSecurity && !options.administering) {
      throw new StoreError('denied', `${display}: ${who.login} may bypass row-level security (BYPASSRLS), so bridgefit does not work as it; a clinic member is a login without it`);
    }
    if (who.login !== who.session && !options.administering) {
      // SET ROLE (in the login's settings, say) would make the server see someone else.
      throw new StoreError('denied', `${display}: connected as ${who.session} but acting as ${who.login} (a role set for the login): bridgefit works only as the login itself; run "alter role ${who.session} reset role" as an administrator`);
    }
    if (!options.administering && (who.role === null || !who.listed)) {
      throw new StoreError('denied', `${display}: ${who.session} is not a member of this clinic; an administrator adds logins with "bridgefit clinic add-trainer ${who.session}" or "clinic add-clinician ${who.session}"`);
    }
    const app = await db.selectFrom('bridgefit_meta').select('value').where('key', '=', 'app').executeTakeFirst();
    if (app?.value !== 'bridgefit') throw new StoreError('foreign', `${display} holds tables that are not a bridgefit database`);
    const executed = (await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db)).rows.map((r) => r.name);
    const unknown = executed.filter((n) => !(n in known));
    if (unknown.length > 0) {
      throw new StoreError('newer-schema', `${display} was written by a newer bridgefit (schema ${versionOf(executed)}, this one knows ${versionOf(Object.keys(known))}); upgrade bridgefit`);
    }
    const pending = Object.keys(known).filter((n) => !executed.includes(n));
    if (pending.length > 0 && !options.administering) {
      throw new StoreError(
        'migration-failed',
        `${display} is at schema ${versionOf(executed)} and this bridgefit needs ${versionOf(Object.keys(known))}; an administrator upgrades it with "bridgefit --db <url> clinic init"`,
      );
    }
    return makeStore(db, display, versionOf(executed), who);
  } catch (err) {
    await db.destroy();
    throw err;
  }
}

interface Who {
  login: string;
  /** The login connected, which SET ROLE does not change; row-level security asks for it. */
  session: string;
  superuser: boolean;
  bypassesSecurity: boolean;
  /** Whether this clinic lists the login among its members (clinic_members). */
  listed: boolean;
  role: ClinicRole | null;
  /** Whether bridgefit's tables are there. */
  schema: boolean;
}

async function whoAmI(db: Kysely<Database>): Promise<Who> {
  const member = (group: string) => sql<boolean>`exists (select 1 from pg_roles g where g.rolname = ${group} and pg_has_role(current_user, g.oid, 'usage'))`;
  const row = (
    await sql<{ login: string; session: string; superuser: boolean; bypass: boolean; admin: boolean; trainer: boolean; clinician: boolean; schema: boolean }>`
      select current_user as login, session_user as session, r.rolsuper as superuser, r.rolbypassrls as bypass,
        ${member(GROUP_ROLES.admin)} as admin, ${member(GROUP_ROLES.trainer)} as trainer, ${member(GROUP_ROLES.clinician)} as clinician,
        to_regclass('bridgefit_meta') is not null as schema
      from pg_roles r where r.rolname = current_user`.execute(db)
  ).rows[0]!;
  const role: ClinicRole | null = row.admin ? 'admin' : row.trainer ? 'trainer' : row.clinician ? 'clinician' : null;
  // A clinic from before 0012 has no members table: then only the group decides (clinic init upgrades it).
  const members = row.schema && (await sql<{ present: boolean }>`select to_regclass('clinic_members') is not null as present`.execute(db)).rows[0]!.present;
  const listed = role !== null && (!members || (await sql<{ n: number }>`select count(*) as n from clinic_members where login = session_user`.execute(db)).rows[0]!.n > 0);
  return { login: row.login, session: row.session, superuser: row.superuser, bypassesSecurity: row.bypass, listed, role, schema: row.schema };
}

function makeStore(db: Kysely<Database>, display: string, schemaVersion: number, who: Who): Store {
  const unsupported = (what: string) => new StoreError('unsupported', `${what} of a clinic database is the server's work: use pg_dump and pg_restore (or your host's backups) for ${display}`);
  return {
    dialect: 'postgres',
    location: display,
    db,
    schemaVersion,
    created: false,
    upgradeBackup: null,
    encrypted: false,
    clinic: { login: who.login, role: who.role },
    async write(fn) {
      // SERIALIZABLE: two trainers writing at once behave as if one wrote after the other.
      // A transaction that lost the race is run again, from the start (it wrote nothing).
      for (let attempt = 1; ; attempt++) {
        try {
          return await db.transaction().setIsolationLevel('serializable').execute(fn);
        } catch (err) {
          if (attempt >= WRITE_ATTEMPTS || !retryable(err)) throw err;
          // Jittered, growing waits (up to a quarter of a second), so the writers that collided spread out.
          await new Promise((resolve) => setTimeout(resolve, Math.random() * Math.min(250, 5 * 2 ** attempt)));
        }
      }
    },
    async backup() {
      throw unsupported('A backup');
    },
    async replaceWith() {
      throw unsupported('A restore');
    },
    async check() {
      // Foreign keys are the server's to keep. What bridgefit checks: every table is under row-level security.
      const rows = await sql<{ name: string; enabled: boolean; forced: boolean }>`
        select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced
        from pg_class c join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind = 'r' and c.relname not like 'kysely_migration%' order by c.relname`.execute(db);
      return rows.rows.filter((r) => !r.enabled || !r.forced).map((r) => `security: row-level security is ${r.enabled ? 'not forced' : 'off'} on table ${r.name}`);
    },
    async schemaCheck() {
      const expected = new Set(EXPECTED_TABLES);
      const rows = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`.execute(db);
      const have = new Set(rows.rows.map((r) => r.name));
      return {
        foreign: [...have].filter((t) => !expected.has(t)).map((t) => `table "${t}"`),
        missing: [...expected].filter((t) => !have.has(t)).map((t) => `table "${t}"`),
        json: { cells: [], more: false },
      };
    },
    async close() {
      await db.destroy();
    },
  };
}

const EXPECTED_TABLES = [
  'kysely_migration',
  'kysely_migration_lock',
  'bridgefit_meta',
  'clients',
  'audit_log',
  'intakes',
  'clearances',
  'screenings',
  'programs',
  'progress_entries',
  'measurements',
  'entry_amendments',
  'referrals',
  'stage_transitions',
  'signoffs',
  'clinic_members',
  'clinic_templates',
];

/** A serialisation failure or a deadlock: the transaction did nothing and may run again. */
function retryable(err: unknown): boolean {
  // The server's code, on the error itself or under the StoreError it was translated to.
  const codes = [pgCode(err), pgCode((err as { cause?: unknown } | undefined)?.cause)];
  return codes.some((code) => code === '40001' || code === '40P01');
}

function pgCode(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A pg error as a StoreError a person can act on; errors that are bridgefit's own pass through. */
export function translatePgError(err: unknown, display: string): unknown {
  if (err instanceof StoreError) return err;
  const code = pgCode(err);
  if (code === undefined) return err;
  const message = (err as Error).message;
  if (['ECONNREFUSED', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH', 'ECONNRESET', 'EAI_AGAIN'].includes(code) || code.startsWith('08') || code === '57P01' || code === '57P03') {
    const why = code === 'ECONNREFUSED' ? 'the connection was refused (is the server running, on that host and port?)' : code === 'ENOTFOUND' ? 'no such host' : message;
    return new StoreError('unreachable', `cannot reach the clinic database ${display}: ${why}`, { cause: err });
  }
  if (code === '28P01' || code === '28000') return new StoreError('denied', `${display}: the server refused the login (${message})`, { cause: err });
  if (code === '3D000') return new StoreError('missing', `${display}: ${message}`, { cause: err });
  if (code === '42501') return new StoreError('denied', `not allowed in the clinic database ${display}: ${message}`, { cause: err });
  if (code === '53300') return new StoreError('busy', `${display} is busy: the server has no connection left; try again`, { cause: err });
  if (code === '40001' || code === '40P01') return new StoreError('busy', `${display} is busy: other writers kept overlapping this change; try again`, { cause: err });
  if (code === '53100') return new StoreError('full', `cannot write ${display}: the server's disk is full`, { cause: err });
  return err;
}

/** PostgresDialect with a driver whose connections translate errors (see translatePgError). */
class TranslatingPostgresDialect extends PostgresDialect {
  constructor(
    pool: Pool,
    private readonly display: string,
  ) {
    super({ pool });
  }

  override createDriver(): Driver {
    const inner = super.createDriver();
    const display = this.display;
    const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
      try {
        return await fn();
      } catch (err) {
        throw translatePgError(err, display);
      }
    };
    const wrap = (conn: DatabaseConnection): DatabaseConnection => ({
      executeQuery: <R>(query: CompiledQuery) => guard(() => conn.executeQuery(query) as Promise<QueryResult<R>>),
      streamQuery: (query, chunkSize) => conn.streamQuery(query, chunkSize),
    });
    const wrapped = new WeakMap<DatabaseConnection, DatabaseConnection>();
    const inners = new WeakMap<DatabaseConnection, DatabaseConnection>();
    return {
      init: () => guard(() => inner.init()),
      acquireConnection: async () => {
        const conn = await guard(() => inner.acquireConnection());
        let outer = wrapped.get(conn);
        if (!outer) {
          outer = wrap(conn);
          wrapped.set(conn, outer);
          inners.set(outer, conn);
        }
        return outer;
      },
      beginTransaction: (conn: DatabaseConnection, settings: TransactionSettings) => guard(() => inner.beginTransaction(inners.get(conn) ?? conn, settings)),
      commitTransaction: (conn: DatabaseConnection) => guard(() => inner.commitTransaction(inners.get(conn) ?? conn)),
      rollbackTransaction: (conn: DatabaseConnection) => guard(() => inner.rollbackTransaction(inners.get(conn) ?? conn)),
      releaseConnection: (conn: DatabaseConnection) => inner.releaseConnection(inners.get(conn) ?? conn),
      destroy: () => inner.destroy(),
    };
  }
}

