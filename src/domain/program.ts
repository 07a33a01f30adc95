/**
 * Program generation: one program template, every overlay the client's
 * conditions and medications call for, and the clearance's restrictions,
 * combined so the strictest limit wins. Pure and deterministic: the same
 * inputs give the same program, and the program says why for every choice.
 */
import { addDays } from './dates.js';
import { chairStandBelowAverage } from './outcomes.js';
import { describeRestriction } from './clearance.js';
import { combineLimits, forbiddenBy, romNotes, type Limits } from './limits.js';
import type { IntakeAnswers } from './intake.js';
import type { ScreeningVerdict } from './screening.js';
import { HR_MAX_FORMULAS, type HrMaxFormula } from './settings.js';
import { MODERATE_CEILING, reachesVigorous } from './intensity.js';
import type { AfterSurgery, Dose, Exercise, ExitCriterion, Overlay, ProgramTemplate } from './template-schema.js';
import { CONDITIONS, type ConditionCode } from './conditions.js';

/** Bump when generation would build a different program from the same inputs. */
export const GENERATION_RULES_VERSION = 'generation-1.1.0';

export interface Explanation {
  code: string;
  text: string;
}

/** Exit-criterion measures taken standing or walking on both legs. */
const WEIGHT_BEARING_MEASURES = new Set(['walking_minutes', 'six_minute_walk_m', 'tug_seconds', 'chair_stand_30s', 'single_leg_stance_s', 'hop_symmetry']);

/** The joint a range-of-motion exit criterion measures. */
const MEASURE_JOINT: Partial<Record<string, string>> = {
  knee_flexion: 'knee',
  hip_flexion: 'hip',
  shoulder_flexion: 'shoulder',
  shoulder_abduction: 'shoulder',
  shoulder_external_rotation: 'shoulder',
  ankle_dorsiflexion: 'ankle',
};

export interface PlannedExercise {
  exerciseId: string;
  name: string;
  cues: string[];
  dose: Dose;
  /** Beats per minute, when dosing by heart rate and a resting HR is known. */
  heartRate: { low: number; high: number } | null;
  /** The template's exercise this one replaces, when a restriction forced a safer variant. */
  replaces: { id: string; name: string } | null;
  notes: string[];
}

export interface PlannedStage {
  number: number;
  name: string;
  goals: string[];
  weeks: [number, number];
  sessionsPerWeek: number;
  plannedStart: string;
  /** Earliest and latest planned end (inclusive). */
  plannedEnd: [string, string];
  exercises: PlannedExercise[];
  exitCriteria: ExitCriterion[];
  precautions: string[];
  /**
   * The earliest time after surgery the stage may be entered (program advance
   * holds it until then); null when the template sets none. Programs generated
   * before it was kept have no key: their template's is read then.
   */
  afterSurgery?: AfterSurgery | null;
}

export interface GeneratedProgram {
  rulesVersion: string;
  templateId: string;
  templateVersion: string;
  /**
   * The conditions the template is for (its `fits`), as generated: what names
   * the affected side for the exit criteria. Programs generated before it was
   * kept have none; their template's is read then (fitsOfProgram).
   */
  fits?: string[];
  name: string;
  startDate: string;
  overlays: { id: string; version: string; name: string }[];
  dosing: ScreeningVerdict['dosing'];
  precautions: string[];
  preSessionChecks: string[];
  redFlags: string[];
  stages: PlannedStage[];
  explanations: Explanation[];
  override: string | null;
}

export interface GenerationInput {
  template: ProgramTemplate;
  /** Every overlay available; those the client's conditions and medications call for are applied. */
  overlays: readonly Overlay[];
  exercises: ReadonlyMap<string, Exercise>;
  intake: IntakeAnswers;
  verdict: ScreeningVerdict;
  age: number;
  /** For norms that differ by sex (CDC STEADI chair stand); null or other: the stricter of the two. */
  sex?: 'female' | 'male' | 'other' | null;
  hrMaxFormula: HrMaxFormula;
  startDate: string;
  sessionsPerWeek?: number;
  /** The trainer's recorded reason to build a program the screening gate holds back. */
  override?: string;
}

export type GenerationResult = { ok: true; program: GeneratedProgram } | { ok: false; reason: string; details: string[] };

/** The overlays that apply to a client: by condition or by medication class. */
export function applicableOverlays(overlays: readonly Overlay[], intake: IntakeAnswers): Overlay[] {
  const codes = new Set<string>(intake.conditions.map((c) => c.code));
  const classes = new Set<string>(intake.medications.map((m) => m.class));
  return overlays
    .filter((o) => o.appliesTo.conditions.some((c) => codes.has(c)) || o.appliesTo.medicationClasses.some((m) => classes.has(m)))
    .sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The program templates that fit a client: those made for one of their
 * conditions, most matches first; when none does, the general ones.
 */
export function fittingTemplates<T extends ProgramTemplate>(templates: readonly T[], conditions: readonly ConditionCode[]): T[] {
  const have = new Set(conditions);
  const scored = templates
    .map((t) => ({ t, n: t.fits.filter((c) => have.has(c)).length }))
    .filter((x) => x.n > 0)
    .sort((a, b) => b.n - a.n || a.t.id.localeCompare(b.t.id));
  if (scored.length > 0) return scored.map((x) => x.t);
  return templates.filter((t) => t.fits.length === 0).sort((a, b) => a.id.localeCompare(b.id));
}

// The screening's starting intensity caps the first stage (FACTS §1: light–moderate, progress gradually).
// ACSM moderate ≈ RPE 12–13 on 6–20 ≈ 5 on CR10 (2008 PA Guidelines: moderate 5–6/10); 40–59% HRR.
const LIGHT_MODERATE = { rpe: MODERATE_CEILING.rpe, hrr: MODERATE_CEILING.hrrPercent };

/** The highest %HRR that fits an effort cap on CR10: ≤3 light (<40%), ≤5 moderate (<60%), ≤7 up to 84%, else 89% (ACSM classes). */
export function hrrForRpe(rpe: number): number {
  if (rpe <= 3) return 39;
  if (rpe <= 5) return 59;
  if (rpe <= 7) return 84;
  return 89;
}

export function generateProgram(input: GenerationInput): GenerationResult {
  const { template, verdict, intake } = input;
  const explanations: Explanation[] = [];
  const explain = (code: string, text: string) => explanations.push({ code, text });

  const blocking = verdict.reasons.filter((r) => r.severity === 'refer' || r.severity === 'clearance').map((r) => r.text);
  // A referral (a red flag, "not cleared") is the clinician's to lift, never the trainer's.
  if (verdict.gate === 'refer') return { ok: false, reason: 'the screening says refer to a clinician; a trainer cannot override a referral', details: blocking };
  const overridden = verdict.gate !== 'ok';
  if (overridden) {
    if (!input.override) return { ok: false, reason: 'the screening needs a medical clearance first', details: blocking };
    explain('gate_override', `Screening gate was "${verdict.gate}"; built anyway on the trainer's recorded reason: ${input.override}. Held back by: ${blocking.join('; ')}`);
    explain(
      'override_light_moderate',
      `Without the clearance, every stage stays at light to moderate intensity (RPE ${MODERATE_CEILING.rpe}/10 at most, ${MODERATE_CEILING.hrrPercent}% of heart-rate reserve) and leaves out plyometric, jumping and cutting drills (ACSM 2015, Riebe et al.); regenerate once the clearance is on file`,
    );
  }

  const overlays = applicableOverlays(input.overlays, intake);
  explain('template', `Template ${template.id} ${template.version} (${template.name})`);
  for (const o of overlays) explain(`overlay_${o.id}`, `Overlay ${o.id} ${o.version} applied (${o.name})`);
  const limits = combineLimits(verdict.clearance.restrictions, overlays);
  if (overridden) {
    // No vigorous work without the clearance (FACTS §10; Riebe 2015): sport drills go, or give way to an easier variant.
    for (const e of input.exercises.values()) if (e.tags.drill !== 'none' && !limits.exercises.has(e.id)) limits.exercises.set(e.id, `no clearance on file (built with --override): no ${e.tags.drill} drills`);
  }
  if (verdict.clearance.state === 'expired' && verdict.clearance.restrictions.length > 0) {
    explain('restrictions_expired_clearance', "Restrictions come from an expired clearance; they apply until a clinician says otherwise");
  }

  // Heart rate: Karvonen from the age-predicted maximum, unless dosing is RPE-only (FACTS §5).
  const rest = intake.vitals.restingHr;
  const hrMax = HR_MAX_FORMULAS[input.hrMaxFormula].estimate(input.age);
  const cardiac = intake.conditions.some((c) => CONDITIONS[c.code].cardiac);
  if (verdict.dosing === 'rpe-only') explain('dosing_rpe_only', 'Heart-rate targets replaced by RPE and the talk test: a rate-limiting medication is recorded');
  else if (cardiac) {
    // Without an exercise test: resting HR + 20 to + 30 bpm, not a %HRR from an age-predicted maximum (Mytinger 2020) [U].
    explain('cardiac_hr', rest !== undefined ? `Aerobic work at ${rest + 20}–${rest + 30} bpm (resting heart rate + 20 to 30, cardiac client without an exercise test)` : 'Aerobic work at resting heart rate + 20 to 30 bpm (cardiac client; measure the resting rate first)');
  }
  if (limits.maxHr) explain('max_hr', `Heart rate never above ${limits.maxHr.value} bpm (${limits.maxHr.by}), whatever the dosing`);
  for (const c of intake.conditions) {
    if (!overlays.some((o) => o.appliesTo.conditions.includes(c.code)) && !template.fits.includes(c.code)) {
      explain('condition_without_overlay', `Neither this template nor an overlay addresses ${CONDITIONS[c.code].label}; follow the clinician's advice for it`);
    }
  }
  if (template.fits.length > 0 && !template.fits.some((c) => intake.conditions.some((x) => x.code === c))) {
    explain('template_not_fitting', `Template ${template.id} is for ${template.fits.join(', ')}, none of which is recorded for this client`);
  }

  const noted = new Set<string>();
  const noteOnce = (code: string, text: string) => {
    if (!noted.has(code)) {
      noted.add(code);
      explain(code, text);
    }
  };

  const stages: PlannedStage[] = [];
  let cursor = input.startDate;
  for (const [index, stage] of template.stages.entries()) {
    const planned: PlannedExercise[] = [];
    for (const item of stage.exercises) {
      const original = input.exercises.get(item.exercise);
      if (!original) return { ok: false, reason: `template ${template.id} names exercise "${item.exercise}", which is not in the library`, details: [] };
      let chosen: Exercise | undefined = original;
      let why = forbiddenBy(original, limits);
      const seen = new Set<string>([original.id]);
      while (chosen && forbiddenBy(chosen, limits).length > 0) {
        const next: Exercise | undefined = chosen.easier ? input.exercises.get(chosen.easier) : undefined;
        chosen = next && !seen.has(next.id) ? next : undefined;
        if (chosen) seen.add(chosen.id);
      }
      if (!chosen) {
        explain('dropped', `Stage ${index + 1}: ${original.name} dropped — ${why.join('; ')} — and no easier variant is allowed`);
        continue;
      }
      if (chosen.id !== original.id) {
        if (planned.some((p) => p.exerciseId === chosen!.id) || stage.exercises.some((x) => x.exercise === chosen!.id)) {
          explain('dropped', `Stage ${index + 1}: ${original.name} dropped — ${why.join('; ')} — its safe variant ${chosen.name} is already in the stage`);
          continue;
        }
        explain('replaced', `Stage ${index + 1}: ${original.name} replaced by ${chosen.name} — ${why.join('; ')}`);
      }
      why = [];
      const { dose, notes, heartRate } = adjustDose(item.dose, chosen, limits, {
        lightModerate: overridden || (index === 0 && verdict.startingIntensity === 'light-moderate'),
        rpeOnly: verdict.dosing === 'rpe-only',
        rest,
        hrMax,
        cardiac,
        noteOnce,
      });
      planned.push({
        exerciseId: chosen.id,
        name: chosen.name,
        cues: chosen.cues,
        dose,
        heartRate,
        replaces: chosen.id === original.id ? null : { id: original.id, name: original.name },
        // The template's note is about its own exercise; a substitute does not inherit it.
        notes: chosen.id === original.id ? (item.note ? [item.note, ...notes] : notes) : [`dose as planned for ${original.name}; adjust it to suit`, ...notes],
      });
    }
    if (planned.length === 0) {
      return {
        ok: false,
        reason: `stage ${index + 1} (${stage.name}) of ${template.id} would have no safe exercise`,
        details: explanations.filter((e) => e.code === 'dropped' && e.text.startsWith(`Stage ${index + 1}:`)).map((e) => e.text),
      };
    }
    for (const c of stage.exitCriteria) {
      if (limits.legLoad && limits.legLoad.value !== 'full' && WEIGHT_BEARING_MEASURES.has(c.measure)) {
        explain('criterion_needs_weight_bearing', `Stage ${index + 1}: the exit criterion on ${c.measure.replace(/_/g, ' ')} needs full weight bearing, beyond the limit (${limits.legLoad.by}); review the limit with the clinician before this stage`);
      }
      const joint = MEASURE_JOINT[c.measure];
      const limit = joint ? limits.rom[joint] : undefined;
      if (limit && c.value !== undefined && (c.op === '>=' || c.op === '>') && c.value > limit.value) {
        explain('criterion_beyond_limit', `Stage ${index + 1}: the exit criterion ${c.measure.replace(/_/g, ' ')} ${c.op} ${c.value}° is beyond the ${limit.value}° limit (${limit.by}); review the limit with the clinician before this stage`);
      }
    }
    const sessionsPerWeek = input.sessionsPerWeek ?? stage.sessionsPerWeek;
    const plannedStart = cursor;
    stages.push({
      number: index + 1,
      name: stage.name,
      goals: stage.goals,
      weeks: stage.weeks,
      sessionsPerWeek,
      plannedStart,
      plannedEnd: [addDays(plannedStart, stage.weeks[0] * 7 - 1), addDays(plannedStart, stage.weeks[1] * 7 - 1)],
      exercises: planned,
      exitCriteria: stage.exitCriteria.map((c) => personalCriterion(c, input.age, input.sex ?? null)),
      precautions: stage.precautions,
      afterSurgery: stage.afterSurgery ? { ...stage.afterSurgery } : null,
    });
    if (overridden && planned.some((p) => reachesVigorous(p.dose))) {
      // The cap above keeps every dose moderate; a stage still reaching vigorous would be a bug, never a program.
      return { ok: false, reason: `stage ${index + 1} (${stage.name}) would reach vigorous intensity without a clearance`, details: [] };
    }
    cursor = addDays(plannedStart, stage.weeks[0] * 7);
  }
  if (input.sessionsPerWeek !== undefined) explain('sessions_per_week', `${input.sessionsPerWeek} sessions a week in every stage, as asked (the template plans ${[...new Set(template.stages.map((s) => s.sessionsPerWeek))].join('/')})`);

  const precautions = overlays.flatMap((o) => o.precautions);
  if (limits.supervisedOnly) precautions.unshift('Supervised sessions only (clearance)');
  if (limits.maxLoadKg) precautions.unshift(`External load at most ${limits.maxLoadKg.value} kg (${limits.maxLoadKg.by})`);
  if (limits.maxHr) precautions.unshift(`Heart rate never above ${limits.maxHr.value} bpm (${limits.maxHr.by})`);
  for (const r of verdict.clearance.restrictions) explain('restriction', `Restriction applied: ${describeRestriction(r)}`);

  return {
    ok: true,
    program: {
      rulesVersion: GENERATION_RULES_VERSION,
      templateId: template.id,
      templateVersion: template.version,
      fits: [...template.fits],
      name: template.name,
      startDate: input.startDate,
      overlays: overlays.map((o) => ({ id: o.id, version: o.version, name: o.name })),
      dosing: verdict.dosing,
      precautions: [...new Set(precautions)],
      preSessionChecks: mergeChecks(overlays),
      redFlags: [...new Set(overlays.flatMap((o) => o.redFlags))],
      stages,
      explanations,
      override: verdict.gate !== 'ok' ? (input.override ?? null) : null,
    },
  };
}

/** The STEADI chair-stand cut-off for this age and sex (the stricter of the two when sex is not recorded); none outside 60–94. */
export function steadiChairStand(age: number, sex: 'female' | 'male' | 'other' | null): { stands: number; band: string } | undefined {
  const men = chairStandBelowAverage(age, 'male');
  const women = chairStandBelowAverage(age, 'female');
  if (men === null || women === null) return undefined;
  const from = 60 + Math.floor((Math.floor(age) - 60) / 5) * 5;
  const band = `${from}–${from + 4}`;
  if (sex === 'male') return { stands: men, band: `men ${band}` };
  if (sex === 'female') return { stands: women, band: `women ${band}` };
  return { stands: Math.max(men, women), band: `${band}, the stricter of men's and women's (sex not recorded)` };
}

/** An exit criterion as it applies to this client: a STEADI norm takes the client's age and sex. */
function personalCriterion(c: ExitCriterion, age: number, sex: 'female' | 'male' | 'other' | null): ExitCriterion {
  if (c.norm !== 'steadi') return c;
  const cut = steadiChairStand(age, sex);
  if (!cut) return { ...c, note: `CDC STEADI norms cover ages 60–94; ${c.value} is the template's default for age ${age}: adjust for the client` };
  return { ...c, value: cut.stands, note: `CDC STEADI: below ${cut.stands} is below average for ${cut.band}` };
}

function adjustDose(
  template: Dose,
  exercise: Exercise,
  limits: Limits,
  ctx: {
    /** Cap at light to moderate (the screening's start, or every stage under an override). */
    lightModerate: boolean;
    rpeOnly: boolean;
    rest: number | undefined;
    hrMax: number;
    cardiac: boolean;
    noteOnce: (code: string, text: string) => void;
  },
): { dose: Dose; notes: string[]; heartRate: PlannedExercise['heartRate'] } {
  const dose: Dose = { ...template, rpe: [...template.rpe] as [number, number], ...(template.hrr ? { hrr: [...template.hrr] as [number, number] } : {}) };
  const notes: string[] = [];
  let rpeCap = limits.maxRpe?.value;
  let rpeBy = limits.maxRpe?.by;
  if (ctx.lightModerate && (rpeCap === undefined || LIGHT_MODERATE.rpe < rpeCap)) {
    rpeCap = LIGHT_MODERATE.rpe;
    rpeBy = 'screening: light to moderate intensity';
  }
  if (rpeCap !== undefined && dose.rpe[1] > rpeCap) {
    dose.rpe = [Math.min(dose.rpe[0], rpeCap), rpeCap];
    ctx.noteOnce(`rpe_cap_${rpeBy}`, `Effort capped at RPE ${rpeCap}/10 (${rpeBy})`);
  }
  const aerobic = dose.hrr !== undefined || exercise.tags.pattern === 'aerobic';
  let heartRate: PlannedExercise['heartRate'] = null;
  if (dose.hrr && (ctx.rpeOnly || ctx.cardiac)) {
    delete dose.hrr;
    dose.talkTest ??= 'can_talk';
    if (ctx.rpeOnly) notes.push('dose by RPE and the talk test, not heart rate');
  }
  if (dose.hrr) {
    // An effort cap is also a heart-rate-reserve cap (ACSM: light <40%, moderate 40–59%, vigorous 60–89%).
    let hrrCap = limits.maxHrrPercent?.value;
    let hrrBy = limits.maxHrrPercent?.by;
    if (rpeCap !== undefined && hrrForRpe(rpeCap) < (hrrCap ?? Infinity)) {
      hrrCap = hrrForRpe(rpeCap);
      hrrBy = `${rpeBy}: RPE ${rpeCap}/10`;
    }
    if (hrrCap !== undefined && dose.hrr[1] > hrrCap) {
      dose.hrr = [Math.min(dose.hrr[0], hrrCap), hrrCap];
      ctx.noteOnce(`hrr_cap_${hrrBy}`, `Heart-rate reserve capped at ${hrrCap}% (${hrrBy})`);
    }
    if (ctx.rest !== undefined) {
      // Karvonen: target = (HRmax − HRrest) × intensity + HRrest (FACTS §5).
      heartRate = {
        low: Math.round((ctx.hrMax - ctx.rest) * (dose.hrr[0] / 100) + ctx.rest),
        high: Math.round((ctx.hrMax - ctx.rest) * (dose.hrr[1] / 100) + ctx.rest),
      };
    }
  } else if (ctx.cardiac && !ctx.rpeOnly && aerobic && ctx.rest !== undefined) {
    heartRate = { low: ctx.rest + 20, high: ctx.rest + 30 }; // Mytinger 2020 [U]
  }
  if (heartRate && limits.maxHr && heartRate.high > limits.maxHr.value) {
    heartRate = { low: Math.min(heartRate.low, limits.maxHr.value), high: limits.maxHr.value };
  }
  // A clinician's heart-rate ceiling binds under RPE dosing too: say it where it matters.
  if (limits.maxHr && aerobic && !heartRate) notes.push(`heart rate never above ${limits.maxHr.value} bpm`);
  notes.push(...romNotes(exercise, limits));
  if (exercise.tags.externalLoad && limits.maxLoadKg) notes.push(`load at most ${limits.maxLoadKg.value} kg`);
  if (limits.noValsalva && (exercise.tags.externalLoad || exercise.tags.pattern === 'isometric')) notes.push('breathe out on effort; no breath-holding');
  return { dose, notes, heartRate };
}

/**
 * Pre-session checks from every overlay, one rule per kind where they compete:
 * of several blood-pressure holds, the strictest (lowest) wins; others are
 * kept once each.
 */
function mergeChecks(overlays: readonly Overlay[]): string[] {
  const all = overlays.flatMap((o) => o.preSessionChecks);
  const bp = all.filter((c) => c.check === 'blood_pressure');
  const strictestBp = [...bp].sort(
    (a, b) => (a.holdIf?.systolicAtLeast ?? Infinity) - (b.holdIf?.systolicAtLeast ?? Infinity) || (a.holdIf?.diastolicAtLeast ?? Infinity) - (b.holdIf?.diastolicAtLeast ?? Infinity),
  )[0];
  const kept = all.filter((c) => c.check !== 'blood_pressure' || c === strictestBp);
  return [...new Set(kept.map((c) => c.rule))];
}
