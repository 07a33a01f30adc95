/**
 * The screening verdict: whether it is safe to start, what a clinician must
 * clear first, and how hard to train. Pure: it takes the intake, the
 * clearances and the settings, and says why for every finding.
 * bridgefit never diagnoses; it screens, documents and says "refer".
 */
import { addMonths, ageOn, lastDayOf } from './dates.js';
import { CONDITIONS, DIABETES, type AcsmDisease, type ConditionCode } from './conditions.js';
import {
  clearanceExpiry,
  clearanceInForce,
  clearanceState,
  describeRestriction,
  type Clearance,
  type ClearanceState,
  type Restriction,
} from './clearance.js';
import type { Intensity, IntakeAnswers } from './intake.js';
import { MEDICATION_CLASSES } from './medications.js';
import { FOLLOW_UPS, FOLLOW_UP_CODES, PARQ_FORM_VERSION, PARQ_QUESTION_KEYS, openedFollowUps, type FollowUpCode } from './parq.js';
import { HR_MAX_FORMULAS, type Settings } from './settings.js';
import { SYMPTOMS, type SymptomCode } from './symptoms.js';
import { formatBloodPressure } from './vitals.js';
import { vitalsFindings } from './vitals-rules.js';

/** Stored with every verdict; bump when a rule changes what a verdict says. */
export const SCREENING_RULES_VERSION = 'screening-1.3.0';

export type AcsmOutcome = 'not-necessary' | 'recommended' | 'recommended-before-vigorous' | 'discontinue';
export type ParqOutcome = 'proceed' | 'seek-more-information' | 'delay';
export type Gate = 'ok' | 'needs-clearance' | 'refer';
export type StartingIntensity = 'light-moderate' | 'moderate-vigorous' | 'none';
export type Dosing = 'heart-rate' | 'rpe-only';

export type { Reason, Severity } from './reason.js';
import type { Reason, Severity } from './reason.js';

export interface HeartRateTarget {
  low: number;
  high: number;
  basis: string;
}

export interface ScreeningVerdict {
  ruleVersion: string;
  screenedOn: string;
  intakeDate: string;
  gate: Gate;
  /** Whether a session may go ahead today on the intake's vitals. */
  sessionToday: 'go' | 'hold';
  acsm: {
    outcome: AcsmOutcome;
    rule: 'acsm-2015' | 'ada-2016';
    physicallyActive: boolean;
    knownDisease: AcsmDisease[];
    symptoms: SymptomCode[];
    desiredIntensity: Intensity;
  };
  parq: { outcome: ParqOutcome; formVersion: string; yes: string[] };
  redFlags: { code: string; text: string }[];
  clearance: {
    needed: boolean;
    state: ClearanceState | 'none';
    covers: boolean;
    inForce: { id: number; clinician: string; profession: string; issuedOn: string; validUntil: string; status: string } | null;
    restrictions: Restriction[];
  };
  startingIntensity: StartingIntensity;
  dosing: Dosing;
  targets: { rpe: string | null; heartRate: HeartRateTarget | null };
  reasons: Reason[];
}

export interface ScreeningInput {
  client: { dateOfBirth: string };
  intake: IntakeAnswers;
  clearances: readonly Clearance[];
  settings: Settings;
  /** The day the verdict is for (YYYY-MM-DD). */
  today: string;
  /** The intake before this one, to tell new findings from known ones. */
  previous?: IntakeAnswers;
  /**
   * Referrals open today for a red flag or a new sign or symptom found at a
   * session (stopsTraining): until a clinician has assessed the client, no
   * session and no program.
   */
  stopReferrals?: readonly { id: number; reason: string; raisedOn: string }[];
}

const SRC = {
  // What a clinician reads beside each reason: the published source, never an internal file.
  acsm: 'ACSM 2015 preparticipation screening (Riebe et al., MSSE 2015;47:2473-9)',
  ada: 'ADA position statement (Colberg et al., Diabetes Care 2016)',
  parq: 'PAR-Q+ (PAR-Q+ Collaboration, 2020)',
  redFlag: "ACSM's GETP 10th ed. stop criteria and trainer red flags (refer)",
  betaBlocker: 'Beta-blockers blunt the heart-rate response: dose by RPE or talk test',
  cardiacHr: 'Mytinger et al., JCDD 2020 (resting HR + 20–30 bpm) [unconfirmed]',
  karvonen: 'Karvonen heart-rate reserve method',
  clearance: 'bridgefit clearance rules: a clearance covers what was known when it was given'} as const;

/** ACSM 2015 decision table (FACTS §1) [C]. */
export function acsmOutcome(active: boolean, disease: boolean, symptomatic: boolean): AcsmOutcome {
  if (symptomatic) return active ? 'discontinue' : 'recommended';
  if (disease) return active ? 'recommended-before-vigorous' : 'recommended';
  return 'not-necessary';
}

export function screen(input: ScreeningInput): ScreeningVerdict {
  const { intake, settings, today, previous } = input;
  const reasons: Reason[] = [];
  const add = (code: string, severity: Severity, text: string, source: string) => reasons.push({ code, severity, text, source });
  const codes = intake.conditions.map((c) => c.code);
  const age = ageOn(input.client.dateOfBirth, today);
  const parq = intake.parq;

  // PAR-Q+ Q2 (chest pain) and Q3 (dizziness, lost consciousness) are ACSM
  // signs or symptoms and red flags whether or not they were ticked again (FACTS §1, §3).
  const symptoms = [...intake.symptoms];
  if (parq.q2 && !symptoms.includes('chest_pain')) symptoms.push('chest_pain');
  if (parq.q3 && !symptoms.includes('dizziness_syncope')) symptoms.push('dizziness_syncope');

  // --- ACSM 2015 (FACTS §1) ---
  const knownDisease = [...new Set(codes.map((c) => CONDITIONS[c].acsmDisease).filter((d): d is AcsmDisease => d !== null))];
  const acsmSymptoms = symptoms.filter((s) => SYMPTOMS[s].acsm);
  const active = intake.physicallyActive;
  let acsm = acsmOutcome(active, knownDisease.length > 0, acsmSymptoms.length > 0);
  let rule: 'acsm-2015' | 'ada-2016' = 'acsm-2015';
  const diseaseText = knownDisease.length
    ? `known ${knownDisease.join(' and ')} disease (${intake.conditions.filter((c) => CONDITIONS[c.code].acsmDisease).map((c) => CONDITIONS[c.code].label).join(', ')})`
    : 'no known cardiovascular, metabolic or renal disease';
  const sxText = acsmSymptoms.length ? `signs or symptoms: ${acsmSymptoms.map((s) => SYMPTOMS[s].label).join('; ')}` : 'no signs or symptoms';
  const activeText = active ? 'physically active' : 'not physically active';

  // ADA 2016 alternative (FACTS §1) [C]: sedentary, asymptomatic, diabetes the only disease, up to moderate.
  const diabetesOnly = knownDisease.length === 1 && knownDisease[0] === 'metabolic' && codes.some((c) => DIABETES.includes(c));
  if (settings['screening.diabetesRule'] === 'ada' && acsm === 'recommended' && !active && acsmSymptoms.length === 0 && diabetesOnly && intake.desiredIntensity !== 'vigorous') {
    acsm = 'not-necessary';
    rule = 'ada-2016';
    add('ada_no_clearance', 'info', 'ADA rule: no clearance needed for light to moderate activity (up to brisk walking) with diabetes and no symptoms', SRC.ada);
  }
  switch (acsm) {
    case 'discontinue':
      add('acsm_discontinue', 'refer', `ACSM: ${activeText} with ${sxText}: stop exercising and seek medical clearance; resume after clearance`, SRC.acsm);
      break;
    case 'recommended':
      add('acsm_clearance', 'clearance', `ACSM: ${activeText}, ${acsmSymptoms.length ? sxText : diseaseText}: medical clearance recommended; then light to moderate, progressing gradually`, SRC.acsm);
      break;
    case 'recommended-before-vigorous':
      // No clearance for moderate: the program may start; vigorous waits for a clearance.
      add(
        'acsm_before_vigorous',
        intake.desiredIntensity === 'vigorous' ? 'caution' : 'info',
        `ACSM: ${activeText} with ${diseaseText} and no symptoms: no clearance needed for moderate; clearance recommended before vigorous`,
        SRC.acsm,
      );
      break;
    case 'not-necessary':
      add('acsm_not_necessary', 'info', `ACSM: ${activeText}, ${diseaseText}, no symptoms: clearance not necessary`, rule === 'ada-2016' ? SRC.ada : SRC.acsm);
  }

  // --- PAR-Q+ (FACTS §2) ---
  const yes: string[] = PARQ_QUESTION_KEYS.filter((q) => parq[q]);
  const bp = intake.vitals.bp;
  // Follow-up 4b is YES when resting BP is ≥160/90 (PAR-Q+ [C]), whatever was ticked.
  const bpFollowUpYes = bp !== undefined && (bp.systolic >= 160 || bp.diastolic >= 90);
  const opened = openedFollowUps(parq, codes);
  // Every page answered counts, opened or not: a YES is never dropped.
  for (const page of FOLLOW_UP_CODES) {
    const answer = parq.followUps[page];
    if (!answer?.has) continue;
    for (const letter of Object.keys(FOLLOW_UPS[page].questions)) {
      if (answer[letter as 'a'] || (page === 'blood_pressure' && letter === 'b' && bpFollowUpYes)) yes.push(`${page}.${letter}`);
    }
  }
  if (bpFollowUpYes && !yes.includes('blood_pressure.b')) yes.push('blood_pressure.b');
  const followUpYes = yes.filter((y) => y.includes('.'));
  const pregnant = codes.includes('pregnancy');
  const delay = parq.temporaryIllness || parq.healthChanged || pregnant;
  if (parq.temporaryIllness) add('parq_delay_illness', 'hold', 'PAR-Q+: delay becoming more active until a temporary illness (cold, fever) is better', SRC.parq);
  if (parq.healthChanged) add('parq_delay_health_changed', 'clearance', 'PAR-Q+: health has changed: talk to a doctor or qualified exercise professional before going on', SRC.parq);
  if (pregnant) add('parq_delay_pregnancy', 'clearance', 'PAR-Q+: pregnant: talk to a health care practitioner before becoming more active', SRC.parq);
  if (followUpYes.length > 0) {
    const answered = followUpYes.filter((y) => !(y === 'blood_pressure.b' && bpFollowUpYes && !parq.followUps.blood_pressure?.b));
    const listed = [...answered, ...(answered.length < followUpYes.length ? ['blood_pressure.b from the measured BP'] : [])];
    add('parq_follow_up_yes', 'clearance', `PAR-Q+: YES on a follow-up question (${listed.join(', ')}): seek more information (ePARmed-X+, a physician or qualified exercise professional) before becoming more active`, SRC.parq);
  } else if (yes.length === 0) {
    add('parq_all_no', 'info', 'PAR-Q+: all NO: may become more active; start slowly and build up', SRC.parq);
  } else {
    add('parq_follow_ups_no', 'info', `PAR-Q+: YES on ${yes.join(', ')} but NO on every follow-up: ready to be more active at low to moderate intensity, 20–60 min 3–5 days a week, with a qualified exercise professional`, SRC.parq);
  }
  if (parq.q7) add('parq_supervised_only', 'clearance', 'PAR-Q+ Q7: a doctor said only medically supervised activity: clearance needed; supervised sessions only', SRC.parq);
  if (age > 45 && intake.desiredIntensity === 'vigorous') {
    add('parq_qep_vigorous', 'caution', 'PAR-Q+: over 45: if not used to vigorous exercise, see a qualified exercise professional before vigorous work', SRC.parq);
  }
  if (bpFollowUpYes) add('parq_bp_160_90', 'clearance', `PAR-Q+: resting blood pressure ${formatBloodPressure(bp!)} reaches 160 systolic or 90 diastolic`, SRC.parq);
  if (!bp && (opened.includes('blood_pressure') || codes.includes('hypertension'))) {
    add('bp_unmeasured', 'caution', 'High blood pressure is on record but no resting BP was measured: measure it before the first session (PAR-Q+ 4b counts an unknown BP as YES)', SRC.parq);
  }
  const parqOutcome: ParqOutcome = delay ? 'delay' : followUpYes.length > 0 ? 'seek-more-information' : 'proceed';
  // Answers that contradict the recorded history: a condition on record whose page was answered NO.
  for (const page of opened) {
    const recorded = intake.conditions.filter((c) => conditionPage(c.code) === page);
    if (recorded.length > 0 && parq.followUps[page]?.has === false) {
      add('parq_contradicts_record', 'caution', `PAR-Q+ follow-up "${FOLLOW_UPS[page].gate}" was answered NO, but ${recorded.map((c) => CONDITIONS[c.code].label).join(', ')} is recorded: check the answers`, SRC.parq);
    }
  }

  // --- Red flags (FACTS §3) ---
  const redFlags: { code: string; text: string }[] = symptoms.filter((s) => SYMPTOMS[s].redFlag).map((s) => ({ code: s, text: SYMPTOMS[s].label }));
  for (const f of redFlags) add(`red_flag_${f.code}`, 'refer', `Red flag: ${f.text}: stop and refer to a clinician`, SRC.redFlag);
  // A red flag raised at a session and still open stops training as one found at intake does (FACTS §1, §3).
  for (const r of input.stopReferrals ?? []) {
    redFlags.push({ code: `referral_${r.id}`, text: `referral ${r.id} of ${r.raisedOn} still open: ${r.reason}` });
    add('stop_referral_open', 'refer', `Referral ${r.id} of ${r.raisedOn} is still open (${r.reason}): no session and no new program until a clinician has assessed the client and the referral is resolved`, SRC.redFlag);
  }

  // --- Resting vitals before activity: blood pressure and glucose (FACTS §3) ---
  const cardiac = codes.some((c) => CONDITIONS[c].cardiac);
  reasons.push(...vitalsFindings(intake.vitals, { conditions: codes, medications: intake.medications, settings, symptoms: intake.symptoms }));

  // --- Intake age (FACTS §2: PAR-Q+ validity up to 12 months [U]) ---
  const intakeUntil = addMonths(intake.date, settings['screening.intakeValidityMonths']);
  if (today > intakeUntil) add('intake_stale', 'caution', `This intake is from ${intake.date}, older than ${settings['screening.intakeValidityMonths']} months: repeat it`, SRC.parq);

  // --- Clearance (FACTS §1) ---
  const validity = settings['screening.clearanceValidityMonths'];
  const inForce = clearanceInForce(input.clearances, today);
  const state: ClearanceState | 'none' = inForce ? clearanceState(inForce, today, validity) : 'none';
  const pending = input.clearances.some((c) => c.status === 'pending' && (!inForce || c.issuedOn >= inForce.issuedOn));
  const blocking = reasons.filter((r) => r.severity === 'refer' || r.severity === 'clearance');
  const needed = blocking.length > 0;
  const valid = state === 'valid';
  // A clearance covers what was known when it was given. Findings that came
  // with this intake — symptoms, red flags, a hold-level BP, a change in health,
  // and any PAR-Q+ YES or condition not in the intake before — need a clearance
  // given on or after it; a condition diagnosed after the clearance is not covered.
  const previousYes = previous ? new Set(parqYes(previous)) : null;
  const previousCodes = previous ? new Set(previous.conditions.map((c) => c.code)) : null;
  const newYes = previousYes ? yes.filter((y) => !previousYes.has(y)) : [];
  const newConditions = previousCodes ? codes.filter((c) => !previousCodes.has(c)) : [];
  const needsFresh =
    reasons.some((r) => r.severity === 'refer' || (r.code.startsWith('acsm_') && acsmSymptoms.length > 0) || r.code === 'parq_delay_health_changed') ||
    newYes.length > 0 ||
    newConditions.length > 0;
  const fresh = inForce !== undefined && inForce.issuedOn >= intake.date;
  const diagnosedAfter = inForce ? intake.conditions.filter((c) => CONDITIONS[c.code].acsmDisease && c.date !== undefined && lastDayOf(c.date) > inForce.issuedOn) : [];
  const covers = needed && valid && (!needsFresh || fresh) && diagnosedAfter.length === 0;

  if (inForce) {
    const until = clearanceExpiry(inForce, validity);
    const who = `${inForce.clinician} (${inForce.profession}), ${inForce.issuedOn}`;
    if (state === 'not-cleared') add('clearance_not_cleared', 'refer', `Not cleared by ${who}: refer back to the clinician`, SRC.clearance);
    else if (state === 'expired') add('clearance_expired', needed ? 'clearance' : 'info', `Clearance by ${who} expired on ${until}`, SRC.clearance);
    else if (needed && diagnosedAfter.length > 0) {
      add('clearance_predates_diagnosis', 'info', `Clearance by ${who} was given before ${diagnosedAfter.map((c) => `${CONDITIONS[c.code].label} (${c.date})`).join(', ')}; it does not cover it`, SRC.clearance);
    } else if (needed && needsFresh && !fresh) {
      const what = [...newYes.map((y) => `PAR-Q+ ${y}`), ...newConditions.map((c) => CONDITIONS[c].label)];
      add('clearance_predates_findings', 'info', `Clearance by ${who} was given before this intake's new findings (${intake.date}${what.length ? `: ${what.join(', ')}` : ''}); it does not cover them`, SRC.clearance);
    } else {
      add('clearance_valid', 'info', `Cleared by ${who}, valid until ${until}${inForce.restrictions.length ? `, with restrictions: ${inForce.restrictions.map(describeRestriction).join('; ')}` : ''}`, SRC.clearance);
    }
    if (state === 'expired' && inForce.restrictions.length > 0) {
      add('restrictions_still_apply', 'caution', `The expired clearance's restrictions still apply until a clinician says otherwise: ${inForce.restrictions.map(describeRestriction).join('; ')}`, SRC.clearance);
    }
  } else if (needed) {
    add('clearance_missing', 'info', 'No clearance on file', SRC.clearance);
  }
  if (pending) add('clearance_pending', 'info', 'A clearance request is pending', SRC.clearance);

  let gate: Gate;
  if (state === 'not-cleared') gate = 'refer';
  else if (covers || !needed) gate = 'ok';
  else gate = blocking.some((r) => r.severity === 'refer') ? 'refer' : 'needs-clearance';
  // Whatever the clearance: it was given before the red flag.
  if ((input.stopReferrals ?? []).length > 0) gate = 'refer';

  // --- Starting intensity (FACTS §1, §2, §6) ---
  let startingIntensity: StartingIntensity;
  if (gate !== 'ok') startingIntensity = 'none';
  else if ((acsm === 'not-necessary' && active) || (acsm === 'recommended-before-vigorous' && valid)) startingIntensity = 'moderate-vigorous';
  else startingIntensity = 'light-moderate';
  if (startingIntensity === 'moderate-vigorous' && cardiac) {
    // Cardiac clients without an exercise test: resting HR + 20–30 bpm, RPE ≤13 (Mytinger 2020) [U].
    startingIntensity = 'light-moderate';
    add('cardiac_light_moderate', 'caution', 'Cardiac client without an exercise test on file: light to moderate only (RPE 11–13 on 6–20)', SRC.cardiacHr);
  }
  if (startingIntensity === 'moderate-vigorous' && yes.length > 0) {
    // PAR-Q+ with a YES and every follow-up NO: low to moderate (FACTS §2).
    startingIntensity = 'light-moderate';
  }
  const clearedMaxRpe = inForce?.restrictions.find((r) => r.code === 'max_rpe')?.value;
  if (startingIntensity === 'moderate-vigorous' && typeof clearedMaxRpe === 'number' && clearedMaxRpe <= 5) {
    startingIntensity = 'light-moderate'; // the clinician's effort ceiling is itself light to moderate
  }
  if (startingIntensity === 'light-moderate') {
    add('start_light_moderate', 'info', acsm === 'not-necessary' && yes.length === 0 ? 'Start at light to moderate intensity; may progress to vigorous' : 'Start at light to moderate intensity and progress gradually', SRC.acsm);
  }

  // --- Dosing (FACTS §5) ---
  const rateLimiting = intake.medications.filter((m) => MEDICATION_CLASSES[m.class].rateLimiting);
  const dosing: Dosing = rateLimiting.length > 0 ? 'rpe-only' : 'heart-rate';
  if (dosing === 'rpe-only') {
    add('dosing_rpe_only', 'caution', `Dose by RPE or talk test, not heart rate: ${rateLimiting.map((m) => `${m.name} (${MEDICATION_CLASSES[m.class].label})`).join(', ')} blunts the heart-rate response`, SRC.betaBlocker);
  }
  // Restrictions bind while they are the clinician's last word, even after the clearance expires.
  const restrictions = inForce && state !== 'not-cleared' ? inForce.restrictions : [];
  const targets = intensityTargets(startingIntensity, dosing, age, intake, cardiac, restrictions, settings);
  if (targets.heartRate) add('hr_target', 'info', `Heart-rate target ${targets.heartRate.low}–${targets.heartRate.high} bpm (${targets.heartRate.basis})`, cardiac ? SRC.cardiacHr : SRC.karvonen);

  // No session today on a hold-level reading, a red flag or any finding that refers (FACTS §3).
  // No session either while the gate is closed: there is no cleared program to train.
  const holdToday = gate !== 'ok' || parq.healthChanged || reasons.some((r) => r.severity === 'hold' || r.severity === 'refer');

  return {
    ruleVersion: SCREENING_RULES_VERSION,
    screenedOn: today,
    intakeDate: intake.date,
    gate,
    sessionToday: holdToday ? 'hold' : 'go',
    acsm: { outcome: acsm, rule, physicallyActive: active, knownDisease, symptoms: acsmSymptoms, desiredIntensity: intake.desiredIntensity },
    parq: { outcome: parqOutcome, formVersion: PARQ_FORM_VERSION, yes },
    redFlags,
    clearance: {
      needed,
      state,
      covers,
      inForce: inForce
        ? { id: inForce.id, clinician: inForce.clinician, profession: inForce.profession, issuedOn: inForce.issuedOn, validUntil: clearanceExpiry(inForce, validity), status: inForce.status }
        : null,
      restrictions,
    },
    startingIntensity,
    dosing,
    targets,
    reasons,
  };
}

/** The PAR-Q+ YES answers of an intake, first page and follow-ups ("q4", "metabolic.b"). */
function parqYes(a: IntakeAnswers): string[] {
  const out: string[] = PARQ_QUESTION_KEYS.filter((q) => a.parq[q]);
  for (const page of FOLLOW_UP_CODES) {
    const answer = a.parq.followUps[page];
    if (!answer?.has) continue;
    for (const letter of Object.keys(FOLLOW_UPS[page].questions)) if (answer[letter as 'a']) out.push(`${page}.${letter}`);
  }
  return out;
}

// ACSM intensity classes [C]: light 30–39% HRR / RPE 9–11, moderate 40–59% / 12–13, vigorous ≥60% / ≥14.
// On the 0–10 scale (Borg CR10; 2008 PA Guidelines: moderate 5–6, vigorous 7–8) [C]: light–moderate ≈ 2–5, moderate–vigorous ≈ 4–7.
const BANDS = {
  'light-moderate': { rpe: [9, 13], cr10: [2, 5], hrr: [0.3, 0.59] },
  'moderate-vigorous': { rpe: [12, 16], cr10: [4, 7], hrr: [0.4, 0.85] },
} as const;

function intensityTargets(
  start: StartingIntensity,
  dosing: Dosing,
  age: number,
  intake: IntakeAnswers,
  cardiac: boolean,
  restrictions: readonly Restriction[],
  settings: Settings,
): ScreeningVerdict['targets'] {
  if (start === 'none') return { rpe: null, heartRate: null };
  const band = BANDS[start];
  const maxRpe = restrictions.find((r) => r.code === 'max_rpe')?.value as number | undefined;
  // Cardiac clients: RPE 11–13 with the resting HR + 20–30 rule (Mytinger 2020) [U].
  const borg = cardiac ? ([11, 13] as const) : band.rpe;
  const cr10 = cardiac ? ([3, 4] as const) : band.cr10;
  const rpe =
    maxRpe !== undefined && maxRpe < cr10[1]
      ? `${Math.min(cr10[0], maxRpe)}–${maxRpe}/10, capped at ${maxRpe}/10 as cleared`
      : `${cr10[0]}–${cr10[1]}/10 (${borg[0]}–${borg[1]} on the 6–20 scale)`;
  const rest = intake.vitals.restingHr;
  if (dosing === 'rpe-only' || rest === undefined) return { rpe, heartRate: null };
  const maxHr = restrictions.find((r) => r.code === 'max_hr')?.value as number | undefined;
  let low: number;
  let high: number;
  let basis: string;
  if (cardiac) {
    // Without an exercise test: resting HR + 20 to + 30 bpm (Mytinger 2020) [U].
    low = rest + 20;
    high = rest + 30;
    basis = 'resting heart rate + 20 to 30 bpm, cardiac client without an exercise test';
  } else {
    const formula = HR_MAX_FORMULAS[settings['screening.hrMaxFormula']];
    const hrMax = formula.estimate(age);
    // Karvonen: target = (HRmax − HRrest) × intensity + HRrest (FACTS §5).
    low = Math.round((hrMax - rest) * band.hrr[0] + rest);
    high = Math.round((hrMax - rest) * band.hrr[1] + rest);
    basis = `Karvonen ${Math.round(band.hrr[0] * 100)}–${Math.round(band.hrr[1] * 100)}% of heart-rate reserve, HRmax ${Math.round(hrMax)} (${formula.label})`;
  }
  if (maxHr !== undefined && high > maxHr) {
    high = maxHr;
    low = Math.min(low, maxHr);
    basis += `, capped at ${maxHr} bpm as cleared`;
  }
  return { rpe, heartRate: { low, high, basis } };
}

/** Severities in the order a person should read them. */
export { SEVERITY_ORDER } from './reason.js';

/** One line that says what matters most in a verdict, for summaries. */
export function verdictHeadline(v: ScreeningVerdict): string {
  const first = (severity: Severity) => v.reasons.find((r) => r.severity === severity)?.text;
  if (v.gate === 'refer') return first('refer') ?? 'refer to a clinician';
  if (v.gate === 'needs-clearance') return first('clearance') ?? 'clearance needed';
  if (v.clearance.covers && v.clearance.inForce) return `cleared by ${v.clearance.inForce.clinician} until ${v.clearance.inForce.validUntil}`;
  return first('hold') ?? first('caution') ?? 'no clearance needed';
}

/** The follow-up page a recorded condition belongs to, if any. */
function conditionPage(code: ConditionCode): FollowUpCode | undefined {
  return openedFollowUps({ q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false }, [code])[0];
}
