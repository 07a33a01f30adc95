/**
 * The decision for one session, as the trainer records it: may it go ahead
 * (pre-session checks on the vitals, symptoms), does anything need a
 * clinician (red flags → referrals), and what next (progress, repeat,
 * reduce, rest).
 */
import type { ConditionCode } from './conditions.js';
import { daysBetween, firstDayOf } from './dates.js';
import type { MedicationClass } from './medications.js';
import type { ProgressEntry } from './progress-types.js';
import { PROGRESS_RULES_VERSION, redFlags, sessionAdvice, type RaisedFlag, type SessionAdvice } from './progress-rules.js';
import type { Reason } from './reason.js';
import type { DatedReferral } from './referral.js';
import type { Settings } from './settings.js';
import { SYMPTOMS } from './symptoms.js';
import { carriedForward } from './session-history.js';
import { governingVitals, vitalsFindings } from './vitals-rules.js';
import { formatBloodPressure } from './vitals.js';
import { clearanceInForce, type ClearanceStatus, type Restriction } from './clearance.js';
import { effortCaps, effortWarnings, fallFindings, preSessionChecks, rangeWarnings, type SessionWarning, type StageEffort } from './session-safety.js';
import { PROGRESS_DEFAULTS } from './progress-rules.js';

export interface SessionDecision {
  rulesVersion: string;
  /** Whether the session may go ahead (or had to stop), on the pre-session vitals and the symptoms. */
  today: 'go' | 'hold';
  /** What the vitals said (holds and cautions). */
  checks: Reason[];
  /** Findings that raise a referral; `stop` when they stop the session, not only its progression. */
  flags: (RaisedFlag & { stop: boolean })[];
  /** Referrals already open when the session was recorded: they hold progression until resolved. */
  openReferrals: { id: number; reason: string }[];
  /**
   * Findings flagged on the entry and in the report that hold progression
   * but refer no one: effort or load above the cap, effort rising, a fall
   * (session-safety.ts). Decisions stored before progress-1.3.0 have none.
   */
  warnings: SessionWarning[];
  advice: SessionAdvice;
}

export interface SessionContext {
  conditions: readonly { code: ConditionCode; side?: string; date?: string }[];
  medications: readonly { class: MedicationClass }[];
  settings: Settings;
  /** Referrals open on the session's day (raised on or before it, not yet resolved then). */
  openReferrals?: readonly { id: number; code: string; reason: string; raisedOn: string; entryId?: number | null }[];
  /** No program was in force on the session's day: there is nothing to progress. */
  noProgram?: boolean;
  /** The last day "progress" was advised or the stage changed: advance about once a week (FACTS §4). */
  lastProgressOn?: string;
  /** Pain-rise sessions count from this day (the last time such a referral was resolved). */
  riseCountsFrom?: string;
  /** The program in force on the session's day: its template, and its stage's planned effort. */
  program?: { templateId: string; stage?: StageEffort };
  /** The restrictions of the clearance in force on the session's day (max_rpe, max_load_kg…). */
  restrictions?: readonly Restriction[];
  /** Exercises the entry records that the program's limits forbid (found by the caller, who has the library), with why. */
  notAllowed?: readonly { exerciseId: string; why: readonly string[] }[];
}

export type { DatedReferral } from './referral.js';

/** What the session rules need about a client, whatever the day of the session (read once for a batch). */
export interface ClientFacts {
  /** The client's intakes, oldest first: a session is decided with what they say of its day (healthOn). */
  intakes: IntakeFacts[];
  settings: Settings;
  /** Every referral of the client, in the order raised (a batch appends the ones it raises). */
  referrals: DatedReferral[];
  /** The client's program's stage changes, oldest first. */
  stageChanges: StageChange[];
  /**
   * Every day any of the client's programs changed stage, replaced programs
   * included, oldest first: "advance about once a week" is about the client.
   */
  stageChangeDays: string[];
  /** The client's clearances (their restrictions cap effort and load on the days each is in force). */
  clearances?: readonly { id: number; issuedOn: string; status: ClearanceStatus; restrictions: readonly Restriction[] }[];
}

/** What an intake recorded that the session rules use, from the day it was taken. */
export interface IntakeFacts {
  on: string;
  conditions: SessionContext['conditions'];
  medications: SessionContext['medications'];
}

/**
 * What the rules know of the client on `date`: the conditions and medications
 * of the intake in force that day (the latest taken on or before it), and from
 * later intakes whatever may already have been so then: a condition dated on
 * or before the day, or undated, and every medication (intakes record no start
 * dates). Only a condition dated after the day is left out, so a session is
 * never judged with less than applied, or may have applied, on its day: a
 * knee replacement recorded at a later intake, dated before the session,
 * still brings its flexion red flags. A session older than every intake gets
 * what they all record that may have applied. Of intakes taken the same day,
 * the last replaces the others.
 */
export function healthOn(intakes: readonly IntakeFacts[], date: string): Pick<SessionContext, 'conditions' | 'medications'> {
  const at = intakes.findLastIndex((i) => i.on <= date);
  const inForce = intakes[at];
  // Today's session, and any after the latest intake: that intake as it is.
  if (inForce && at === intakes.length - 1) return { conditions: inForce.conditions, medications: inForce.medications };
  const conditions = [...(inForce?.conditions ?? [])];
  const medications = [...(inForce?.medications ?? [])];
  for (let i = at + 1; i < intakes.length; i++) {
    const later = intakes[i]!;
    // An intake replaced by another the same day (a correction) says nothing.
    if (intakes[i + 1]?.on === later.on) continue;
    for (const c of later.conditions) {
      if (c.date !== undefined && firstDayOf(c.date) > date) continue;
      // Only the very same entry is dropped: a later intake that dates a knee replacement the
      // earlier one left undated, or corrects its date, adds that date, and the rules that
      // count days from the operation check each date recorded.
      if (!conditions.some((k) => k.code === c.code && k.side === c.side && k.date === c.date)) conditions.push(c);
    }
    for (const m of later.medications) if (!medications.some((k) => k.class === m.class)) medications.push(m);
  }
  return { conditions, medications };
}

/** A day the program's stage changed; `from` is unknown for a stage carried over from a replaced program. */
export interface StageChange {
  on: string;
  from?: number;
  to: number;
}

/**
 * The stage in force on `date`: the one the last change on or before that
 * day led to; before every change, the stage the first one left. With
 * nothing recorded to tell, the current stage.
 */
export function stageOn(facts: Pick<ClientFacts, 'stageChanges'>, date: string, currentStage: number): number {
  const last = facts.stageChanges.findLast((c) => c.on <= date);
  if (last) return last.to;
  return facts.stageChanges[0]?.from ?? currentStage;
}

/**
 * The rules' context for a session on `date`: the conditions and medications
 * of that day (healthOn), the referrals open that day (raised by
 * then, not yet resolved), the last progression or stage change
 * on or before it, since when a pain flare counts. `before` is the client's
 * sessions up to that day, oldest first. For today's session that is every
 * open referral and the latest progression; for one dated earlier (paper
 * records caught up) later referrals and progressions do not count, nor a
 * condition diagnosed after it (healthOn). Settings are those in force now.
 */
export function contextOn(facts: ClientFacts, before: readonly { date: string; decision?: unknown }[], date: string): SessionContext {
  const progressed = before.findLast((e) => (e.decision as SessionDecision | undefined)?.advice?.advice === 'progress')?.date;
  const stageChanged = facts.stageChangeDays.findLast((d) => d <= date);
  const lastProgressOn = [progressed, stageChanged].filter((d): d is string => d !== undefined).sort().at(-1);
  const riseCountsFrom = facts.referrals
    .filter((r) => r.code === 'next_day_pain_rise' && r.resolvedOn !== null && r.resolvedOn <= date)
    .map((r) => r.resolvedOn!)
    .sort()
    .at(-1);
  const openThen = facts.referrals.filter((r) => r.raisedOn <= date && (r.status === 'open' || (r.resolvedOn !== null && r.resolvedOn > date)));
  const health = healthOn(facts.intakes, date);
  const clearance = clearanceInForce(facts.clearances ?? [], date);
  return {
    ...(clearance && clearance.restrictions.length > 0 ? { restrictions: clearance.restrictions } : {}),
    conditions: health.conditions,
    medications: health.medications,
    settings: facts.settings,
    openReferrals: openThen.map((r) => ({ id: r.id, code: r.code, reason: r.reason, raisedOn: r.raisedOn, entryId: r.entryId ?? null })),
    ...(lastProgressOn ? { lastProgressOn } : {}),
    ...(riseCountsFrom ? { riseCountsFrom } : {}),
  };
}

/** Referrals for a possible fracture after a fall, or back pain or height loss in osteoporosis (session-safety.ts fallFindings). */
const FRACTURE_CODES: ReadonlySet<string> = new Set(['fall_possible_fracture', 'possible_vertebral_fracture']);

const SRC_ACSM = 'ACSM 2015 preparticipation screening (Riebe et al., MSSE 2015): new signs or symptoms: stop and seek medical clearance';
const SRC_STOP = "ACSM 2015 (new signs or symptoms: stop and seek medical clearance); ACSM's GETP 10th ed. trainer red flags (stop and refer)";

/**
 * Whether a referral stops training until a clinician has assessed the client:
 * one raised for a red-flag symptom (stop and refer, FACTS §3) or a new ACSM
 * sign or symptom (stop and seek medical clearance, FACTS §1). Findings after
 * a session (effusion, a pain flare, range) and blood pressure refer without
 * that: each session's own checks decide those days.
 */
export function stopsTraining(code: string): boolean {
  // A possible fragility fracture: no training until a doctor has seen the client (FACTS §10; Giangregorio 2014).
  if (FRACTURE_CODES.has(code)) return true;
  const symptom = code.startsWith('symptom_') ? code.slice('symptom_'.length) : code;
  if (!Object.hasOwn(SYMPTOMS, symptom)) return false;
  const s = SYMPTOMS[symptom as keyof typeof SYMPTOMS];
  return symptom === code ? s.redFlag : s.acsm;
}

/** `previous`: the client's earlier entries, oldest first. */
export function decideSession(entry: ProgressEntry, previous: readonly ProgressEntry[], ctx: SessionContext): SessionDecision {
  const codes = ctx.conditions.map((c) => c.code);
  // SpO2 is recorded as a measure (--measure spo2=…), taken at rest before the session; the lowest reading counts.
  const spo2 = entry.measures.filter((m) => m.code === 'spo2').map((m) => m.value);
  // A second reading in the same session governs (FACTS §3): the rules read it, and say so.
  const governing = governingVitals(spo2.length > 0 ? { ...entry.vitals, spo2: Math.min(...spo2) } : entry.vitals);
  const vitals = governing.vitals;
  const checks = entry.attended ? [...vitalsFindings(vitals, { conditions: codes, medications: ctx.medications, settings: ctx.settings, symptoms: entry.symptoms }), ...governing.notes] : [];
  // Pain or effusion already too high at the start (FACTS §4, §6), and a fall since the last session (FACTS §10).
  const falls = entry.attended ? fallFindings(entry, { conditions: codes, ...(ctx.program ? { programTemplateId: ctx.program.templateId } : {}) }) : { checks: [], warnings: [] };
  checks.push(...preSessionChecks(entry, PROGRESS_DEFAULTS.painLimit), ...falls.checks);
  // Effort and load against the program's caps, and effort rising for the same work (FACTS §10; AACVPR; Mytinger 2020).
  const warnings = [
    ...falls.warnings,
    ...effortWarnings(entry, previous, effortCaps(ctx.program?.stage, ctx.restrictions ?? [])),
    // A range measured past the clearance's limit, and an exercise done that the limits forbid (issue 16).
    ...(entry.attended ? rangeWarnings(entry, ctx.restrictions ?? []) : []),
    ...(ctx.notAllowed ?? []).map((x) => ({ code: 'exercise_not_allowed', text: `${x.exerciseId.replace(/_/g, ' ')} was done, and the program's limits do not allow it (${x.why.join('; ')}): do not repeat it; tell the clinician if it hurt`, source: 'The clearance’s restrictions and the overlays’ avoid lists, as the program was generated with them' })),
  ];
  // A red flag or new sign or symptom referred on an earlier day, still open: no session until a clinician
  // has assessed the client and the referral is resolved (FACTS §1, §3).
  if (entry.attended) {
    for (const r of ctx.openReferrals ?? []) {
      // Raised on an earlier day, or at an intake that day; a session's own referral does not hold it.
      if ((r.raisedOn < entry.date || (r.raisedOn === entry.date && r.entryId === null)) && stopsTraining(r.code)) {
        checks.push({ code: 'stop_referral_open', severity: 'hold', text: `Referral ${r.id} of ${r.raisedOn} is still open (${r.reason}): no session until a clinician has assessed the client and the referral is resolved`, source: SRC_STOP });
      }
    }
  }
  // What the sessions before bind this one to (FACTS §10): days off after soreness, the previous 24-hour response.
  const carried = carriedForward(entry, previous);
  checks.push(...carried.checks);
  const flags: SessionDecision['flags'] = [];
  for (const f of redFlags(entry, previous.filter((e) => e.attended), { conditions: [...ctx.conditions], ...(ctx.riseCountsFrom ? { riseCountsFrom: ctx.riseCountsFrom } : {}) })) {
    // A red-flag symptom stops the session; a finding afterwards (effusion, a pain flare, range) holds progression.
    flags.push({ ...f, stop: f.code in SYMPTOMS });
  }
  // Other ACSM signs or symptoms at a session (ankle swelling, claudication, unusual fatigue…) mean stop and seek clearance (FACTS §1, §3).
  for (const s of entry.symptoms) {
    if (SYMPTOMS[s].acsm && !SYMPTOMS[s].redFlag) flags.push({ code: `symptom_${s}`, text: `New sign or symptom: ${SYMPTOMS[s].label}: stop and seek medical clearance`, source: SRC_ACSM, stop: true });
  }
  // A hold-level resting BP refers (FACTS §3); a re-check-level reading refers when the previous reading was one too [U policy].
  for (const c of checks) if (c.severity === 'refer') flags.push({ code: c.code, text: c.text, source: c.source, stop: true });
  const recheck = checks.find((c) => c.code === 'bp_recheck');
  const first = entry.vitals.bpRecheck && entry.vitals.bp ? vitalsFindings({ bp: entry.vitals.bp }, { conditions: codes, medications: ctx.medications, settings: ctx.settings }) : [];
  const last = previous.findLast((e) => e.vitals.bp);
  if (recheck && first.some((f) => f.code === 'bp_recheck' || f.code === 'bp_hold')) {
    // High again after rest, in the same session: "refer if it stays there" (FACTS §3) [U policy].
    flags.push({ code: 'bp_repeated_high', text: `Resting blood pressure high on two readings today (${formatBloodPressure(entry.vitals.bp!)}, then ${formatBloodPressure(entry.vitals.bpRecheck!)} after rest): refer for review`, source: recheck.source, stop: false });
  } else if (recheck && last?.vitals.bp) {
    const lastFindings = vitalsFindings({ bp: last.vitals.bpRecheck ?? last.vitals.bp }, { conditions: codes, medications: ctx.medications, settings: ctx.settings });
    if (lastFindings.some((f) => f.code === 'bp_recheck' || f.code === 'bp_hold')) {
      flags.push({ code: 'bp_repeated_high', text: `Resting blood pressure high on two readings in a row (${last.date} and ${entry.date}): refer for review`, source: recheck.source, stop: false });
    }
  }
  const hold = entry.attended && (checks.some((c) => c.severity === 'hold' || c.severity === 'refer') || flags.some((f) => f.stop));
  const open = (ctx.openReferrals ?? []).map((r) => ({ id: r.id, reason: r.reason }));

  let advice = sessionAdvice(entry, previous);
  const downgrade = (code: string, text: string, source: string) => {
    if (advice.advice === 'progress') advice = { advice: 'repeat', reasons: [{ code, text, source }, ...advice.reasons.filter((r) => r.code !== 'soreness_none' && r.code !== code)] };
  };
  if (hold) downgrade('held', 'Held today: do not progress', 'bridgefit');
  for (const r of carried.noProgress) downgrade(r.code, r.text, r.source);
  for (const w of warnings) downgrade(w.code, w.text, w.source);
  if (flags.length > 0) downgrade('referred', 'A referral was raised: hold progression until a clinician has seen the client', 'bridgefit');
  if (ctx.noProgram) downgrade('no_program', 'No program in force on this day: nothing to progress (generate one once the screening allows)', 'bridgefit');
  if (open.length > 0) downgrade('referral_open', `Referral${open.length > 1 ? 's' : ''} ${open.map((r) => r.id).join(', ')} still open: hold progression until resolved`, 'bridgefit');
  if (ctx.lastProgressOn && daysBetween(ctx.lastProgressOn, entry.date) < 7) {
    // Soreness rules: advance about once a week (FACTS §4; Fees 1998).
    downgrade('progressed_recently', `Last progression (advised, or a stage change) on ${ctx.lastProgressOn}, less than a week ago: stay at this level (advance about once a week)`, 'Soreness rules (Fees et al. 1998)');
  }
  // The 24-hour response weighs most, and waits for it last (FACTS §4, §10): no "progress" while this session's own is unknown;
  // `progress amend --next-day-pain` decides the entry again.
  if (entry.attended && entry.nextDayPain === undefined) {
    downgrade('next_day_pending', 'Next-morning pain not recorded yet: repeat this level; once it is recorded (progress amend --next-day-pain) the advice is decided again', 'Pain-monitoring model (Thomeé 1997; Silbernagel 2007)');
  }
  return { rulesVersion: PROGRESS_RULES_VERSION, today: hold ? 'hold' : 'go', checks, flags, openReferrals: open, warnings, advice };
}

/**
 * A session held before it started (or stopped by a red flag) was not trained:
 * it is kept as missed, with the reason, so adherence and attendance criteria
 * do not count it, and its measures and vitals stay on record.
 */
export function heldAsNotTrained<E extends ProgressEntry>(entry: E, decision: SessionDecision): E {
  if (decision.today !== 'hold' || !entry.attended) return entry;
  const why = [...decision.checks.filter((c) => c.severity === 'hold' || c.severity === 'refer').map((c) => c.text), ...decision.flags.filter((f) => f.stop && !decision.checks.some((c) => c.text === f.text)).map((f) => f.text)];
  return { ...entry, attended: false, missedReason: `held: ${why.join('; ') || 'held'}`, exercises: [] };
}

