/**
 * The decision for one session, as the trainer records it: may it go ahead
 * (pre-session checks on the vitals), does anything need a clinician (red
 * flags → referrals), and what next (progress, repeat, reduce, rest).
 */
import type { ConditionCode } from './conditions.js';
import type { MedicationClass } from './medications.js';
import type { ProgressEntry } from './progress-types.js';
import { PROGRESS_RULES_VERSION, redFlags, sessionAdvice, type RaisedFlag, type SessionAdvice } from './progress-rules.js';
import type { Reason } from './screening.js';
import type { Settings } from './settings.js';
import { vitalsFindings } from './vitals-rules.js';

export interface SessionDecision {
  rulesVersion: string;
  /** Whether today's session may go ahead on the pre-session vitals. */
  today: 'go' | 'hold';
  /** What the vitals said (holds and cautions). */
  checks: Reason[];
  /** Findings that raise a referral. */
  flags: RaisedFlag[];
  advice: SessionAdvice;
}

export interface SessionContext {
  conditions: readonly { code: ConditionCode; side?: string; date?: string }[];
  medications: readonly { class: MedicationClass }[];
  settings: Settings;
}

/** `previous`: the client's earlier entries, oldest first. */
export function decideSession(entry: ProgressEntry, previous: readonly ProgressEntry[], ctx: SessionContext): SessionDecision {
  const checks = entry.attended ? vitalsFindings(entry.vitals, { conditions: ctx.conditions.map((c) => c.code), medications: ctx.medications, settings: ctx.settings }) : [];
  const flags: RaisedFlag[] = [...redFlags(entry, previous.filter((e) => e.attended), { conditions: [...ctx.conditions] })];
  // A hold-level resting BP refers (FACTS §3); a re-check-level reading refers when the previous reading was one too [U policy].
  for (const c of checks) {
    if (c.severity === 'refer') flags.push({ code: c.code, text: c.text, source: c.source });
  }
  const recheck = checks.find((c) => c.code === 'bp_recheck');
  const last = [...previous].reverse().find((e) => e.vitals.bp);
  if (recheck && last?.vitals.bp) {
    const lastFindings = vitalsFindings({ bp: last.vitals.bp }, { conditions: ctx.conditions.map((c) => c.code), medications: ctx.medications, settings: ctx.settings });
    if (lastFindings.some((f) => f.code === 'bp_recheck' || f.code === 'bp_hold')) {
      flags.push({ code: 'bp_repeated_high', text: `Resting blood pressure high on two readings in a row (${last.date} and ${entry.date}): refer for review`, source: recheck.source });
    }
  }
  const hold = checks.some((c) => c.severity === 'hold' || c.severity === 'refer') || flags.length > 0;
  const advice = sessionAdvice(entry, previous);
  return {
    rulesVersion: PROGRESS_RULES_VERSION,
    today: entry.attended && hold ? 'hold' : 'go',
    checks,
    flags,
    advice: hold && entry.attended && advice.advice === 'progress' ? { advice: 'repeat', reasons: [...advice.reasons, { code: 'held', text: 'Held or referred today: do not progress', source: 'bridgefit' }] } : advice,
  };
}
