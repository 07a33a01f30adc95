/**
 * Screening a client: the verdict from the intake in force, every clearance,
 * the settings and the open red-flag referrals, kept with the rule version
 * that made it; and, for a new intake, a referral for each red flag it shows.
 */
import type { Kysely } from 'kysely';
import type { Client } from '../domain/client.js';
import { fullName } from '../domain/client.js';
import type { RaisedReferral } from '../domain/referral.js';
import { screen, type ScreeningVerdict } from '../domain/screening.js';
import { stopsTraining } from '../domain/session.js';
import { resolveSettings, type Settings } from '../domain/settings.js';
import { listClearances } from '../store/clearances.js';
import { intakeBefore, intakeInForce, type StoredIntake } from '../store/intakes.js';
import { getStoredSettings } from '../store/meta.js';
import { listReferrals } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import { recordScreening } from '../store/screenings.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { NotFoundError } from './errors.js';
import { ReferralWriter } from './raise-referrals.js';

export type { StoredIntake };

/**
 * The verdict on `today` from `intake`, every clearance, the settings and the
 * open stop referrals, without keeping it (program advance reads it to see
 * whether vigorous work waits for a clearance). Runs inside the caller's transaction.
 */
export async function screenToday(db: Kysely<Database>, client: Client, intake: StoredIntake, today: string): Promise<{ verdict: ScreeningVerdict; settings: Settings }> {
  const settings = resolveSettings(await getStoredSettings(db));
  const clearances = await listClearances(db, client.id);
  const previous = (await intakeBefore(db, intake))?.answers;
  // Open red-flag referrals, but not those the intake itself raised (its red flags refer already).
  // (PAR-Q+ Q2 and Q3 are chest pain and dizziness to the screening, ticked or not.)
  const parq = intake.answers.parq;
  const atIntake = new Set<string>([...intake.answers.symptoms, ...(parq.q2 ? ['chest_pain'] : []), ...(parq.q3 ? ['dizziness_syncope'] : [])]);
  const stopReferrals = (await listReferrals(db, { clientId: client.id, openOnly: true })).filter((r) => stopsTraining(r.code) && r.raisedOn <= today && !(r.entryId === null && atIntake.has(r.code)));
  const verdict = screen({
    client,
    intake: intake.answers,
    clearances,
    settings,
    today,
    ...(previous ? { previous } : {}),
    stopReferrals: stopReferrals.map((r) => ({ id: r.id, reason: r.reason, raisedOn: r.raisedOn })),
  });
  return { verdict, settings };
}

/**
 * Screen a client on `ctx.today` from `intake`, every clearance and the
 * settings, and keep the verdict. Runs inside the caller's transaction.
 */
export async function screenAndRecord(db: Kysely<Database>, client: Client, intake: StoredIntake, ctx: Ctx): Promise<{ verdict: ScreeningVerdict; screeningId: number }> {
  const { verdict, settings } = await screenToday(db, client, intake, ctx.today);
  const { id } = await recordScreening(db, client.id, intake.id, verdict, settings, ctx);
  return { verdict, screeningId: id };
}

/**
 * A red-flag symptom recorded at a new intake raises a referral, as one at a
 * session does (stop and refer, FACTS §3): it then holds every session until a
 * clinician has assessed the client and it is resolved. Call it only for a
 * newly saved intake, not when screening again (a resolved referral must not come back).
 */
export async function referIntakeRedFlags(db: Kysely<Database>, client: Client, intake: StoredIntake, verdict: ScreeningVerdict, ctx: Ctx): Promise<RaisedReferral[]> {
  // The screening's own words for each, so a report says it once.
  const findings = verdict.redFlags.filter((f) => stopsTraining(f.code)).map((f) => ({ code: f.code, reason: `Red flag: ${f.text}: stop and refer to a clinician` }));
  if (findings.length === 0) return [];
  const writer = await ReferralWriter.for(db, client.id);
  return writer.raise(findings, { date: intake.date, entryId: null }, ctx);
}

/** The intake in force on `today`, or a NotFoundError telling the trainer to take one. */
export async function requireIntake(db: Kysely<Database>, client: Client, today: string): Promise<StoredIntake> {
  const intake = await intakeInForce(db, client.id, today);
  if (!intake) throw new NotFoundError(`no intake for ${fullName(client)} yet; run "bridgefit intake ${client.id}" first`);
  return intake;
}

/** `bridgefit screen`: screen again today, and keep the verdict. */
export async function screenClient(store: Store, client: Client, ctx: Ctx): Promise<{ verdict: ScreeningVerdict; intake: StoredIntake }> {
  return store.write(async (tx) => {
    const intake = await requireIntake(tx, client, ctx.today);
    const { verdict } = await screenAndRecord(tx, client, intake, ctx);
    return { verdict, intake };
  });
}
