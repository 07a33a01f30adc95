/**
 * The formats of the template data in templates/ (and a trainer's own):
 * the exercise library, staged program templates and condition overlays.
 * One zod schema each; `template validate` reports every mistake with the
 * file, the path inside it and what was expected.
 */
import * as z from 'zod';
import { CONDITION_CODES, CONDITION_FLAG_CODES, type ConditionCode, type ConditionFlag } from './conditions.js';
import { SCORE_CODES, type RecordedMeasureCode } from './progress-types.js';
import { MEDICATION_CLASS_CODES, type MedicationClass } from './medications.js';
import { DRILLS, EQUIPMENT, JOINTS, LEG_LOADS, MEASURES, PATTERNS, POSITIONS, ROM_JOINT_KEYS, TEXT_PLACEHOLDERS, type MeasureCode } from './template-terms.js';

// The vocabulary lives in template-terms.ts (no zod), for the rules and commands that need only the words.
export { DRILLS, EQUIPMENT, JOINTS, LEG_LOADS, MEASURES, PATTERNS, POSITIONS, ROM_JOINT_KEYS, TEXT_PLACEHOLDERS, type LegLoad, type MeasureCode } from './template-terms.js';

/**
 * The schemas are built on first use, not when the module loads: zod builds a
 * schema eagerly (about 6 ms for these), and the commands that read a program's
 * template from the precompiled library (dist/templates.json) parse no file.
 * Each export is a z.lazy of the one built, so it parses, reports and infers
 * as the schema itself.
 */
function build() {
  const id = z.string().regex(/^[a-z][a-z0-9_]*$/, 'expected an id of lower-case letters, digits and _ (e.g. sit_to_stand)');
  const text = z
    .string()
    .trim()
    .min(1, 'expected text')
    .superRefine((t, ctx) => {
      for (const m of t.matchAll(/\{([^{}]*)\}/g)) {
        if (!(TEXT_PLACEHOLDERS as readonly string[]).includes(m[1]!)) ctx.addIssue({ code: 'custom', message: `unknown placeholder {${m[1]}}; known: ${TEXT_PLACEHOLDERS.map((p) => `{${p}}`).join(', ')}` });
      }
    });
  const semver = z.string().regex(/^\d+\.\d+\.\d+$/, 'expected a version like 1.0.0');
  const range = (min: number, max: number) =>
    z
      .tuple([z.number().min(min).max(max), z.number().min(min).max(max)])
      .refine(([lo, hi]) => lo <= hi, { message: 'expected [low, high] with low ≤ high' });

  const romNeeds = z
    .strictObject(Object.fromEntries(ROM_JOINT_KEYS.map((j) => [j, z.number().int().min(0).max(180).optional()])) as Record<(typeof ROM_JOINT_KEYS)[number], z.ZodOptional<z.ZodNumber>>)
    .default({});

  /** What one leg does during an exercise done a leg at a time: the weight through it and the range it uses. */
  const limbPosture = z.strictObject({
    legLoad: z.enum(LEG_LOADS),
    rom: romNeeds.describe('degrees of flexion this leg uses, per joint; none: held straight or near it'),
    liesOn: z.boolean().default(false).describe('the client lies on this leg (the bottom leg side-lying): never on a side with a weight-bearing limit'),
  });

  const exerciseSchema = z
    .strictObject({
      id,
      name: text,
      cues: z.array(text).min(1, 'expected at least one coaching cue').max(5),
      tags: z.strictObject({
        joints: z.array(z.enum(JOINTS)).describe('joints loaded or moved'),
        pattern: z.enum(PATTERNS),
        impact: z.enum(['none', 'low', 'high']),
        running: z.boolean().default(false),
        overhead: z.boolean().default(false).describe('load lifted or held above shoulder height'),
        loadedSpinalFlexion: z.boolean().default(false).describe('forward bending or twisting of the spine under load'),
        legLoad: z.enum(LEG_LOADS).describe('weight through a leg: none (seated, lying, upper body), toe_touch, partial, full'),
        position: z.enum(POSITIONS),
        equipment: z.array(z.enum(EQUIPMENT)).min(1),
        externalLoad: z.boolean().default(false).describe('lifts an external weight (dumbbell, kettlebell, machine stack…)'),
        armPushPull: z.boolean().default(false).describe('pushes or pulls with the arms against resistance or body weight (presses, rows, pulldowns, push-ups, planks, arm ergometer, poles); sternal precautions forbid it'),
        handLoad: z.boolean().default(false).describe('an external weight is held in the hands (dumbbells, kettlebells, carries); sternal precautions cap it'),
        fallRisk: z.boolean().default(false).describe('agility, cutting, hopping, jumping or unstable-surface drills where a fall is likely; pregnancy avoids them'),
        drill: z
          .enum(DRILLS)
          .default('none')
          .describe('a sport drill: plyometric (jumps, hops, bounds) or agility (cutting, shuttles, crossover running); an --override program without clearance leaves them out'),
        rom: romNeeds.describe('degrees of flexion or elevation the exercise needs, per joint'),
        sided: z
          .strictObject({ working: limbPosture, other: limbPosture })
          .optional()
          .describe(
            'for a leg exercise dosed one side at a time (perSide): what the working leg and the other leg each do. A weight-bearing or range limit on one side is then read leg by leg, so the other side can do it as planned; without it a limit on either side applies to both legs',
          ),
      }),
      easier: id.nullable().default(null),
      harder: id.nullable().default(null),
    })
    .superRefine((e, ctx) => {
      // legLoad and rom stay the whole exercise's needs (what applies when it is not done a side at a time): no leg needs more.
      const sided = e.tags.sided;
      if (!sided) return;
      for (const which of ['working', 'other'] as const) {
        const leg = sided[which];
        if (LEG_LOADS.indexOf(leg.legLoad) > LEG_LOADS.indexOf(e.tags.legLoad)) {
          ctx.addIssue({ code: 'custom', path: ['tags', 'sided', which, 'legLoad'], message: `${leg.legLoad} is more than the exercise's legLoad (${e.tags.legLoad}); raise tags.legLoad` });
        }
        for (const [joint, deg] of Object.entries(leg.rom)) {
          const whole = e.tags.rom[joint as keyof typeof e.tags.rom];
          if (deg !== undefined && (whole === undefined || deg > whole)) {
            ctx.addIssue({ code: 'custom', path: ['tags', 'sided', which, 'rom', joint], message: `${deg}° is more than the exercise's rom.${joint} (${whole ?? 'none'}); raise tags.rom.${joint}` });
          }
        }
      }
      if (!e.tags.joints.some((j) => j === 'knee' || j === 'hip' || j === 'ankle')) ctx.addIssue({ code: 'custom', path: ['tags', 'sided'], message: 'sided is for leg exercises (joints knee, hip or ankle)' });
    });

  const exerciseFileSchema = z.strictObject({ exercises: z.array(exerciseSchema).min(1) });

  const doseSchema = z
    .strictObject({
      sets: z.number().int().min(1).max(10),
      reps: z.number().int().min(1).max(50).optional(),
      seconds: z.number().int().min(5).max(600).optional(),
      minutes: z.number().min(1).max(90).optional(),
      perSide: z.boolean().default(false),
      rpe: range(0, 10).describe('effort on the CR10 scale (0–10), [low, high]'),
      hrr: range(20, 90).optional().describe('percent of heart-rate reserve, [low, high], for aerobic work'),
      talkTest: z.enum(['can_sing', 'can_talk', 'few_words']).optional(),
      restSeconds: z.number().int().min(0).max(600),
      tempo: z.string().optional(),
    })
    .refine((d) => [d.reps, d.seconds, d.minutes].filter((v) => v !== undefined).length === 1, { message: 'expected exactly one of reps, seconds or minutes' });

  const MEASURE_CODES = Object.keys(MEASURES) as [MeasureCode, ...MeasureCode[]];

  const criterionSchema = z
    .strictObject({
      measure: z.enum(MEASURE_CODES),
      side: z.enum(['affected', 'left', 'right']).optional(),
      op: z.enum(['>=', '<=', '>', '<', '==']).optional(),
      value: z.number().optional(),
      /** How long it must hold: on the last N visits, or every entry over the last N days. */
      visits: z.number().int().min(1).max(20).optional(),
      days: z.number().int().min(1).max(90).optional(),
      by: z.enum(['trainer', 'clinician']).optional().describe('who signs off (measure: signoff)'),
      /** steadi (chair_stand_30s only): the value is set when the program is generated to the CDC STEADI cut-off for the client's age and sex; `value` is kept where the norms do not reach. */
      norm: z.enum(['steadi']).optional(),
      note: z.string().optional(),
    })
    .superRefine((c, ctx) => {
      if (c.norm !== undefined && c.measure !== 'chair_stand_30s') ctx.addIssue({ code: 'custom', path: ['norm'], message: 'norm: steadi is for chair_stand_30s only' });
      if (c.measure === 'signoff') {
        if (!c.by) ctx.addIssue({ code: 'custom', path: ['by'], message: 'a sign-off needs by: trainer or clinician' });
        return;
      }
      if (!c.op) ctx.addIssue({ code: 'custom', path: ['op'], message: 'required: one of >=, <=, >, <, ==' });
      if (c.value === undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'required: the value to compare with' });
      if (c.visits !== undefined && c.days !== undefined) ctx.addIssue({ code: 'custom', path: ['days'], message: 'give visits or days, not both' });
    });

  /**
   * The earliest time after surgery a stage may be entered (tissue healing,
   * FACTS §10): `fromWeek: 6` = 6 full weeks (42 days) after the surgery date of
   * the condition the program fits; `fromMonth: 9` = the same day 9 calendar
   * months later. `source` is what the gate cites when it holds.
   */
  const afterSurgerySchema = z
    .strictObject({
      fromWeek: z.number().int().min(1).max(104).optional().describe('weeks after the surgery date'),
      fromMonth: z.number().int().min(1).max(24).optional().describe('calendar months after the surgery date'),
      source: text.describe('where the timing comes from, cited when the gate holds'),
    })
    .refine((a) => (a.fromWeek === undefined) !== (a.fromMonth === undefined), { message: 'give fromWeek or fromMonth, one of them' });

  /**
   * Load progression within a stage (domain/load-progression.ts): a program's
   * default and one exercise's override. What a rule does not say comes from
   * the settings progression.* [U; ACSM 2009: 2–10% after two sessions].
   */
  const loadProgressionSchema = z.strictObject({
    stepKg: z.number().min(0.25).max(10).optional().describe("the exercise's load step, kg (0.5 for small dumbbells, 2.5 for a machine stack)"),
    increasePercent: range(1, 20).optional().describe('increase, percent of the working load, [low, high]'),
    sessionsAtTop: z.number().int().min(1).max(6).optional().describe('sessions in a row at the top of the prescribed reps, pain acceptable, before the load goes up'),
    maxKg: z.number().min(0).max(500).optional().describe("the program's cap for the load, kg"),
  });

  const stageExerciseSchema = z
    .strictObject({ exercise: id, dose: doseSchema, note: z.string().optional(), loadProgression: loadProgressionSchema.optional() })
    .refine((x) => x.loadProgression === undefined || x.dose.reps !== undefined, { path: ['loadProgression'], message: 'load progression needs a dose in reps (the top of the prescribed reps is what it reads)' });

  const stageSchema = z.strictObject({
    name: text,
    goals: z.array(text).min(1),
    weeks: range(1, 52).describe('duration range in weeks, [min, max]'),
    sessionsPerWeek: z.number().int().min(1).max(7),
    exercises: z.array(stageExerciseSchema).min(1),
    exitCriteria: z.array(criterionSchema).min(1),
    precautions: z.array(text).default([]),
    afterSurgery: afterSurgerySchema.optional(),
  });

  /** An outcome score the program follows, offered at a session when due (outcome-schedule.ts): a baseline, then every `everyWeeks`. */
  const outcomeScheduleSchema = z.strictObject({
    measure: z.enum(SCORE_CODES.filter((c) => !MEASURES[c as MeasureCode].sided) as [RecordedMeasureCode, ...RecordedMeasureCode[]]).describe('an outcome score or functional test that is not sided'),
    everyWeeks: z.number().int().min(1).max(26).describe('weeks between readings, after the baseline at the program\'s start'),
    source: text.describe('where the measure and its interval come from'),
  });

  const conditionCode = z.enum(CONDITION_CODES as [ConditionCode, ...ConditionCode[]]);

  const programTemplateSchema = z.strictObject({
    id,
    kind: z.literal('program'),
    name: text,
    version: semver,
    description: text,
    sources: z.array(text).min(1, 'every template states its sources'),
    fits: z.array(conditionCode).describe('client conditions this program is for; empty: general, when no other fits'),
    loadProgression: loadProgressionSchema.optional().describe("the load rule of the program's loaded exercises; an exercise's own loadProgression overrides it"),
    stages: z.array(stageSchema).min(2).max(6),
    outcomes: z.array(outcomeScheduleSchema).default([]).describe('outcome scores the program follows, each offered at a session when it falls due'),
  });

  const overlaySchema = z.strictObject({
    id,
    kind: z.literal('overlay'),
    name: text,
    version: semver,
    sources: z.array(text).min(1, 'every overlay states its sources'),
    appliesTo: z
      .strictObject({
        conditions: z.array(conditionCode).default([]),
        medicationClasses: z.array(z.enum(MEDICATION_CLASS_CODES as [MedicationClass, ...MedicationClass[]])).default([]),
        flags: z
          .array(z.enum(CONDITION_FLAG_CODES as [ConditionFlag, ...ConditionFlag[]]))
          .default([])
          .describe('only when one of the conditions carries one of these flags (e.g. cancer with bone_metastases)'),
        weeks: z
          .strictObject({ from: z.number().min(0).max(104).optional(), until: z.number().min(0).max(104).optional() })
          .refine((w) => w.from !== undefined || w.until !== undefined, { message: 'expected from or until (weeks)' })
          .refine((w) => w.from === undefined || w.until === undefined || w.from < w.until, { message: 'expected from < until' })
          .optional()
          .describe("only to stages that fall, in part, in these weeks after the condition's date (surgery); for pregnancy, weeks of pregnancy"),
      })
      .refine((a) => a.conditions.length + a.medicationClasses.length > 0, { message: 'expected at least one condition or medication class' }),
    precautions: z.array(text).min(1),
    preSessionChecks: z
      .array(
        z.strictObject({
          check: z.enum(['blood_pressure', 'glucose', 'resting_hr', 'spo2', 'symptoms', 'feet']),
          rule: text.describe('what to check and when to hold, in words'),
          holdIf: z
            .strictObject({
              systolicAtLeast: z.number().optional(),
              diastolicAtLeast: z.number().optional(),
              glucoseBelowMmol: z.number().optional(),
              glucoseAboveMmol: z.number().optional(),
              restingHrAbove: z.number().optional(),
              spo2Below: z.number().optional(),
            })
            .optional(),
        }),
      )
      .default([]),
    caps: z
      .strictObject({
        rpe: z.number().min(1).max(10).optional().describe('highest effort, CR10'),
        hrrPercent: z.number().min(20).max(90).optional().describe('highest %HRR'),
        noValsalva: z.boolean().default(false),
        handLoadKg: z.number().min(0).max(50).optional().describe('heaviest weight held in the hands, kg'),
      })
      .default({ noValsalva: false }),
    avoid: z
      .strictObject({
        exercises: z.array(id).default([]),
        impact: z.array(z.enum(['low', 'high'])).default([]),
        running: z.boolean().default(false),
        overhead: z.boolean().default(false),
        loadedSpinalFlexion: z.boolean().default(false),
        patterns: z.array(z.enum(PATTERNS)).default([]),
        positions: z.array(z.enum(POSITIONS)).default([]),
        armPushPull: z.boolean().default(false),
        fallRisk: z.boolean().default(false),
      })
      .default({ exercises: [], impact: [], running: false, overhead: false, loadedSpinalFlexion: false, patterns: [], positions: [], armPushPull: false, fallRisk: false }),
    redFlags: z.array(text).min(1),
  });

  return { exerciseSchema, exerciseFileSchema, doseSchema, criterionSchema, afterSurgerySchema, loadProgressionSchema, stageSchema, outcomeScheduleSchema, programTemplateSchema, overlaySchema };
}

let built: ReturnType<typeof build> | undefined;
const schemas = () => (built ??= build());

export const exerciseSchema = z.lazy(() => schemas().exerciseSchema);
export const exerciseFileSchema = z.lazy(() => schemas().exerciseFileSchema);
export const doseSchema = z.lazy(() => schemas().doseSchema);
export const criterionSchema = z.lazy(() => schemas().criterionSchema);
export const afterSurgerySchema = z.lazy(() => schemas().afterSurgerySchema);
export const loadProgressionSchema = z.lazy(() => schemas().loadProgressionSchema);
export const stageSchema = z.lazy(() => schemas().stageSchema);
export const outcomeScheduleSchema = z.lazy(() => schemas().outcomeScheduleSchema);
export const programTemplateSchema = z.lazy(() => schemas().programTemplateSchema);
export const overlaySchema = z.lazy(() => schemas().overlaySchema);

export type Exercise = z.output<typeof exerciseSchema>;
/** One leg's part in an exercise done a leg at a time. */
export type LimbPosture = NonNullable<Exercise['tags']['sided']>['working'];
export type Dose = z.output<typeof doseSchema>;
export type ExitCriterion = z.output<typeof criterionSchema>;
export type AfterSurgery = z.output<typeof afterSurgerySchema>;
export type LoadProgression = z.output<typeof loadProgressionSchema>;
export type Stage = z.output<typeof stageSchema>;
export type ProgramTemplate = z.output<typeof programTemplateSchema>;
export type Overlay = z.output<typeof overlaySchema>;
