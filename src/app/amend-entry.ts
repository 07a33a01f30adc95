/**
 * `progress amend`: what arrives after a session (next-morning pain, a
 * note). The earlier values are kept; next-morning pain changes the rules'
 * input, so the entry is decided again and any new flag is referred, once.
 */
import { fullName, type Client } from '../domain/client.js';
import type { RaisedReferral } from '../domain/referral.js';
import { contextOn, decideSession, type SessionDecision } from '../domain/session.js';
import { amendEntry as storeAmendment, listEntries, replaceDecision, type StoredEntry } from '../store/progress.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { NotFoundError, UsageError } from './errors.js';
import { ReferralWriter } from './raise-referrals.js';
import { clientFacts, programRules } from './record-session.js';
import { getProgram } from '../store/programs.js';

export interface Amendment {
  /** Which entry; the latest when not given. */
  entryId?: number;
  nextDayPain?: number;
  notes?: string;
}

export interface AmendedEntry {
  entry: StoredEntry;
  decision: SessionDecision;
  referrals: RaisedReferral[];
}

export async function amendEntry(store: Store, client: Client, change: Amendment, ctx: Ctx): Promise<AmendedEntry> {
  const pain = change.nextDayPain;
  return store.write(async (tx) => {
    const entries = await listEntries(tx, client.id);
    const entry = change.entryId === undefined ? entries.at(-1) : entries.find((e) => e.id === change.entryId);
    if (!entry) throw new NotFoundError(change.entryId === undefined ? `no entries for ${fullName(client)} yet` : `no entry ${change.entryId} for ${fullName(client)}`);
    if (!entry.attended && pain !== undefined) throw new UsageError(`entry ${entry.id} (${entry.date}) is a session that did not take place (${entry.missedReason ?? 'missed'}); next-morning pain does not apply`);
    const fields = { ...(pain !== undefined ? { nextDayPain: pain } : {}), ...(change.notes !== undefined ? { notes: change.notes } : {}) };
    await storeAmendment(tx, entry, fields, ctx);
    const updated: StoredEntry = { ...entry, ...fields };
    // A note changes no rule's input: the decision stays as made (a held session stays held).
    if (pain === undefined) return { entry: updated, decision: entry.decision as SessionDecision, referrals: [] };
    // Next-morning pain changes the advice and can raise a flag (FACTS §4): decide again.
    const previous = entries.filter((e) => e.id !== entry.id && (e.date < entry.date || (e.date === entry.date && e.id < entry.id)));
    const facts = await clientFacts(tx, client);
    const rules = contextOn(facts, previous, entry.date);
    if (entry.programId === null) rules.noProgram = true;
    else {
      const program = await getProgram(tx, entry.programId);
      if (program) rules.program = programRules(program, entry.stage);
    }
    const decision = decideSession(updated, previous, rules);
    await replaceDecision(tx, entry.id, decision);
    const writer = new ReferralWriter(tx, client.id, facts.referrals);
    const referrals = await writer.raise(decision.flags.map((f) => ({ code: f.code, reason: f.text })), { date: entry.date, entryId: entry.id }, ctx);
    return { entry: updated, decision, referrals };
  });
}
