/**
 * The one writer of referrals. Every path that finds something for a
 * clinician (a session added, imported or amended, an intake, the demo) asks
 * here, so "refer a finding once" (domain/referrals.ts alreadyReferred) and
 * "to whom" (referralFor) are decided the same way everywhere.
 */
import type { Kysely } from 'kysely';
import { clearanceInForce } from '../domain/clearance.js';
import { careTeamOf, type CareTeam } from '../domain/client.js';
import type { DatedReferral, RaisedReferral } from '../domain/referral.js';
import { alreadyReferred, referralFor, type ClearanceClinician } from '../domain/referrals.js';
import { listClearances } from '../store/clearances.js';
import { getClient } from '../store/clients.js';
import { listReferrals, raiseReferral } from '../store/progress.js';
import type { Database } from '../store/schema.js';
import type { Ctx } from './context.js';

/** A finding to refer: its code and the words the referral carries. */
export interface Finding {
  code: string;
  reason: string;
}

export class ReferralWriter {
  /** The clinician of the clearance in force (null: none), read when the first referral is raised (most sessions raise none). */
  private clinician: ClearanceClinician | null | undefined;
  /** The GP, surgeon and physiotherapist on the client's record, read with the clinician. */
  private team: CareTeam | undefined;

  /**
   * `known`: the client's referrals, every one, in the order raised. The
   * writer appends what it raises, so a caller that shares the array (a batch
   * of sessions) sees each new referral open from then on.
   */
  constructor(
    private readonly db: Kysely<Database>,
    private readonly clientId: number,
    readonly known: DatedReferral[],
  ) {}

  /** A writer over the client's referrals as stored, inside the caller's transaction. */
  static async for(db: Kysely<Database>, clientId: number): Promise<ReferralWriter> {
    return new ReferralWriter(db, clientId, await listReferrals(db, { clientId }));
  }

  /** Raise a referral for each finding not referred already; those raised, in order. */
  async raise(findings: readonly Finding[], at: { date: string; entryId: number | null }, ctx: Ctx): Promise<RaisedReferral[]> {
    const raised: RaisedReferral[] = [];
    for (const f of findings) {
      if (alreadyReferred(f.code, at, this.known)) continue;
      this.clinician ??= await clinicianInForce(this.db, this.clientId, ctx.today);
      this.team ??= await careTeamOfClient(this.db, this.clientId);
      const toWhom = referralFor(f.code, this.clinician, this.team);
      const id = await raiseReferral(this.db, { clientId: this.clientId, entryId: at.entryId, raisedOn: at.date, code: f.code, reason: f.reason, toWhom }, ctx);
      this.known.push({ id, entryId: at.entryId, raisedOn: at.date, code: f.code, reason: f.reason, status: 'open', resolvedOn: null });
      raised.push({ id, code: f.code, reason: f.reason, toWhom });
    }
    return raised;
  }
}

/** The care team on the client's record (none for a client not found). */
export async function careTeamOfClient(db: Kysely<Database>, clientId: number): Promise<CareTeam> {
  const client = await getClient(db, clientId);
  return client ? careTeamOf(client) : {};
}

/** The clinician of the clearance in force on `today`, if any. */
export async function clinicianInForce(db: Kysely<Database>, clientId: number, today: string): Promise<ClearanceClinician | null> {
  const c = clearanceInForce(await listClearances(db, clientId), today);
  return c ? { clinician: c.clinician, profession: c.profession, contact: c.contact ?? null } : null;
}
