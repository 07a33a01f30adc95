/**
 * Program generation: one program template, every overlay the client's
 * conditions and medications call for, and the clearance's restrictions,
 * combined so the strictest limit wins. Pure and deterministic: the same
 * inputs give the same program, and the program says why for every choice.
 */
import type { OutcomeSchedule } from './outcome-schedule.js';
import { addDays } from './dates.js';
import { MEASURE_JOINT } from './template-terms.js';
import { chairStandBelowAverage } from './outcomes.js';
import { describeRestriction } from './clearance.js';
import { capLoadsInNote, combineLimits, forbiddenBy, forbiddenOnSide, loadCapFor, otherSide, romNotes, type Limits, type Side } from './limits.js';
import type { IntakeAnswers, IntakeCondition } from './intake.js';
import type { ScreeningVerdict } from './screening.js';
import { HR_MAX_FORMULAS, resolveSettings, type BpThreshold, type HrMaxFormula } from './settings.js';
import { MODERATE_CEILING, reachesVigorous } from './intensity.js';
import type { AfterSurgery, Dose, Exercise, ExitCriterion, Overlay, ProgramTemplate } from './template-schema.js';
import type { LoadRule } from './load-progression.js';
import { CONDITIONS, conditionEarliestStart, conditionStart, type ConditionCode } from './conditions.js';

/** Bump when generation would build a different program from the same inputs. */
export const GENERATION_RULES_VERSION = 'generation-1.4.0';

export interface Explanation {
  code: string;
  text: string;
}

/** Exit-criterion measures taken standing or walking on both legs. */
const WEIGHT_BEARING_MEASURES = new Set(['walking_minutes', 'six_minute_walk_m', 'tug_seconds', 'chair_stand_30s', 'single_leg_stance_s', 'hop_symmetry']);


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
  /**
   * How its load progresses within the stage (domain/load-progression.ts):
   * the template's rule for a loaded exercise dosed in reps, with the
   * program's cap. Absent: none (or a program generated before rules were kept).
   */
  loadRule?: LoadRule;
  /**
   * Done with this leg only (a leg exercise dosed a side at a time whose
   * limits allow it on one side: forbiddenOnSide); absent: as the dose says.
   */
  side?: Side;
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
  /** Other templates whose exercises were merged into this one's stages (several conditions, domain/program-merge.ts). */
  mergedFrom?: { id: string; version: string; name: string }[];
  /** The outcome scores the template follows and how often (outcome-schedule.ts); programs generated before generation-1.3.0 have none. */
  outcomes?: OutcomeSchedule[];
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
  /**
   * The resting BP holds the session rules use (screening.bpHold,
   * screening.bpHoldCardiac); the program's text names the same numbers.
   * Default: the settings' defaults.
   */
  bpHold?: BpThreshold;
  bpHoldCardiac?: BpThreshold;
}

export type GenerationResult = { ok: true; program: GeneratedProgram } | { ok: false; reason: string; details: string[] };

/**
 * The flags a condition carries: those recorded with it, and for cancer a YES
 * on PAR-Q+ 2b (chemo- or radiotherapy now, FACTS §2) counts as on_treatment.
 */
export function conditionFlags(c: IntakeCondition, intake: IntakeAnswers): Set<string> {
  const flags = new Set<string>(c.flags ?? []);
  if (c.code === 'cancer' && intake.parq.followUps.cancer?.has && intake.parq.followUps.cancer.b) flags.add('on_treatment');
  return flags;
}

/**
 * The overlays that apply to a client: by condition (and, where the overlay
 * asks for flags, one of them on that condition) or by medication class. An
 * overlay with `weeks` is returned too; which stages it reaches is
 * {@link overlayWindow}'s.
 */
export function applicableOverlays(overlays: readonly Overlay[], intake: IntakeAnswers): Overlay[] {
  const classes = new Set<string>(intake.medications.map((m) => m.class));
  const byCondition = (o: Overlay) =>
    intake.conditions.some((c) => o.appliesTo.conditions.includes(c.code) && (o.appliesTo.flags.length === 0 || o.appliesTo.flags.some((f) => conditionFlags(c, intake).has(f))));
  return overlays.filter((o) => byCondition(o) || o.appliesTo.medicationClasses.some((m) => classes.has(m))).sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The days an overlay with `weeks` applies: from `from` weeks to `until`
 * weeks after the condition's start (surgery date; for pregnancy the start of
 * week 0). `null` when the date is not recorded: then it applies throughout,
 * the safe side. Overlays without `weeks` apply throughout too.
 */
export function overlayWindow(o: Overlay, intake: IntakeAnswers): { from: string | null; until: string | null; condition: IntakeCondition } | null {
  const w = o.appliesTo.weeks;
  if (!w) return null;
  const c = intake.conditions.find((x) => o.appliesTo.conditions.includes(x.code));
  const start = c && conditionStart(c);
  // A month-only date: the window opens from its first day and closes from its last, so it covers every day it might (the safe side).
  const earliest = c && conditionEarliestStart(c);
  if (!c || !start || !earliest) return null;
  return { from: w.from !== undefined ? addDays(earliest, Math.round(w.from * 7)) : null, until: w.until !== undefined ? addDays(start, Math.round(w.until * 7)) : null, condition: c };
}

/** Whether an overlay's window reaches any day of a stage planned from `first` to `last` (inclusive). */
function reaches(window: ReturnType<typeof overlayWindow>, first: string, last: string): boolean {
  if (!window) return true;
  return (window.until === null || first < window.until) && (window.from === null || last >= window.from);
}

/** {bp_hold} and the other placeholders filled in (see TEXT_PLACEHOLDERS). */
function fillText(text: string, values: Record<string, string>): string {
  return text.replace(/\{([a-z_]+)\}/g, (whole, key: string) => values[key] ?? whole);
}

/**
 * A heart-rate target range is never narrower than this under a ceiling:
 * when a `max_hr` cuts it shorter, its lower end moves down (bridgefit
 * default [U]); when that would reach the resting rate, dosing is by RPE.
 */
export const HR_RANGE_MIN_WIDTH = 10;

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

  const applicable = applicableOverlays(input.overlays, intake);
  explain('template', `Template ${template.id} ${template.version} (${template.name})`);
  // Stage dates first: an overlay bound to weeks after a date (sternal precautions, pregnancy after the first trimester) reaches only the stages that fall in them.
  const stageDates: { first: string; last: string }[] = [];
  for (let i = 0, at = input.startDate; i < template.stages.length; i++) {
    const st = template.stages[i]!;
    stageDates.push({ first: at, last: addDays(at, st.weeks[1] * 7 - 1) });
    at = addDays(at, st.weeks[0] * 7);
  }
  const windows = new Map(applicable.map((o) => [o.id, overlayWindow(o, intake)]));
  const stagesOf = (o: Overlay) => stageDates.map((d, i) => (reaches(windows.get(o.id)!, d.first, d.last) ? i + 1 : 0)).filter((n) => n > 0);
  const windowText = (o: Overlay): string => {
    const w = windows.get(o.id)!;
    const c = w?.condition;
    const what = c?.code === 'pregnancy' ? 'of pregnancy' : `after the ${CONDITIONS[c?.code ?? 'pregnancy'].dateKind}`;
    const weeks = o.appliesTo.weeks!;
    return w
      ? [weeks.from !== undefined ? `from ${w.from} (week ${weeks.from} ${what})` : '', weeks.until !== undefined ? `until ${w.until} (${weeks.until} weeks ${what})` : ''].filter(Boolean).join(', ')
      : `throughout: the date it counts from is not recorded${o.appliesTo.conditions.includes('pregnancy') ? ' (record the due date)' : ''}`;
  };
  const overlays = applicable.filter((o) => !o.appliesTo.weeks || stagesOf(o).length > 0);
  for (const o of applicable) {
    if (!o.appliesTo.weeks) explain(`overlay_${o.id}`, `Overlay ${o.id} ${o.version} applied (${o.name})`);
    else {
      const n = stagesOf(o);
      explain(`overlay_${o.id}`, n.length > 0 ? `Overlay ${o.id} ${o.version} applied to stage${n.length > 1 ? 's' : ''} ${n.join(', ')} (${o.name}): ${windowText(o)}` : `Overlay ${o.id} ${o.version} not applied (${o.name}): no stage falls ${windowText(o)}`);
    }
  }
  const limits = combineLimits(verdict.clearance.restrictions, overlays);
  // No vigorous work without the clearance (FACTS §10; Riebe 2015): sport drills go, or give way to an easier variant.
  const withoutDrills = (l: Limits): Limits => {
    if (!overridden) return l;
    for (const e of input.exercises.values()) if (e.tags.drill !== 'none' && !l.exercises.has(e.id)) l.exercises.set(e.id, `no clearance on file (built with --override): no ${e.tags.drill} drills`);
    return l;
  };
  withoutDrills(limits);
  const stageLimits = new Map<string, Limits>();
  const limitsFor = (stageIndex: number): Limits => {
    const here = overlays.filter((o) => !o.appliesTo.weeks || stagesOf(o).includes(stageIndex + 1));
    const key = here.map((o) => o.id).join(',');
    if (!stageLimits.has(key)) stageLimits.set(key, withoutDrills(combineLimits(verdict.clearance.restrictions, here)));
    return stageLimits.get(key)!;
  };
  // The text names the resting BP hold the session rules apply to this client (FACTS §3; settings screening.bpHold / bpHoldCardiac).
  const defaults = resolveSettings({});
  const cardiacClient = intake.conditions.some((c) => CONDITIONS[c.code].cardiac);
  const hold = cardiacClient ? (input.bpHoldCardiac ?? defaults['screening.bpHoldCardiac']) : (input.bpHold ?? defaults['screening.bpHold']);
  const textValues = { bp_hold: `${hold.systolic}/${hold.diastolic}` };
  const fill = (t: string) => fillText(t, textValues);
  if (verdict.clearance.state === 'expired' && verdict.clearance.restrictions.length > 0) {
    explain('restrictions_expired_clearance', "Restrictions come from an expired clearance; they apply until a clinician says otherwise");
  }

  // Heart rate: Karvonen from the age-predicted maximum, unless dosing is RPE-only (FACTS §5).
  const rest = intake.vitals.restingHr;
  const hrMax = HR_MAX_FORMULAS[input.hrMaxFormula].estimate(input.age);
  const cardiac = cardiacClient;
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
    const limits = limitsFor(index);
    const inStage = (id: string) => planned.some((p) => p.exerciseId === id) || stage.exercises.some((x) => x.exercise === id);
    const plan = (item: (typeof stage.exercises)[number], original: Exercise, chosen: Exercise, side?: Side, sideNote?: string) => {
      const loadCap = loadCapFor(chosen, limits);
      let templateNote = item.note;
      if (templateNote !== undefined && loadCap) {
        // A note never names a load above the cap (issue 15): "Start light (e.g. 8 kg)" under 5 kg says "no more than 5 kg".
        const capped = capLoadsInNote(templateNote, loadCap.value);
        if (capped.changed) explain('note_load_capped', `Stage ${index + 1}: ${chosen.name}: the template's note "${templateNote}" named more than ${loadCap.value} kg (${loadCap.by}); rewritten`);
        templateNote = capped.note;
      }
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
        notes: [
          ...(sideNote ? [sideNote] : []),
          ...(chosen.id === original.id ? (templateNote ? [templateNote, ...notes] : notes) : [`dose as planned for ${original.name}; adjust it to suit`, ...notes]),
        ],
        ...(side ? { side } : {}),
        ...loadRuleFor(template.loadProgression, item.loadProgression, chosen, dose, chosen.tags.handLoad ? limits.maxHandLoadKg : undefined),
      });
    };
    /** The exercise, or the first of its easier variants, that `allowed` lets through (undefined: none). */
    const firstAllowed = (from: Exercise, allowed: (e: Exercise) => boolean): Exercise | undefined => {
      const seen = new Set<string>();
      for (let at: Exercise | undefined = from; at && !seen.has(at.id); at = at.easier ? input.exercises.get(at.easier) : undefined) {
        seen.add(at.id);
        if (allowed(at)) return at;
      }
      return undefined;
    };
    for (const item of stage.exercises) {
      const original = input.exercises.get(item.exercise);
      if (!original) return { ok: false, reason: `template ${template.id} names exercise "${item.exercise}", which is not in the library`, details: [] };
      // Done a side at a time, a leg exercise whose tags say what each leg does is read leg by leg (forbiddenOnSide);
      // on both sides it must suit each leg, as well as the whole exercise's tags (lying on a limited hip does not, whatever the weight).
      const legByLeg = (e: Exercise) => item.dose.perSide && e.tags.sided !== undefined;
      const bothLegs = (e: Exercise): string[] =>
        legByLeg(e) ? [...new Set([...forbiddenBy(e, limits), ...forbiddenOnSide(e, limits, 'left'), ...forbiddenOnSide(e, limits, 'right')])] : forbiddenBy(e, limits);
      const why = bothLegs(original);
      // Done a leg at a time, a leg exercise meets each side's limits with what each leg does (issue 16): the
      // side it is allowed on keeps it as planned, the other side takes its first allowed easier variant.
      // The clearance names the side it limits; FACTS has no entry on training the other leg, and the
      // other leg's angles are read from the cues: [U], for a clinician to review.
      const sides = why.length > 0 && legByLeg(original) ? (['left', 'right'] as const).filter((s) => forbiddenOnSide(original, limits, s).length === 0) : [];
      if (sides.length === 1) {
        const free = sides[0]!;
        const held = otherSide(free);
        const heldWhy = forbiddenOnSide(original, limits, held);
        const variant = firstAllowed(original, (e) => forbiddenOnSide(e, limits, held).length === 0);
        const instead = !variant
          ? `no easier variant is allowed for the ${held} leg`
          : inStage(variant.id)
            ? `its safe variant ${variant.name} is already in the stage`
            : `${variant.name} for the ${held} leg instead`;
        // On and off a step the limited leg would take the weight: up with the free leg first, down with the limited one, on the rail (stair training after lower-limb surgery [U]).
        const stairs = original.tags.pattern === 'step' ? `; onto the step with the ${free} leg first and off it with the ${held} leg, holding the rail` : '';
        plan(item, original, original, free, `not with the ${held} leg (${heldWhy.join('; ')}): ${instead}${stairs}`);
        explain('one_side', `Stage ${index + 1}: ${original.name} with the ${free} leg only — with the ${held} leg working: ${heldWhy.join('; ')} — ${instead}`);
        // A variant done a leg at a time is done with that leg; one on both feet (weight shifts) as it is, said to stand in for that leg's work.
        if (variant && !inStage(variant.id)) plan(item, original, variant, variant.tags.sided ? held : undefined, variant.tags.sided ? undefined : `for the ${held} leg; the ${free} leg does ${original.name}`);
        continue;
      }
      const chosen = firstAllowed(original, (e) => bothLegs(e).length === 0);
      if (!chosen) {
        explain('dropped', `Stage ${index + 1}: ${original.name} dropped — ${why.join('; ')} — and no easier variant is allowed`);
        continue;
      }
      if (chosen.id !== original.id) {
        if (inStage(chosen.id)) {
          explain('dropped', `Stage ${index + 1}: ${original.name} dropped — ${why.join('; ')} — its safe variant ${chosen.name} is already in the stage`);
          continue;
        }
        explain('replaced', `Stage ${index + 1}: ${original.name} replaced by ${chosen.name} — ${why.join('; ')}`);
      }
      plan(item, original, chosen);
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
    const windowed = overlays.filter((o) => o.appliesTo.weeks && stagesOf(o).includes(index + 1)).map((o) => `${o.name}: ${windowText(o)}`);
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
      precautions: [...windowed, ...stage.precautions.map(fill)],
      afterSurgery: stage.afterSurgery ? { ...stage.afterSurgery } : null,
    });
    if (overridden && planned.some((p) => reachesVigorous(p.dose))) {
      // The cap above keeps every dose moderate; a stage still reaching vigorous would be a bug, never a program.
      return { ok: false, reason: `stage ${index + 1} (${stage.name}) would reach vigorous intensity without a clearance`, details: [] };
    }
    cursor = addDays(plannedStart, stage.weeks[0] * 7);
  }
  if (input.sessionsPerWeek !== undefined) explain('sessions_per_week', `${input.sessionsPerWeek} sessions a week in every stage, as asked (the template plans ${[...new Set(template.stages.map((s) => s.sessionsPerWeek))].join('/')})`);

  const precautions = overlays.flatMap((o) => {
    if (!o.appliesTo.weeks) return o.precautions.map(fill);
    const n = stagesOf(o);
    return [`${o.name} (stage${n.length > 1 ? 's' : ''} ${n.join(', ')}; ${windowText(o)}):`, ...o.precautions.map((p) => `  ${fill(p)}`)];
  });
  if (limits.supervisedOnly) precautions.unshift('Supervised sessions only (clearance)');
  if (limits.noValsalva?.by.startsWith('clearance')) precautions.unshift('No breath-holding (Valsalva): breathe out on effort; no heavy sustained holds, grips or lifts to failure (clearance)');
  if (limits.noArmPushPull?.by.startsWith('clearance')) precautions.unshift('No pushing or pulling with the arms: no presses, rows, pulldowns, push-ups or planks, and no pushing up from a chair with the arms (clearance)');
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
      preSessionChecks: mergeChecks(overlays, cardiac).map(fill),
      redFlags: [...new Set(overlays.flatMap((o) => o.redFlags).map(fill))],
      stages,
      outcomes: template.outcomes.map((o) => ({ ...o })),
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
    // A ceiling never collapses the range to one number ("HR 100–100"): the lower end moves down to keep
    // HR_RANGE_MIN_WIDTH bpm [U], and when that reaches the resting rate the dose is by RPE (issue 15).
    const ceiling = limits.maxHr.value;
    const planned = heartRate;
    const low = Math.min(planned.low, ceiling - HR_RANGE_MIN_WIDTH);
    if (ctx.rest !== undefined && low <= ctx.rest) {
      heartRate = null;
      dose.talkTest ??= 'can_talk';
      notes.push(`dose by RPE and the talk test: the ${ceiling} bpm ceiling (${limits.maxHr.by}) leaves no target range above the resting ${ctx.rest} bpm`);
    } else {
      heartRate = { low, high: ceiling };
      if (planned.low > low) notes.push(`heart-rate range moved down to ${low}–${ceiling} bpm (planned ${planned.low}–${planned.high}) to stay under the ${ceiling} bpm ceiling (${limits.maxHr.by}); let RPE guide within it`);
    }
  }
  // A clinician's heart-rate ceiling binds under RPE dosing too: say it where it matters.
  if (limits.maxHr && aerobic && !heartRate) notes.push(`heart rate never above ${limits.maxHr.value} bpm`);
  notes.push(...romNotes(exercise, limits, template.perSide));
  if (exercise.tags.externalLoad && limits.maxLoadKg) notes.push(`load at most ${limits.maxLoadKg.value} kg`);
  // Sternal precautions: no more than about 4.5 kg (10 lb) in the hands for 6–8 weeks (FACTS §10; AACVPR; Adams 2016).
  if (exercise.tags.handLoad && limits.maxHandLoadKg && (!limits.maxLoadKg || limits.maxHandLoadKg.value < limits.maxLoadKg.value)) {
    notes.push(`at most ${limits.maxHandLoadKg.value} kg in the hands, both hands together (${limits.maxHandLoadKg.by})`);
  }
  // No Valsalva (FACTS §3, §7; Pescatello 2004): breathe out on effort; holds short and submaximal.
  const hold = exercise.tags.pattern === 'isometric' || (exercise.tags.pattern === 'core' && template.seconds !== undefined);
  if (limits.noValsalva && (exercise.tags.externalLoad || exercise.tags.handLoad || hold || exercise.tags.pattern === 'carry')) {
    notes.push(hold ? 'breathe out on effort and keep breathing through the hold; no breath-holding, no maximal or long heavy holds' : 'breathe out on effort; no breath-holding, no lifting to failure');
  }
  return { dose, notes, heartRate };
}

/**
 * The load rule of one planned exercise: the program's default with the
 * exercise's override, for an exercise that lifts or holds a weight and is
 * dosed in reps; its cap the lower of the template's maxKg and an overlay's
 * hand-load cap (sternal precautions). The clearance's max_load_kg is not
 * kept here: the suggestion reads the clearance in force on its day, so a
 * limit lifted or tightened since generation counts at once.
 */
function loadRuleFor(program: ProgramTemplate['loadProgression'], own: ProgramTemplate['loadProgression'], exercise: Exercise, dose: Dose, handCap: { value: number; by: string } | undefined): { loadRule?: LoadRule } {
  if ((!program && !own) || dose.reps === undefined || !(exercise.tags.externalLoad || exercise.tags.handLoad)) return {};
  const rule: LoadRule = { ...program, ...own };
  if (handCap && (rule.maxKg === undefined || handCap.value < rule.maxKg)) {
    rule.maxKg = handCap.value;
    rule.maxBy = `${handCap.by}: in the hands`;
  } else if (rule.maxKg !== undefined) rule.maxBy = `the program's cap (template ${own?.maxKg !== undefined ? 'exercise' : 'program'} maxKg)`;
  return { loadRule: rule };
}

/** Programs generated by these rules or later keep each exercise's load rule (an exercise without one has none). */
const LOAD_RULES_KEPT_FROM = [1, 3];

/** Whether `program` was generated before load rules were kept in snapshots (generation-1.3.0). */
export function predatesLoadRules(program: Pick<GeneratedProgram, 'rulesVersion'>): boolean {
  const m = /^generation-(\d+)\.(\d+)\./.exec(program.rulesVersion ?? '');
  if (!m) return true;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major < LOAD_RULES_KEPT_FROM[0]! || (major === LOAD_RULES_KEPT_FROM[0] && minor < LOAD_RULES_KEPT_FROM[1]!);
}

/**
 * A program generated before load rules were kept, with the rule its
 * template declares today for each exercise (the stage of the same number and
 * name, the same exercise or the one it replaced), by the same rule as
 * generation (loadRuleFor), with an overlay's hand-load cap from the
 * program's overlays. Unchanged when the program keeps its own rules or its
 * template declares none.
 */
export function withTemplateLoadRules(program: GeneratedProgram, template: ProgramTemplate | undefined, exercises: ReadonlyMap<string, Exercise>, overlays: ReadonlyMap<string, Overlay>): GeneratedProgram {
  if (!template || !predatesLoadRules(program) || template.id !== program.templateId) return program;
  const own = program.overlays.map((o) => overlays.get(o.id)).filter((o): o is Overlay => o !== undefined);
  const handCap = combineLimits([], own).maxHandLoadKg;
  let changed = false;
  const stages = program.stages.map((stage) => {
    const source = template.stages[stage.number - 1];
    if (!source || source.name !== stage.name) return stage;
    const planned = stage.exercises.map((x) => {
      const item = source.exercises.find((t) => t.exercise === (x.replaces?.id ?? x.exerciseId));
      const exercise = exercises.get(x.exerciseId);
      if (!item || !exercise || x.loadRule) return x;
      const rule = loadRuleFor(template.loadProgression, item.loadProgression, exercise, x.dose, exercise.tags.handLoad ? handCap : undefined);
      if (!rule.loadRule) return x;
      changed = true;
      return { ...x, ...rule };
    });
    return { ...stage, exercises: planned };
  });
  return changed ? { ...program, stages } : program;
}

/**
 * Pre-session checks from every overlay, one rule per kind where they compete:
 * of several blood-pressure holds, the strictest (lowest) wins; others are
 * kept once each.
 */
function mergeChecks(overlays: readonly Overlay[], cardiac: boolean): string[] {
  const all = overlays.flatMap((o) => o.preSessionChecks.map((c) => ({ ...c, cardiacOverlay: o.appliesTo.conditions.some((x) => CONDITIONS[x].cardiac) })));
  const bp = all.filter((c) => c.check === 'blood_pressure');
  // A number written in a check wins when it is the strictest; else, for a cardiac client, the cardiac overlay's wording.
  const strictestBp = [...bp].sort(
    (a, b) =>
      (a.holdIf?.systolicAtLeast ?? Infinity) - (b.holdIf?.systolicAtLeast ?? Infinity) ||
      (a.holdIf?.diastolicAtLeast ?? Infinity) - (b.holdIf?.diastolicAtLeast ?? Infinity) ||
      (cardiac ? Number(b.cardiacOverlay) - Number(a.cardiacOverlay) : 0),
  )[0];
  const kept = all.filter((c) => c.check !== 'blood_pressure' || c === strictestBp);
  return [...new Set(kept.map((c) => c.rule))];
}
