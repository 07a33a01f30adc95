/**
 * Everything a client's report reads, in one place: the domain turns it into
 * the report model. Reads only; `report --all` calls it once per client so
 * memory stays flat however many clients there are.
 */
import type { Kysely } from 'kysely';
import type { Client } from '../domain/client.js';
import type { ReportInput } from '../domain/report.js';
import { listClearances } from './clearances.js';
import { intakeInForce } from './intakes.js';
import { activeProgram } from './programs.js';
import { listEntries, listReferrals, listSignoffs, listTransitions } from './progress.js';
import type { Database } from './schema.js';
import { latestScreening } from './screenings.js';

export type ReportRecord = Pick<ReportInput, 'client' | 'intake' | 'clearances' | 'screening' | 'program' | 'entries' | 'voided' | 'referrals' | 'transitions' | 'signoffs'>;

export async function loadReportRecord(db: Kysely<Database>, client: Client, today: string): Promise<ReportRecord> {
  const program = await activeProgram(db, client.id);
  const intake = await intakeInForce(db, client.id, today);
  return {
    client,
    intake: intake && { date: intake.date, answers: intake.answers },
    clearances: await listClearances(db, client.id),
    screening: await latestScreening(db, client.id, today),
    program: program && { program: program.program, currentStage: program.currentStage, stageStartedOn: program.stageStartedOn },
    ...(await entriesAndVoided(db, client.id, today)),
    // What was known on the report's day (an earlier SOURCE_DATE_EPOCH must not show later referrals).
    referrals: (await listReferrals(db, { clientId: client.id })).filter((r) => r.raisedOn <= today),
    transitions: program ? await listTransitions(db, program.id) : [],
    signoffs: program ? await listSignoffs(db, program.id, program.currentStage) : [],
  };
}

/** The entries that count, and the voided ones (the log strikes them through), up to the report's day. */
async function entriesAndVoided(db: Kysely<Database>, clientId: number, today: string): Promise<Pick<ReportRecord, 'entries' | 'voided'>> {
  const all = (await listEntries(db, clientId, undefined, 'include')).filter((e) => e.date <= today);
  return { entries: all.filter((e) => !e.voided), voided: all.filter((e): e is typeof e & { voided: NonNullable<typeof e.voided> } => e.voided !== undefined) };
}
