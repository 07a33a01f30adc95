/**
 * Load progression within a stage (issue 16): the next session's suggested
 * load for each loaded exercise, from the sessions of the stage that did it.
 * Pure: the prescription, the earlier sessions' records of the exercise and
 * the caps in; the suggested load and why out. The one owner of the rule:
 * the prompts' default load, `progress add` and `program status` all ask it.
 *
 * Source: ACSM Position Stand, Progression models in resistance training for
 * healthy adults, Med Sci Sports Exerc 2009;41(3):687-708 (a 2–10% increase
 * when the client does 1–2 repetitions over the target on two consecutive
 * sessions); the pain-monitoring model (FACTS §4; Thomeé 1997, Silbernagel
 * 2007: pain during and the next morning in the acceptable zone; a worse
 * 24-hour response → reduce). The percentages, the number of sessions and
 * the step are unconfirmed defaults [U] (settings progression.*), which a
 * template may set for its program or one exercise.
 */
import type { SessionAdvice } from './progress-rules.js';
import { painBaseline, PROGRESS_DEFAULTS } from './progress-rules.js';
import type { ExerciseDone, ProgressEntry } from './progress-types.js';
import type { Restriction } from './clearance.js';

/** What a template declares (program default, then one exercise's override), as kept in the program's snapshot. */
export interface LoadRule {
  /** The exercise's load step, kg (0.5 for small dumbbells, 1, 2.5 for a machine stack). */
  stepKg?: number;
  /** Increase, percent of the working load: [low, high]. */
  increasePercent?: readonly [number, number];
  /** Sessions in a row at the top of the prescribed reps before the load goes up. */
  sessionsAtTop?: number;
  /** The program's cap for this exercise, kg (the template's maxKg, an overlay's hand-load cap at generation). */
  maxKg?: number;
  /** Who set maxKg. */
  maxBy?: string;
}

/** The defaults a rule takes what it does not say from [U] (settings progression.*). */
export interface LoadDefaults {
  stepKg: number;
  increasePercent: readonly [number, number];
  sessionsAtTop: number;
}

export const LOAD_SOURCE = 'ACSM Position Stand, Progression models in resistance training (Med Sci Sports Exerc 2009;41(3):687-708): 2–10% after two consecutive sessions over the target reps [increase, sessions and step: unconfirmed defaults]; pain-monitoring model (Thomeé 1997; Silbernagel 2007)';

/** The prescription of one exercise in the stage. */
export interface LoadPrescription {
  exerciseId: string;
  name: string;
  dose: { sets: number; reps?: number };
  /** Absent: the program declares no load rule for it, and nothing is suggested. */
  rule?: LoadRule;
}

/** One earlier session's record of the exercise, with what the session rules said of that session. */
export interface LoadSession {
  date: string;
  done: ExerciseDone;
  painDuring?: number;
  painAfter?: number;
  nextDayPain?: number;
  /** What next-morning pain is compared with (progress-rules painBaseline). */
  baseline?: number;
  /** The session's decision, when it has one. */
  decision?: { flags?: readonly unknown[]; openReferrals?: readonly unknown[]; warnings?: readonly unknown[]; advice?: SessionAdvice };
}

/** A cap and who set it. */
export interface LoadCap {
  value: number;
  by: string;
}

export type LoadChange = 'increase' | 'same' | 'reduce' | 'none';

export interface LoadSuggestion {
  exerciseId: string;
  name: string;
  /** The load to use next time, kg; null when nothing can be suggested (no load recorded, no rule). */
  suggestedKg: number | null;
  /** The load of the latest session that did it, kg. */
  lastKg: number | null;
  change: LoadChange;
  reason: string;
  source: string;
}

const round2 = (n: number) => Math.round(n * 100) / 100;
const kg = (n: number) => `${round2(n)} kg`;

/** A step of `percent` of `load`, rounded to the step, at least one step, and not past the high end when a smaller one fits. */
function stepOf(load: number, [lo, hi]: readonly [number, number], step: number): number {
  const up = Math.ceil((load * lo) / 100 / step - 1e-9) * step;
  if (up <= (load * hi) / 100 + 1e-9) return Math.max(step, up);
  return Math.max(step, Math.floor((load * hi) / 100 / step + 1e-9) * step);
}

/** Why a session's response stops an increase, or asks for a reduction; undefined when it is in the acceptable zone. */
function painProblem(s: LoadSession, limit: number): { reduce: boolean; why: string } | undefined {
  if (s.painDuring !== undefined && s.painDuring > limit) return { reduce: true, why: `pain during ${s.painDuring}/10 above ${limit}/10 on ${s.date}` };
  if (s.painAfter !== undefined && s.painAfter > limit) return { reduce: true, why: `pain after ${s.painAfter}/10 above ${limit}/10 on ${s.date}` };
  if (s.nextDayPain !== undefined && s.nextDayPain > limit) return { reduce: true, why: `next-morning pain ${s.nextDayPain}/10 above ${limit}/10 after ${s.date}` };
  if (s.nextDayPain !== undefined && s.baseline !== undefined && s.nextDayPain > s.baseline) return { reduce: true, why: `next-morning pain ${s.nextDayPain}/10 worse than before (${s.baseline}/10) after ${s.date}` };
  if (s.painDuring === undefined) return { reduce: false, why: `pain during not recorded on ${s.date}` };
  if (s.nextDayPain === undefined) return { reduce: false, why: `next-morning pain not recorded yet for ${s.date}` };
  return undefined;
}

/** Why the session rules hold progression after a session (a referral, an open one, a warning, soreness), or ask to drop a level. */
function decisionProblem(s: LoadSession): { reduce: boolean; why: string } | undefined {
  const d = s.decision;
  if (!d) return undefined;
  if (d.advice?.advice === 'rest') return { reduce: true, why: `the advice on ${s.date} was rest, then drop one level` };
  if (d.advice?.advice === 'reduce') return { reduce: true, why: `the advice on ${s.date} was to reduce (${d.advice.reasons[0]?.text ?? ''})` };
  if ((d.flags?.length ?? 0) > 0) return { reduce: false, why: `a referral was raised on ${s.date}: hold progression` };
  if ((d.openReferrals?.length ?? 0) > 0) return { reduce: false, why: `a referral was open on ${s.date}: hold progression` };
  if ((d.warnings?.length ?? 0) > 0) return { reduce: false, why: `a warning on ${s.date} holds progression` };
  // Soreness: stay at the same level, or do not advance (Fees 1998; FACTS §4).
  const sore = d.advice?.reasons.find((r) => r.code.startsWith('soreness_') && r.code !== 'soreness_none');
  if (sore) return { reduce: false, why: `soreness on ${s.date}: do not advance` };
  return undefined;
}

/**
 * The next load for one exercise. `sessions`: the stage's earlier sessions
 * that recorded it, oldest first. Up by the rule's percent (rounded to its
 * step, at least one step) after `sessionsAtTop` sessions in a row at the
 * same load with every set at the prescribed reps or more, pain during and
 * next morning in the acceptable zone and nothing holding progression; down
 * by as much after a worse 24-hour response, pain above the limit, or advice
 * to reduce or drop a level; never above a cap; else the same.
 */
export function suggestLoad(p: LoadPrescription, sessions: readonly LoadSession[], caps: readonly LoadCap[], defaults: LoadDefaults, painLimit = PROGRESS_DEFAULTS.painLimit): LoadSuggestion {
  const base = { exerciseId: p.exerciseId, name: p.name, source: LOAD_SOURCE };
  const loaded = sessions.filter((s) => s.done.completed && s.done.loadKg !== undefined);
  const latest = loaded.at(-1);
  const lastKg = latest?.done.loadKg ?? null;
  if (!p.rule) return { ...base, suggestedKg: null, lastKg, change: 'none', reason: 'the program declares no load progression for it' };
  if (p.dose.reps === undefined) return { ...base, suggestedKg: null, lastKg, change: 'none', reason: 'dosed by time, not reps: no load progression' };
  if (!latest || lastKg === null) return { ...base, suggestedKg: null, lastKg: null, change: 'none', reason: 'no load recorded in this stage yet' };
  const step = p.rule.stepKg ?? defaults.stepKg;
  const percent = p.rule.increasePercent ?? defaults.increasePercent;
  const needed = p.rule.sessionsAtTop ?? defaults.sessionsAtTop;
  const allCaps = [...caps, ...(p.rule.maxKg !== undefined ? [{ value: p.rule.maxKg, by: p.rule.maxBy ?? "the program's cap" }] : [])];
  const cap = allCaps.sort((a, b) => a.value - b.value)[0];
  const out = (suggestedKg: number, change: LoadChange, reason: string): LoadSuggestion => ({ ...base, suggestedKg: round2(suggestedKg), lastKg, change, reason });

  if (cap && lastKg > cap.value) return out(cap.value, 'reduce', `${kg(lastKg - cap.value)} down to the cap of ${kg(cap.value)} (${cap.by})`);
  // The latest session's 24-hour response counts most (FACTS §4): worse → reduce.
  const latestLast = sessions.at(-1)!;
  const bad = [painProblem(latestLast, painLimit), decisionProblem(latestLast)].find((x) => x?.reduce);
  if (bad) {
    const down = Math.min(lastKg, stepOf(lastKg, percent, step));
    return out(lastKg - down, 'reduce', `−${kg(down)}: ${bad.why}`);
  }
  // The run: the last `needed` sessions that did the exercise, each at the latest load and at the top of the reps.
  const run = sessions.slice(-needed);
  const top = p.dose.reps;
  const short = (s: LoadSession) => !s.done.completed || s.done.loadKg !== lastKg || (s.done.reps ?? 0) < top || (s.done.sets ?? 0) < p.dose.sets;
  const atTop = run.filter((s) => !short(s)).length;
  const word = (n: number) => (n === 0 ? 'no session' : n === 1 ? 'one session' : n === 2 ? 'two sessions' : `${n} sessions`);
  // The latest session did it with no load recorded (as planned, body weight): say so rather than count.
  if (latestLast.done.completed && latestLast.done.loadKg === undefined) return out(lastKg, 'same', `the latest session (${latestLast.date}) recorded no load for it; last load ${kg(lastKg)} on ${latest.date}`);
  if (run.length < needed || atTop < needed) {
    const latestShort = short(latestLast) ? `; latest ${latestLast.done.sets ?? '?'}×${latestLast.done.reps ?? '?'}${latestLast.done.loadKg !== undefined ? ` @ ${kg(latestLast.done.loadKg)}` : ''}` : '';
    const inRow = (() => {
      let n = 0;
      for (let i = sessions.length - 1; i >= 0 && !short(sessions[i]!); i--) n++;
      return n;
    })();
    return out(lastKg, 'same', `${word(inRow)} at ${p.dose.sets}×${top} @ ${kg(lastKg)}; ${word(needed)} in a row needed${latestShort}`);
  }
  for (const s of run) {
    const problem = painProblem(s, painLimit) ?? decisionProblem(s);
    if (problem) return out(lastKg, 'same', `no increase: ${problem.why}`);
  }
  if (cap && lastKg >= cap.value) return out(lastKg, 'same', `at the cap of ${kg(cap.value)} (${cap.by})`);
  const up = stepOf(lastKg, percent, step);
  const next = cap ? Math.min(cap.value, lastKg + up) : lastKg + up;
  const capped = cap && next === cap.value && lastKg + up > cap.value ? `, capped at ${kg(cap.value)} (${cap.by})` : '';
  return out(next, 'increase', `+${kg(next - lastKg)}: ${word(needed)} at ${top} reps, pain acceptable${capped}`);
}

/** The sessions of `entries` (oldest first, attended) that recorded `exerciseId`, as the rule reads them. */
export function loadSessions(entries: readonly (ProgressEntry & { decision?: unknown })[], exerciseId: string): LoadSession[] {
  const out: LoadSession[] = [];
  const attended = entries.filter((e) => e.attended);
  attended.forEach((e, i) => {
    const done = e.exercises.find((x) => x.exerciseId === exerciseId);
    if (!done) return;
    const { baseline } = painBaseline(e, attended.slice(0, i));
    const s: LoadSession = { date: e.date, done };
    if (e.painDuring !== undefined) s.painDuring = e.painDuring;
    if (e.painAfter !== undefined) s.painAfter = e.painAfter;
    if (e.nextDayPain !== undefined) s.nextDayPain = e.nextDayPain;
    if (baseline !== undefined) s.baseline = baseline;
    if (e.decision) s.decision = e.decision as LoadSession['decision'];
    out.push(s);
  });
  return out;
}

/** The clearance's max_load_kg in force, as a cap. */
export function clearanceLoadCaps(restrictions: readonly Restriction[]): LoadCap[] {
  return restrictions.filter((r) => r.code === 'max_load_kg' && Number.isFinite(Number(r.value))).map((r) => ({ value: Number(r.value), by: `the clearance's max_load_kg=${Number(r.value)}` }));
}

/**
 * The next load of every exercise of the stage that has a load rule, from the
 * stage's sessions (`entries`: the stage's, oldest first) and the clearance in
 * force. Exercises without a rule are left out.
 */
export function stageLoadSuggestions(
  exercises: readonly { exerciseId: string; name: string; dose: { sets: number; reps?: number }; loadRule?: LoadRule }[],
  entries: readonly (ProgressEntry & { decision?: unknown })[],
  restrictions: readonly Restriction[],
  defaults: LoadDefaults,
): LoadSuggestion[] {
  const caps = clearanceLoadCaps(restrictions);
  return exercises.filter((x) => x.loadRule).map((x) => suggestLoad({ exerciseId: x.exerciseId, name: x.name, dose: x.dose, rule: x.loadRule! }, loadSessions(entries, x.exerciseId), caps, defaults));
}
