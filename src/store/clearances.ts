import type { Kysely, Selectable } from 'kysely';
import type { Clearance, ClearanceFields, ClearanceStatus, Restriction } from '../domain/clearance.js';
import { recordAudit } from './audit.js';
import type { WriteContext } from './clients.js';
import type { ClearancesTable, Database } from './schema.js';
import { readJson } from './json.js';

function toClearance(r: Selectable<ClearancesTable>): Clearance {
  return {
    id: r.id,
    clientId: r.client_id,
    clinician: r.clinician,
    profession: r.profession,
    contact: r.contact,
    issuedOn: r.issued_on,
    expiresOn: r.expires_on,
    status: r.status as ClearanceStatus,
    restrictions: readJson(r.restrictions, 'clearances', 'restrictions', r.id) as Restriction[],
    note: r.note,
    recordedAt: r.recorded_at,
  };
}

export async function insertClearance(db: Kysely<Database>, clientId: number, f: ClearanceFields, ctx: WriteContext): Promise<Clearance> {
  const row = await db
    .insertInto('clearances')
    .values({
      client_id: clientId,
      clinician: f.clinician,
      profession: f.profession,
      contact: f.contact,
      issued_on: f.issuedOn,
      expires_on: f.expiresOn,
      status: f.status,
      restrictions: JSON.stringify(f.restrictions),
      note: f.note,
      recorded_at: ctx.now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, { command: ctx.command, action: 'clearance.create', entity: 'clearance', entityId: row.id, clientId, detail: { status: f.status } }, ctx.now);
  return toClearance(row);
}

/** Every clearance of a client, oldest first. */
export async function listClearances(db: Kysely<Database>, clientId: number): Promise<Clearance[]> {
  const rows = await db.selectFrom('clearances').selectAll().where('client_id', '=', clientId).orderBy('issued_on').orderBy('id').execute();
  return rows.map(toClearance);
}
