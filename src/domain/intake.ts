/**
 * The intake answers: one format for the interview and for answers files
 * (`intake --answers`), checked by one schema. Every mistake is reported with
 * its JSON path, all at once.
 */
import { z } from 'zod';
import { CONDITION_CODES, CONDITIONS, SIDES, type ConditionCode, type Side } from './conditions.js';
import { dateProblem, isIsoDate } from './dates.js';
import { ValidationError, oneLine } from './errors.js';
import { MEDICATION_CLASS_CODES, type MedicationClass } from './medications.js';
import { FOLLOW_UPS, FOLLOW_UP_CODES, PARQ_QUESTION_KEYS, openedFollowUps, type FollowUpCode, type ParqAnswers } from './parq.js';
import { SYMPTOM_CODES, type SymptomCode } from './symptoms.js';
import { RANGES, checkBloodPressure, checkGlucose, parseBloodPressure, parseGlucose, type BloodPressure, type Glucose } from './vitals.js';

export const INTENSITIES = ['light', 'moderate', 'vigorous'] as const;
export type Intensity = (typeof INTENSITIES)[number];

export interface IntakeCondition {
  code: ConditionCode;
  side?: Side;
  date?: string;
}

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

const isoDate = z.string().superRefine((d, ctx) => {
  const problem = dateProblem(d);
  // The form, or a day the calendar does not have (2026-02-30).
  if (problem) ctx.addIssue({ code: 'custom', message: problem.startsWith('expected') ? 'expected a date as YYYY-MM-DD' : problem });
});

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

export const intakeAnswersSchema = z
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
          date: isoDate.optional().describe('surgery, diagnosis or onset date'),
        }),
      )
      .default([]),
    medications: z
      .array(
        z.strictObject({
          name: z.string().trim().min(1, 'expected a medication name').max(200),
          class: z.enum(MEDICATION_CLASS_CODES as [MedicationClass, ...MedicationClass[]]),
        }),
      )
      .default([]),
    parq: parqSchema,
    symptoms: z.array(z.enum(SYMPTOM_CODES as [SymptomCode, ...SymptomCode[]])).default([]),
    desiredIntensity: z.enum(INTENSITIES),
    goals: z.string().trim().max(4000).optional(),
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
export function checkIntakeAnswers(input: unknown, ctx: { today: string; dateOfBirth: string }): IntakeCheck {
  const result = intakeAnswersSchema.safeParse(input, { reportInput: true });
  // Cross-field rules run on the raw answers too, so every mistake is reported in one go.
  const raw = (result.success ? result.data : input) as Record<string, unknown>;
  const problems: AnswerProblem[] = result.success ? [] : result.error.issues.map((i) => ({ path: formatPath(i.path), message: issueMessage(i) }));
  for (const p of crossFieldProblems(raw, ctx)) {
    if (!problems.some((q) => q.path === p.path)) problems.push(p);
  }
  if (problems.length > 0 || !result.success) return { ok: false, problems };
  const a = result.data as unknown as IntakeAnswers;
  return { ok: true, answers: { ...a, date: a.date ?? ctx.today } };
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
  const dateRule = (path: string, d: unknown) => {
    if (typeof d !== 'string' || !isIsoDate(d)) return;
    if (d > ctx.today) out.push({ path, message: `${d} is in the future` });
    else if (d < ctx.dateOfBirth) out.push({ path, message: `${d} is before the client's date of birth (${ctx.dateOfBirth})` });
  };
  dateRule('date', a.date);
  const conditions = Array.isArray(a.conditions) ? a.conditions : [];
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
  });
  if (Array.isArray(a.symptoms)) {
    a.symptoms.forEach((s, i) => {
      if (a.symptoms instanceof Array && a.symptoms.indexOf(s) !== i) out.push({ path: `symptoms[${i}]`, message: `${String(s)} is listed twice` });
    });
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
      return issue.origin === 'number' ? `expected at most ${issue.maximum}, got ${describe(issue.input)}` : issue.message;
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
  return z.toJSONSchema(intakeAnswersSchema, { io: 'input', unrepresentable: 'any' });
}
