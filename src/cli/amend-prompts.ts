/**
 * `progress amend` at a terminal with no field flags: pick a field (each shown
 * with its current value), type the new value in the flag's own syntax with
 * the current one filled in (blank removes it), and repeat; then confirm. The
 * answers become the same flags a script would pass, checked the same way.
 */
import { describeValue, fieldLabel } from '../domain/entry-edit.js';
import { parseDecimal, parseDidFlag, parseMeasureFlag } from '../domain/progress-input.js';
import { SORENESS } from '../domain/progress-types.js';
import { SYMPTOMS, SYMPTOM_CODES, type SymptomCode } from '../domain/symptoms.js';
import { parseBloodPressure, parseGlucose, type GlucoseUnit } from '../domain/vitals.js';
import type { StoredEntry } from '../app/progress.js';
import { CancelledError, UsageError } from '../app/errors.js';
import type { Cli } from './cli.js';
import { blankOr } from './prompts.js';

/** The answers as flags: the option names progress amend's flags have, and what to clear. */
export interface AmendAnswers {
  flags: Record<string, string | string[] | boolean>;
  clear: string[];
}

type Field = { key: string; flag: string; clear: string; current: (e: StoredEntry) => string; kind: 'number' | 'text' | 'list' };

const n = (v: number | undefined) => (v === undefined ? '' : String(v));

/** Each field the prompts offer: the commander option name, the --clear name, the current value as flag text. */
const FIELDS: Field[] = [
  { key: 'date', flag: 'date', clear: '', current: (e) => e.date, kind: 'text' },
  { key: 'painBefore', flag: 'painBefore', clear: 'pain-before', current: (e) => n(e.painBefore), kind: 'number' },
  { key: 'painDuring', flag: 'painDuring', clear: 'pain-during', current: (e) => n(e.painDuring), kind: 'number' },
  { key: 'painAfter', flag: 'painAfter', clear: 'pain-after', current: (e) => n(e.painAfter), kind: 'number' },
  { key: 'nextDayPain', flag: 'nextDayPain', clear: 'next-day-pain', current: (e) => n(e.nextDayPain), kind: 'number' },
  { key: 'rpe', flag: 'rpe', clear: 'rpe', current: (e) => n(e.rpe?.value), kind: 'number' },
  { key: 'durationMin', flag: 'duration', clear: 'duration', current: (e) => n(e.durationMin), kind: 'number' },
  { key: 'vitals.bp', flag: 'bp', clear: 'bp', current: (e) => (e.vitals.bp ? `${e.vitals.bp.systolic}/${e.vitals.bp.diastolic}` : ''), kind: 'text' },
  { key: 'vitals.restingHr', flag: 'hr', clear: 'hr', current: (e) => n(e.vitals.restingHr), kind: 'number' },
  { key: 'vitals.glucose', flag: 'glucose', clear: 'glucose', current: (e) => (e.vitals.glucose ? `${e.vitals.glucose.value}${e.vitals.glucose.unit}` : ''), kind: 'text' },
  { key: 'measures', flag: 'measure', clear: 'measure', current: (e) => (e.measures.length ? describeValue('measures', e.measures) : ''), kind: 'list' },
  { key: 'exercises', flag: 'did', clear: 'did', current: (e) => (e.exercises.length ? describeValue('exercises', e.exercises) : ''), kind: 'list' },
  { key: 'notes', flag: 'note', clear: 'note', current: (e) => e.notes ?? '', kind: 'text' },
];

/** A field's answer checked as its flag is (the command checks it again, with the entry). */
function check(field: Field, text: string, unchanged: string, glucoseUnit?: GlucoseUnit): string | undefined {
  const t = text.trim();
  if (t === unchanged) return undefined;
  if (t === '') return field.key === 'date' ? 'a session has a day' : undefined;
  if (field.kind === 'number') return parseDecimal(t) === undefined ? 'a plain decimal number' : undefined;
  const parse: Record<string, (x: string) => unknown> = {
    'vitals.bp': parseBloodPressure,
    'vitals.glucose': (x) => parseGlucose(x, 'glucose', glucoseUnit),
    measures: (x) => x.split(/\s+/).forEach((m) => parseMeasureFlag(m, SCORE_LIKE.test(m) ? '--score' : '--measure')),
    exercises: (x) => x.split(/\s+/).forEach(parseDidFlag),
  };
  return parse[field.key] ? blankOr(parse[field.key]!)(t) : undefined;
}

/** A measure without a side that is an outcome score ("lefs=42"): read as --score. */
const SCORE_LIKE = /^(nprs|lefs|odi|psfs|quickdash|tug_seconds|chair_stand_30s|six_minute_walk_m)=/;

export async function askAmendment(cli: Cli, entry: StoredEntry, glucoseUnit?: GlucoseUnit): Promise<AmendAnswers> {
  const ask = cli.prompt;
  const answers: AmendAnswers = { flags: {}, clear: [] };
  const shown = new Map<string, string>();
  cli.io.out(cli.io.c.bold(`Entry ${entry.id} (${entry.date})`) + cli.io.c.dim(entry.attended ? '' : ` — not trained: ${entry.missedReason ?? ''}`));
  let last = 'done';
  for (;;) {
    const choices = [
      { value: 'done', name: shown.size ? 'done: review and save' : 'done: nothing to change' },
      ...FIELDS.map((f) => ({ value: f.key, name: `${fieldLabel(f.key)}: ${shown.get(f.key) ?? (f.current(entry) || '-')}` })),
      { value: 'soreness', name: `${fieldLabel('soreness')}: ${shown.get('soreness') ?? entry.soreness ?? '-'}` },
      { value: 'symptoms', name: `${fieldLabel('symptoms')}: ${shown.get('symptoms') ?? (entry.symptoms.join(', ') || '-')}` },
      { value: 'attended', name: `${fieldLabel('attended')}: ${shown.get('attended') ?? (entry.attended ? 'yes' : `no (${entry.missedReason ?? ''})`)}` },
    ];
    // The field last changed stays under the cursor; "done" is first.
    const key = await ask.select('Which field? ("done" to finish)', choices, last);
    if (key === 'done') break;
    last = key;
    if (key === 'soreness') {
      const v = await ask.select('Soreness', [{ value: '', name: 'none recorded' }, ...SORENESS.map((s) => ({ value: s, name: s }))], entry.soreness ?? '');
      if (v) answers.flags.soreness = v;
      else answers.clear.push('soreness');
      shown.set(key, v || '-');
      continue;
    }
    if (key === 'symptoms') {
      const v = await ask.checkbox<SymptomCode>('Symptoms (space to tick, Enter when done)', SYMPTOM_CODES.map((s) => ({ value: s, name: SYMPTOMS[s].label, checked: entry.symptoms.includes(s) })));
      answers.clear.push('symptom');
      if (v.length) answers.flags.symptom = v;
      shown.set(key, v.join(', ') || '-');
      continue;
    }
    if (key === 'attended') {
      if (await ask.confirm('Did the session take place?', entry.attended)) {
        delete answers.flags.missed;
        if (entry.attended) shown.delete(key); // as stored: nothing to change
        else {
          answers.flags.attended = true;
          shown.set(key, 'yes');
        }
      } else {
        const why = await ask.text({ message: 'Why was it missed?', validate: (v) => (v.trim() ? undefined : 'a reason, please') });
        answers.flags.missed = why.trim();
        delete answers.flags.attended;
        shown.set(key, `no (${why.trim()})`);
      }
      continue;
    }
    const field = FIELDS.find((f) => f.key === key)!;
    const before = shown.get(key) ?? field.current(entry);
    const text = (await ask.text({ message: `${fieldLabel(field.key)}${field.kind === 'list' ? ' (space between; blank removes all)' : ' (blank removes it)'}`, default: before, validate: (v) => check(field, v, before, glucoseUnit) })).trim();
    if (text === before) continue; // Enter on the value shown: nothing changes
    shown.set(key, text || '-');
    if (field.kind === 'list') {
      // The whole list as typed: the stored one is cleared first (scores with the measures).
      answers.clear.push(field.clear, ...(key === 'measures' ? ['score'] : []));
      const items = text ? text.split(/\s+/) : [];
      if (key === 'measures') {
        answers.flags.measure = items.filter((m) => !SCORE_LIKE.test(m));
        answers.flags.score = items.filter((m) => SCORE_LIKE.test(m));
      } else answers.flags.did = items;
      continue;
    }
    if (text === '') answers.clear.push(field.clear);
    else answers.flags[field.flag] = text;
  }
  if (shown.size === 0) throw new UsageError('nothing was changed');
  cli.io.out('');
  cli.io.fields([...shown].map(([k, v]) => [fieldLabel(k), v]));
  if (!(await ask.confirm('Save these changes?', true))) throw new CancelledError('not saved; nothing was changed');
  return answers;
}
