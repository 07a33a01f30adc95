/** Intakes: a new one is saved with its screening and the referrals its red flags raise, in one transaction. */
import type { Client } from '../domain/client.js';
import type { IntakeAnswers } from '../domain/intake.js';
import { PARQ_FORM_VERSION } from '../domain/parq.js';
import type { RaisedReferral } from '../domain/referral.js';
import type { ScreeningVerdict } from '../domain/screening.js';
import { insertIntake, intakeInForce, listIntakes as list } from '../store/intakes.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { referIntakeRedFlags, screenAndRecord, type StoredIntake } from './screen-client.js';

export type { StoredIntake };

export async function recordIntake(store: Store, client: Client, answers: IntakeAnswers, ctx: Ctx): Promise<{ saved: StoredIntake; verdict: ScreeningVerdict; referrals: RaisedReferral[] }> {
  return store.write(async (tx) => {
    const saved = await insertIntake(tx, client.id, answers, PARQ_FORM_VERSION, ctx);
    const { verdict } = await screenAndRecord(tx, client, saved, ctx);
    const referrals = await referIntakeRedFlags(tx, client, saved, verdict, ctx);
    return { saved, verdict, referrals };
  });
}

/** The intake in force on `today` (the interview starts from its answers). */
export async function currentIntake(store: Store, client: Client, today: string): Promise<StoredIntake | undefined> {
  return intakeInForce(store.db, client.id, today);
}

export async function listIntakes(store: Store, client: Client): Promise<StoredIntake[]> {
  return list(store.db, client.id);
}
