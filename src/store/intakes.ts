import type { Kysely, Selectable } from 'kysely';
import type { IntakeAnswers } from '../domain/intake.js';
import { recordAudit } from './audit.js';
import type { WriteContext } from './clients.js';
import type { Database, IntakesTable } from './schema.js';
import { readJson } from './json.js';

export interface StoredIntake {
  id: number;
  clientId: number;
  date: string;
  recordedAt: string;
  formVersion: string;
  answers: IntakeAnswers;
}

function toIntake(r: Selectable<IntakesTable>): StoredIntake {
  return { id: r.id, clientId: r.client_id, date: r.intake_date, recordedAt: r.recorded_at, formVersion: r.form_version, answers: readJson(r.answers, 'intakes', 'answers', r.id) as IntakeAnswers };
}

export async function insertIntake(db: Kysely<Database>, clientId: number, answers: IntakeAnswers, formVersion: string, ctx: WriteContext): Promise<StoredIntake> {
  const row = await db
    .insertInto('intakes')
    .values({ client_id: clientId, intake_date: answers.date, recorded_at: ctx.now, form_version: formVersion, answers: JSON.stringify(answers) })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recordAudit(db, { command: ctx.command, action: 'intake.create', entity: 'intake', entityId: row.id, clientId }, ctx.now);
  return toIntake(row);
}

/** The intake in force on `date`: the latest one taken on or before it. */
export async function intakeInForce(db: Kysely<Database>, clientId: number, date: string): Promise<StoredIntake | undefined> {
  const row = await db
    .selectFrom('intakes')
    .selectAll()
    .where('client_id', '=', clientId)
    .where('intake_date', '<=', date)
    .orderBy('intake_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && toIntake(row);
}

export async function listIntakes(db: Kysely<Database>, clientId: number): Promise<StoredIntake[]> {
  const rows = await db.selectFrom('intakes').selectAll().where('client_id', '=', clientId).orderBy('intake_date').orderBy('id').execute();
  return rows.map(toIntake);
}


/** The intake taken just before `intake`, to tell new findings from known ones. */
export async function intakeBefore(db: Kysely<Database>, intake: StoredIntake): Promise<StoredIntake | undefined> {
  const row = await db
    .selectFrom('intakes')
    .selectAll()
    .where('client_id', '=', intake.clientId)
    .where((eb) => eb.or([eb('intake_date', '<', intake.date), eb.and([eb('intake_date', '=', intake.date), eb('id', '<', intake.id)])]))
    .orderBy('intake_date', 'desc')
    .orderBy('id', 'desc')
    .executeTakeFirst();
  return row && toIntake(row);
}
