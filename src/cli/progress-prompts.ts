/** The progress entry asked at a terminal: the same object a --from file holds. */
import { fullName, type Client } from '../domain/client.js';
import { MEASURE_RANGES, parseDecimal } from '../domain/progress-input.js';
import { SORENESS, type RecordedMeasureCode } from '../domain/progress-types.js';
import { EFFUSION_LABELS } from '../domain/progress-rules.js';
import { SYMPTOMS, SYMPTOM_CODES, type SymptomCode } from '../domain/symptoms.js';
import { MEASURES } from '../domain/template-terms.js';
import { RANGES, parseBloodPressure, parseGlucose, withGlucoseUnit, type GlucoseUnit } from '../domain/vitals.js';
import { asksAboutKetones } from '../domain/vitals-rules.js';
import type { StoredProgram } from '../app/programs.js';
import type { Cli } from './cli.js';
import { blankOr } from './prompts.js';
import { CancelledError } from '../app/errors.js';

const SORENESS_TEXT: Record<(typeof SORENESS)[number], string> = {
  none: 'no soreness',
  warmup_gone: 'sore in the warm-up, gone by its end',
  warmup_continuing: 'sore in the warm-up and it continued',
  returned_during: 'gone in the warm-up, came back during the session',
  after_next_day: 'sore more than an hour after, or the next day',
};

export async function askEntry(cli: Cli, client: Client, program: StoredProgram | undefined, affectedSide?: 'left' | 'right', glucoseUnit?: GlucoseUnit): Promise<Record<string, unknown>> {
  const ask = cli.prompt;
  const raw: Record<string, unknown> = {};
  const number = async (message: string, min: number, max: number, integer = false): Promise<number | undefined> => {
    const t = await ask.text({
      message: `${message} (blank to skip)`,
      validate: (v) => {
        if (v.trim() === '') return undefined;
        const n = parseDecimal(v);
        return n !== undefined && n >= min && n <= max && (!integer || Number.isInteger(n)) ? undefined : `${integer ? 'a whole number' : 'a number'} ${min}–${max}`;
      },
    });
    return t.trim() === '' ? undefined : parseDecimal(t);
  };
  const text = async (message: string, parse: (t: string) => unknown) => (await ask.text({ message: `${message} (blank to skip)`, validate: blankOr(parse) })).trim();

  cli.io.out(cli.io.c.bold(`Session for ${fullName(client)}`) + (program ? cli.io.c.dim(` — stage ${program.currentStage}: ${program.program.stages[program.currentStage - 1]?.name ?? ''}`) : ''));
  if (!(await ask.confirm('Did the session take place?', true))) {
    raw.attended = false;
    raw.missedReason = await ask.text({ message: 'Why was it missed?', validate: (v) => (v.trim() ? undefined : 'a reason, please') });
    return raw;
  }
  const set = (k: string, v: unknown) => {
    if (v !== undefined && v !== '') raw[k] = v;
  };
  set('bp', await text('Resting blood pressure before the session (e.g. 128/82)', parseBloodPressure));
  set('restingHr', await number('Resting heart rate (bpm)', 25, 220, true));
  // A number alone is read in the units.glucose setting's unit; without one the unit must be typed (FACTS §3: 18× apart).
  const readGlucose = (t: string) => parseGlucose(t, 'glucose', glucoseUnit);
  const glucose = await text(glucoseUnit ? `Blood glucose (${glucoseUnit} unless you type the unit)` : 'Blood glucose with its unit (e.g. 6.2 mmol/L)', readGlucose);
  set('glucose', withGlucoseUnit(glucose, glucoseUnit));
  // The conditions are not known here: ketones are asked from 250 mg/dL, where type 1 diabetes needs them (FACTS §3, §10).
  if (glucose && asksAboutKetones(readGlucose(glucose), undefined)) {
    const ketones = await ask.select('Glucose is 250 mg/dL (13.9 mmol/L) or more: ketones?', [
      { value: 'unchecked', name: 'not checked' },
      { value: 'present', name: 'present' },
      { value: 'negative', name: 'negative' },
    ]);
    if (ketones !== 'unchecked') raw.ketones = ketones === 'present';
    if (await ask.confirm('Weak or unusually tired?', false)) raw.weakOrTired = true;
  }
  if (await ask.confirm('Does the client feel unwell today?', false)) raw.unwell = true;
  // SpO2 at rest where the COPD overlay applies (FACTS §10): below 88% holds and refers.
  let spo2: number | undefined;
  if (program?.program.overlays.some((o) => o.id === 'copd')) spo2 = await number('SpO2 at rest (%)', RANGES.spo2.min, RANGES.spo2.max, true);
  set('painBefore', await number('Pain before (0–10)', 0, 10, true));
  set('painDuring', await number('Pain during (0–10)', 0, 10, true));
  set('painAfter', await number('Pain after (0–10)', 0, 10, true));
  set('rpe', await number('Effort, RPE on the 0–10 scale', 0, 10));
  set('durationMin', await number('Duration (minutes)', 1, 600));
  const soreness = await ask.select('Soreness', [{ value: '', name: 'not asked' }, ...SORENESS.map((s) => ({ value: s, name: SORENESS_TEXT[s] }))]);
  set('soreness', soreness);

  // The measures this stage's exit criteria need.
  const stage = program?.program.stages[program.currentStage - 1];
  const codes = [...new Set((stage?.exitCriteria ?? []).map((c) => c.measure as string))].filter((m) => m in MEASURE_RANGES) as RecordedMeasureCode[];
  const measures: { code: string; side?: string; value: number | string }[] = spo2 !== undefined ? [{ code: 'spo2', value: spo2 }] : [];
  for (const code of codes) {
    const r = MEASURE_RANGES[code];
    const label = MEASURES[code as keyof typeof MEASURES]?.label ?? code;
    const unit = r.unit.startsWith('(') ? r.unit.slice(1, -1) : r.unit;
    const side = r.sided
      ? await ask.select(
          `${label}: which side?`,
          [
            { value: 'left', name: 'left' },
            { value: 'right', name: 'right' },
          ],
          affectedSide,
        )
      : undefined;
    if (code === 'effusion_grade') {
      // A choice of the grades by name (FACTS §4, Sturgill 2009): a typed number sits one step off them.
      const grade = await ask.select(`${label}${side ? `, ${side}` : ''}`, [{ value: '', name: 'not measured' }, ...EFFUSION_LABELS.map((g) => ({ value: g, name: g }))]);
      if (grade) measures.push({ code, ...(side ? { side } : {}), value: grade });
      continue;
    }
    const value = await number(`${label}${side ? `, ${side}` : ''} (${unit})`, r.min, r.max);
    if (value === undefined) continue;
    measures.push({ code, ...(side ? { side } : {}), value });
  }
  if (measures.length) raw.measures = measures;
  const symptoms = await ask.checkbox<SymptomCode>('Any of these today? (space to tick, Enter when done)', SYMPTOM_CODES.map((s) => ({ value: s, name: SYMPTOMS[s].label })));
  if (symptoms.length) raw.symptoms = symptoms;
  set('notes', (await ask.text({ message: 'Notes (blank to skip)' })).trim());
  return raw;
}

/** The entry as a person reads it, then a last look before saving (default yes; Ctrl-C writes nothing). */
export async function confirmEntry(cli: Cli, raw: Record<string, unknown>): Promise<void> {
  const pairs: [string, string][] = Object.entries(raw)
    .filter(([k]) => k !== 'measures' && k !== 'symptoms')
    .map(([k, v]) => [k, String(v)]);
  const measures = (raw.measures as { code: string; side?: string; value: number | string }[] | undefined) ?? [];
  if (measures.length) pairs.push(['measures', measures.map((m) => `${m.code}${m.side ? ` (${m.side})` : ''} ${m.value}`).join('; ')]);
  const symptoms = (raw.symptoms as string[] | undefined) ?? [];
  if (symptoms.length) pairs.push(['symptoms', symptoms.join(', ')]);
  cli.io.out('');
  cli.io.fields(pairs);
  if (!(await cli.prompt.confirm('Save this session?', true))) throw new CancelledError('not saved; nothing was written');
}
