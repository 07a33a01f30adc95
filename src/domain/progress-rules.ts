/**
 * Session-to-session progression: after each session, whether to advance,
 * repeat, reduce or rest, and the red flags that call for a referral. Pure:
 * it reads progress entries and says why for every piece of advice.
 * bridgefit never diagnoses; a trainer may override with a recorded reason.
 */
import { addDays, daysBetween, firstDayOf, lastDayOf } from './dates.js';
import type { ProgressEntry } from './progress-types.js';
import { SYMPTOMS, type SymptomInfo } from './symptoms.js';

/** Stored with every piece of advice; bump when a rule changes what the advice says. */
export const PROGRESS_RULES_VERSION = 'progress-1.4.0';

export type Advice = 'progress' | 'repeat' | 'reduce' | 'rest';

export interface SessionAdvice {
  advice: Advice;
  reasons: { code: string; text: string; source: string }[];
}

export interface RaisedFlag {
  code: string;
  text: string;
  source: string;
}

/**
 * Thresholds a clinician may change. `painLimit` is confirmed (Silbernagel
 * 2007, secondary); the referral rule on rising next-morning pain is a
 * bridgefit default [U] (FACTS §4 only says "worse → reduce").
 */
export interface ProgressRuleSettings {
  /** Pain above this during or after exercise is too much (0–10). */
  painLimit: number;
  /** Next-morning pain this many points above pain before the session counts towards a referral. */
  nextDayRiseToRefer: number;
  /** …on this many sessions, the current one included. */
  nextDayRiseSessions: number;
}

export const PROGRESS_DEFAULTS: Readonly<ProgressRuleSettings> = {
  // Silbernagel 2007 [C, secondary]: >5/10 unacceptable; Thomeé 1997 >5 high risk [U] (FACTS §4).
  painLimit: 5,
  // bridgefit default [U]: a clear, repeated 24-hour flare is referred rather than only reduced.
  nextDayRiseToRefer: 2,
  nextDayRiseSessions: 2,
};

/** Strictest last: when rules disagree the strictest advice wins. */
const ADVICE_ORDER: readonly Advice[] = ['progress', 'repeat', 'reduce', 'rest'];

const SRC = {
  // What a clinician reads beside each reason: the published source, never an internal file.
  soreness: 'Soreness rules (Fees et al. 1998; University of Delaware)',
  pain: 'Pain-monitoring model (Thomeé, Phys Ther 1997; Silbernagel et al., Am J Sports Med 2007)',
  effusion: 'Knee effusion stroke test (Sturgill et al. 2009)',
  missed: 'bridgefit default: repeat the last level after a missed session [unconfirmed; a clinician may change it]',
  data: 'bridgefit: no advice without a record of soreness, pain or effusion',
  redFlag: "ACSM's GETP 10th ed. stop criteria and trainer red flags (refer)",
  pregnancy: 'ACOG Committee Opinion 804 (2020): warning signs to stop exercise in pregnancy; Mottola et al., BJSM 2018',
  painRise: 'Pain-monitoring model (Silbernagel et al. 2007): next-morning pain worse than baseline; referral when repeated is a bridgefit default [unconfirmed]',
  tka: 'Ebert et al. 2014: knee flexion below 80° at 1–2 weeks predicts a poor result; 100° by about 7 weeks is the acceptable cut-off',
  tkaStill: 'Ebert et al. 2014: knee flexion below 80° at 1–2 weeks predicts a poor result; still below 80° until the 7-week cut-off is referred too (bridgefit default [unconfirmed]: a knee that has not reached 80° later is at least as concerning)',
} as const;

/**
 * Red-flag symptoms that need a doctor the same day, or emergency services:
 * possible cardiac, neurological or thromboembolic events, and cauda equina.
 */
export const URGENT_SYMPTOMS: ReadonlySet<string> = new Set(['chest_pain', 'breathless', 'dizziness_syncope', 'palpitations', 'neuro_signs', 'calf_pain_swelling', 'cauda_equina']);

/**
 * Red flags for emergency services now, before any clinician: possible
 * stroke (AHA/ASA "BE FAST"), and chest pain at rest or not settling within
 * minutes of stopping, as it is when reported before a session (AHA) (FACTS §10).
 */
export const EMERGENCY_SYMPTOMS: ReadonlyMap<string, string> = new Map([
  ['neuro_signs', 'possible stroke: face drooping, arm weakness, speech difficulty, sudden loss of vision or confusion'],
  ['chest_pain', 'chest pain at rest or not settling within minutes of stopping may be a heart attack'],
]);

/** Effusion grades as stored (FACTS §4, Sturgill 2009): 0 none, 1 trace, 2 = 1+, 3 = 2+, 4 = 3+. */
export const EFFUSION_LABELS = ['none', 'trace', '1+', '2+', '3+'] as const;
const EFFUSION_1PLUS = 2;
const EFFUSION_2PLUS = 3;

export function effusionLabel(grade: number): string {
  return EFFUSION_LABELS[Math.round(grade)] ?? String(grade);
}

/** What one rule found; `advice: null` is a note that informs but does not decide. */
type Finding = { advice: Advice | null; code: string; text: string; source: string };

/**
 * Per-session advice from the pain-monitoring model (Thomeé 1997; Silbernagel
 * 2007), the soreness table (Fees 1998) and knee effusion (Sturgill 2009).
 * `previous` = earlier attended entries, oldest first. Red flags are not
 * advice: ask {@link redFlags} for those.
 *
 * @example
 * sessionAdvice({ ...entry, soreness: 'warmup_continuing' }, []).advice // 'rest'
 */
export function sessionAdvice(entry: ProgressEntry, previous: readonly ProgressEntry[], settings: Partial<ProgressRuleSettings> = {}): SessionAdvice {
  const s = { ...PROGRESS_DEFAULTS, ...settings };
  if (!entry.attended) {
    const why = entry.missedReason ? ` (${entry.missedReason})` : '';
    return { advice: 'repeat', reasons: [{ code: 'missed', text: `Session missed${why}: repeat the last level at the next session`, source: SRC.missed }] };
  }
  const earlier = previous.filter((p) => p.attended);
  const all = [...sorenessFindings(entry), ...painFindings(entry, earlier, s), ...effusionFindings(entry, earlier)];
  const findings = all.filter((f): f is Finding & { advice: Advice } => f.advice !== null);
  const notes = all.filter((f) => f.advice === null);
  if (findings.length === 0) {
    const missing = { code: 'not_enough_data', text: 'Not enough data to advise: record soreness, pain (before, during, after, next morning) or knee effusion; repeat the last level meanwhile', source: SRC.data };
    return { advice: 'repeat', reasons: [missing, ...notes.map(strip)] };
  }
  const advice = findings.reduce<Advice>((worst, f) => (ADVICE_ORDER.indexOf(f.advice) > ADVICE_ORDER.indexOf(worst) ? f.advice : worst), 'progress');
  if (advice === 'progress' && entry.nextDayPain === undefined) {
    // The 24-hour response counts most (FACTS §4): advancing waits on it.
    notes.push({ advice: null, code: 'next_day_pending', text: 'Next-morning pain not recorded yet: confirm it is back to baseline before advancing', source: SRC.pain });
  }
  // The reasons that decided, then the notes; findings that lost to a stricter rule are left out.
  return { advice, reasons: [...findings.filter((f) => f.advice === advice), ...notes].map(strip) };
}

function strip(f: Finding): { code: string; text: string; source: string } {
  return { code: f.code, text: f.text, source: f.source };
}

/** Soreness table (FACTS §4; Fees 1998, PMC6044585 Table 5) [C]. */
function sorenessFindings(entry: ProgressEntry): Finding[] {
  const f = (advice: Advice, code: string, text: string): Finding[] => [{ advice, code, text, source: SRC.soreness }];
  switch (entry.soreness) {
    case undefined:
      return [];
    case 'none':
      // Advance about once a week, not every session (FACTS §4).
      return f('progress', 'soreness_none', 'No soreness: advance one level (about once a week)');
    case 'warmup_gone':
      return f('repeat', 'soreness_warmup_gone', 'Sore in the warm-up, gone by its end: stay at the same level');
    case 'warmup_continuing':
      return f('rest', 'soreness_warmup_continuing', 'Sore in the warm-up and it continued: stop, take 2 days off, then drop one level');
    case 'returned_during':
      return f('rest', 'soreness_returned_during', 'Soreness gone in the warm-up returned during the session: take 2 days off, then drop one level');
    case 'after_next_day':
      return f('repeat', 'soreness_after_next_day', 'Sore more than an hour after or the next day (not ordinary muscle soreness): take 1 day off and do not advance');
  }
}

/** Pain-monitoring model (FACTS §4; Thomeé 1997, Silbernagel 2007). */
function painFindings(entry: ProgressEntry, earlier: readonly ProgressEntry[], s: ProgressRuleSettings): Finding[] {
  const out: Finding[] = [];
  const f = (advice: Advice, code: string, text: string) => out.push({ advice, code, text, source: SRC.pain });
  const { painDuring: during, painAfter: after, nextDayPain: nextDay } = entry;
  // Pain before above the limit is outside the acceptable zone already (FACTS §4; Thomeé 1997 >5 high risk;
  // Silbernagel 2007 >5 unacceptable): the session goes below the level, and the next does not progress.
  if (entry.painBefore !== undefined && entry.painBefore > s.painLimit) f('reduce', 'pain_before_high', `Pain before the session ${entry.painBefore}/10 is above ${s.painLimit}/10: reduce the load`);
  // Pain during and after may reach the limit, not pass it [C, secondary].
  if (during !== undefined && during > s.painLimit) f('reduce', 'pain_during_high', `Pain during exercise ${during}/10 is above ${s.painLimit}/10: reduce the load`);
  if (after !== undefined && after > s.painLimit) f('reduce', 'pain_after_high', `Pain after exercise ${after}/10 is above ${s.painLimit}/10: reduce the load`);
  const within = (during ?? 0) <= s.painLimit && (after ?? 0) <= s.painLimit;
  const { baseline, from } = painBaseline(entry, earlier);
  // Pain after may reach the limit but must settle by the next morning (FACTS §4).
  if (nextDay !== undefined && nextDay > s.painLimit) f('reduce', 'next_day_high', `Next-morning pain ${nextDay}/10 is above ${s.painLimit}/10: reduce the load`);
  if (nextDay !== undefined && baseline !== undefined) {
    if (nextDay > baseline) {
      // The 24-hour response counts most: worse than baseline → reduce [C].
      f('reduce', 'next_day_worse', `Next-morning pain ${nextDay}/10 is worse than ${from} (${baseline}/10): reduce the load`);
    } else if (within) {
      // Back to baseline → repeat or increase slightly [C]: no objection to advancing.
      f('progress', 'pain_settled', `Next-morning pain ${nextDay}/10 is back to ${from} (${baseline}/10)${painWithin(during, after, s)}: no objection to advancing`);
    }
    return out;
  }
  if (nextDay !== undefined) {
    out.push({ advice: null, code: 'pain_no_baseline', text: `Next-morning pain ${nextDay}/10 but no pain-before on record to compare it with`, source: SRC.pain });
  }
  if ((during !== undefined || after !== undefined) && within) {
    f('progress', 'pain_within_limits', `Pain${painWithin(during, after, s).slice(1)}: no objection to advancing`);
  }
  return out;
}

/** The pain to compare next-morning pain with: this session's pain before, else the last one recorded, else this session's pain after. */
export function painBaseline(entry: ProgressEntry, earlier: readonly ProgressEntry[]): { baseline: number | undefined; from: string } {
  if (entry.painBefore !== undefined) return { baseline: entry.painBefore, from: 'pain before the session' };
  const last = earlier.findLast((p) => p.painBefore !== undefined)?.painBefore;
  if (last !== undefined) return { baseline: last, from: 'the last pain-before recorded' };
  if (entry.painAfter !== undefined) return { baseline: entry.painAfter, from: 'pain after the session' };
  return { baseline: undefined, from: '' };
}

function painWithin(during: number | undefined, after: number | undefined, s: ProgressRuleSettings): string {
  const parts = [during !== undefined ? `during ${during}/10` : '', after !== undefined ? `after ${after}/10` : ''].filter(Boolean);
  return parts.length ? `, ${parts.join(' and ')} within ${s.painLimit}/10` : '';
}

/** Effusion grades by side ('' when no side was recorded). */
function effusionBySide(entry: ProgressEntry): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of entry.measures) if (m.code === 'effusion_grade') out.set(m.side ?? '', Math.max(out.get(m.side ?? '') ?? 0, m.value));
  return out;
}

function sideText(side: string): string {
  return side ? `${side} knee` : 'knee';
}

/** Knee effusion (FACTS §4; Sturgill 2009) [C]: ≤1+ proceed; ≥2+ hold progression; 1+ again at the next session: do not advance. */
function effusionFindings(entry: ProgressEntry, earlier: readonly ProgressEntry[]): Finding[] {
  const now = effusionBySide(entry);
  if (now.size === 0) return [];
  const out: Finding[] = [];
  for (const [side, grade] of now) {
    const f = (advice: Advice, code: string, text: string) => out.push({ advice, code, text, source: SRC.effusion });
    // "At the next session" means the last session that graded the same knee (FACTS §4).
    const last = earlier.findLast((e) => effusionBySide(e).has(side));
    const prior = last ? effusionBySide(last).get(side) : undefined;
    if (grade >= EFFUSION_2PLUS) f('reduce', 'effusion_2plus', `Effusion ${effusionLabel(grade)} in the ${sideText(side)}: hold progression and reduce the load`);
    else if (grade >= EFFUSION_1PLUS && prior !== undefined && prior >= EFFUSION_1PLUS && last) {
      f('repeat', 'effusion_1plus_again', `Effusion ${effusionLabel(grade)} in the ${sideText(side)}, ${effusionLabel(prior)} at the session before (${last.date}): do not advance`);
    } else f('progress', 'effusion_ok', `Effusion ${effusionLabel(grade)} in the ${sideText(side)}: no objection to advancing`);
  }
  return out;
}

/**
 * Red flags that raise a referral (FACTS §3, §4, §6): every red-flag symptom;
 * next-morning pain well above that session's pain before on two sessions;
 * knee effusion 2+ or more; after a total knee replacement, knee flexion
 * below 80° from 7 days after surgery, and below 100° from 7 weeks (Ebert 2014). `previous` = earlier
 * attended entries, oldest first.
 */
export function redFlags(
  entry: ProgressEntry,
  previous: readonly ProgressEntry[],
  ctx: { conditions: { code: string; side?: string; date?: string }[]; riseCountsFrom?: string },
  settings: Partial<ProgressRuleSettings> = {},
): RaisedFlag[] {
  const s = { ...PROGRESS_DEFAULTS, ...settings };
  const flags: RaisedFlag[] = [];

  // Trainer red flags: stop and refer (FACTS §3); the acute ones today, or emergency services.
  for (const code of entry.symptoms) {
    if (!SYMPTOMS[code].redFlag) continue;
    const refer = EMERGENCY_SYMPTOMS.has(code)
      ? `stop and call emergency services now (${EMERGENCY_SYMPTOMS.get(code)})`
      : URGENT_SYMPTOMS.has(code)
        ? 'stop and refer to a doctor today; call emergency services if it is severe or does not settle'
        : 'stop and refer to a clinician';
    const to = (SYMPTOMS[code] as SymptomInfo).referTo;
    flags.push(to ? { code, text: `Red flag: ${SYMPTOMS[code].label}: stop; no session; refer to ${to}`, source: SRC.pregnancy } : { code, text: `Red flag: ${SYMPTOMS[code].label}: ${refer}`, source: SRC.redFlag });
  }

  // Next-morning pain worse than baseline is reduced (FACTS §4); a clear rise on repeated sessions is referred [U default].
  const attended = previous.filter((e) => e.attended);
  const rose = (e: ProgressEntry, i: number, list: readonly ProgressEntry[]) => {
    const { baseline } = painBaseline(e, list.slice(0, i));
    return e.attended && e.nextDayPain !== undefined && baseline !== undefined && e.nextDayPain - baseline >= s.nextDayRiseToRefer;
  };
  if (rose(entry, attended.length, attended)) {
    // Only a recent run counts: sessions in the 28 days before, and after any earlier referral for it was resolved.
    const cutoff = [addDays(entry.date, -28), ctx.riseCountsFrom ?? ''].sort().at(-1)!;
    const earlier = attended.filter((e, i) => e.date >= cutoff && rose(e, i, attended));
    if (earlier.length + 1 >= s.nextDayRiseSessions) {
      const shown = [...earlier.slice(-(s.nextDayRiseSessions - 1)), entry];
      const dates = shown.map((e) => `${e.date} (${painBaseline(e, attended.filter((p) => p.date < e.date)).baseline}→${e.nextDayPain}/10)`);
      flags.push({
        code: 'next_day_pain_rise',
        text: `Next-morning pain ${s.nextDayRiseToRefer} or more points above the baseline on ${shown.length} recent sessions: ${dates.join(', ')}: refer to a clinician`,
        source: SRC.painRise,
      });
    }
  }

  // Effusion ≥2+ (FACTS §4, Sturgill 2009) [C]: hold progression and have a clinician see the knee.
  const swollen = [...effusionBySide(entry)].filter(([, g]) => g >= EFFUSION_2PLUS);
  if (swollen.length > 0) {
    flags.push({
      code: 'effusion_2plus',
      text: `Knee effusion ${swollen.map(([side, g]) => `${effusionLabel(g)} (${sideText(side)})`).join(', ')}: hold progression and refer to a clinician`,
      source: SRC.effusion,
    });
  }

  // TKA: flexion <80° at 1–2 weeks predicts failure → refer (FACTS §6; Ebert 2014) [C]; still below 80° after
  // week 2, until the 100° cut-off at 7 weeks takes over, is referred too [U default].
  for (const c of ctx.conditions) {
    if (c.code !== 'knee_tka' || !c.date) continue;
    // A month-only surgery date: checked when any day of that month puts the session in the window (a missed referral is the unsafe side).
    const { days, most, least } = daysSinceSurgery(c.date, entry.date);
    if (most < 7 || least >= 49) continue;
    const sides = c.side === 'left' || c.side === 'right' ? [c.side] : ['left', 'right'];
    const low = entry.measures.filter((m) => m.code === 'knee_flexion' && (m.side === undefined || sides.includes(m.side)) && m.value < 80);
    for (const m of low) {
      flags.push({
        code: 'tka_flexion_below_80',
        text: `Knee flexion ${m.value}°${m.side ? ` (${m.side})` : ''} ${days} days after total knee replacement (${c.date}) is below 80°: refer to the surgical team`,
        source: least <= 14 ? SRC.tka : SRC.tkaStill,
      });
    }
  }
  // TKA: flexion 100° by about 7 weeks is the acceptable cut-off (FACTS §6; Ebert 2014) [C].
  for (const c of ctx.conditions) {
    if (c.code !== 'knee_tka' || !c.date) continue;
    const { most } = daysSinceSurgery(c.date, entry.date);
    const days = most;
    if (most < 49) continue;
    const sides = c.side === 'left' || c.side === 'right' ? [c.side] : ['left', 'right'];
    const low = entry.measures.find((m) => m.code === 'knee_flexion' && (m.side === undefined || sides.includes(m.side)) && m.value < 100);
    if (low) {
      flags.push({
        code: 'tka_flexion_below_100',
        text: `Knee flexion ${low.value}°${low.side ? ` (${low.side})` : ''} ${Math.round(days / 7)} weeks after total knee replacement (${c.date}) is below 100°, the acceptable cut-off at about 7 weeks: refer to the surgical team`,
        source: SRC.tka,
      });
    }
  }
  return flags;
}



/**
 * Days from a surgery to `on`: `most` from the first day the date can mean,
 * `least` from its last (the same for a full date); `days` as words ("20–50"
 * for a month-only date).
 */
function daysSinceSurgery(date: string, on: string): { days: string; most: number; least: number } {
  const most = daysBetween(firstDayOf(date), on);
  const least = daysBetween(lastDayOf(date), on);
  return { days: most === least ? String(most) : `${Math.max(0, least)}–${most}`, most, least };
}
