/**
 * Stage exit criteria checked against what was recorded: criteria-based
 * progression (FACTS §6) moves a client on when the criteria are met, not when
 * the weeks are up. Pure: every result says what was found or what is
 * missing, and which entries met it.
 */
import { addDays } from './dates.js';
import { effusionLabel } from './progress-rules.js';
import type { ProgressEntry } from './progress-types.js';
import type { ExitCriterion } from './template-schema.js';
import { MEASURES, type MeasureCode } from './template-terms.js';

export interface CriterionResult {
  criterion: ExitCriterion;
  met: boolean;
  /** Ids of the entries that met it. */
  evidence: number[];
  /** What was found or what is missing, in words. */
  detail: string;
}

export interface CriteriaContext {
  /** The side of the condition the program is for; `side: 'affected'` reads it. */
  /** 'both' when the condition is on both sides: every recorded side must meet a sided criterion. */
  affectedSide?: 'left' | 'right' | 'both';
  /** YYYY-MM-DD; `days: N` windows end on it. */
  today: string;
  signoffs: Signoff[];
}

/** A sign-off for a stage: the role the criterion asks for, who gave it and when (name and profession since schema 8). */
export interface Signoff {
  by: 'trainer' | 'clinician';
  date: string;
  name?: string | null;
  profession?: string | null;
}

/** Who signed, as recorded ("Dr A. Physio (physiotherapist)"); sign-offs from before schema 8 kept only the role. */
export function signer(s: Signoff): string {
  if (!s.name) return `the ${s.by} (name not recorded)`;
  return s.profession ? `${s.name} (${s.profession})` : s.name;
}

type Op = NonNullable<ExitCriterion['op']>;

const OP_TEXT: Record<Op, string> = { '>=': '≥', '<=': '≤', '>': '>', '<': '<', '==': '=' };

/** One entry's reading of a measure: every matching value (two when a sided measure is read for both knees). */
interface Reading {
  entry: ProgressEntry;
  values: number[];
}

/**
 * Evaluate a stage's exit criteria against the entries since the stage
 * started (oldest first).
 *
 * @example
 * evaluateCriteria([{ measure: 'knee_flexion', side: 'affected', op: '>=', value: 110, visits: 2 }], entries, { affectedSide: 'left', today, signoffs: [] })
 * // [{ met: false, detail: 'knee flexion (affected, left) 105°, 112° on the last 2 visits that measured it ≥ 110°: not met (105°)', … }]
 */
export function evaluateCriteria(criteria: readonly ExitCriterion[], entries: readonly ProgressEntry[], ctx: CriteriaContext): CriterionResult[] {
  // Stable sort: same-day entries keep the order they were given in.
  const sorted = [...entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  return criteria.map((c) => evaluateOne(c, sorted, ctx));
}

function evaluateOne(c: ExitCriterion, entries: readonly ProgressEntry[], ctx: CriteriaContext): CriterionResult {
  const result = (met: boolean, evidence: number[], detail: string): CriterionResult => ({ criterion: c, met, evidence, detail });
  if (c.measure === 'signoff') return signoff(c, entries, ctx);
  if (c.op === undefined || c.value === undefined) return result(false, [], `${MEASURES[c.measure].label}: the criterion has no comparison (op and value)`);
  const { op, value } = c;
  const threshold = `${OP_TEXT[op]} ${formatValue(c.measure, value)}`;

  if (c.measure === 'sessions_attended') {
    // Counts the sessions attended since the stage started (GLA:D: 12 supervised sessions, FACTS §6).
    const attended = entries.filter((e) => e.attended);
    const met = compare(attended.length, op, value);
    return result(met, attended.map((e) => e.id), `${attended.length} ${attended.length === 1 ? 'session' : 'sessions'} attended ${threshold}: ${met ? 'met' : 'not met'}`);
  }

  const side = resolveSide(c, ctx);
  const name = `${MEASURES[c.measure].label}${side.label}`;
  if (side.unknown) return result(false, [], `${name}: the affected side is not recorded, so the measure cannot be read`);
  // A visit is a day: two entries on one day count once, the later one (FACTS §6 "on two visits").
  const all = entries.map((e) => ({ entry: e, values: readValues(e, c.measure, side.side) })).filter((r) => r.values.length > 0);
  const readings = all.filter((r, i) => !all.slice(i + 1).some((later) => later.entry.date === r.entry.date));
  if (readings.length === 0) return result(false, [], `no ${name} recorded yet`);
  const ok = (r: Reading) => r.values.every((v) => compare(v, op, value));
  const shown = (rs: readonly Reading[]) => rs.map((r) => show(c.measure, r)).join(', ');
  const failed = (rs: readonly Reading[]) => rs.filter((r) => !ok(r)).map((r) => show(c.measure, r)).join(', ');
  const passing = (rs: readonly Reading[]) => rs.filter(ok).map((r) => r.entry.id);

  if (c.visits !== undefined) {
    // It must hold on the last N visits that measured it, not once by chance.
    const n = c.visits;
    const last = readings.slice(-n);
    const visits = `${n === 1 ? 'visit' : `${n} visits`}`;
    if (last.length < n) {
      return result(false, passing(last), `${name} ${shown(last)} on ${last.length} of the ${visits} needed ${threshold}: not met (${n - last.length} more to record)`);
    }
    const met = last.every(ok);
    return result(met, passing(last), `${name} ${shown(last)} on the last ${n === 1 ? 'visit' : `${n} visits`} that measured it ${threshold}: ${met ? 'met' : `not met (${failed(last)})`}`);
  }

  if (c.days !== undefined) {
    // Every value over the last N days holds, and values cover both halves of the window.
    const n = c.days;
    const start = addDays(ctx.today, -(n - 1));
    const mid = addDays(start, Math.floor(n / 2));
    const inWindow = readings.filter((r) => r.entry.date >= start && r.entry.date <= ctx.today);
    const period = `over the last ${n} ${n === 1 ? 'day' : 'days'} (${start} to ${ctx.today})`;
    if (inWindow.length === 0) return result(false, [], `no ${name} recorded ${period}`);
    const early = n === 1 || inWindow.some((r) => r.entry.date < mid);
    const late = n === 1 || inWindow.some((r) => r.entry.date >= mid);
    const allOk = inWindow.every(ok);
    const gaps = [
      !allOk ? failed(inWindow) : '',
      !early ? `nothing recorded before ${mid}` : '',
      !late ? `nothing recorded from ${mid}` : '',
    ].filter(Boolean);
    const met = gaps.length === 0;
    return result(met, passing(inWindow), `${name} ${shown(inWindow)} ${period} ${threshold}: ${met ? 'met' : `not met (${gaps.join('; ')})`}`);
  }

  const latest = readings.at(-1)!;
  const met = ok(latest);
  return result(met, met ? [latest.entry.id] : [], `${name} ${show(c.measure, latest)} on ${latest.entry.date} (latest) ${threshold}: ${met ? 'met' : 'not met'}`);
}

/** A sign-off counts when given by that role for this stage (the caller passes only the stage's sign-offs). */
function signoff(c: ExitCriterion, _entries: readonly ProgressEntry[], ctx: CriteriaContext): CriterionResult {
  const by = c.by ?? 'clinician';
  const found = ctx.signoffs.filter((s) => s.by === by).sort((a, b) => (a.date < b.date ? 1 : -1))[0];
  const who = found?.name ? ` by ${signer(found)}` : '';
  const detail = found ? `${by} sign-off${who} on ${found.date}: met` : `no ${by} sign-off for this stage yet (program advance --sign-off ${by}): not met`;
  return { criterion: c, met: found !== undefined, evidence: [], detail };
}

/** Which side a criterion reads: 'affected' → the context's side; unsided measures ignore side. */
function resolveSide(c: ExitCriterion, ctx: CriteriaContext): { side?: 'left' | 'right'; label: string; unknown?: true } {
  if (!MEASURES[c.measure].sided || c.side === undefined) return { label: '' };
  if (c.side === 'affected') {
    if (ctx.affectedSide === 'both') return { label: ' (both sides)' };
    return ctx.affectedSide ? { side: ctx.affectedSide, label: ` (affected, ${ctx.affectedSide})` } : { label: ' (affected side)', unknown: true };
  }
  return { side: c.side, label: ` (${c.side})` };
}

function readValues(e: ProgressEntry, code: MeasureCode, side: 'left' | 'right' | undefined): number[] {
  switch (code) {
    case 'pain_during':
      return e.painDuring === undefined ? [] : [e.painDuring];
    case 'pain_after':
      return e.painAfter === undefined ? [] : [e.painAfter];
    case 'next_morning_pain':
      return e.nextDayPain === undefined ? [] : [e.nextDayPain];
    default: {
      const sided = MEASURES[code].sided;
      return e.measures.filter((m) => m.code === code && (!sided || side === undefined || m.side === side)).map((m) => m.value);
    }
  }
}

function compare(v: number, op: Op, target: number): boolean {
  switch (op) {
    case '>=':
      return v >= target;
    case '<=':
      return v <= target;
    case '>':
      return v > target;
    case '<':
      return v < target;
    case '==':
      return v === target;
  }
}

function show(code: MeasureCode, r: Reading): string {
  return r.values.map((v) => formatValue(code, v)).join('/');
}

/** A value with its unit the way a trainer writes it: 105°, 3/10, 12 stands, effusion 1+. */
export function formatValue(code: MeasureCode, v: number): string {
  if (code === 'effusion_grade') return effusionLabel(v);
  const unit: string = MEASURES[code].unit;
  if (unit === '') return String(v);
  return /^[°/%]/.test(unit) ? `${v}${unit}` : `${v} ${unit}`;
}
