import { sql, type Kysely } from 'kysely';
import type { Client, ClientFields, ClientStatus, Sex } from '../domain/client.js';
import { recordAudit } from './audit.js';
import { dialectOf } from './dialect.js';
import type { ClientRow, ClientUpdate, Database } from './schema.js';

/** Who is asking, for the audit log. */
export interface WriteContext {
  command: string;
  /** ISO 8601 UTC time of the change. */
  now: string;
}

function toClient(r: ClientRow): Client {
  return {
    id: r.id,
    firstName: r.first_name,
    lastName: r.last_name,
    dateOfBirth: r.date_of_birth,
    sex: r.sex as Sex | null,
    email: r.email,
    phone: r.phone,
    goals: r.goals,
    notes: r.notes,
    gpName: r.gp_name ?? null,
    gpContact: r.gp_contact ?? null,
    surgeonName: r.surgeon_name ?? null,
    surgeonContact: r.surgeon_contact ?? null,
    physioName: r.physio_name ?? null,
    physioContact: r.physio_contact ?? null,
    status: r.status as ClientStatus,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    ...(r.trainer ? { trainer: r.trainer } : {}),
  };
}

function toColumns(f: Partial<ClientFields>): ClientUpdate {
  const c: ClientUpdate = {};
  if (f.firstName !== undefined) c.first_name = f.firstName;
  if (f.lastName !== undefined) c.last_name = f.lastName;
  if (f.dateOfBirth !== undefined) c.date_of_birth = f.dateOfBirth;
  if (f.sex !== undefined) c.sex = f.sex;
  if (f.email !== undefined) c.email = f.email;
  if (f.phone !== undefined) c.phone = f.phone;
  if (f.goals !== undefined) c.goals = f.goals;
  if (f.notes !== undefined) c.notes = f.notes;
  if (f.gpName !== undefined) c.gp_name = f.gpName;
  if (f.gpContact !== undefined) c.gp_contact = f.gpContact;
  if (f.surgeonName !== undefined) c.surgeon_name = f.surgeonName;
  if (f.surgeonContact !== undefined) c.surgeon_contact = f.surgeonContact;
  if (f.physioName !== undefined) c.physio_name = f.physioName;
  if (f.physioContact !== undefined) c.physio_contact = f.physioContact;
  return c;
}

export async function insertClient(db: Kysely<Database>, fields: ClientFields, ctx: WriteContext): Promise<Client> {
  const row = await db
    .insertInto('clients')
    .values({
      first_name: fields.firstName,
      last_name: fields.lastName,
      date_of_birth: fields.dateOfBirth,
      sex: fields.sex,
      email: fields.email,
      phone: fields.phone,
      goals: fields.goals,
      notes: fields.notes,
      gp_name: fields.gpName ?? null,
      gp_contact: fields.gpContact ?? null,
      surgeon_name: fields.surgeonName ?? null,
      surgeon_contact: fields.surgeonContact ?? null,
      physio_name: fields.physioName ?? null,
      physio_contact: fields.physioContact ?? null,
      status: 'active',
      created_at: ctx.now,
      updated_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(
    db,
    { command: ctx.command, action: 'client.create', entity: 'client', entityId: row.id, clientId: row.id, detail: fields },
    ctx.now,
  );
  return toClient(row);
}

export async function getClient(db: Kysely<Database>, id: number): Promise<Client | undefined> {
  const row = await db.selectFrom('clients').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toClient(row);
}

export type StatusFilter = ClientStatus | 'all';

export async function listClients(db: Kysely<Database>, status: StatusFilter = 'active'): Promise<Client[]> {
  let q = db.selectFrom('clients').selectAll();
  if (status !== 'all') q = q.where('status', '=', status);
  return (await q.orderBy('id').execute()).map(toClient);
}

/**
 * Ids and names of every client, for resolving a name fragment, by id (the
 * order the matches are listed in). Every list of clients says ORDER BY: SQLite
 * happens to return rowid order, PostgreSQL returns an edited row after the others.
 */
export async function listClientNames(db: Kysely<Database>): Promise<{ id: number; firstName: string; lastName: string; status: ClientStatus }[]> {
  const rows = await db.selectFrom('clients').select(['id', 'first_name', 'last_name', 'status']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, status: r.status as ClientStatus }));
}

export async function countClients(db: Kysely<Database>): Promise<number> {
  const row = await db.selectFrom('clients').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Apply `changes` (already checked) and record old and new values in the audit log. */
export async function updateClient(
  db: Kysely<Database>,
  before: Client,
  changes: Partial<ClientFields>,
  ctx: WriteContext,
): Promise<Client> {
  const row = await db
    .updateTable('clients')
    .set({ ...toColumns(changes), updated_at: ctx.now })
    .where('id', '=', before.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const detail = Object.fromEntries(
    Object.entries(changes).map(([k, v]) => [k, { from: before[k as keyof ClientFields], to: v }]),
  );
  await recordAudit(db, { command: ctx.command, action: 'client.update', entity: 'client', entityId: before.id, clientId: before.id, detail }, ctx.now);
  return toClient(row);
}

export async function setClientStatus(db: Kysely<Database>, id: number, status: ClientStatus, ctx: WriteContext): Promise<Client> {
  const row = await db
    .updateTable('clients')
    .set({ status, updated_at: ctx.now })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
  const action = status === 'archived' ? 'client.archive' : 'client.restore';
  await recordAudit(db, { command: ctx.command, action, entity: 'client', entityId: id, clientId: id }, ctx.now);
  return toClient(row);
}

/**
 * Remove a client and their whole history. Tables that belong to a client
 * reference it with ON DELETE CASCADE; the client's earlier audit records hold
 * their personal data, so they go too, and one record of the deletion (without
 * the data) stays.
 */
export async function deleteClient(db: Kysely<Database>, id: number, ctx: WriteContext): Promise<void> {
  // In a clinic no member deletes audit records by hand: the server's function does all three (migration 0012).
  if (dialectOf(db) === 'postgres') {
    await sql`select bridgefit_delete_client(${id}, ${ctx.now}, ${ctx.command})`.execute(db);
    return;
  }
  await db.deleteFrom('audit_log').where('client_id', '=', id).execute();
  await db.deleteFrom('clients').where('id', '=', id).execute();
  await recordAudit(db, { command: ctx.command, action: 'client.delete', entity: 'client', entityId: id, clientId: id }, ctx.now);
}

/** Every client's id, name, date of birth and status: what an import checks for the same person twice. */
export async function listClientIdentities(db: Kysely<Database>): Promise<{ id: number; firstName: string; lastName: string; dateOfBirth: string; status: ClientStatus }[]> {
  const rows = await db.selectFrom('clients').select(['id', 'first_name', 'last_name', 'date_of_birth', 'status']).orderBy('id').execute();
  return rows.map((r) => ({ id: r.id, firstName: r.first_name, lastName: r.last_name, dateOfBirth: r.date_of_birth, status: r.status as ClientStatus }));
}
