/**
 * A progress entry as given: by flags, by a JSON file (`progress add --from`)
 * or by a CSV row (`progress import`). One schema checks them all, and every
 * value out of range is refused with its range.
 */
import * as z from 'zod';
import { dateProblem } from './dates.js';
import { ValidationError } from './errors.js';
import { LIST_MAX, repeats, formatPath, issueMessage, textOrStructured, type AnswerProblem } from './intake.js';
import { EFFUSION_LABELS } from './progress-rules.js';
import { SCORE_CODES, SORENESS, type ExerciseDone, type ProgressEntry, type RecordedMeasureCode } from './progress-types.js';
import { SYMPTOM_CODES, type SymptomCode } from './symptoms.js';
import { checkBloodPressure, checkGlucose, parseBloodPressure, parseGlucose, RANGES, withGlucoseUnit, type GlucoseUnit } from './vitals.js';
import { controlCharactersMessage, hasControlCharacters, parseDecimal } from './text.js';

export { parseDecimal };

/** Valid ranges of every measure a trainer records (FACTS §8 ranges where given). */
export const MEASURE_RANGES: Record<RecordedMeasureCode, { min: number; max: number; unit: string; sided: boolean }> = {
  knee_flexion: { min: 0, max: 170, unit: '°', sided: true },
  knee_extension: { min: -30, max: 90, unit: '° (deficit)', sided: true },
  hip_flexion: { min: 0, max: 150, unit: '°', sided: true },
  shoulder_flexion: { min: 0, max: 190, unit: '°', sided: true },
  shoulder_abduction: { min: 0, max: 190, unit: '°', sided: true },
  shoulder_external_rotation: { min: -30, max: 120, unit: '°', sided: true },
  ankle_dorsiflexion: { min: -30, max: 60, unit: '°', sided: true },
  // Stored as the index of EFFUSION_LABELS; typed and shown only as the grade's name (effusionGrade).
  effusion_grade: { min: 0, max: 4, unit: '(none, trace, 1+, 2+, 3+)', sided: true },
  chair_stand_30s: { min: 0, max: 60, unit: 'stands', sided: false },
  tug_seconds: { min: 1, max: 180, unit: 's', sided: false },
  six_minute_walk_m: { min: 0, max: 1200, unit: 'm', sided: false },
  single_leg_stance_s: { min: 0, max: 180, unit: 's', sided: true },
  lefs: { min: 0, max: 80, unit: 'points', sided: false },
  odi: { min: 0, max: 100, unit: '%', sided: false },
  psfs: { min: 0, max: 10, unit: 'points', sided: false },
  quickdash: { min: 0, max: 100, unit: 'points', sided: false },
  nprs: { min: 0, max: 10, unit: 'points', sided: false },
  quad_index: { min: 0, max: 200, unit: '% of the other side', sided: false },
  hop_symmetry: { min: 0, max: 200, unit: '% of the other side', sided: false },
  walking_minutes: { min: 0, max: 600, unit: 'min', sided: false },
  girth_cm: { min: 10, max: 150, unit: 'cm', sided: true },
  body_weight_kg: { min: 20, max: 400, unit: 'kg', sided: false },
  // At rest, before the session: below screening.spo2Hold holds and refers (vitals-rules.ts; FACTS §10).
  spo2: { min: RANGES.spo2.min, max: RANGES.spo2.max, unit: '% (SpO2 at rest)', sided: false },
};
export const MEASURE_CODES = Object.keys(MEASURE_RANGES) as RecordedMeasureCode[];
// Kept in progress-types (no zod) so the summary can use it without loading the validators.
export { SCORE_CODES };

export type EffusionLabel = (typeof EFFUSION_LABELS)[number];

/**
 * Knee effusion as a clinician grades it (stroke test: none, trace, 1+, 2+, 3+;
 * FACTS §4, Sturgill 2009) → the stored number, the index of EFFUSION_LABELS
 * (0 none … 4 = 3+). A bare number other than 0 is refused: the stored numbers
 * sit one step off the names, so a trainer who measured 2+ and typed 2 would
 * record 1+ and miss the 2+ hold and referral. Throws a ValidationError.
 */
export function effusionGrade(value: unknown, field = 'effusion_grade'): number {
  if (value === 0) return 0;
  if (typeof value === 'string') {
    const t = value.trim().toLowerCase();
    if (t === '0') return 0;
    const i = (EFFUSION_LABELS as readonly string[]).indexOf(t);
    if (i >= 0) return i;
  }
  const bare = typeof value === 'number' ? String(value) : typeof value === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(value) ? value.trim() : undefined;
  const could: Record<string, string> = { '1': 'trace or 1+', '2': '1+ or 2+', '3': '2+ or 3+' };
  const why = bare !== undefined ? `, not a number (a bare ${bare} could mean ${could[bare] ?? 'any grade'})` : `, got ${typeof value === 'string' ? JSON.stringify(value) : typeof value}`;
  throw new ValidationError(field, `${field}: give the grade as none, trace, 1+, 2+ or 3+${why}`);
}

/** A stored effusion number as the grade's name (0 → none … 4 → 3+). */
export function effusionLabelOf(stored: number): EffusionLabel | undefined {
  return EFFUSION_LABELS[stored];
}

const pain = z.number().int().min(0).max(10).describe('0–10');
const measure = z
  .strictObject({ code: z.enum(MEASURE_CODES as [RecordedMeasureCode, ...RecordedMeasureCode[]]), side: z.enum(['left', 'right']).optional(), value: z.union([z.number(), z.string()]) })
  .transform((m, ctx) => {
    const r = MEASURE_RANGES[m.code];
    let value: number | undefined;
    if (m.code === 'effusion_grade') {
      // By the grade's name only (FACTS §4, Sturgill 2009); stored as its number.
      try {
        value = effusionGrade(m.value);
      } catch (err) {
        if (!(err instanceof ValidationError)) throw err;
        ctx.addIssue({ code: 'custom', path: ['value'], message: err.message });
      }
    } else if (typeof m.value === 'string') {
      ctx.addIssue({ code: 'custom', path: ['value'], message: `expected number, got ${JSON.stringify(m.value.length > 40 ? `${m.value.slice(0, 40)}…` : m.value)}` });
    } else value = m.value;
    if (value !== undefined && (value < r.min || value > r.max)) ctx.addIssue({ code: 'custom', path: ['value'], message: `${m.code} must be ${r.min}–${r.max} ${r.unit}, got ${value}` });
    if (r.sided && !m.side) ctx.addIssue({ code: 'custom', path: ['side'], message: `${m.code} needs a side: left or right` });
    if (!r.sided && m.side) ctx.addIssue({ code: 'custom', path: ['side'], message: `${m.code} has no side` });
    if (value === undefined) return z.NEVER;
    return { code: m.code, ...(m.side ? { side: m.side } : {}), value };
  });

export const progressInputSchema = z
  .strictObject({
    date: z
      .string()
      .superRefine((d, ctx) => {
        const problem = dateProblem(d);
        // The form, or a day the calendar does not have (2026-02-30).
        if (problem) ctx.addIssue({ code: 'custom', message: problem.startsWith('expected') ? 'expected a date as YYYY-MM-DD' : problem });
      })
      .optional(),
    attended: z.boolean().default(true),
    missedReason: z.string().trim().min(1).max(500).refine((v) => !hasControlCharacters(v, 'line'), controlCharactersMessage('the reason', 'line')).optional(),
    durationMin: z.number().min(1).max(600).optional(),
    painBefore: pain.optional(),
    painDuring: pain.optional(),
    painAfter: pain.optional(),
    nextDayPain: pain.optional(),
    rpe: z.number().optional(),
    rpeScale: z.enum(['cr10', 'borg']).default('cr10').describe('cr10: 0–10; borg: 6–20'),
    bp: textOrStructured(parseBloodPressure, checkBloodPressure, z.strictObject({ systolic: z.number(), diastolic: z.number() })).optional(),
    bpRecheck: textOrStructured(parseBloodPressure, checkBloodPressure, z.strictObject({ systolic: z.number(), diastolic: z.number() })).optional().describe('a second resting reading, after 5 minutes of rest'),
    restingHr: z.number().int().min(RANGES.restingHr.min).max(RANGES.restingHr.max).optional(),
    glucose: textOrStructured(parseGlucose, checkGlucose, z.strictObject({ value: z.number(), unit: z.enum(['mmol/L', 'mg/dL']) })).optional(),
    glucoseRecheck: textOrStructured(parseGlucose, checkGlucose, z.strictObject({ value: z.number(), unit: z.enum(['mmol/L', 'mg/dL']) }))
      .optional()
      .describe('glucose re-checked, after 15 g of fast carbohydrate and 15 minutes'),
    ketones: z.boolean().optional(),
    weakOrTired: z.boolean().optional().describe('weak or unusually tired (with a high glucose)'),
    severeHypoLast24h: z.boolean().optional().describe('a severe hypo that needed help in the last 24 hours'),
    unwell: z.boolean().optional().describe('the client feels unwell today'),
    soreness: z.enum(SORENESS).optional(),
    measures: z.array(measure).max(LIST_MAX.measures).default([]),
    symptoms: z.array(z.enum(SYMPTOM_CODES as [SymptomCode, ...SymptomCode[]])).max(LIST_MAX.symptoms).default([]),
    exercises: z
      .array(
        z.strictObject({
          exerciseId: z.string().min(1),
          sets: z.number().int().min(0).max(20).optional(),
          reps: z.number().int().min(0).max(200).optional(),
          seconds: z.number().min(0).max(7200).optional(),
          loadKg: z.number().min(0).max(500).optional(),
          completed: z.boolean().default(true),
          swappedFrom: z.string().min(1).optional().describe('the planned exercise this one was done in place of'),
          reason: z.string().trim().min(1).max(200).refine((v) => !hasControlCharacters(v, 'line'), controlCharactersMessage('the reason', 'line')).optional().describe('why it was skipped, changed or swapped'),
        }),
      )
      .max(LIST_MAX.exercises)
      .optional(),
    notes: z.string().trim().max(4000).refine((v) => !hasControlCharacters(v, 'note'), controlCharactersMessage('the note', 'note')).optional(),
  })
  .superRefine(
    (e, ctx) => {
      // Runs even when a field failed (so a row's every problem is named at once): each value is checked for its type first.
      if (typeof e.rpe === 'number' && (e.rpeScale === 'cr10' || e.rpeScale === 'borg')) {
        const [min, max] = e.rpeScale === 'borg' ? [6, 20] : [0, 10];
        if (e.rpe < min || e.rpe > max) ctx.addIssue({ code: 'custom', path: ['rpe'], message: `RPE on the ${e.rpeScale === 'borg' ? 'Borg 6–20' : 'CR10 0–10'} scale must be ${min}–${max}, got ${e.rpe}` });
      }
      if (e.attended === false && !e.missedReason) ctx.addIssue({ code: 'custom', path: ['missedReason'], message: 'a missed session needs the reason' });
      if (e.attended === false) {
        const recorded = (['painBefore', 'painDuring', 'painAfter', 'nextDayPain', 'rpe', 'durationMin'] as const).filter((k) => e[k] !== undefined);
        if (recorded.length > 0 || (Array.isArray(e.measures) && e.measures.length > 0)) ctx.addIssue({ code: 'custom', path: [recorded[0] ?? 'measures'], message: 'a missed session has no pain, effort, duration or measures to record' });
      }
      if (e.ketones !== undefined && e.glucose === undefined) ctx.addIssue({ code: 'custom', path: ['ketones'], message: 'ketones go with a glucose reading' });
      // A second reading re-checks a first one.
      if (e.bpRecheck !== undefined && e.bp === undefined) ctx.addIssue({ code: 'custom', path: ['bpRecheck'], message: 'a second reading goes with the first (bp)' });
      if (e.glucoseRecheck !== undefined && e.glucose === undefined) ctx.addIssue({ code: 'custom', path: ['glucoseRecheck'], message: 'a re-checked glucose goes with the first reading (glucose)' });
      if (e.attended === true && e.missedReason) ctx.addIssue({ code: 'custom', path: ['missedReason'], message: 'only for a session that did not take place' });
      // The same measure (and side) or symptom twice in one session: which value holds is not known.
      const measureKey = (m: unknown) => {
        const r = (m ?? {}) as { code?: unknown; side?: unknown };
        return `${String(r.code)}${r.side ? `.${String(r.side)}` : ''}`;
      };
      if (Array.isArray(e.measures) && e.measures.length <= LIST_MAX.measures) {
        for (const r of repeats(e.measures, measureKey)) ctx.addIssue({ code: 'custom', path: ['measures', r.index], message: `${r.key} is recorded twice` });
      }
      if (Array.isArray(e.symptoms) && e.symptoms.length <= LIST_MAX.symptoms) {
        for (const r of repeats(e.symptoms)) ctx.addIssue({ code: 'custom', path: ['symptoms', r.index], message: `${r.key} is listed twice` });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null && !Array.isArray(payload.value) },
  );

export type ProgressInput = z.output<typeof progressInputSchema>;

export type ProgressCheck = { ok: true; entry: Omit<ProgressEntry, 'id' | 'clientId' | 'exercises'> & { exercises?: ProgressEntry['exercises'] } } | { ok: false; problems: AnswerProblem[] };

/**
 * Whether a checked entry records anything beyond its day: a missed session
 * (with its reason), pain, effort, duration, a vital sign, soreness, a measure,
 * a symptom, exercises or notes. An entry that records nothing would count as
 * an attended session with nothing to decide on, and towards adherence.
 */
export function recordsSomething(e: (ProgressCheck & { ok: true })['entry']): boolean {
  return (
    !e.attended ||
    e.missedReason !== undefined ||
    e.durationMin !== undefined ||
    e.painBefore !== undefined ||
    e.painDuring !== undefined ||
    e.painAfter !== undefined ||
    e.nextDayPain !== undefined ||
    e.rpe !== undefined ||
    Object.keys(e.vitals).length > 0 ||
    e.soreness !== undefined ||
    e.measures.length > 0 ||
    e.symptoms.length > 0 ||
    (e.exercises?.length ?? 0) > 0 ||
    (e.notes ?? '') !== ''
  );
}

/** Check an entry for a client born on `dateOfBirth`, on `today`: the date may not be in the future or before birth. */
export function checkProgressInput(input: unknown, ctx: { today: string; dateOfBirth: string; glucoseUnit?: GlucoseUnit | undefined }): ProgressCheck {
  // A glucose typed as a number alone is read in the units.glucose setting's unit (vitals.ts parseGlucose).
  if (ctx.glucoseUnit && typeof input === 'object' && input !== null && !Array.isArray(input) && 'glucose' in input) {
    input = { ...input, glucose: withGlucoseUnit((input as { glucose: unknown }).glucose, ctx.glucoseUnit) };
  }
  const r = progressInputSchema.safeParse(input, { reportInput: true });
  if (!r.success) return { ok: false, problems: r.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) })) };
  const e = r.data;
  const date = e.date ?? ctx.today;
  if (date > ctx.today) return { ok: false, problems: [{ path: 'date', message: `${date} is in the future` }] };
  if (date < ctx.dateOfBirth) return { ok: false, problems: [{ path: 'date', message: `${date} is before the client's date of birth` }] };
  const entry: ProgressCheck & { ok: true } = {
    ok: true,
    entry: {
      date,
      attended: e.attended,
      vitals: {},
      measures: e.measures.map((m) => ({ code: m.code, value: m.value, ...(m.side ? { side: m.side } : {}) })),
      symptoms: e.symptoms,
    },
  };
  const out = entry.entry;
  if (e.missedReason !== undefined) out.missedReason = e.missedReason;
  if (e.durationMin !== undefined) out.durationMin = e.durationMin;
  if (e.painBefore !== undefined) out.painBefore = e.painBefore;
  if (e.painDuring !== undefined) out.painDuring = e.painDuring;
  if (e.painAfter !== undefined) out.painAfter = e.painAfter;
  if (e.nextDayPain !== undefined) out.nextDayPain = e.nextDayPain;
  if (e.rpe !== undefined) out.rpe = { value: e.rpe, scale: e.rpeScale };
  if (e.bp) out.vitals.bp = e.bp;
  if (e.bpRecheck) out.vitals.bpRecheck = e.bpRecheck;
  if (e.glucoseRecheck) out.vitals.glucoseRecheck = e.glucoseRecheck;
  if (e.restingHr !== undefined) out.vitals.restingHr = e.restingHr;
  if (e.glucose) out.vitals.glucose = e.glucose;
  if (e.ketones !== undefined) out.vitals.ketones = e.ketones;
  if (e.weakOrTired !== undefined) out.vitals.weakOrTired = e.weakOrTired;
  if (e.severeHypoLast24h !== undefined) out.vitals.severeHypoLast24h = e.severeHypoLast24h;
  if (e.unwell !== undefined) out.vitals.unwell = e.unwell;
  if (e.soreness) out.soreness = e.soreness;
  if (e.exercises) out.exercises = e.exercises;
  if (e.notes) out.notes = e.notes;
  return entry;
}

/**
 * "knee_flexion.left=105" (--measure) or "lefs=42" (--score) → a measure, as
 * the entry's JSON holds it (checkProgressInput checks the range). Effusion
 * keeps the grade's name ("effusion_grade.right=2+" → value "2+"): the
 * schema turns it into the stored number, and refuses a bare number.
 */
export function parseMeasureFlag(text: string, flag: '--measure' | '--score'): { code: string; side?: string; value: number | EffusionLabel } {
  const m = /^([a-z0-9_]+)(?:\.(left|right))?=(.+)$/.exec(text.trim());
  if (!m) throw new ValidationError(flag, `expected ${flag === '--score' ? 'CODE=VALUE, e.g. lefs=42' : 'CODE[.left|.right]=VALUE, e.g. knee_flexion.left=105'}, got ${JSON.stringify(text)}`);
  const code = m[1]!;
  if (!(code in MEASURE_RANGES)) throw new ValidationError(flag, `unknown measure "${code}"; known: ${(flag === '--score' ? SCORE_CODES : MEASURE_CODES.filter((c) => !SCORE_CODES.includes(c))).join(', ')}`);
  if (code === 'effusion_grade') {
    // By name only (FACTS §4, Sturgill 2009): "2" could mean 1+ or 2+.
    const stored = effusionGrade(m[3], `${code}${m[2] ? `.${m[2]}` : ''}`);
    return { code, ...(m[2] ? { side: m[2] } : {}), value: EFFUSION_LABELS[stored]! };
  }
  const value = parseDecimal(m[3]!);
  if (value === undefined) throw new ValidationError(flag, `${code}${m[2] ? `.${m[2]}` : ''}: expected a plain decimal number, got ${JSON.stringify(m[3])}`);
  return { code, ...(m[2] ? { side: m[2] } : {}), value };
}


/**
 * "squat=3x10@20kg", "heel_raise=2x15", "walking=20min", "lunge=skipped",
 * "heel_slide=done" (as planned) (--did) → what was done of one exercise. The numbers are checked again by
 * the entry's schema (sets 0–20, reps 0–200, load 0–500 kg).
 */
export function parseDidFlag(text: string): ExerciseDone {
  const m = /^(?:([a-z][a-z0-9_]*)>)?([a-z][a-z0-9_]*)=(.+)$/.exec(text.trim());
  const usage = 'expected EXERCISE=SETSxREPS[@LOADkg], EXERCISE=MINUTESmin, EXERCISE=done (as planned), EXERCISE=skipped or PLANNED>INSTEAD=… (a swap), e.g. sit_to_stand=3x10 or step_up>wall_squat=3x10';
  if (!m) throw new ValidationError('--did', `${usage}, got ${JSON.stringify(text)}`);
  const [, swappedFrom, exerciseId, what] = m as unknown as [string, string | undefined, string, string];
  const done = parseDone(exerciseId, what, usage);
  return swappedFrom ? { ...done, swappedFrom } : done;
}

function parseDone(exerciseId: string, what: string, usage: string): ExerciseDone {
  const value = what.trim().toLowerCase();
  if (value === 'skipped') return { exerciseId, completed: false };
  // Done as planned: the stage's dose is filled in when the entry is recorded (record-session.ts withPlannedDose).
  if (value === 'done') return { exerciseId, completed: true };
  const minutes = /^(\d+(?:\.\d+)?)\s*min$/.exec(value);
  if (minutes) return { exerciseId, sets: 1, seconds: Math.round(Number(minutes[1]) * 60), completed: true };
  const done = /^(\d+)\s*x\s*(\d+)(?:\s*@\s*(\d+(?:\.\d+)?)\s*kg)?$/.exec(value);
  if (!done) throw new ValidationError('--did', `${exerciseId}: ${usage}, got ${JSON.stringify(what)}`);
  return { exerciseId, sets: Number(done[1]), reps: Number(done[2]), ...(done[3] !== undefined ? { loadKg: Number(done[3]) } : {}), completed: true };
}
