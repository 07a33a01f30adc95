/**
 * What a report puts before the clinician first: the items of the attention
 * box (red: referrals, red flags, a screening that refers or needs clearance,
 * a refused clearance; amber: the rest), and the questions the record raises.
 * Pure: it reads the report model and its input.
 */
import { clearanceInForce, describeRestriction } from './clearance.js';
import { CONDITIONS, conditionStart } from './conditions.js';
import { earliestAfterSurgery } from './stage.js';
import type { ReportEntry, ReportInput, ReportModel } from './report-model.js';
import type { SessionDecision } from './session.js';
import { LOW_ADHERENCE } from './summary.js';
import { MEASURE_JOINT, MEASURES, type MeasureCode } from './template-terms.js';


/**
 * Range recorded beyond a range-of-motion limit of the clearance in force: the
 * client is past what the clinician allowed, or the limit is out of date —
 * either way the clinician should know. The largest value per limit.
 */
export function beyondLimits(input: ReportInput, inPeriod: readonly ReportEntry[]): ReportModel['beyondLimits'] {
  const c = clearanceInForce(input.clearances, input.today);
  if (!c || c.status === 'not-cleared') return [];
  const out: ReportModel['beyondLimits'] = [];
  for (const r of c.restrictions) {
    const [head, joint, side] = r.code.split('.');
    if (head !== 'rom' || typeof r.value !== 'number') continue;
    let worst: { measure: string; value: number; date: string } | undefined;
    for (const e of inPeriod) {
      if (e.date < c.issuedOn) continue;
      for (const m of e.measures) {
        if (MEASURE_JOINT[m.code] !== joint || (m.side !== undefined && m.side !== side) || m.value <= r.value) continue;
        if (!worst || m.value > worst.value) worst = { measure: `${side} ${MEASURES[m.code as MeasureCode].label}`, value: m.value, date: e.date };
      }
    }
    if (worst) out.push({ restriction: describeRestriction(r), ...worst });
  }
  return out;
}

/**
 * What the clinician must look at, most urgent first: one line per open
 * matter. A red flag raised at several sessions is one matter (grouped by its
 * rule's code, not its words, which carry the day's values), said with the
 * referral it raised; a referral resolved in the period is one line in
 * `resolved`, with the day and who resolved it, never again as a flag.
 */
export function attentionOf(m: ReportModel, inPeriod: readonly ReportEntry[]): ReportModel['attention'] {
  const urgent: string[] = [];
  const review: string[] = [];
  const resolved: string[] = [];
  const referrals = [...m.referrals.open, ...m.referrals.resolvedInPeriod];
  // Each flag's days, by the referral it belongs to (raised that day or before, still open then), or by its code.
  const byReferral = new Map<number, string[]>();
  const unreferred = new Map<string, { days: string[]; text: string }>();
  for (const e of inPeriod) {
    for (const f of (e.decision as SessionDecision | null)?.flags ?? []) {
      const r = referrals
        .filter((x) => x.code === f.code && x.raisedOn <= e.date && (x.status === 'open' || (x.resolvedOn !== null && x.resolvedOn >= e.date)))
        .sort((a, b) => (a.raisedOn < b.raisedOn ? 1 : a.raisedOn > b.raisedOn ? -1 : 0))[0];
      if (r) byReferral.set(r.id, [...(byReferral.get(r.id) ?? []), e.date]);
      else unreferred.set(f.code, { days: [...(unreferred.get(f.code)?.days ?? []), e.date], text: f.text });
    }
  }
  for (const r of m.referrals.open) {
    const again = [...new Set(byReferral.get(r.id) ?? [])].filter((d) => d > r.raisedOn);
    urgent.push(`Open referral (${r.raisedOn}): ${r.reason}${again.length ? `; flagged again on ${listDays(again)}` : ''}`);
  }
  for (const [, { days, text }] of unreferred) urgent.push(`Red flag on ${listDays([...new Set(days)])}: ${text}`);
  for (const r of m.referrals.resolvedInPeriod) {
    const days = [...new Set(byReferral.get(r.id) ?? [])];
    const flagged = days.length > 1 ? ` (flagged on ${days.length} sessions)` : '';
    resolved.push(`Resolved on ${r.resolvedOn} by ${r.resolvedBy || 'someone not recorded'}: referral of ${r.raisedOn}, ${r.reason}${flagged}${r.resolutionNote ? `. Note: ${r.resolutionNote}` : ''}`);
  }
  const held = inPeriod.filter((e) => (e.decision as SessionDecision | null)?.today === 'hold');
  if (held.length > 0) review.push(`${held.length} session${held.length > 1 ? 's' : ''} held at the pre-session checks (${listDays(held.map((e) => e.date))})`);
  // Warnings on the entries (effort or load above the cap, effort rising, a fall; FACTS §10): each kind once, with its days and the latest words.
  const warned = new Map<string, { days: string[]; text: string }>();
  for (const e of inPeriod) {
    for (const w of (e.decision as SessionDecision | null)?.warnings ?? []) {
      // A range past the limit is said below, against the clearance in force today (beyondLimits), once per limit.
      if (w.code === 'rom_beyond_limit') continue;
      warned.set(w.code, { days: [...(warned.get(w.code)?.days ?? []), e.date], text: w.text });
    }
  }
  for (const { days, text } of warned.values()) review.push(`Warning on ${listDays([...new Set(days)])}: ${text}`);
  if (m.client.archived) review.push('This client is archived: no longer seen');
  const s = m.screening;
  // ACSM 2015 / PAR-Q+: a screening that refers means no exercise until a clinician has assessed (FACTS §1, §2).
  // One refers only because a red-flag referral is open: that referral is already first in the box.
  // Nor when the finding it refers for is an open referral already (a red flag at intake raises one).
  if (s?.gate === 'refer' && !s.byReferral && !m.referrals.open.some((r) => r.reason === s.headline)) urgent.push(`Screening of ${s.date} refers the client to a clinician: ${s.headline}`);
  // ACSM 2015: clearance needed and not given (or given before the findings it must cover) — no exercise until cleared.
  if (s?.gate === 'needs-clearance' && !m.screeningStale) urgent.push(`Screening of ${s.date}: medical clearance needed before exercise: ${s.headline}`);
  if (!m.intakeDate) review.push('No intake on file, so no screening: medical history, medications and symptoms are not known');
  else if (m.intakeStale) review.push(`The intake is from ${m.intakeDate}, older than ${m.intakeStale} months: it should be repeated`);
  for (const b of m.beyondLimits) review.push(`${b.measure} ${b.value}° on ${b.date} is beyond the clearance's limit (${b.restriction})`);
  const p = m.program;
  if (p && p.daysInStage > p.plannedWeeks[1] * 7) review.push(`In stage ${p.stage} for ${p.daysInStage} days; planned ${p.plannedWeeks[0]}–${p.plannedWeeks[1]} weeks`);
  const c = m.clearance;
  if (c.state === 'none') review.push(c.pendingSince ? `No medical clearance yet: requested ${c.pendingSince}, no answer recorded` : 'No medical clearance on file');
  if (c.state === 'expired') review.push(`Medical clearance from ${c.clinician} expired on ${c.validUntil}`);
  if (c.state === 'not-cleared') urgent.push(`${c.clinician} did not clear exercise (${c.issuedOn})`);
  if (m.pain.trend === 'worsening') review.push('Pain is rising over the period');
  // TrueCoach-style compliance flag, the summary's threshold [U].
  if (m.adherence?.share !== null && m.adherence?.share !== undefined && m.adherence.share < LOW_ADHERENCE) {
    review.push(`Adherence ${Math.round(m.adherence.share * 100)}%: ${m.adherence.attended} of ${m.adherence.planned} planned sessions`);
  }
  const cap = (t: string) => t[0]!.toUpperCase() + t.slice(1);
  return { level: urgent.length ? 'urgent' : review.length ? 'review' : 'none', items: [...urgent, ...review].map(cap), resolved };
}

/** "2026-11-20", "2026-11-20 and 2026-11-24", "2026-11-20, … (5 days, the last 2026-12-01)". */
function listDays(days: readonly string[]): string {
  if (days.length === 1) return days[0]!;
  if (days.length <= 4) return `${days.slice(0, -1).join(', ')} and ${days.at(-1)}`;
  return `${days.length} days from ${days[0]} to ${days.at(-1)}`;
}

/** Questions that follow from the record; the trainer adds their own with --question. */
export function questionsOf(m: ReportModel, input: ReportInput): string[] {
  const out: string[] = [];
  const open = m.referrals.open;
  // Several referrals: one question, their reasons being in the box above (page 1 keeps to one page).
  if (open.length === 1) out.push(`Referral of ${open[0]!.raisedOn} (${open[0]!.reason}): please assess, and say whether training may continue and with what changes.`);
  if (open.length > 1) {
    out.push(`The ${open.length} open referrals, raised ${open[0]!.raisedOn} to ${open.at(-1)!.raisedOn}: please assess each, and say whether training may continue and with what changes.`);
  }
  const c = m.clearance;
  if (c.state === 'expired') out.push(`The clearance of ${c.issuedOn} expired on ${c.validUntil}: please review it and confirm or change the restrictions.`);
  if (m.screening?.gate === 'refer' && !m.screening.byReferral && !open.some((r) => r.reason === m.screening!.headline)) out.push(`The screening of ${m.screening.date} found: ${m.screening.headline}. Please assess before exercise begins or goes on, and say what is safe.`);
  else if (m.screening?.gate === 'needs-clearance' && !m.screeningStale) out.push(`The screening of ${m.screening.date} calls for medical clearance (${m.screening.headline}): please give it, with any restrictions.`);
  for (const b of m.beyondLimits) out.push(`${b.measure[0]!.toUpperCase()}${b.measure.slice(1)} is now ${b.value}° (${b.date}), beyond your limit (${b.restriction}): may the limit be raised or lifted?`);
  if (m.program && m.criteria.length > 0) {
    const unmet = m.criteria.filter((x) => !x.met);
    const next = input.program!.program.stages[m.program.stage];
    if (next && unmet.length > 0 && unmet.every((x) => /signed off by the clinician/.test(x.text))) {
      // A sign-off never passes the time since surgery (FACTS §10): say when the next stage may begin.
      const surgical = next.afterSurgery ? input.intake?.answers.conditions.find((x) => input.programFits.includes(x.code) && CONDITIONS[x.code].dateKind === 'surgery') : undefined;
      const surgery = surgical?.date;
      // A month-only date counts from its last day, as the stage gate does (conditionStart).
      const from = next.afterSurgery && surgical && surgery ? earliestAfterSurgery(next.afterSurgery, conditionStart(surgical)!) : undefined;
      const waits = from && from > input.today ? ` (stage ${m.program.stage + 1} begins no earlier than ${from}, ${next.afterSurgery!.fromWeek !== undefined ? `${next.afterSurgery!.fromWeek} weeks` : `${next.afterSurgery!.fromMonth} months`} after the surgery of ${surgery}, whatever the sign-off)` : '';
      out.push(`Every exit criterion of stage ${m.program.stage} holds but your sign-off: may ${m.client.name} move on to stage ${m.program.stage + 1} (${next.name})${waits}?`);
    }
  }
  if (m.pain.trend === 'worsening' && m.referrals.open.length === 0) out.push('Pain has been rising over the period: is there anything you would like changed in the program?');
  return out;
}

