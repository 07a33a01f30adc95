/** The progress entry asked at a terminal: the same object a --from file holds. */
import { fullName, type Client } from '../domain/client.js';
import { MEASURE_RANGES, parseDecimal } from '../domain/progress-input.js';
import { closeMatches } from '../domain/text.js';
import { SORENESS, type RecordedMeasureCode } from '../domain/progress-types.js';
import { EFFUSION_LABELS } from '../domain/progress-rules.js';
import { SYMPTOMS, SYMPTOM_CODES, type SymptomCode } from '../domain/symptoms.js';
import { MEASURES } from '../domain/template-terms.js';
import { describeDue } from '../domain/outcome-schedule.js';
import { RANGES, glucoseMmol, parseBloodPressure, parseGlucose, withGlucoseUnit, type GlucoseUnit } from '../domain/vitals.js';
import { asksAboutKetones } from '../domain/vitals-rules.js';
import type { SessionPlan } from '../app/progress.js';
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

export async function askEntry(cli: Cli, client: Client, plan: SessionPlan, glucoseUnit?: GlucoseUnit): Promise<Record<string, unknown>> {
  const ask = cli.prompt;
  const program = plan.program;
  const affectedSide = plan.side === 'both' ? undefined : plan.side;
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
  const bp = await text('Resting blood pressure before the session (e.g. 128/82)', parseBloodPressure);
  set('bp', bp);
  if (bp) {
    // At or above the re-check level, measure again after rest: the session is decided on the second reading (FACTS §3).
    const first = parseBloodPressure(bp);
    if (first.systolic >= plan.bpRecheck.systolic || first.diastolic >= plan.bpRecheck.diastolic) {
      set('bpRecheck', await text(`${bp} reaches ${plan.bpRecheck.systolic}/${plan.bpRecheck.diastolic}: rest 5 minutes and measure again`, parseBloodPressure));
    }
  }
  set('restingHr', await number('Resting heart rate (bpm)', 25, 220, true));
  // A number alone is read in the units.glucose setting's unit; without one the unit must be typed (FACTS §3: 18× apart).
  const readGlucose = (t: string) => parseGlucose(t, 'glucose', glucoseUnit);
  const glucose = await text(glucoseUnit ? `Blood glucose (${glucoseUnit} unless you type the unit)` : 'Blood glucose with its unit (e.g. 6.2 mmol/L)', readGlucose);
  set('glucose', withGlucoseUnit(glucose, glucoseUnit));
  // Below 4.0 mmol/L: 15 g of fast carbohydrate, re-check after 15 minutes; decided on the second reading (Turner 2019; FACTS §3).
  if (glucose && glucoseMmol(readGlucose(glucose)) < 4.0) {
    set('glucoseRecheck', withGlucoseUnit(await text(`${glucose} is below 4.0 mmol/L: take 15 g of fast carbohydrate, wait 15 minutes, and measure again`, readGlucose), glucoseUnit));
  }
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
  // Insulin or a sulfonylurea (or type 1): a severe hypo in the last 24 hours means no session today (FACTS §3).
  if (plan.hypoRisk && (await ask.confirm('A severe hypo (one that needed help) in the last 24 hours?', false))) raw.severeHypoLast24h = true;
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
  const done = await askExercises(cli, plan);
  if (done) raw.exercises = done;

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
  // The template's outcome scores that are due (a baseline, then every N weeks): offered, never required.
  for (const o of plan.outcomes) {
    if (!o.due || codes.includes(o.measure)) continue;
    const r = MEASURE_RANGES[o.measure];
    const value = await number(`${describeDue(o)} is due: score ${r.min}–${r.max}, Enter if not taken today`, r.min, r.max);
    if (value !== undefined) measures.push({ code: o.measure, value });
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

/** A dose as a trainer reads it: "3×12 @ 20 kg", "2×30 s", "20 min". */
function doseText(x: { sets?: number; reps?: number; seconds?: number; loadKg?: number }): string {
  if (x.seconds !== undefined && x.reps === undefined) {
    const time = x.seconds < 120 ? `${x.seconds} s` : `${Math.round(x.seconds / 60)} min`;
    return x.sets && x.sets > 1 ? `${x.sets}×${time}` : time;
  }
  return `${x.sets ?? 1}×${x.reps ?? '?'}${x.loadKg !== undefined ? ` @ ${x.loadKg} kg` : ''}`;
}

/**
 * The day's planned exercises, one at a time: done as planned (Enter),
 * changed (sets, reps, load; the defaults are what the client did last time,
 * else the plan, and the load the stage's rule suggests), swapped for another library exercise (with the reason), or
 * skipped (with the reason). Undefined when every one was done as planned (the
 * entry then records the plan, as without prompts).
 */
async function askExercises(cli: Cli, plan: SessionPlan): Promise<Record<string, unknown>[] | undefined> {
  const stage = plan.program?.program.stages[plan.program.currentStage - 1];
  if (!stage || stage.exercises.length === 0) return undefined;
  const ask = cli.prompt;
  const whole = (min: number, max: number) => (v: string) => (/^\d+$/.test(v.trim()) && Number(v) >= min && Number(v) <= max ? undefined : `a whole number ${min}–${max}`);
  const kg = (v: string) => (v.trim() === '' || (parseDecimal(v) !== undefined && parseDecimal(v)! >= 0 && parseDecimal(v)! <= 500) ? undefined : 'kg, 0–500 (blank: no load)');
  const out: Record<string, unknown>[] = [];
  let changed = false;
  // A load changed by the stage's rule is said before "as planned" takes it.
  for (const x of stage.exercises) {
    const next = plan.nextLoads.get(x.exerciseId);
    if (next && next.suggestedKg !== null && next.change !== 'same') cli.io.out(`Load today: ${x.name} ${next.suggestedKg} kg (${next.reason})`);
  }
  // The usual day first: one key when everything went to plan.
  const all = await ask.confirm(`All ${stage.exercises.length} exercises of stage ${plan.program!.currentStage} done as planned?`, true);
  for (const x of stage.exercises) {
    // The plan as the entry records it: a time per set for held or timed work.
    const planned = { sets: x.dose.sets, ...(x.dose.reps !== undefined ? { reps: x.dose.reps } : {}), ...(x.dose.minutes !== undefined ? { seconds: x.dose.minutes * 60 } : x.dose.seconds !== undefined ? { seconds: x.dose.seconds } : {}) };
    const last = plan.lastDone.get(x.exerciseId);
    // The load today: what the stage's load rule suggests (domain/load-progression.ts), else last time's.
    const next = plan.nextLoads.get(x.exerciseId);
    const loadKg = next?.suggestedKg ?? last?.done.loadKg;
    const lastText = (last ? `; last time ${doseText(last.done)} (${last.date})` : '') + (next?.suggestedKg != null ? `; today ${next.suggestedKg} kg (${next.reason})` : '');
    if (all) {
      out.push({ exerciseId: x.exerciseId, ...planned, ...(loadKg !== undefined ? { loadKg } : {}), completed: true });
      continue;
    }
    const how = await ask.select(
      `${x.name}${x.side ? ` (${x.side} leg only)` : ''}: planned ${doseText(planned)}${lastText}`,
      [
        { value: 'done', name: 'done as planned' },
        { value: 'changed', name: 'done, changed (sets, reps, load)' },
        { value: 'swapped', name: 'swapped for another exercise' },
        { value: 'skipped', name: 'skipped' },
      ],
      'done',
    );
    if (how === 'done') {
      out.push({ exerciseId: x.exerciseId, ...planned, ...(loadKg !== undefined ? { loadKg } : {}), completed: true });
      continue;
    }
    changed = true;
    if (how === 'skipped') {
      const reason = (await ask.text({ message: `Why was ${x.name} skipped? (blank to skip)` })).trim();
      out.push({ exerciseId: x.exerciseId, completed: false, ...(reason ? { reason } : {}) });
      continue;
    }
    let exerciseId = x.exerciseId;
    let reason = '';
    if (how === 'swapped') {
      const library = (await (await import('./templates.js')).loadForUse(cli)).exercises;
      exerciseId = (
        await ask.text({
          message: `Done instead of ${x.name} (an exercise id, see "bridgefit template list --kind exercise")`,
          validate: (v) => {
            const id = v.trim();
            if (library.has(id)) return id === x.exerciseId ? 'that is the planned exercise' : undefined;
            const near = closeMatches(id, library.keys());
            return `no exercise "${id}" in the library${near.length ? `; did you mean ${near.join(', ')}?` : ''}`;
          },
        })
      ).trim();
      reason = (await ask.text({ message: 'Why the swap? (blank to skip)' })).trim();
    }
    // Defaults: what the client did last time, else the plan.
    const base: { sets?: number; reps?: number; seconds?: number; loadKg?: number } = (how === 'changed' ? last?.done : undefined) ?? planned;
    if (x.dose.minutes !== undefined && how === 'changed') {
      const minutes = await ask.text({ message: 'Minutes', default: String(Math.round((base.seconds ?? x.dose.minutes * 60) / 60)), validate: whole(1, 120) });
      out.push({ exerciseId, sets: 1, seconds: Number(minutes) * 60, completed: true });
      continue;
    }
    const sets = Number(await ask.text({ message: 'Sets', default: String(base.sets ?? x.dose.sets), validate: whole(0, 20) }));
    const reps = Number(await ask.text({ message: 'Reps', default: String(base.reps ?? x.dose.reps ?? 10), validate: whole(0, 200) }));
    // The suggested load for the planned exercise; a swapped-in one starts from what was done last time.
    const defaultKg = how === 'changed' && next?.suggestedKg != null ? next.suggestedKg : base.loadKg;
    const load = (await ask.text({ message: 'Load, kg (blank: no external load)', default: defaultKg !== undefined ? String(defaultKg) : '', validate: kg })).trim();
    out.push({ exerciseId, sets, reps, ...(load ? { loadKg: parseDecimal(load) } : {}), completed: true, ...(how === 'swapped' ? { swappedFrom: x.exerciseId } : {}), ...(reason ? { reason } : {}) });
  }
  // All as planned and no load carried from last time: the plan, as without prompts.
  return changed || out.some((x) => x.loadKg !== undefined) ? out : undefined;
}
