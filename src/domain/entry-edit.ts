/**
 * Correcting an entry (`progress amend`): the stored entry back as the input a
 * `--from` file holds, the trainer's changes laid over it, and what changed,
 * field by field. The merged input is checked by the same schema as a new
 * entry (progress-input.ts), so an amendment can store nothing a new entry
 * could not.
 */
import { EFFUSION_LABELS } from './progress-rules.js';
import { SCORE_CODES, type ExerciseDone, type ProgressEntry, type RecordedMeasure } from './progress-types.js';

/** What can be cleared, by the flag that sets it (`--clear pain-during`). */
export const CLEARABLE = {
  duration: ['durationMin'],
  'pain-before': ['painBefore'],
  'pain-during': ['painDuring'],
  'pain-after': ['painAfter'],
  'next-day-pain': ['nextDayPain'],
  rpe: ['rpe', 'rpeScale'],
  bp: ['bp', 'bpRecheck'],
  'bp-recheck': ['bpRecheck'],
  hr: ['restingHr'],
  glucose: ['glucose', 'glucoseRecheck', 'ketones', 'weakOrTired'],
  'glucose-recheck': ['glucoseRecheck'],
  ketones: ['ketones'],
  weak: ['weakOrTired'],
  'severe-hypo-24h': ['severeHypoLast24h'],
  unwell: ['unwell'],
  soreness: ['soreness'],
  symptom: ['symptoms'],
  measure: [],
  score: [],
  did: ['exercises'],
  note: ['notes'],
} as const satisfies Record<string, readonly string[]>;
export type Clearable = keyof typeof CLEARABLE;

/** A change asked for: fields as the input holds them, and what to clear (a flag's name, or measure:CODE[.side]). */
export interface EntryEdit {
  set: Record<string, unknown>;
  clear: readonly string[];
}

/** Whether a stored entry is a session held by its decision (kept as not trained), rather than one that did not take place. */
export function wasHeld(entry: ProgressEntry, decision: unknown): boolean {
  return !entry.attended && (decision as { today?: string } | null)?.today === 'hold' && (entry.missedReason ?? '').startsWith('held:');
}

/**
 * The stored entry as input. A held session goes back to attended, without
 * its exercises: the hold was its decision's, and it is decided again. The
 * pre-session answers of an entry stored before schema 9 (weak or tired, a
 * severe hypo, unwell) are read back from the checks they raised (FACTS §3).
 */
export function entryAsInput(e: ProgressEntry, decision: unknown): Record<string, unknown> {
  const held = wasHeld(e, decision);
  const checks = ((decision as { checks?: { code?: string; text?: string }[] } | null)?.checks ?? []);
  const raised = (code: string, words?: string) => checks.some((c) => c.code === code && (words === undefined || (c.text ?? '').includes(words)));
  const vitals = { ...e.vitals };
  vitals.unwell ??= raised('unwell') || undefined;
  vitals.severeHypoLast24h ??= raised('glucose_severe_hypo_24h') || undefined;
  vitals.weakOrTired ??= raised('glucose_high', 'with weakness or tiredness') || undefined;
  e = { ...e, vitals };
  const raw: Record<string, unknown> = { date: e.date, attended: held ? true : e.attended };
  if (!held && e.missedReason !== undefined) raw.missedReason = e.missedReason;
  const set = (k: string, v: unknown) => {
    if (v !== undefined) raw[k] = v;
  };
  set('durationMin', e.durationMin);
  set('painBefore', e.painBefore);
  set('painDuring', e.painDuring);
  set('painAfter', e.painAfter);
  set('nextDayPain', e.nextDayPain);
  if (e.rpe) {
    raw.rpe = e.rpe.value;
    raw.rpeScale = e.rpe.scale;
  }
  set('bp', e.vitals.bp && { ...e.vitals.bp });
  set('bpRecheck', e.vitals.bpRecheck && { ...e.vitals.bpRecheck });
  set('glucoseRecheck', e.vitals.glucoseRecheck && { ...e.vitals.glucoseRecheck });
  set('restingHr', e.vitals.restingHr);
  set('glucose', e.vitals.glucose && { ...e.vitals.glucose });
  set('ketones', e.vitals.ketones);
  set('weakOrTired', e.vitals.weakOrTired);
  set('severeHypoLast24h', e.vitals.severeHypoLast24h);
  set('unwell', e.vitals.unwell);
  set('soreness', e.soreness);
  // Effusion is given by the grade's name (the schema refuses the stored number; FACTS §4).
  raw.measures = e.measures.map((m) => ({ code: m.code, ...(m.side ? { side: m.side } : {}), value: m.code === 'effusion_grade' ? EFFUSION_LABELS[m.value] : m.value }));
  raw.symptoms = [...e.symptoms];
  if (!held && e.exercises.length > 0) raw.exercises = e.exercises.map((x) => ({ ...x }));
  set('notes', e.notes);
  return raw;
}

const measureKey = (m: { code?: unknown; side?: unknown }) => `${String(m.code)}${m.side ? `.${String(m.side)}` : ''}`;

/**
 * Lay `edit` over `base`: a field given replaces the stored one; a measure or
 * score replaces the one with its code and side (others stay); an exercise
 * replaces the one with its id; symptoms given replace the list. Marking a
 * session missed (`missedReason`) or attended (`attended: true`) switches it.
 * Unknown names in `clear` are refused by the caller (command flags).
 */
export function applyEdit(base: Record<string, unknown>, edit: EntryEdit): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  for (const name of edit.clear) {
    if (name === 'measure' || name === 'score') {
      const scores = name === 'score';
      out.measures = (out.measures as RecordedMeasure[]).filter((m) => SCORE_CODES.includes(m.code) !== scores);
    } else if (name.startsWith('measure:')) {
      const key = name.slice('measure:'.length);
      out.measures = (out.measures as RecordedMeasure[]).filter((m) => measureKey(m) !== key);
    } else {
      for (const k of CLEARABLE[name as Clearable] ?? []) delete out[k];
    }
  }
  for (const [k, v] of Object.entries(edit.set)) {
    if (k === 'measures') {
      const given = v as { code: string; side?: string }[];
      const replaced = new Set(given.map(measureKey));
      out.measures = [...(out.measures as RecordedMeasure[]).filter((m) => !replaced.has(measureKey(m))), ...given];
    } else if (k === 'exercises') {
      const given = v as ExerciseDone[];
      const ids = new Set(given.map((x) => x.exerciseId));
      const kept = ((out.exercises as ExerciseDone[] | undefined) ?? []).filter((x) => !ids.has(x.exerciseId));
      out.exercises = [...kept, ...given];
    } else {
      out[k] = v;
    }
  }
  if (edit.set.missedReason !== undefined) {
    // A session that did not take place has no pain, effort, duration, measures or exercises
    // (progress-input.ts): marking it missed takes them off, each shown and kept as an earlier value.
    out.attended = false;
    for (const k of ['painBefore', 'painDuring', 'painAfter', 'nextDayPain', 'rpe', 'rpeScale', 'durationMin', 'exercises']) delete out[k];
    out.measures = [];
  }
  if (edit.set.attended === true) delete out.missedReason;
  return out;
}

/** One changed field: its name (as ProgressEntry spells it), before and after. */
export interface FieldChange {
  field: string;
  old: unknown;
  now: unknown;
}

/** The fields an amendment compares and records. */
const FIELDS = ['date', 'attended', 'missedReason', 'durationMin', 'painBefore', 'painDuring', 'painAfter', 'nextDayPain', 'rpe', 'vitals', 'soreness', 'measures', 'symptoms', 'exercises', 'notes', 'stage', 'programId'] as const;

type Comparable = ProgressEntry & { programId?: number | null };

/** JSON with every object's keys in order: the same reading written in another key order is the same. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (v !== null && typeof v === 'object') {
    return `{${Object.keys(v)
      .filter((k) => (v as Record<string, unknown>)[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v ?? null);
}

const same = (a: unknown, b: unknown): boolean => canonical(a) === canonical(b);

/** What differs between the entry as stored and as it is now, field by field (vitals by reading). */
export function changedFields(old: Comparable, now: Comparable): FieldChange[] {
  const out: FieldChange[] = [];
  for (const f of FIELDS) {
    if (f === 'vitals') {
      for (const k of new Set([...Object.keys(old.vitals), ...Object.keys(now.vitals)]) as Set<keyof ProgressEntry['vitals']>) {
        if (!same(old.vitals[k], now.vitals[k])) out.push({ field: `vitals.${k}`, old: old.vitals[k] ?? null, now: now.vitals[k] ?? null });
      }
      continue;
    }
    if (!same(old[f], now[f])) out.push({ field: f, old: old[f] ?? null, now: now[f] ?? null });
  }
  return out;
}

const LABELS: Record<string, string> = {
  date: 'date',
  attended: 'attended',
  missedReason: 'missed because',
  durationMin: 'duration (min)',
  painBefore: 'pain before',
  painDuring: 'pain during',
  painAfter: 'pain after',
  nextDayPain: 'next-morning pain',
  rpe: 'effort (RPE)',
  'vitals.bp': 'blood pressure',
  'vitals.bpRecheck': 'blood pressure, second reading',
  'vitals.glucoseRecheck': 'glucose, re-checked',
  'vitals.restingHr': 'resting heart rate',
  'vitals.glucose': 'glucose',
  'vitals.ketones': 'ketones',
  'vitals.weakOrTired': 'weak or tired',
  'vitals.severeHypoLast24h': 'severe hypo in the last 24 h',
  'vitals.unwell': 'unwell',
  soreness: 'soreness',
  measures: 'measures',
  symptoms: 'symptoms',
  exercises: 'exercises done',
  notes: 'note',
  stage: 'stage',
  programId: 'program',
};

/** A changed field's name as a person reads it. */
export function fieldLabel(field: string): string {
  return LABELS[field] ?? field;
}

/** A field's value as a person reads it ("-" for none): 150/95, 5.4 mmol/L, 5/10, knee_flexion.left=105, squat=3x10@20kg. */
export function describeValue(field: string, value: unknown): string {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return '-';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (field === 'vitals.bp' || field === 'vitals.bpRecheck') {
    const v = value as { systolic: number; diastolic: number };
    return `${v.systolic}/${v.diastolic}`;
  }
  if (field === 'vitals.glucose' || field === 'vitals.glucoseRecheck') {
    const v = value as { value: number; unit: string };
    return `${v.value} ${v.unit}`;
  }
  if (field === 'rpe') {
    const v = value as { value: number; scale: string };
    return `${v.value}/${v.scale === 'borg' ? 20 : 10}`;
  }
  if (field === 'measures') {
    return (value as RecordedMeasure[]).map((m) => `${m.code}${m.side ? `.${m.side}` : ''}=${m.code === 'effusion_grade' ? (EFFUSION_LABELS[m.value] ?? m.value) : m.value}`).join(' ');
  }
  if (field === 'exercises') {
    return (value as ExerciseDone[])
      // A dose without reps or time is the plan's (sets only): "done", as --did writes it.
      .map((x) => `${x.exerciseId}=${!x.completed ? 'skipped' : x.seconds !== undefined ? `${Math.round(x.seconds / 60)}min` : x.reps === undefined ? 'done' : `${x.sets ?? 1}x${x.reps}${x.loadKg !== undefined ? `@${x.loadKg}kg` : ''}`}`)
      .join(' ');
  }
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
