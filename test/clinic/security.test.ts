/**
 * Clinic mode's limits, held by the server's row-level security with real
 * roles (issue 18): two trainers, a clinician and an administrator on one
 * PostgreSQL database. Each limit is checked through bridgefit and through
 * raw SQL as the same login (what psql would see).
 */
import pg from 'pg';
import { beforeAll, describe, expect, it } from 'vitest';
import { addClearance } from '../../src/app/clearances.js';
import { addClient, deleteClient, listClients, resolveClient } from '../../src/app/clients.js';
import { addClinicMember, transferClient } from '../../src/app/clinic.js';
import { clientHistory } from '../../src/app/history.js';
import { listReferrals, resolveReferral } from '../../src/app/referrals.js';
import { listSettings, setSetting } from '../../src/app/settings.js';
import { summarise } from '../../src/app/summary.js';
import { checkClearance } from '../../src/domain/clearance.js';
import { checkNewClient, type Client } from '../../src/domain/client.js';
import { ago, cleared, ctx, intake, program, session, TODAY } from '../helpers/app.js';
import { bf, cleanEnv } from '../helpers/cli.js';
import { asLogin, asSuperuser, freshClinic, SERVER, type Clinic } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';

const DATA_TABLES = ['clients', 'intakes', 'clearances', 'screenings', 'programs', 'stage_transitions', 'signoffs', 'progress_entries', 'measurements', 'entry_amendments', 'referrals', 'audit_log'];
const knee = { conditions: [{ code: 'knee_tka', side: 'right', date: ago(60) }] };
const ANNA = 'Dr Anna Weber';

let clinic: Clinic;
let trainerA: string;
let trainerB: string;
let clinician: string;
let zoe: Client; // trainer A's, names Anna as physiotherapist
let ian: Client; // trainer B's, names no one
let referralId: number;

/** Statements run in turn in one session as `login` (as psql would); the last one's rows. */
async function inOneSession(login: string, statements: string[]): Promise<Record<string, unknown>[]> {
  const client = new pg.Client({ connectionString: clinic.url(login) });
  await client.connect();
  try {
    let rows: Record<string, unknown>[] = [];
    for (const text of statements) rows = (await client.query(text)).rows;
    return rows;
  } finally {
    await client.end();
  }
}

/** How many rows of each table `login` sees in raw SQL. */
async function rowsSeen(login: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const t of DATA_TABLES) out[t] = Number((await asLogin<{ n: string }>(login, clinic.database, `select count(*) as n from ${t}`))[0]!.n);
  return out;
}

/** A trainer's client with everything under them: intake, clearance, program, sessions (one raising a referral). */
async function fullClient(login: string, first: string, team: { physioName?: string }) {
  const store = await clinic.open(login);
  try {
    const c = (await addClient(store, checkNewClient({ firstName: first, lastName: 'Test', dateOfBirth: '1961-04-12', sex: 'female', ...team }, TODAY), ctx)).client;
    const first_ = await intake(store, c, knee);
    await cleared(store, c);
    await program(store, c, 'knee_tka', first_.saved);
    await session(store, c, { date: ago(6), painBefore: 1, painAfter: 2 });
    const raised = await session(store, c, { date: ago(5), painBefore: 1, symptoms: ['chest_pain'] });
    return { client: c, referral: raised.referrals[0]!.id };
  } finally {
    await store.close();
  }
}

describe.skipIf(!SERVER)(`clinic security on PostgreSQL${SERVER ? '' : ' (skipped: BRIDGEFIT_TEST_POSTGRES is not set)'}`, () => {
  beforeAll(async () => {
    clinic = await freshClinic();
    trainerA = await clinic.member('trainer', null, 'tra');
    trainerB = await clinic.member('trainer', null, 'trb');
    clinician = await clinic.member('clinician', ANNA, 'anna');
    const a = await fullClient(trainerA, 'Zoë', { physioName: ANNA });
    zoe = a.client;
    referralId = a.referral;
    ian = (await fullClient(trainerB, 'Ian', {})).client;
  }, 60_000);

  it("a trainer reads none of another trainer's rows, through bridgefit and through raw SQL", async () => {
    const store = await clinic.open(trainerA);
    try {
      expect((await listClients(store, 'all')).map((c) => c.id)).toEqual([zoe.id]);
      await expect(resolveClient(store, String(ian.id))).rejects.toThrow(`no client with id ${ian.id}`);
      expect((await summarise(store, { from: ago(28), to: TODAY, status: 'all' })).map((r) => r.clientId)).toEqual([zoe.id]);
    } finally {
      await store.close();
    }
    const a = await rowsSeen(trainerA);
    const b = await rowsSeen(trainerB);
    const all = await rowsSeen(clinic.admin);
    // Each sees their own client's rows, and the two add up to everything (the admin's own audit records aside).
    for (const t of DATA_TABLES.filter((t) => t !== 'audit_log')) {
      expect(a[t]! + b[t]!, t).toBe(all[t]);
      if (['clients', 'intakes', 'clearances', 'screenings', 'programs', 'progress_entries', 'referrals'].includes(t)) expect(a[t], t).toBeGreaterThan(0);
    }
    expect(await asLogin(trainerA, clinic.database, 'select id from clients where id = $1', [ian.id])).toEqual([]);
    expect(await asLogin(trainerA, clinic.database, 'select id from progress_entries where client_id = $1', [ian.id])).toEqual([]);
  });

  it("a trainer's updates, deletes and inserts across the line change nothing or fail", async () => {
    const db = clinic.database;
    const updated = await asLogin(trainerA, db, "update clients set notes = 'taken' where id = $1 returning id", [ian.id]);
    expect(updated).toEqual([]);
    // Entries are voided, never deleted; a client goes only through bridgefit_delete_client.
    await expect(asLogin(trainerA, db, 'delete from progress_entries where client_id = $1', [ian.id])).rejects.toThrow(/permission denied/);
    await expect(asLogin(trainerA, db, 'delete from clients where id = $1', [ian.id])).rejects.toThrow(/permission denied/);
    await expect(asLogin(trainerA, db, "insert into intakes (client_id, intake_date, recorded_at, form_version, answers) values ($1, '2026-12-01', 'x', 'x', '{}')", [ian.id])).rejects.toThrow(/row-level security/);
    // A client cannot be made for, or given to, another trainer.
    await expect(asLogin(trainerA, db, `insert into clients (first_name, last_name, date_of_birth, created_at, updated_at, trainer) values ('X', 'Y', '1970-01-01', 'x', 'x', $1)`, [trainerB])).rejects.toThrow(/row-level security/);
    await expect(asLogin(trainerA, db, 'update clients set trainer = $1 where id = $2', [trainerB, zoe.id])).rejects.toThrow(/row-level security/);
    // Nor can the clinic's settings or members be changed, or the audit log forged.
    await expect(asLogin(trainerA, db, "insert into bridgefit_meta (key, value) values ('setting:screening.bpHold', '250/150')")).rejects.toThrow(/row-level security/);
    await expect(asLogin(trainerA, db, "insert into clinic_members (login, kind, added_at) values ('me', 'admin', 'x')")).rejects.toThrow(/permission denied/);
    await expect(asLogin(trainerA, db, "insert into audit_log (at, command, action, entity, actor) values ('x', 'x', 'x', 'x', $1)", [trainerB])).rejects.toThrow(/row-level security/);
    // The audit log only grows, and no record is written about a client one cannot see.
    await expect(asLogin(trainerA, db, "update audit_log set action = 'x'")).rejects.toThrow(/permission denied/);
    await expect(asLogin(trainerA, db, 'delete from audit_log where client_id = $1', [zoe.id])).rejects.toThrow(/permission denied/);
    await expect(asLogin(trainerA, db, "update entry_amendments set new_value = 'x'")).rejects.toThrow(/permission denied/);
    await expect(asLogin(trainerA, db, "insert into audit_log (at, command, action, entity, entity_id, client_id) values ('x', 'x', 'client.delete', 'client', $1, $1)", [ian.id])).rejects.toThrow(/row-level security/);
    // What the app only adds to stays as it was written, even the trainer's own client's.
    for (const table of ['intakes', 'clearances', 'screenings', 'signoffs', 'stage_transitions']) {
      await expect(asLogin(trainerA, db, `update ${table} set id = id`), table).rejects.toThrow(/permission denied/);
      await expect(asLogin(trainerA, db, `delete from ${table}`), table).rejects.toThrow(/permission denied/);
    }
    // SET ROLE to the group makes no one else: rows still belong to the login connected.
    const asGroup = await inOneSession(trainerA, ['set role bridgefit_trainer', "insert into clients (first_name, last_name, date_of_birth, created_at, updated_at) values ('Via', 'Group', '1970-01-01', 'x', 'x') returning trainer"]);
    expect(asGroup).toEqual([{ trainer: trainerA }]);
    await expect(inOneSession(trainerA, ['set role bridgefit_trainer', "insert into clients (first_name, last_name, date_of_birth, created_at, updated_at, trainer) values ('Via', 'Group', '1970-01-01', 'x', 'x', 'bridgefit_trainer')"])).rejects.toThrow(/row-level security/);
    // A sign-off a trainer records says so (recorded_by): it cannot pass for the clinician's own.
    const programId = (await asLogin<{ id: number }>(trainerA, db, "select id from programs where client_id = $1 and status = 'active'", [zoe.id]))[0]!.id;
    await expect(asLogin(trainerA, db, "insert into signoffs (program_id, stage, by, on_date, recorded_by) values ($1, 1, 'clinician', $2, $3)", [programId, TODAY, clinician])).rejects.toThrow(/row-level security/);
    // Nothing of B's changed.
    expect(await asSuperuser(db, 'select notes from clients where id = $1', [ian.id])).toEqual([{ notes: null }]);
    expect(Number((await asSuperuser<{ n: string }>(db, 'select count(*) as n from progress_entries where client_id = $1', [ian.id]))[0]!.n)).toBe(2);
  });

  it('a clinician sees the clients who name them or were referred to them, and only those', async () => {
    const store = await clinic.open(clinician);
    try {
      expect((await listClients(store, 'all')).map((c) => c.id)).toEqual([zoe.id]);
      expect((await listReferrals(store, { openOnly: false })).every((r) => r.clientId === zoe.id)).toBe(true);
    } finally {
      await store.close();
    }
    expect(await asLogin(clinician, clinic.database, 'select id from progress_entries where client_id = $1', [ian.id])).toEqual([]);
    // Trainer B refers Ian to her: from then on she reads his record too.
    await asLogin(trainerB, clinic.database, "insert into referrals (client_id, raised_on, code, reason, to_whom, status) values ($1, $2, 'knee_effusion', 'swelling', 'Dr Anna Weber (physiotherapist)', 'open')", [ian.id, TODAY]);
    const seen = await asLogin<{ id: number }>(clinician, clinic.database, 'select id from clients order by id');
    expect(seen.map((r) => r.id)).toEqual([zoe.id, ian.id]);
    expect(Number((await asLogin<{ n: string }>(clinician, clinic.database, 'select count(*) as n from progress_entries where client_id = $1', [ian.id]))[0]!.n)).toBe(2);
  });

  it('a clinician records a clearance and resolves a referral, and can write nothing else', async () => {
    const store = await clinic.open(clinician);
    try {
      const c = await resolveClient(store, String(zoe.id));
      await addClearance(store, c, checkClearance({ clinician: ANNA, profession: 'physiotherapist', contact: null, issuedOn: TODAY, expiresOn: null, status: 'cleared', restrictions: [], note: 'reviewed' }, TODAY), ctx);
      await resolveReferral(store, referralId, 'musculoskeletal; may continue', ctx, ANNA);
      expect((await listReferrals(store, { clientId: zoe.id, openOnly: false })).find((r) => r.id === referralId)?.status).toBe('resolved');
      await expect(session(store, c, { date: TODAY, painBefore: 1 })).rejects.toThrow(/not allowed in the clinic database .*permission denied for table progress_entries/);
    } finally {
      await store.close();
    }
    const db = clinic.database;
    await expect(asLogin(clinician, db, "update clients set notes = 'x' where id = $1", [zoe.id])).rejects.toThrow(/permission denied/);
    await expect(asLogin(clinician, db, "insert into intakes (client_id, intake_date, recorded_at, form_version, answers) values ($1, '2026-12-01', 'x', 'x', '{}')", [zoe.id])).rejects.toThrow(/permission denied/);
    await expect(asLogin(clinician, db, 'delete from referrals where client_id = $1', [zoe.id])).rejects.toThrow(/permission denied/);
    await expect(asLogin(clinician, db, "update referrals set reason = 'changed' where client_id = $1", [zoe.id])).rejects.toThrow(/permission denied/);
    // A sign-off is hers to give, as a clinician; a stage change only with it.
    const programId = (await asLogin<{ id: number }>(clinician, db, "select id from programs where client_id = $1 and status = 'active'", [zoe.id]))[0]!.id;
    await expect(asLogin(clinician, db, "insert into signoffs (program_id, stage, by, on_date) values ($1, 1, 'trainer', $2)", [programId, TODAY])).rejects.toThrow(/row-level security/);
    await expect(asLogin(clinician, db, "insert into stage_transitions (program_id, client_id, on_date, from_stage, to_stage, forced, evidence) values ($1, $2, $3, 1, 2, 0, '{}')", [programId, zoe.id, TODAY])).rejects.toThrow(/row-level security/);
    // Nor a clearance for a client she does not see.
    const hidden = await asSuperuser<{ id: number }>(db, "insert into clients (first_name, last_name, date_of_birth, created_at, updated_at, trainer) values ('Not', 'Hers', '1970-01-01', 'x', 'x', $1) returning id", [trainerB]);
    await expect(asLogin(clinician, db, "insert into clearances (client_id, clinician, profession, issued_on, status, restrictions, recorded_at) values ($1, 'x', 'x', $2, 'cleared', '[]', 'x')", [hidden[0]!.id, TODAY])).rejects.toThrow(/row-level security/);
  });

  it("a clinician's writes are held to what each is for, and a short name matches no one", async () => {
    const db = clinic.database;
    const programId = (await asLogin<{ id: number }>(clinician, db, "select id from programs where client_id = $1 and status = 'active'", [zoe.id]))[0]!.id;
    // No stage change by hand, nor more than one stage on, even with her own sign-off of the stage.
    await expect(asLogin(clinician, db, 'update programs set current_stage = 5 where id = $1', [programId])).rejects.toThrow(/one stage, with their own sign-off/);
    await asLogin(clinician, db, "insert into signoffs (program_id, stage, by, on_date) values ($1, 1, 'clinician', $2)", [programId, TODAY]);
    await expect(asLogin(clinician, db, "insert into stage_transitions (program_id, client_id, on_date, from_stage, to_stage, forced, evidence) values ($1, $2, $3, 1, 5, 0, '{}')", [programId, zoe.id, TODAY])).rejects.toThrow(/row-level security/);
    await expect(asLogin(clinician, db, "insert into signoffs (program_id, stage, by, on_date) values ($1, 4, 'clinician', $2)", [programId, TODAY])).rejects.toThrow(/row-level security/);
    // A resolved referral stays resolved.
    expect(await asLogin(clinician, db, "update referrals set status = 'open', resolved_by = 'forged' where id = $1 returning id", [referralId])).toEqual([]);
    // A screening only with a referral resolved that day; a clearance only in her own name.
    await expect(asLogin(clinician, db, "insert into screenings (client_id, intake_id, screened_on, recorded_at, rule_version, settings, gate, verdict) select $1, id, '2026-01-01', 'x', 'x', '{}', 'ok', '{}' from intakes where client_id = $1", [zoe.id])).rejects.toThrow(/row-level security/);
    await expect(asLogin(clinician, db, "insert into clearances (client_id, clinician, profession, issued_on, status, restrictions, recorded_at) values ($1, 'Dr Famous Surgeon', 'surgeon', $2, 'cleared', '[]', 'x')", [zoe.id, TODAY])).rejects.toThrow(/row-level security/);
    // "Ann" is not "Dr Anna Weber": names are matched as whole words.
    const ann = await clinic.member('clinician', 'Ann', 'ann');
    expect(await asLogin(ann, db, 'select id from clients')).toEqual([]);
  });

  it('the administrator sees all, transfers a client (audited with who did it), and the old trainer no longer sees them', async () => {
    const admin = await clinic.open(clinic.admin);
    try {
      expect((await listClients(admin, 'all')).length).toBeGreaterThanOrEqual(2);
      // The administrator's lists say whose client each is.
      expect((await listClients(admin, 'all')).find((c) => c.id === ian.id)?.trainer).toBe(trainerB);
      expect((await summarise(admin, { from: ago(28), to: TODAY, status: 'all' })).find((r) => r.clientId === zoe.id)?.trainer).toBe(trainerA);
      const c = await resolveClient(admin, String(zoe.id));
      expect(await transferClient(admin, c, trainerB, ctx)).toEqual({ clientId: zoe.id, from: trainerA, to: trainerB });
      await expect(transferClient(admin, c, clinician, ctx)).rejects.toThrow(`${clinician} is not one of the clinic's trainers`);
      // The history says which login made each change: the trainer's records, then the transfer.
      const history = await clientHistory(admin, c);
      expect(history[0]).toMatchObject({ action: 'client.create', login: trainerA });
      expect(history.at(-1)).toMatchObject({ action: 'client.transfer', login: clinic.admin, detail: { from: trainerA, to: trainerB } });
    } finally {
      await admin.close();
    }
    expect((await asLogin<{ id: number }>(trainerA, clinic.database, 'select id from clients')).map((r) => r.id)).not.toContain(zoe.id);
    expect((await asLogin<{ id: number }>(trainerB, clinic.database, 'select id from clients order by id')).map((r) => r.id)).toContain(zoe.id);
    const audit = await asSuperuser<{ actor: string; detail: string }>(clinic.database, "select actor, detail from audit_log where action = 'client.transfer'");
    expect(audit).toEqual([{ actor: clinic.admin, detail: JSON.stringify({ from: trainerA, to: trainerB }) }]);
    // The old trainer keeps none of the client's history, not even the records they wrote.
    expect(await asLogin(trainerA, clinic.database, 'select id from audit_log where client_id = $1', [zoe.id])).toEqual([]);
    // Every write says which role made it.
    const actors = await asSuperuser<{ actor: string }>(clinic.database, 'select distinct actor from audit_log order by actor');
    expect(actors.map((r) => r.actor).sort()).toEqual([clinic.admin, clinician, trainerA, trainerB].sort());
  });

  it('only an administrator adds members; a trainer cannot transfer', async () => {
    const store = await clinic.open(trainerB);
    try {
      await expect(addClinicMember(store, { login: 'sneaky', kind: 'admin', name: null, profession: null }, ctx)).rejects.toThrow(`clinic add-admin is for the clinic's administrators; ${trainerB} is a trainer`);
      const c = await resolveClient(store, String(ian.id));
      await expect(transferClient(store, c, trainerA, ctx)).rejects.toThrow("client transfer is for the clinic's administrators");
    } finally {
      await store.close();
    }
    // Through raw SQL the server says no too.
    await expect(asLogin(trainerB, clinic.database, 'create role sneaky login')).rejects.toThrow(/permission denied/);
  });

  it('a trainer deletes their own client: the record and its audit history go, one record of the deletion stays', async () => {
    const { client: gone } = await fullClient(trainerA, 'Gone', {});
    const store = await clinic.open(trainerA);
    try {
      await deleteClient(store, gone, ctx);
    } finally {
      await store.close();
    }
    const left = await asSuperuser<{ action: string; actor: string }>(clinic.database, 'select action, actor from audit_log where client_id = $1', [gone.id]);
    expect(left).toEqual([{ action: 'client.delete', actor: trainerA }]);
    expect(await asSuperuser(clinic.database, 'select id from progress_entries where client_id = $1', [gone.id])).toEqual([]);
    // The deletion's record is about a client no one can see now: the administrators read it.
    expect(await asLogin(trainerA, clinic.database, 'select action from audit_log where client_id = $1', [gone.id])).toEqual([]);
    expect(await asLogin(clinic.admin, clinic.database, 'select action from audit_log where client_id = $1', [gone.id])).toEqual([{ action: 'client.delete' }]);
    // Nor can a trainer delete audit records, or a client, by hand: only through bridgefit_delete_client.
    const { client: kept } = await fullClient(trainerA, 'Kept', {});
    await expect(asLogin(trainerA, clinic.database, 'delete from audit_log where client_id = $1', [kept.id])).rejects.toThrow(/permission denied/);
    await expect(asLogin(trainerA, clinic.database, 'delete from clients where id = $1', [kept.id])).rejects.toThrow(/permission denied/);
    expect(await asLogin(trainerB, clinic.database, 'select bridgefit_delete_client($1, $2, $3) as done', [kept.id, 'x', 'x'])).toEqual([{ done: false }]);
  });

  it("each member's own details for reports are theirs; the screening rules are the administrators'", async () => {
    const a = await clinic.open(trainerA);
    const b = await clinic.open(trainerB);
    const admin = await clinic.open(clinic.admin);
    try {
      await setSetting(a, 'trainer.name', 'Sam Rivera');
      await setSetting(b, 'trainer.name', 'Kim Lee');
      expect((await listSettings(a)).find((x) => x.key === 'trainer.name')?.value).toBe('Sam Rivera');
      expect((await listSettings(b)).find((x) => x.key === 'trainer.name')?.value).toBe('Kim Lee');
      await expect(setSetting(a, 'screening.bpHold', '190/110')).rejects.toThrow("screening.bpHold is the clinic's setting: its administrators change it");
      await setSetting(admin, 'screening.bpHold', '190/110');
      expect((await listSettings(a)).find((x) => x.key === 'screening.bpHold')?.value).toBe('190/110');
    } finally {
      await Promise.all([a.close(), b.close(), admin.close()]);
    }
    // Raw SQL: another's own setting cannot be written, nor a clinic rule.
    await expect(asLogin(trainerA, clinic.database, 'update bridgefit_meta set value = $1 where key = $2 returning key', ['Mallory', `setting:trainer.name@${trainerB}`])).resolves.toEqual([]);
    await expect(asLogin(trainerA, clinic.database, 'insert into bridgefit_meta (key, value) values ($1, $2)', [`setting:trainer.name@${trainerB}`, 'Mallory'])).rejects.toThrow(/row-level security/);
    await expect(asLogin(trainerA, clinic.database, "update bridgefit_meta set value = '250/150' where key = 'setting:screening.bpHold' returning key")).resolves.toEqual([]);
    // Nor read: a member's own settings and imports are theirs alone.
    const seen = await asLogin<{ key: string }>(trainerA, clinic.database, "select key from bridgefit_meta where key like '%@%'");
    expect(seen.map((r) => r.key)).toEqual([`setting:trainer.name@${trainerA}`]);
  });

  it('refuses a superuser, a login that may bypass row-level security, one acting as another role, and one that is not a member', async () => {
    await expect(clinic.open(new URL(SERVER!).username || 'postgres')).rejects.toThrow(/a superuser, who bypasses row-level security/);
    const bypass = await clinic.member('trainer', null, 'byp');
    await asSuperuser('postgres', `alter role ${bypass} bypassrls`);
    await expect(clinic.open(bypass)).rejects.toThrow(`${bypass} may bypass row-level security (BYPASSRLS)`);
    const admin = await clinic.open(clinic.admin);
    try {
      await expect(addClinicMember(admin, { login: bypass, kind: 'trainer', name: null, profession: null }, ctx)).rejects.toThrow(/may bypass row-level security/);
      await expect(addClinicMember(admin, { login: 'pg_monitor', kind: 'trainer', name: null, profession: null }, ctx)).rejects.toThrow(/keeps for its own roles/);
    } finally {
      await admin.close();
    }
    const setter = await clinic.member('trainer', null, 'setr');
    await asSuperuser('postgres', `alter role ${setter} set role = 'bridgefit_trainer'`);
    await expect(clinic.open(setter)).rejects.toThrow(`connected as ${setter} but acting as bridgefit_trainer`);
    const outsider = `outsider_${Date.now().toString(36)}`;
    await asSuperuser('postgres', `create role ${outsider} login`);
    await asSuperuser(clinic.database, `grant connect on database ${clinic.database} to ${outsider}`);
    try {
      await expect(clinic.open(outsider)).rejects.toThrow(`${outsider} is not a member of this clinic`);
    } finally {
      await asSuperuser(clinic.database, `revoke connect on database ${clinic.database} from ${outsider}`);
      await asSuperuser('postgres', `drop role ${outsider}`);
    }
  });
});

describe.skipIf(!SERVER)(`clinic init from the command line${SERVER ? '' : ' (skipped: BRIDGEFIT_TEST_POSTGRES is not set)'}`, () => {
  it('refuses a second clinic on a server that has one, and a SQLite file, each in one line, making nothing', async () => {
    await freshClinic(); // this server has a clinic now
    const cwd = tempDir();
    const database = `bf_second_${Date.now().toString(36)}`;
    await asSuperuser('postgres', `create database ${database}`);
    try {
      const url = new URL(SERVER!);
      url.pathname = `/${database}`;
      const r = await bf(['--db', url.toString(), 'clinic', 'init', '--admin', 'nobody_new'], { cwd, env: cleanEnv(cwd) });
      expect(r.exitCode).toBe(1);
      expect(r.stderr).toMatch(/^bridgefit: postgres:\/\/.*: this server already has a bridgefit clinic \(database .*\); the clinic's roles are the server's, so a second clinic would share its members: make it on a server of its own\n$/);
      expect(await asSuperuser(database, "select table_name from information_schema.tables where table_schema = 'public'")).toEqual([]);
      expect(await asSuperuser('postgres', "select rolname from pg_roles where rolname = 'nobody_new'")).toEqual([]);
    } finally {
      await asSuperuser('postgres', `drop database ${database} with (force)`);
    }
    const file = await bf(['--db', 'clinic.db', 'clinic', 'init'], { cwd, env: cleanEnv(cwd) });
    expect([file.exitCode, file.stderr]).toEqual([2, `bridgefit: clinic init makes a clinic database on PostgreSQL: pass --db postgres://user@host:port/database (or set BRIDGEFIT_DB); ${cwd}/clinic.db is a file\n`]);
  });
});
