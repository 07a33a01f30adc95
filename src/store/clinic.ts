/**
 * A clinic's roles and members on PostgreSQL (issue 18). `initClinic` makes
 * the group roles and the schema (once, as a superuser; again by an
 * administrator to upgrade); members are login roles in one group. The
 * limits themselves are the server's row-level security (migration 0012).
 */
import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import { StoreError } from './errors.js';
import { migrations, versionOf } from './migrations.js';
import { GROUP_ROLES, clinicKysely, makePool, translatePgError } from './postgres.js';
import type { Database } from './schema.js';
import type { ClinicRole } from './store.js';

export interface ClinicInitResult {
  /** Group roles made by this run (none when they were there). */
  rolesCreated: string[];
  schemaVersion: number;
  /** Migrations this run applied (all of them for a new clinic). */
  applied: string[];
  /** The first administrator's login, when one was made or added. */
  admin: string | null;
}

/** A login role's name: what PostgreSQL takes unquoted, so psql users type it as it is. */
export const LOGIN_PATTERN = /^[a-z_][a-z0-9_]{0,62}$/;

export function checkLogin(login: string): void {
  if (!LOGIN_PATTERN.test(login)) throw new StoreError('denied', `"${login}" is not a login bridgefit makes: lower-case letters, digits and _ (starting with a letter or _), at most 63`);
  // The server's own roles and bridgefit's groups are never a member: their members would follow.
  if (/^(pg_|bridgefit_)/.test(login)) throw new StoreError('denied', `"${login}" is a name the server or bridgefit keeps for its own roles; choose another login`);
}

/**
 * Make (or upgrade) the clinic at `url`: the group roles, the schema under
 * bridgefit_admin's ownership with row-level security, the database closed
 * to everyone but the clinic's roles, and, with `admin`, a first
 * administrator's login (CREATEROLE, so they can add members).
 */
export async function initClinic(
  url: string,
  display: string,
  options: {
    admin?: string;
    now: string;
    migrations?: Record<string, Migration>;
    /**
     * Make this clinic though the server has another one. The roles are the server's, so
     * their members would be members of both; only a test server, whose clinics are all
     * the tests', is made this way. The command never passes it.
     */
    besideOthers?: boolean;
  },
): Promise<ClinicInitResult> {
  if (options.admin !== undefined) checkLogin(options.admin);
  const known = options.migrations ?? migrations('postgres');
  const rolesCreated: string[] = [];
  // Phase 1, as whoever connected: roles and what only a superuser (or the database's owner) may grant.
  const setupPool = makePool(url, { max: 1 });
  const setup = clinicKysely(setupPool, display);
  try {
    const me = (await sql<{ login: string; superuser: boolean; createrole: boolean; admin: boolean }>`
      select current_user as login, r.rolsuper as superuser, r.rolcreaterole as createrole,
        exists (select 1 from pg_roles g where g.rolname = ${GROUP_ROLES.admin} and pg_has_role(current_user, g.oid, 'usage')) as admin
      from pg_roles r where r.rolname = current_user`.execute(setup)).rows[0]!;
    if (!me.superuser && !me.admin) {
      throw new StoreError('denied', `${display}: clinic init makes roles and the schema, so it runs once as a superuser (e.g. postgres); later, an administrator may run it to upgrade`);
    }
    if (me.superuser) {
      // One clinic per server: bridgefit_admin owning objects in another database means another clinic there.
      const elsewhere = (await sql<{ name: string }>`
        select distinct d.datname as name from pg_shdepend s join pg_database d on d.oid = s.dbid join pg_roles r on r.oid = s.refobjid
        where r.rolname = ${GROUP_ROLES.admin} and d.datname <> current_database()`.execute(setup)).rows.map((r) => r.name);
      if (elsewhere.length > 0 && !options.besideOthers) {
        throw new StoreError('exists', `${display}: this server already has a bridgefit clinic (database ${elsewhere.join(', ')}); the clinic's roles are the server's, so a second clinic would share its members: make it on a server of its own`);
      }
      for (const role of Object.values(GROUP_ROLES)) {
        const made = await ensureRole(setup, role, 'nologin');
        if (made) rolesCreated.push(role);
      }
      // From PostgreSQL 16 a CREATEROLE login grants only the roles it administers: the
      // administrators' group administers the other two, without being in them (no inherit, no
      // set role), so an administrator never takes a trainer's policies. Up to 15, CREATEROLE is enough.
      const version = Number((await sql<{ v: string }>`select current_setting('server_version_num') as v`.execute(setup)).rows[0]!.v);
      if (version >= 160000) {
        await retryCatalog(() => sql.raw(`grant ${GROUP_ROLES.trainer}, ${GROUP_ROLES.clinician} to ${GROUP_ROLES.admin} with admin option, inherit false, set false`).execute(setup));
      }
      // Only the clinic's owner makes objects here (up to PostgreSQL 14 anyone could, in public).
      await sql.raw('revoke create on schema public from public').execute(setup);
      await sql.raw(`grant usage, create on schema public to ${GROUP_ROLES.admin}`).execute(setup);
      const database = sql.id((await sql<{ name: string }>`select current_database() as name`.execute(setup)).rows[0]!.name);
      // The clinic's data is for the clinic's roles only: no one else may even connect.
      await sql`revoke connect on database ${database} from public`.execute(setup);
      await sql`grant connect on database ${database} to ${sql.raw(Object.values(GROUP_ROLES).join(', '))}`.execute(setup);
    }
  } finally {
    await setup.destroy();
  }

  // Phase 2, as bridgefit_admin: every object it makes is the clinic's, not the superuser's.
  const pool = makePool(url, { max: 1, options: `-c role=${GROUP_ROLES.admin}` });
  const db = clinicKysely(pool, display);
  let applied: string[];
  try {
    const before = (await sql<{ present: boolean }>`select to_regclass('kysely_migration') is not null as present`.execute(db)).rows[0]!.present
      ? (await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name)
      : [];
    const unknown = before.filter((n) => !(n in known));
    if (unknown.length > 0) throw new StoreError('newer-schema', `${display} was made by a newer bridgefit (schema ${versionOf(before)}); upgrade bridgefit`);
    const foreign = (await sql<{ n: number }>`select count(*) as n from information_schema.tables where table_schema = current_schema() and table_name not like 'kysely_migration%' and table_name not in ('bridgefit_meta', 'clients')`.execute(db)).rows[0]!.n;
    if (before.length === 0 && Number(foreign) > 0) throw new StoreError('foreign', `${display} already holds tables that are not bridgefit's; make the clinic in a database of its own (createdb bridgefit)`);
    const { error, results } = await new Migrator({ db, provider: { getMigrations: async () => known } }).migrateToLatest();
    if (error) throw new StoreError('migration-failed', `could not make the clinic schema in ${display}: ${String((translatePgError(error, display) as Error).message ?? error)}`, { cause: error });
    applied = (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  } finally {
    await db.destroy();
  }

  // Phase 3, as whoever connected again (bridgefit_admin itself may not create roles): the first administrator.
  if (options.admin !== undefined) {
    const again = clinicKysely(makePool(url, { max: 1 }), display);
    try {
      await again.transaction().execute((tx) => addMember(tx, { login: options.admin!, kind: 'admin', name: null, profession: null }, options.now));
    } finally {
      await again.destroy();
    }
  }
  return { rolesCreated, schemaVersion: versionOf(Object.keys(known)), applied, admin: options.admin ?? null };
}

/** Make a role unless it exists (several clinics' inits may race for the same name); true when made. */
async function ensureRole(db: Kysely<Database>, role: string, attributes: string): Promise<boolean> {
  const exists = async () => (await sql<{ n: number }>`select count(*) as n from pg_roles where rolname = ${role}`.execute(db)).rows[0]!.n > 0;
  if (await exists()) return false;
  try {
    await sql.raw(`create role ${role} ${attributes}`).execute(db);
    return true;
  } catch (err) {
    if (await exists()) return false; // made meanwhile by another init
    throw err;
  }
}

/** Role catalogue changes that another session may be making at once ("tuple concurrently updated"). */
async function retryCatalog<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const message = String((err as Error).message);
      if (attempt >= 5 || !/concurrently|already a member|duplicate key/i.test(message)) throw err;
      await new Promise((r) => setTimeout(r, 20 * attempt));
    }
  }
}

export interface Member {
  login: string;
  kind: ClinicRole;
  name: string | null;
  profession: string | null;
}

export interface AddedMember extends Member {
  /** False when the login existed on the server already (made by its administrator, say). */
  created: boolean;
}

/**
 * Add `login` to the clinic as `kind`: a login role (made unless it exists),
 * a member of the kind's group, and a row in clinic_members. An
 * administrator may create roles (CREATEROLE), and so add members.
 */
export async function addMember(db: Kysely<Database>, m: Member, now: string): Promise<AddedMember> {
  checkLogin(m.login);
  const existing = await sql<{ super: boolean; bypass: boolean; login: boolean }>`select rolsuper as super, rolbypassrls as bypass, rolcanlogin as login from pg_roles where rolname = ${m.login}`.execute(db);
  if (existing.rows[0]?.super || existing.rows[0]?.bypass) throw new StoreError('denied', `${m.login} is a superuser or may bypass row-level security; a clinic member is a login of their own, without either`);
  if (existing.rows[0] && !existing.rows[0].login) throw new StoreError('denied', `${m.login} is a role that cannot log in (a group); a clinic member is a login`);
  const created = existing.rows.length === 0;
  const attributes = m.kind === 'admin' ? 'login createrole' : 'login';
  if (created) await sql.raw(`create role ${m.login} ${attributes}`).execute(db);
  else if (m.kind === 'admin') await sql.raw(`alter role ${m.login} createrole`).execute(db);
  const other = Object.entries(GROUP_ROLES).filter(([kind]) => kind !== m.kind);
  for (const [kind, group] of other) {
    const inIt = (await sql<{ yes: boolean }>`select pg_has_role(${m.login}, ${group}, 'usage') as yes`.execute(db)).rows[0]!.yes;
    if (inIt) throw new StoreError('denied', `${m.login} is already the clinic's ${kind}; one login is one kind of member (make another login)`);
  }
  await sql.raw(`grant ${GROUP_ROLES[m.kind]} to ${m.login}`).execute(db);
  await db
    .insertInto('clinic_members')
    .values({ login: m.login, kind: m.kind, name: m.name, profession: m.profession, added_at: now })
    .onConflict((oc) => oc.column('login').doUpdateSet({ kind: m.kind, name: m.name, profession: m.profession }))
    .execute();
  return { ...m, created };
}

export async function listMembers(db: Kysely<Database>): Promise<(Member & { addedAt: string; clients: number })[]> {
  const rows = await db
    .selectFrom('clinic_members as m')
    .select((eb) => ['m.login', 'm.kind', 'm.name', 'm.profession', 'm.added_at', eb.selectFrom('clients as c').select((e) => e.fn.countAll<number>().as('n')).whereRef('c.trainer', '=', 'm.login').as('clients')])
    .orderBy('m.kind')
    .orderBy('m.login')
    .execute();
  return rows.map((r) => ({ login: r.login, kind: r.kind, name: r.name, profession: r.profession, addedAt: r.added_at, clients: Number(r.clients ?? 0) }));
}

/** Whether `login` is one of the clinic's trainers (a member of bridgefit_trainer). */
export async function isTrainer(db: Kysely<Database>, login: string): Promise<boolean> {
  const row = await sql<{ yes: boolean }>`select exists (select 1 from pg_roles r where r.rolname = ${login} and pg_has_role(r.oid, ${GROUP_ROLES.trainer}, 'usage')) as yes`.execute(db);
  return row.rows[0]!.yes;
}

/** Give client `clientId` to `trainer`; the trainer it had before, or undefined when the client is not there. */
export async function setClientTrainer(db: Kysely<Database>, clientId: number, trainer: string): Promise<string | null | undefined> {
  const before = await db.selectFrom('clients').select('trainer').where('id', '=', clientId).executeTakeFirst();
  if (!before) return undefined;
  await db.updateTable('clients').set({ trainer }).where('id', '=', clientId).execute();
  return before.trainer;
}

/** The templates shared with the clinic, by name. */
export async function listSharedTemplates(db: Kysely<Database>): Promise<{ name: string; text: string; sha256: string; sharedBy: string | null; sharedAt: string }[]> {
  const rows = await db.selectFrom('clinic_templates').selectAll().orderBy('name').execute();
  return rows.map((r) => ({ name: r.name, text: r.text, sha256: r.sha256, sharedBy: r.shared_by, sharedAt: r.shared_at }));
}

/** Share (or replace) a template file under `name`; true when it replaced one. */
export async function putSharedTemplate(db: Kysely<Database>, t: { name: string; text: string; sha256: string }, now: string): Promise<boolean> {
  const replaced = await db.deleteFrom('clinic_templates').where('name', '=', t.name).executeTakeFirst();
  await db.insertInto('clinic_templates').values({ name: t.name, text: t.text, sha256: t.sha256, shared_by: sql<string>`session_user`, shared_at: now }).execute();
  return Number(replaced.numDeletedRows) > 0;
}

export async function deleteSharedTemplate(db: Kysely<Database>, name: string): Promise<boolean> {
  return Number((await db.deleteFrom('clinic_templates').where('name', '=', name).executeTakeFirst()).numDeletedRows) > 0;
}
