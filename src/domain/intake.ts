/**
 * The intake answers: one format for the interview and for answers files
 * (`intake --answers`), checked by one schema. Every mistake is reported with
 * its JSON path, all at once.
 */
import * as z from 'zod';
import { CONDITION_CODES, CONDITION_FLAG_CODES, CONDITIONS, SIDES, flagsOf, needsDayOrMonth, type ConditionCode, type ConditionFlag, type Side } from './conditions.js';
import { dayMonthOrYearProblem, daysBetween, dateProblem, firstDayOf, isDayMonthOrYear, isIsoDate, lastDayOf } from './dates.js';
import { ValidationError, oneLine } from './errors.js';
import { MEDICATION_CLASS_CODES, type MedicationClass } from './medications.js';
import { FOLLOW_UPS, FOLLOW_UP_CODES, PARQ_QUESTION_KEYS, conditionPages, openedFollowUps, type FollowUpCode, type ParqAnswers } from './parq.js';
import { SYMPTOM_CODES, type SymptomCode } from './symptoms.js';
import { controlCharactersMessage, hasControlCharacters } from './text.js';
import { RANGES, checkBloodPressure, checkGlucose, parseBloodPressure, parseGlucose, withGlucoseUnit, type BloodPressure, type Glucose, type GlucoseUnit } from './vitals.js';

export const INTENSITIES = ['light', 'moderate', 'vigorous'] as const;
export type Intensity = (typeof INTENSITIES)[number];

export interface IntakeCondition {
  code: ConditionCode;
  side?: Side;
  /**
   * Surgery, diagnosis or onset date; for pregnancy the first day of the last
   * period. Stored as given: a day (YYYY-MM-DD), or a month (YYYY-MM) or year
   * (YYYY) when that is all the client knows; a surgery needs the month, a
   * pregnancy the day. Read through conditionStart (its last day) and firstDayOf.
   */
  date?: string;
  /** Pregnancy: the expected date of delivery (may lie ahead). */
  dueDate?: string;
  /** What the condition carries (cancer: on_treatment, low_blood_counts, bone_metastases). */
  flags?: ConditionFlag[];
}

export { conditionStart } from './conditions.js';

export interface IntakeMedication {
  name: string;
  class: MedicationClass;
}

export interface IntakeVitals {
  restingHr?: number;
  bp?: BloodPressure;
  glucose?: Glucose;
  /** Ketones present (urine or blood), asked with a high glucose (FACTS §3). */
  ketones?: boolean;
  /** Weak or unusually tired, asked with a high glucose (Turner 2019; FACTS §3). */
  weakOrTired?: boolean;
  /** A severe hypoglycaemia that needed help in the last 24 hours (Turner 2019; FACTS §3). */
  severeHypoLast24h?: boolean;
  /** Oxygen saturation at rest, percent (pulse oximetry; FACTS §10). */
  spo2?: number;
}

/** Checked, normalised intake answers: what is stored. */
export interface IntakeAnswers {
  /** The day the answers were given (YYYY-MM-DD). */
  date: string;
  /** ACSM: planned, structured exercise ≥30 min at moderate intensity on ≥3 days/week for ≥3 months (FACTS §1). */
  physicallyActive: boolean;
  conditions: IntakeCondition[];
  medications: IntakeMedication[];
  parq: ParqAnswers;
  symptoms: SymptomCode[];
  desiredIntensity: Intensity;
  goals?: string;
  vitals: IntakeVitals;
}

/**
 * A value typed as text ("150/95", "5.4 mmol/L") or given in its structured
 * form, checked by the domain's own parser; its message becomes the issue.
 */
export function textOrStructured<T>(parse: (text: string) => T, check: (value: T) => T, structured: z.ZodType<T>) {
  return z.union([z.string(), structured]).transform((value, ctx) => {
    try {
      return typeof value === 'string' ? parse(value) : check(value);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      ctx.addIssue({ code: 'custom', message: err.message });
      return z.NEVER;
    }
  });
}

/**
 * The most items a list may hold: far more than any client has, and a bound
 * on the work of checking a file (a list of 100,000 is refused at once).
 */
export const LIST_MAX = { conditions: 50, medications: 50, symptoms: 50, measures: 50, exercises: 60 } as const;

/**
 * The answers' schema, built on first use rather than when the module loads:
 * zod builds a schema eagerly, about 4 ms for this one, and most commands that
 * import this module (program status, screen, progress add) check no answers.
 */
let answersSchema: ReturnType<typeof buildAnswersSchema> | undefined;
const intakeAnswersSchema = () => (answersSchema ??= buildAnswersSchema());

function buildAnswersSchema() {
  const isoDate = z.string().superRefine((d, ctx) => {
    const problem = dateProblem(d);
    // The form, or a day the calendar does not have (2026-02-30).
    if (problem) ctx.addIssue({ code: 'custom', message: problem.startsWith('expected') ? 'expected a date as YYYY-MM-DD' : problem });
  });

  const conditionDate = z.string().superRefine((d, ctx) => {
    const problem = dayMonthOrYearProblem(d);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

  const followUp = z.strictObject({
    has: z.boolean().describe('the gate question: does the client have this?'),
    a: z.boolean().optional(),
    b: z.boolean().optional(),
    c: z.boolean().optional(),
    d: z.boolean().optional(),
    e: z.boolean().optional(),
  });

  const parqSchema = z.strictObject({
    ...Object.fromEntries(PARQ_QUESTION_KEYS.map((q) => [q, z.boolean()])),
    followUps: z
      .strictObject(Object.fromEntries(FOLLOW_UP_CODES.map((f) => [f, followUp.optional()])) as Record<FollowUpCode, z.ZodOptional<typeof followUp>>)
      .default({})
      .describe('the follow-up pages; each page a YES or a recorded condition opens must be answered'),
    temporaryIllness: z.boolean().default(false),
    healthChanged: z.boolean().default(false),
  }) as unknown as z.ZodType<ParqAnswers, unknown>;

  return z
    .strictObject({
      date: isoDate.optional().describe('the day of the intake; today when left out'),
      physicallyActive: z
        .boolean()
        .describe('planned, structured exercise of at least 30 min at moderate intensity on at least 3 days a week for the last 3 months'),
      conditions: z
        .array(
          z.strictObject({
            code: z.enum(CONDITION_CODES as [ConditionCode, ...ConditionCode[]]),
            side: z.enum(SIDES).optional().describe('for knee, hip, shoulder and ankle conditions'),
            date: conditionDate.optional().describe('surgery, diagnosis or onset date: YYYY-MM-DD, or YYYY-MM or YYYY when only that is known (a surgery needs the month; a pregnancy, the first day of the last period, the day)'),
            dueDate: isoDate.optional().describe('pregnancy only: the expected date of delivery'),
            flags: z
              .array(z.enum(CONDITION_FLAG_CODES as [ConditionFlag, ...ConditionFlag[]]))
              .max(CONDITION_FLAG_CODES.length)
              .optional()
              .describe('cancer only: on_treatment (chemo- or radiotherapy now), low_blood_counts, bone_metastases'),
          }),
        )
        .max(LIST_MAX.conditions)
        .default([]),
      medications: z
        .array(
          z.strictObject({
            name: z.string().trim().min(1, 'expected a medication name').max(200).refine((v) => !hasControlCharacters(v, 'line'), controlCharactersMessage('the name', 'line')),
            class: z.enum(MEDICATION_CLASS_CODES as [MedicationClass, ...MedicationClass[]]),
          }),
        )
        .max(LIST_MAX.medications)
        .default([]),
      parq: parqSchema,
      symptoms: z.array(z.enum(SYMPTOM_CODES as [SymptomCode, ...SymptomCode[]])).max(LIST_MAX.symptoms).default([]),
      desiredIntensity: z.enum(INTENSITIES),
      goals: z.string().trim().max(4000).refine((v) => !hasControlCharacters(v, 'note'), controlCharactersMessage('the goals', 'note')).optional(),
      vitals: z
        .strictObject({
          restingHr: z.number().int().min(RANGES.restingHr.min).max(RANGES.restingHr.max).optional().describe('beats per minute'),
          bp: textOrStructured(parseBloodPressure, checkBloodPressure, z.strictObject({ systolic: z.number(), diastolic: z.number() }))
            .describe('resting blood pressure, "120/80" or {systolic, diastolic} in mmHg')
            .optional(),
          glucose: textOrStructured(parseGlucose, checkGlucose, z.strictObject({ value: z.number(), unit: z.enum(['mmol/L', 'mg/dL']) }))
            .describe('blood glucose, "5.4 mmol/L", "97 mg/dL" or {value, unit}')
            .optional(),
          ketones: z.boolean().optional(),
          weakOrTired: z.boolean().optional().describe('weak or unusually tired (asked with glucose above 15 mmol/L)'),
          severeHypoLast24h: z.boolean().optional().describe('a severe hypo that needed help in the last 24 hours'),
          spo2: z.number().int().min(RANGES.spo2.min).max(RANGES.spo2.max).optional().describe('oxygen saturation at rest, percent (pulse oximetry)'),
        })
        .default({}),
    });
}

function openReason(parq: ParqAnswers, _page: FollowUpCode): string {
  const yes = PARQ_QUESTION_KEYS.filter((q) => parq[q]);
  return yes.length > 0 ? `a YES on ${yes.join(', ')} or a recorded condition` : 'a recorded condition';
}

export interface AnswerProblem {
  /** JSON path, e.g. "conditions[0].side". */
  path: string;
  message: string;
}

export type IntakeCheck = { ok: true; answers: IntakeAnswers } | { ok: false; problems: AnswerProblem[] };

/**
 * Check answers (from a file or the interview) for a client born on
 * `dateOfBirth`, on `today`. Dates may not lie in the future or before birth.
 */
export function checkIntakeAnswers(input: unknown, ctx: { today: string; dateOfBirth: string; glucoseUnit?: GlucoseUnit | undefined }): IntakeCheck {
  // A glucose typed as a number alone is read in the units.glucose setting's unit (vitals.ts parseGlucose).
  if (ctx.glucoseUnit && isRecord(input) && isRecord(input.vitals) && 'glucose' in input.vitals) {
    input = { ...input, vitals: { ...input.vitals, glucose: withGlucoseUnit(input.vitals.glucose, ctx.glucoseUnit) } };
  }
  const result = intakeAnswersSchema().safeParse(input, { reportInput: true });
  // Cross-field rules run on the raw answers too, so every mistake is reported in one go.
  const raw = (result.success ? result.data : input) as Record<string, unknown>;
  const problems: AnswerProblem[] = result.success ? [] : result.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) }));
  const named = new Set(problems.map((p) => p.path));
  for (const p of crossFieldProblems(raw, ctx)) {
    if (!named.has(p.path)) problems.push(p), named.add(p.path);
  }
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  const a = result.data as unknown as IntakeAnswers;
  return { ok: true, answers: { ...a, date: a.date ?? ctx.today } };
}

/** The items listed a second time (or more), with their place, in one pass. */
export function repeats(items: readonly unknown[], key: (item: unknown) => string = String): { index: number; key: string }[] {
  const seen = new Set<string>();
  const out: { index: number; key: string }[] = [];
  items.forEach((item, index) => {
    const k = key(item);
    if (seen.has(k)) out.push({ index, key: k });
    seen.add(k);
  });
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Rules across fields: sides, duplicates, the follow-up pages a YES opens,
 * dates. Written to tolerate malformed input: what cannot be read is left to
 * the schema's own messages.
 */
function crossFieldProblems(a: unknown, ctx: { today: string; dateOfBirth: string }): AnswerProblem[] {
  const out: AnswerProblem[] = [];
  if (!isRecord(a)) return out;
  // A month or year given alone is in the future only when all of it is, and before birth only when all of it is.
  const dateRule = (path: string, d: unknown) => {
    if (typeof d !== 'string' || !isDayMonthOrYear(d)) return;
    if (firstDayOf(d) > ctx.today) out.push({ path, message: `${d} is in the future` });
    else if (lastDayOf(d) < ctx.dateOfBirth) out.push({ path, message: `${d} is before the client's date of birth (${ctx.dateOfBirth})` });
  };
  dateRule('date', a.date);
  // A list past its maximum is named by the schema; its items are not read (the work stays bounded).
  const conditions = Array.isArray(a.conditions) && a.conditions.length <= LIST_MAX.conditions ? a.conditions : [];
  const codes: ConditionCode[] = [];
  const seen = new Set<string>();
  conditions.forEach((c, i) => {
    if (!isRecord(c) || typeof c.code !== 'string' || !(c.code in CONDITIONS)) return;
    const code = c.code as ConditionCode;
    codes.push(code);
    const info = CONDITIONS[code];
    if (info.sided && c.side === undefined) out.push({ path: `conditions[${i}].side`, message: `required for ${info.label}: left, right or both` });
    if (!info.sided && c.side !== undefined) out.push({ path: `conditions[${i}].side`, message: `${info.label} has no side` });
    const key = `${code}/${String(c.side ?? '')}`;
    if (seen.has(key)) out.push({ path: `conditions[${i}]`, message: `${code}${c.side ? ` (${String(c.side)})` : ''} is listed twice` });
    seen.add(key);
    dateRule(`conditions[${i}].date`, c.date);
    if (typeof c.date === 'string' && !isIsoDate(c.date) && isDayMonthOrYear(c.date)) {
      // A surgery's weeks gate its stages (FACTS §10), a pregnancy's its precautions (ACOG 804): a year alone, or a month for a pregnancy, is not enough.
      const need = needsDayOrMonth(code);
      if (need === 'day') out.push({ path: `conditions[${i}].date`, message: `${info.label} needs the day (YYYY-MM-DD), got "${c.date}"` });
      else if (need === 'month' && c.date.length === 4) out.push({ path: `conditions[${i}].date`, message: `a ${info.dateKind} date needs at least the month (YYYY-MM): time after surgery counts from it, got "${c.date}"` });
    }
    if (c.dueDate !== undefined && code !== 'pregnancy') out.push({ path: `conditions[${i}].dueDate`, message: 'a due date is for pregnancy only' });
    if (code === 'pregnancy' && typeof c.dueDate === 'string' && isIsoDate(c.dueDate)) {
      const on = typeof a.date === 'string' && isIsoDate(a.date) ? a.date : ctx.today;
      const ahead = daysBetween(on, c.dueDate);
      // A pregnancy lasts about 40 weeks, rarely past 42: a due date more than 3 weeks past or 42 weeks ahead is a typing mistake.
      if (ahead < -21 || ahead > 42 * 7) out.push({ path: `conditions[${i}].dueDate`, message: `${c.dueDate} is not within 3 weeks before to 42 weeks after the intake date (${on})` });
    }
    if (Array.isArray(c.flags)) {
      const allowed = flagsOf(code);
      c.flags.forEach((f, j) => {
        if (typeof f !== 'string' || !(CONDITION_FLAG_CODES as string[]).includes(f)) return;
        if (!(allowed as string[]).includes(f)) out.push({ path: `conditions[${i}].flags[${j}]`, message: allowed.length ? `${info.label} takes flags ${allowed.join(', ')} only` : `${info.label} takes no flags` });
        else if ((c.flags as unknown[]).indexOf(f) !== j) out.push({ path: `conditions[${i}].flags[${j}]`, message: `${f} is listed twice` });
      });
    }
  });
  if (Array.isArray(a.symptoms) && a.symptoms.length <= LIST_MAX.symptoms) {
    for (const r of repeats(a.symptoms)) out.push({ path: `symptoms[${r.index}]`, message: `${r.key} is listed twice` });
  }
  if (!isRecord(a.parq)) return out;
  const parq = a.parq;
  const firstPage = Object.fromEntries(PARQ_QUESTION_KEYS.map((q) => [q, parq[q] === true])) as Pick<ParqAnswers, 'q1'>;
  const followUps = isRecord(parq.followUps) ? parq.followUps : {};
  for (const page of openedFollowUps(firstPage as ParqAnswers, codes)) {
    const answer = followUps[page];
    if (answer === undefined) {
      out.push({ path: `parq.followUps.${page}`, message: `required: ${openReason(firstPage as ParqAnswers, page)} opens the "${page}" follow-up page` });
      continue;
    }
    if (!isRecord(answer) || answer.has !== true) continue;
    for (const letter of Object.keys(FOLLOW_UPS[page].questions)) {
      if (answer[letter] === undefined) {
        out.push({ path: `parq.followUps.${page}.${letter}`, message: `required when has is true: ${FOLLOW_UPS[page].questions[letter as 'a']}` });
      }
    }
  }
  for (const page of FOLLOW_UP_CODES) {
    const answer = followUps[page];
    if (!isRecord(answer)) continue;
    const letters = Object.keys(FOLLOW_UPS[page].questions);
    for (const key of Object.keys(answer)) {
      if (key !== 'has' && !letters.includes(key) && ['a', 'b', 'c', 'd', 'e'].includes(key)) {
        out.push({ path: `parq.followUps.${page}.${key}`, message: `the "${page}" page has questions ${letters.join(', ')} only` });
      }
    }
  }
  return out;
}

/**
 * A YES on PAR-Q+ follow-up page 4 ("do you have high blood pressure?") with
 * no hypertension among the conditions: the condition, and with it the
 * hypertension overlay (FITT-VP, avoid Valsalva; FACTS §7), belongs on record.
 */
export function bloodPressureYesUnrecorded(a: Pick<IntakeAnswers, 'parq' | 'conditions'>): boolean {
  return a.parq.followUps.blood_pressure?.has === true && !a.conditions.some((c) => c.code === 'hypertension');
}

/**
 * Answers from a file made to follow what they record, never silently: a YES
 * to high blood pressure on follow-up page 4 adds the hypertension condition
 * (a note says so); medications with Q5 at NO, and a recorded condition whose
 * follow-up page says NO, are noted for the trainer to check, not changed (a
 * medication may be short-term; the client's own answer stands) (FACTS §2).
 * The caller checks the result again: an added condition can open a page.
 */
export function followEntries(a: IntakeAnswers): { answers: IntakeAnswers; notes: string[] } {
  const notes: string[] = [];
  let answers = a;
  if (bloodPressureYesUnrecorded(a)) {
    answers = { ...a, conditions: [...a.conditions, { code: 'hypertension' }] };
    notes.push('added the condition high blood pressure (hypertension), with its precautions: follow-up page 4 answers YES to high blood pressure');
  }
  if (a.medications.length > 0 && !a.parq.q5) {
    notes.push(`Q5 (prescribed medication for a chronic condition) is NO, but ${a.medications.length === 1 ? 'a medication is' : `${a.medications.length} medications are`} recorded (${a.medications.map((m) => m.name).join(', ')}): check the answer`);
  }
  const pages = conditionPages(a.conditions.map((c) => c.code));
  for (const page of FOLLOW_UP_CODES) {
    if (!pages.has(page) || a.parq.followUps[page]?.has !== false) continue;
    const why = page === 'other' && a.conditions.length >= 2 ? `${a.conditions.length} conditions are recorded` : `${a.conditions.filter((c) => conditionPages([c.code]).has(page)).map((c) => CONDITIONS[c.code].label).join(', ')} ${a.conditions.filter((c) => conditionPages([c.code]).has(page)).length > 1 ? 'are' : 'is'} recorded`;
    notes.push(`follow-up page ${FOLLOW_UPS[page].number} (${page}) answers NO, but ${why}: check the answer`);
  }
  return { answers, notes };
}

export function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return oneLine(path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join(''));
}

/** One zod issue in words a trainer can act on (shared by answers files and templates). */
export function issueMessage(issue: z.core.$ZodIssue): string {
  return oneLine(issueText(issue));
}

function issueText(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? `required: expected ${issue.expected}` : `expected ${issue.expected}, got ${describe(issue.input)}`;
    case 'too_big':
      if (issue.origin === 'number') return `expected at most ${issue.maximum}, got ${describe(issue.input)}`;
      if (issue.origin === 'array' && Array.isArray(issue.input)) return `at most ${issue.maximum} items, got ${issue.input.length}`;
      return issue.message;
    case 'too_small':
      return issue.origin === 'number' ? `expected at least ${issue.minimum}, got ${describe(issue.input)}` : issue.message;
    case 'invalid_value':
      if (issue.input === undefined) return issue.values.length > 8 ? 'required' : `required: one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
      return issue.values.length > 8
        ? `${describe(issue.input)} is not one of the ${issue.values.length} codes listed by "bridgefit intake --schema"`
        : `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(issue.input)}`;
    case 'unrecognized_keys':
      return `unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')}`;
    case 'invalid_union':
      return issue.message;
    default:
      return issue.message;
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** The JSON Schema of the answers format (`intake --schema`). */
export function intakeJsonSchema(): unknown {
  return z.toJSONSchema(intakeAnswersSchema(), { io: 'input', unrepresentable: 'any' });
}
