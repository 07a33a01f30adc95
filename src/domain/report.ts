/**
 * What a clinician report and a client handout say, worked out from the
 * record: plain data in, a plain model out. The PDF layer only draws it, so
 * every figure on the page is tested here.
 *
 * The first page answers the clinician's four questions (DESIGN.md): what was
 * cleared, what is being done, how the client responds, and whether anything
 * needs their attention.
 */
import { stopsTraining } from './session.js';
import { clearanceExpiry, clearanceInForce, clearanceState, describeRestriction } from './clearance.js';
import { fullName } from './client.js';
import { CONDITIONS, type ConditionCode } from './conditions.js';
import { affectedSide, currentStageCriteria } from './stage.js';
import { signer } from './criteria.js';
import type { Side } from './conditions.js';
import { addMonths, ageOn, daysBetween, plannedSessions } from './dates.js';
import { MEDICATION_CLASSES, type MedicationClass } from './medications.js';
import { OUTCOME_MEASURES, adherence, outcomeChange, painSeries, painTrend } from './outcomes.js';
import type { PlannedExercise } from './program.js';
import { describeCriterion, describeDose } from './program-text.js';
import { loadsByWeek } from './load-history.js';
import { effusionLabel, PROGRESS_DEFAULTS } from './progress-rules.js';
import type { ScreeningVerdict } from './screening.js';
import { verdictHeadline } from './screening.js';
import type { SessionDecision } from './session.js';
import type { Glucose } from './vitals.js';
import { attentionOf, beyondLimits, questionsOf } from './attention.js';
import type { ExerciseDone } from './progress-types.js';
import type { ExitCriterion } from './template-schema.js';
import { MEASURE_JOINT, MEASURES, type MeasureCode } from './template-terms.js';


export type { AttentionLevel, LogRow, OutcomeRow, Point, ReportEntry, ReportInput, ReportModel, ReportReferral, Series } from './report-model.js';
import type { LogRow, OutcomeRow, Point, ReportEntry, ReportInput, ReportModel, ReportReferral, Series } from './report-model.js';

/** Why a medication class matters to the session (FACTS §5 rate-limiting drugs; §3 hypoglycaemia). */
const MEDICATION_WHY: Partial<Record<MedicationClass, string>> = {
  // FACTS §5: beta-blockers and other rate-limiting drugs blunt heart rate; dose by RPE.
  beta_blocker: 'heart-rate response blunted: intensity set by effort (RPE), not heart rate',
  rate_limiting: 'heart-rate response blunted: intensity set by effort (RPE), not heart rate',
  // FACTS §3: hypoglycaemia risk with insulin or insulin secretagogues; glucose checked before sessions.
  insulin_or_sulfonylurea: 'glucose checked before each session',
};

const ADVICE_WORDS: Record<string, string> = { progress: 'progress', repeat: 'repeat', reduce: 'reduce', rest: 'rest' };

/** The clinician report's model. */
export function buildReport(given: ReportInput): ReportModel {
  let input = given;
  const { today, since, client } = input;
  // A referral resolved after the report's day was open on it (an earlier SOURCE_DATE_EPOCH).
  input = { ...input, referrals: input.referrals.map((r) => (r.status === 'resolved' && r.resolvedOn !== null && r.resolvedOn > today ? { ...r, status: 'open' as const, resolvedOn: null, resolutionNote: null, resolvedBy: null } : r)) };
  const period = { from: since, to: today };
  const inPeriod = input.entries.filter((e) => e.date >= since && e.date <= today);
  const program = programPart(input);
  const clearance = clearancePart(input);
  const adherencePart = adherenceOf(input, inPeriod);
  const names = exerciseNames(input);
  // Voided entries stay in the log, struck through, and nowhere else (issue 17).
  const voidedRows = (input.voided ?? [])
    .filter((e) => e.date >= since && e.date <= today)
    .map((e) => ({ ...logRow(e, input.referrals, names, input.clearances), outcome: 'voided', flags: [], warnings: [], voided: `Voided on ${e.voided.at.slice(0, 10)}${e.voided.by ? ` by ${e.voided.by}` : ''}: ${e.voided.reason}` }));
  const log = [...inPeriod.map((e) => logRow(e, input.referrals, names, input.clearances)), ...voidedRows].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const attended = inPeriod.filter((e) => e.attended);
  const trend = painTrend(painSeries(attended));
  const outcomes = outcomeRows(input.entries, since, today);
  const criteria = criteriaPart(input);
  const openReferrals = input.referrals.filter((r) => r.status === 'open');
  const stopOpen = openReferrals.find((r) => stopsTraining(r.code));
  const byReferral = stopOpen !== undefined && input.screening !== undefined && input.screening.gate !== 'refer';
  const resolvedInPeriod = input.referrals.filter((r) => r.status === 'resolved' && r.resolvedOn !== null && r.resolvedOn >= since);
  const model: ReportModel = {
    produced: today,
    period,
    trainer: input.trainer,
    client: { id: client.id, name: fullName(client), dateOfBirth: client.dateOfBirth, age: ageOn(client.dateOfBirth, today), sex: client.sex ?? null, archived: client.status === 'archived' },
    attention: { level: 'none', items: [], resolved: [] },
    intakeDate: input.intake?.date ?? null,
    intakeStale: input.intake && addMonths(input.intake.date, input.intakeValidityMonths) < today ? input.intakeValidityMonths : null,
    screeningStale: input.screening !== undefined && input.screening.gate !== 'ok' && (clearanceInForce(input.clearances, today)?.issuedOn ?? '') > input.screening.screenedOn,
    conditions: (input.intake?.answers.conditions ?? []).map((c) => {
      const info = CONDITIONS[c.code as ConditionCode];
      const parts = [c.side ? `${c.side}${c.side === 'both' ? ' sides' : ''}` : '', c.date ? `${info.dateKind} ${c.date}` : ''].filter(Boolean);
      return { label: info.label, detail: parts.join(', ') };
    }),
    medications: (input.intake?.answers.medications ?? []).map((m) => ({ name: m.name, kind: MEDICATION_CLASSES[m.class].label, why: MEDICATION_WHY[m.class] ?? null })),
    clearance,
    screening: input.screening
      ? {
          date: input.screening.screenedOn,
          // A red flag referred at a session since, still open, stops training whatever the verdict said (FACTS §1, §3).
          // Its reason is said with the referral (the attention box, the Referrals table), not again here.
          // A screening that refers already says why in its own words; one screened before the red flag is overruled by it.
          headline: byReferral ? `referral ${stopOpen.id} of ${stopOpen.raisedOn} is open: no exercise until a clinician has assessed the client` : verdictHeadline(input.screening),
          gate: byReferral ? 'refer' : input.screening.gate,
          byReferral,
          dosing: input.screening.dosing === 'rpe-only' ? 'by effort (RPE) only' : 'by heart rate and effort',
          targets: [input.screening.targets.rpe ? `RPE ${input.screening.targets.rpe}` : '', heartRateTarget(input.screening)].filter(Boolean),
          ruleVersion: input.screening.ruleVersion,
        }
      : null,
    program,
    adherence: adherencePart,
    pain: {
      trend,
      latest: log.findLast((r) => r.attended && [r.painDuring, r.painAfter, r.nextDayPain].some((v) => v !== undefined)) ?? null,
      // Silbernagel 2007 [C, secondary]: up to 5/10 during or after is acceptable (FACTS §4).
      limit: PROGRESS_DEFAULTS.painLimit,
      series: painSeriesOf(attended),
    },
    beyondLimits: beyondLimits(input, inPeriod),
    outcomes,
    outcomeSeries: outcomeSeriesOf(input.entries, since, today),
    keyMeasure: keyMeasureOf(input, inPeriod),
    criteria,
    exercises: currentStage(input)?.exercises.map(exerciseRow) ?? [],
    nextLoads: input.nextLoads.map((l) => ({ name: l.name, lastKg: l.lastKg, suggestedKg: l.suggestedKg, change: l.change, reason: l.reason })),
    loadSource: input.nextLoads[0]?.source ?? null,
    loadWeeks: input.program ? loadsByWeek(input.program.program, input.entries, input.since, input.today) : null,
    precautions: [...(input.program?.program.precautions ?? []), ...(currentStage(input)?.precautions ?? [])],
    preSessionChecks: input.program?.program.preSessionChecks ?? [],
    stopSigns: input.program?.program.redFlags ?? [],
    log,
    transitions: input.transitions.map((t) => ({
      date: t.onDate,
      from: stageLabel(input, t.from),
      to: stageLabel(input, t.to),
      forced: t.forced,
      reason: t.reason,
      criteria: transitionCriteria(t.evidence),
      ...transitionGates(t.evidence),
    })),
    signoffs: input.signoffs.map((s) => `${s.by}: ${signer(s)} on ${s.date}`),
    referrals: { open: openReferrals, resolvedInPeriod },
    questions: [],
  };
  model.attention = attentionOf(model, inPeriod);
  model.questions = [...questionsOf(model, input), ...input.questions.map((q) => q.trim()).filter(Boolean)];
  return model;
}

function currentStage(input: ReportInput) {
  return input.program?.program.stages[input.program.currentStage - 1];
}

function stageLabel(input: ReportInput, n: number): string {
  const stage = input.program?.program.stages[n - 1];
  return stage ? `${n} (${stage.name})` : String(n);
}

function programPart(input: ReportInput): ReportModel['program'] {
  const p = input.program;
  const stage = currentStage(input);
  if (!p || !stage) return null;
  return {
    name: p.program.name,
    templateVersion: p.program.templateVersion,
    startDate: p.program.startDate,
    overlays: p.program.overlays.map((o) => o.name),
    stage: p.currentStage,
    stages: p.program.stages.length,
    stageName: stage.name,
    stageStartedOn: p.stageStartedOn,
    daysInStage: daysBetween(p.stageStartedOn, input.today),
    plannedWeeks: stage.weeks,
    goals: stage.goals,
    override: p.program.override,
  };
}

function clearancePart(input: ReportInput): ReportModel['clearance'] {
  const c = clearanceInForce(input.clearances, input.today);
  const pending = input.clearances.filter((x) => x.status === 'pending' && (!c || x.issuedOn >= c.issuedOn)).at(-1);
  if (!c) {
    return { state: 'none', clinician: null, profession: null, contact: null, issuedOn: null, validUntil: null, status: null, restrictions: [], note: null, pendingSince: pending?.issuedOn ?? null };
  }
  return {
    state: clearanceState(c, input.today, input.clearanceValidityMonths),
    clinician: c.clinician,
    profession: c.profession,
    contact: c.contact,
    issuedOn: c.issuedOn,
    validUntil: clearanceExpiry(c, input.clearanceValidityMonths),
    status: c.status,
    restrictions: c.restrictions.map(describeRestriction),
    note: c.note,
    pendingSince: pending?.issuedOn ?? null,
  };
}

function heartRateTarget(v: ScreeningVerdict): string {
  const hr = v.targets.heartRate;
  return hr ? `heart rate ${hr.low}–${hr.high} bpm` : '';
}

/** Sessions attended against those planned, over the period from the program's start (as `summary` counts them). */
function adherenceOf(input: ReportInput, inPeriod: readonly ReportEntry[]): ReportModel['adherence'] {
  const stage = currentStage(input);
  if (!input.program || !stage) return null;
  const from = input.program.program.startDate > input.since ? input.program.program.startDate : input.since;
  const planned = plannedSessions(stage.sessionsPerWeek, from, input.today);
  const attended = inPeriod.filter((e) => e.attended && e.date >= from).length;
  return { attended, planned, share: adherence(attended, planned) };
}

function painSeriesOf(attended: readonly ReportEntry[]): Series[] {
  const pick = (label: string, get: (e: ReportEntry) => number | undefined): Series => ({
    label,
    points: attended.flatMap((e) => {
      const v = get(e);
      return v === undefined ? [] : [{ date: e.date, value: v }];
    }),
  });
  return [pick('during', (e) => e.painDuring), pick('after', (e) => e.painAfter), pick('next morning', (e) => e.nextDayPain)];
}

/** Each outcome measure, once per side for those measured per leg (single-leg stance): a left value is never compared with a right one. */
function outcomeSides(): { code: string; side: 'left' | 'right' | undefined; label: string }[] {
  return Object.keys(OUTCOME_MEASURES).flatMap((code): { code: string; side: 'left' | 'right' | undefined; label: string }[] => {
    const def = MEASURES[code as MeasureCode];
    return def.sided ? (['left', 'right'] as const).map((side) => ({ code, side, label: `${def.label} (${side})` })) : [{ code, side: undefined, label: def.label }];
  });
}

/** Baseline is the first value ever recorded, before the period if need be; latest is the last in the period (none with only a baseline). */
function outcomeRows(entries: readonly ReportEntry[], since: string, today: string): OutcomeRow[] {
  const rows: OutcomeRow[] = [];
  for (const { code, side, label } of outcomeSides()) {
    const measure = OUTCOME_MEASURES[code]!;
    const points = measurePoints(entries, code, today, side);
    const baseline = points[0];
    if (!baseline) continue;
    const def = MEASURES[code as MeasureCode];
    const latest = points.filter((p) => p.date >= since).at(-1);
    // Only the baseline so far: still a row, so the clinician sees the measure is being taken.
    if (!latest || latest === baseline) {
      rows.push({ code, label, unit: def.unit, baseline, latest: null, change: null, improved: null, mcid: measure.mcid, mcidReached: null, source: measure.source });
      continue;
    }
    const change = outcomeChange(code, baseline.value, latest.value)!;
    rows.push({ code, label, unit: def.unit, baseline, latest, change: change.change, improved: change.improved, mcid: measure.mcid, mcidReached: change.mcidReached, source: measure.source });
  }
  return rows;
}

function measurePoints(entries: readonly ReportEntry[], code: string, today: string, side?: 'left' | 'right'): Point[] {
  return entries
    .filter((e) => e.date <= today)
    .flatMap((e) => e.measures.filter((m) => m.code === code && (side === undefined || m.side === side)).map((m) => ({ date: e.date, value: m.value })));
}

function outcomeSeriesOf(entries: readonly ReportEntry[], since: string, today: string): ReportModel['outcomeSeries'] {
  return outcomeSides()
    .map(({ code, side, label }) => {
      const points = measurePoints(entries, code, today, side);
      // The baseline point stays on the chart when it is older than the period: change is read against it.
      const shown = points.filter((p, i) => i === 0 || p.date >= since);
      const def = MEASURES[code as MeasureCode];
      return { code, label, unit: def.unit, points: shown };
    })
    .filter((s) => s.points.length >= 2 && s.points.some((p) => p.date >= since));
}

const NOT_KEY = new Set<MeasureCode>(['signoff', 'sessions_attended', 'pain_during', 'pain_after', 'next_morning_pain']);

/** The current stage's first measured exit criterion (knee flexion ≥ 110° …), against what was recorded in the period. */
function keyMeasureOf(input: ReportInput, inPeriod: readonly ReportEntry[]): ReportModel['keyMeasure'] {
  const stage = currentStage(input);
  const c = stage?.exitCriteria.find((x): x is ExitCriterion & { op: NonNullable<ExitCriterion['op']>; value: number } => !NOT_KEY.has(x.measure) && x.op !== undefined && x.value !== undefined);
  if (!c) return null;
  const def = MEASURES[c.measure];
  const sides: ('left' | 'right' | undefined)[] = [];
  if (def.sided) {
    const affected = sideOf(input);
    const side = c.side === 'affected' ? affected : c.side;
    if (side === 'left' || side === 'right') sides.push(side);
    else sides.push('left', 'right');
  } else sides.push(undefined);
  const series = sides.map((side) => ({ label: side ?? def.label, points: measurePoints(inPeriod, c.measure, input.today, side) })).filter((s) => s.points.length > 0 || sides.length === 1);
  return { label: def.label, unit: def.unit, criterion: describeCriterion(c), op: c.op, target: c.value, series, limit: romLimitOf(input, c.measure, sides) };
}

/** The clearance in force's range-of-motion limit for a measure (rom.<joint>.<side>), on the sides charted; the strictest when several apply. */
function romLimitOf(input: ReportInput, measure: string, sides: readonly ('left' | 'right' | undefined)[]): { value: number; text: string } | null {
  const c = clearanceInForce(input.clearances, input.today);
  if (!c || c.status === 'not-cleared') return null;
  const joint = MEASURE_JOINT[measure];
  if (!joint) return null;
  const limits = c.restrictions.filter((r) => {
    const [head, j, side] = r.code.split('.');
    return head === 'rom' && j === joint && typeof r.value === 'number' && (side === undefined || sides.includes(side as 'left' | 'right') || sides.includes(undefined));
  });
  const strictest = limits.sort((a, b) => Number(a.value) - Number(b.value))[0];
  return strictest ? { value: Number(strictest.value), text: describeRestriction(strictest) } : null;
}

function sideOf(input: ReportInput): Side | undefined {
  return affectedSide(input.intake?.answers.conditions ?? [], input.programFits);
}

function criteriaPart(input: ReportInput): ReportModel['criteria'] {
  const stage = currentStage(input);
  if (!input.program || !stage) return [];
  const results = currentStageCriteria(input.program, input.entries, { conditions: input.intake?.answers.conditions ?? [], fits: input.programFits, today: input.today, signoffs: input.signoffs });
  return results.map((r) => ({
    text: describeCriterion(r.criterion),
    met: r.met,
    // The command that records a sign-off is for the trainer's screen, not the clinician's page.
    detail: r.detail.replace(/ \(program advance --sign-off \w+\)/, ''),
  }));
}

function exerciseRow(x: PlannedExercise): ReportModel['exercises'][number] {
  return {
    name: x.name,
    dose: describeDose(x.dose, x.side),
    heartRate: x.heartRate ? `${x.heartRate.low}–${x.heartRate.high} bpm` : null,
    cues: x.cues,
    notes: x.notes,
    replaces: x.replaces?.name ?? null,
  };
}

function transitionCriteria(evidence: unknown): { text: string; met: boolean; detail: string }[] {
  const list = (evidence as { criteria?: { criterion?: unknown; met?: unknown; detail?: unknown }[] } | null)?.criteria;
  if (!Array.isArray(list)) return [];
  return list.map((c) => ({ text: String(c.criterion ?? ''), met: c.met === true, detail: String(c.detail ?? '') }));
}

/** The gates kept with a stage change (evidence from stage-1.0.0 on), what a forced one passed, and its sign-offs. */
function transitionGates(evidence: unknown): Pick<ReportModel['transitions'][number], 'gates' | 'forcedPast' | 'signoffs' | 'ruleVersion'> {
  const e = (evidence ?? {}) as { gates?: unknown; forcedPast?: unknown; signoffs?: unknown; ruleVersion?: unknown };
  const gates = Array.isArray(e.gates)
    ? (e.gates as Record<string, unknown>[]).map((g) => ({ code: String(g.code ?? ''), status: String(g.status ?? ''), reason: String(g.reason ?? ''), source: String(g.source ?? '') }))
    : [];
  const past = new Set(Array.isArray(e.forcedPast) ? e.forcedPast.map(String) : []);
  const signoffs = Array.isArray(e.signoffs)
    ? (e.signoffs as Record<string, unknown>[]).map((s) => {
        const by = s.by === 'clinician' ? 'clinician' : 'trainer';
        const who = signer({ by, date: String(s.date ?? ''), name: typeof s.name === 'string' ? s.name : null, profession: typeof s.profession === 'string' ? s.profession : null });
        return `${by}: ${who} on ${String(s.date ?? '')}`;
      })
    : [];
  return { gates, forcedPast: gates.filter((g) => past.has(g.code)).map((g) => g.reason), signoffs, ruleVersion: typeof e.ruleVersion === 'string' ? e.ruleVersion : null };
}

function logRow(e: ReportEntry, referrals: readonly ReportReferral[], names: ReadonlyMap<string, string>, clearances: ReportInput['clearances']): LogRow {
  const d = e.decision as SessionDecision | null | undefined;
  // An entry without its decision still says it was held in its missed reason (session.ts heldAsNotTrained).
  const held = d ? d.today === 'hold' : !e.attended && e.missedReason?.startsWith(HELD_PREFIX) === true;
  const measures = e.measures.map((m) => {
    const def = MEASURES[m.code as MeasureCode];
    const label = def ? def.label : m.code;
    const value = m.code === 'effusion_grade' ? effusionLabel(m.value) : `${m.value}${def && /^[°/%]/.test(def.unit) ? def.unit : def?.unit ? ` ${def.unit}` : ''}`;
    return `${label}${m.side ? ` (${m.side})` : ''} ${value}`;
  });
  const breaches = e.attended ? breachesOf(e, clearances) : [];
  return {
    date: e.date,
    attended: e.attended,
    ...(held ? { held: heldReasons(e, d, referrals) } : e.missedReason ? { missedReason: e.missedReason } : {}),
    ...(e.stage !== undefined ? { stage: e.stage } : {}),
    ...(e.painBefore !== undefined ? { painBefore: e.painBefore } : {}),
    ...(e.painDuring !== undefined ? { painDuring: e.painDuring } : {}),
    ...(e.painAfter !== undefined ? { painAfter: e.painAfter } : {}),
    ...(e.nextDayPain !== undefined ? { nextDayPain: e.nextDayPain } : {}),
    ...(e.rpe ? { rpe: `${e.rpe.value}${e.rpe.scale === 'borg' ? ' (Borg)' : ''}` } : {}),
    ...(e.vitals.bp ? { bp: `${e.vitals.bp.systolic}/${e.vitals.bp.diastolic}` } : {}),
    ...(e.vitals.glucose ? { glucose: glucoseText(e.vitals.glucose) } : {}),
    outcome: held ? 'held' : !e.attended ? 'missed' : d?.advice ? (ADVICE_WORDS[d.advice.advice] ?? d.advice.advice) : '',
    measures: measures.join('; '),
    flags: d?.flags?.map((f) => f.text) ?? [],
    // A range past the limit is the row's breach (below); the session rule's warning for it (rom_beyond_limit, progress-1.4.0) is not said twice.
    warnings: d?.warnings?.filter((w) => !(w.code === 'rom_beyond_limit' && breaches.length > 0)).map((w) => `${w.text} (${w.source})`) ?? [],
    breaches,
    done: e.exercises.map((x) => doneText(x, names)),
    ...(e.notes ? { notes: e.notes } : {}),
  };
}

/** Each exercise id of the program (every stage, and what a variant replaced) with its name. */
function exerciseNames(input: ReportInput): Map<string, string> {
  const names = new Map<string, string>();
  for (const stage of input.program?.program.stages ?? []) {
    for (const x of stage.exercises) {
      names.set(x.exerciseId, x.name);
      if (x.replaces && !names.has(x.replaces.id)) names.set(x.replaces.id, x.replaces.name);
    }
  }
  return names;
}

/** An exercise done, as the log shows it: "Mini squat 2×10 at 5 kg", "Walking 10 min", "Heel raises: skipped". */
export function doneText(x: ExerciseDone, names: ReadonlyMap<string, string>): string {
  const name = names.get(x.exerciseId) ?? x.exerciseId.replace(/[-_]+/g, ' ');
  if (!x.completed) return `${name}: skipped`;
  const time = x.seconds === undefined ? '' : x.seconds >= 60 && x.seconds % 60 === 0 ? `${x.seconds / 60} min` : `${x.seconds} s`;
  const amount = x.reps !== undefined ? `${x.sets ?? 1}×${x.reps}` : time ? (x.sets && x.sets > 1 ? `${x.sets}×${time}` : time) : x.sets !== undefined ? `${x.sets} set${x.sets === 1 ? '' : 's'}` : '';
  return [name, amount, x.loadKg !== undefined ? `at ${x.loadKg} kg` : ''].filter(Boolean).join(' ');
}

/** Range recorded at a session beyond a range-of-motion limit (rom.<joint>.<side>) of the clearance in force that day, in words. */
function breachesOf(e: ReportEntry, clearances: ReportInput['clearances']): string[] {
  const c = clearanceInForce(clearances, e.date);
  if (!c || c.status === 'not-cleared') return [];
  const out: string[] = [];
  for (const r of c.restrictions) {
    const [head, joint, side] = r.code.split('.');
    if (head !== 'rom' || typeof r.value !== 'number') continue;
    for (const m of e.measures) {
      if (MEASURE_JOINT[m.code] !== joint || (m.side !== undefined && side !== undefined && m.side !== side) || m.value <= r.value) continue;
      out.push(`${m.side ?? side ?? ''} ${MEASURES[m.code as MeasureCode].label} ${m.value}°, past the clearance's limit of ${r.value}°`.trim());
    }
  }
  return out;
}

/** mmol/L with its one decimal (7.0, as meters show it); mg/dL as recorded. */
function glucoseText(g: Glucose): string {
  return `${g.unit === 'mmol/L' && Number.isInteger(g.value) ? g.value.toFixed(1) : g.value} ${g.unit}`;
}

const HELD_PREFIX = 'held: ';

/** Why a session was held, each reason once (see LogRow.held). */
function heldReasons(e: ReportEntry, d: SessionDecision | null | undefined, referrals: readonly ReportReferral[]): string[] {
  if (!d) return [e.missedReason!.slice(HELD_PREFIX.length)];
  const flagged = new Set(d.flags.map((f) => f.text));
  const checks = d.checks.filter((c) => (c.severity === 'hold' || c.severity === 'refer') && !flagged.has(c.text));
  const stopping = checks.filter((c) => c.code === 'stop_referral_open');
  const rest = checks.filter((c) => c.code !== 'stop_referral_open').map((c) => c.text);
  if (stopping.length === 0) return rest;
  // Each open referral is named in full in the Referrals table: here, the days they were raised.
  const open = d.openReferrals.map((o) => referrals.find((r) => r.id === o.id)).filter((r): r is ReportReferral => r !== undefined && r.raisedOn < e.date && stopsTraining(r.code));
  if (open.length !== stopping.length) return [...stopping.map((c) => c.text), ...rest];
  const days = open.map((r) => r.raisedOn);
  const which = days.length === 1 ? `Referral of ${days[0]}` : `Referrals of ${days.slice(0, -1).join(', ')} and ${days.at(-1)}`;
  return [`${which} still open: no session until a clinician has assessed the client`, ...rest];
}

/**
 * A file name safe on every OS for a client's report: ASCII letters, digits
 * and hyphens only, led by the client's id so two clients never collide.
 * `roman`: the name already in Latin letters (app/romanise.ts), for names in
 * other scripts; without it, letters outside Latin are dropped.
 *
 * @example
 * reportFileName(12, 'Zoë', "O'Brien")            // "0012-zoe-obrien.pdf"
 * reportFileName(7, '娜', '李', '', 'li na')        // "0007-li-na.pdf"
 */
export function reportFileName(id: number, firstName: string, lastName: string, suffix = '', roman?: string): string {
  const slug = (roman ?? `${firstName} ${lastName}`)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/ł/g, 'l')
    .replace(/Ł/g, 'L')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[đĐ]/g, 'd')
    .replace(/[þÞ]/g, 'th')
    .toLowerCase()
    .replace(/['’]/g, '')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40)
    .replace(/-+$/, '');
  return `${String(id).padStart(4, '0')}-${slug || 'client'}${suffix}.pdf`;
}
