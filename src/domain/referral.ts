/**
 * A referral: a finding raised to a clinician, open until resolved. The one
 * type every layer shares (the store returns it, the rules and the reports
 * read it); its own module so nothing imports a consumer for it.
 */
export interface Referral {
  id: number;
  clientId: number;
  /** The session that raised it; null when an intake did. */
  entryId: number | null;
  raisedOn: string;
  /** What raised it (a flag code): a red flag's stops training until resolved. */
  code: string;
  reason: string;
  toWhom: string;
  status: 'open' | 'resolved';
  resolvedOn: string | null;
  resolutionNote: string | null;
  /** Who resolved it: `referral resolve --by`, else the trainer's name from settings; null before schema 10 or when neither was known. */
  resolvedBy?: string | null;
}

/** A referral as the session rules see it: when it was raised and, once resolved, when. */
export type DatedReferral = Pick<Referral, 'id' | 'code' | 'reason' | 'raisedOn' | 'status' | 'resolvedOn'> & { entryId?: number | null };

/** A referral a command has just raised: what the trainer is told. */
export type RaisedReferral = Pick<Referral, 'id' | 'code' | 'reason' | 'toWhom'>;
