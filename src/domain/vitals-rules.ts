/**
 * Resting vitals before activity: the blood-pressure and glucose rules shared
 * by screening (at intake) and the pre-session check (at each progress entry).
 */
import { CONDITIONS, DIABETES, type ConditionCode } from './conditions.js';
import type { MedicationClass } from './medications.js';
import type { Reason } from './reason.js';
import type { Settings } from './settings.js';
import { MG_DL_PER_MMOL_L, formatBloodPressure, formatGlucose, glucoseMmol, type BloodPressure, type Glucose } from './vitals.js';

const SRC = {
  getp: "ACSM's GETP 10th ed., pp. 228–229",
  bpPolicy: 'bridgefit default blood-pressure policy [unconfirmed; a setting]',
  glucose: 'Turner et al., Sports Med Open 2019;5:20',
  adaOld: 'ADA/ACSM joint position statement (Colberg et al., 2010)',
  hrHigh: "ACSM's GETP 10th ed. (contraindications to exercise: resting tachycardia >120 bpm); AACVPR (no session above 120 bpm at rest)",
  spo2: "ACSM's GETP (exercise in lung disease); GOLD 2024 report (keep SpO2 at 88% or more); PAR-Q+ page 7b (low blood oxygen)",
  hrLow: 'bridgefit default for rate-limiting drugs: below 40 bpm at rest, or below 50 with symptoms, hold and ask the prescriber [unconfirmed; a setting]',
};

/** What makes a slow resting heart rate on a rate-limiting drug a reason to stop (FACTS §10: "or <50 with symptoms"). */
const SLOW_HR_SYMPTOMS: readonly string[] = ['dizziness_syncope', 'breathless', 'unusual_fatigue', 'chest_pain', 'palpitations'];

export interface RestingVitals {
  bp?: BloodPressure;
  /** Resting heart rate, bpm. */
  restingHr?: number;
  glucose?: Glucose;
  ketones?: boolean;
  weakOrTired?: boolean;
  severeHypoLast24h?: boolean;
  /** The client feels unwell today (Turner 2019: do not start). */
  unwell?: boolean;
  /** Oxygen saturation at rest (pulse oximetry), percent. */
  spo2?: number;
}

/**
 * Glucose from which ketones are asked about: in type 1 diabetes from
 * 250 mg/dL (older ADA/ACSM rule, Colberg 2010), otherwise above 15.0 mmol/L
 * (~270 mg/dL; Turner 2019) (FACTS §3, §10). `type1` unknown (a prompt that
 * does not know the conditions): the lower one, since asking costs nothing.
 */
export function asksAboutKetones(glucose: Glucose, type1: boolean | undefined): boolean {
  const mmol = glucoseMmol(glucose);
  return type1 === false ? mmol > 15.0 : mmol >= KETONES_TYPE1_MG_DL / MG_DL_PER_MMOL_L - 1e-9;
}
/** Older ADA/ACSM rule [C]: avoid exercise above 250 mg/dL with ketosis (FACTS §3). */
const KETONES_TYPE1_MG_DL = 250;
/** Below this at rest (and above the hold) the session may start, watched: keep SpO2 ≥88–90% during exercise (GOLD 2024; ACSM GETP) (FACTS §10). */
const SPO2_WATCH = 90;

export interface VitalsContext {
  conditions: readonly ConditionCode[];
  medications: readonly { class: MedicationClass }[];
  settings: Pick<Settings, 'screening.bpHold' | 'screening.bpHoldCardiac' | 'screening.bpRecheck' | 'screening.restingHrHold' | 'screening.restingHrLow' | 'screening.restingHrLowSymptoms' | 'screening.spo2Hold'>;
  /** Symptoms reported with the reading (a slow heart rate with dizziness or fatigue is held at a higher rate). */
  symptoms?: readonly string[];
}

/** Findings from resting BP and glucose; `hold` means no session today, `refer` also means tell the clinician. */
export function vitalsFindings(vitals: RestingVitals, ctx: VitalsContext): Reason[] {
  const reasons: Reason[] = [];
  const add = (code: string, severity: Reason['severity'], text: string, source: string) => reasons.push({ code, severity, text, source });
  const { settings } = ctx;
  const cardiac = ctx.conditions.some((c) => CONDITIONS[c].cardiac);
  const bp = vitals.bp;
  if (bp) {
    // Hold at resting ≥200/110, ≥180/110 for cardiac clients [U policy; GETP 10th pp. 228–229: >180/110 cardiac] (FACTS §3).
    const hold = settings[cardiac ? 'screening.bpHoldCardiac' : 'screening.bpHold'];
    const recheck = settings['screening.bpRecheck'];
    if (bp.systolic >= hold.systolic || bp.diastolic >= hold.diastolic) {
      add('bp_hold', 'refer', `Resting blood pressure ${formatBloodPressure(bp)} reaches ${hold.systolic} systolic or ${hold.diastolic} diastolic${cardiac ? ' (cardiac client)' : ''}: no session; refer`, cardiac ? `${SRC.bpPolicy}; ${SRC.getp}` : SRC.bpPolicy);
    } else if (bp.systolic >= recheck.systolic || bp.diastolic >= recheck.diastolic) {
      // Refer at ≥160/100 on repeated readings [U policy] (FACTS §3).
      add('bp_recheck', 'caution', `Resting blood pressure ${formatBloodPressure(bp)} reaches ${recheck.systolic} systolic or ${recheck.diastolic} diastolic: measure again; refer if it stays there`, SRC.bpPolicy);
    }
  }

  const hr = vitals.restingHr;
  if (hr !== undefined) {
    // Resting tachycardia >120 bpm contraindicates the session (ACSM GETP 10th; AACVPR) (FACTS §10).
    const high = settings['screening.restingHrHold'];
    if (hr > high) add('hr_high', 'refer', `Resting heart rate ${hr} bpm is above ${high}: no session; refer`, SRC.hrHigh);
    // On a rate-limiting drug, <40 bpm at rest, or <50 with symptoms: hold and ask the prescriber [U] (FACTS §10).
    if (ctx.medications.some((m) => m.class === 'beta_blocker' || m.class === 'rate_limiting')) {
      const low = settings['screening.restingHrLow'];
      const withSymptoms = settings['screening.restingHrLowSymptoms'];
      const symptomatic = (ctx.symptoms ?? []).some((s) => SLOW_HR_SYMPTOMS.includes(s));
      if (hr < low) add('hr_low', 'refer', `Resting heart rate ${hr} bpm is below ${low} on a rate-limiting drug: no session; ask the prescriber`, SRC.hrLow);
      else if (symptomatic && hr < withSymptoms) add('hr_low', 'refer', `Resting heart rate ${hr} bpm is below ${withSymptoms} with symptoms on a rate-limiting drug: no session; ask the prescriber`, SRC.hrLow);
    }
  }

  // Oxygen saturation at rest (FACTS §10; ACSM GETP; GOLD 2024): below 88% hold and refer; keep ≥88–90% during exercise.
  const spo2 = vitals.spo2;
  if (spo2 !== undefined) {
    const hold = settings['screening.spo2Hold'] ?? 88;
    if (spo2 < hold) add('spo2_low', 'refer', `SpO2 ${spo2}% at rest is below ${hold}%: no session; refer`, SRC.spo2);
    else if (spo2 < SPO2_WATCH) add('spo2_watch', 'caution', `SpO2 ${spo2}% at rest: the session may start; watch it during exercise (pulse oximeter) and stop if it falls below ${hold}%`, SRC.spo2);
  }

  // Glucose before activity (Turner 2019; FACTS §3), applied to any recorded glucose:
  // a hypo matters with or without a diabetes diagnosis.
  const glucose = vitals.glucose;
  const diabetic = ctx.conditions.some((c) => DIABETES.includes(c));
  const type1 = ctx.conditions.includes('type1_diabetes');
  const hypoRisk = type1 || ctx.medications.some((m) => m.class === 'insulin_or_sulfonylurea');
  if (vitals.unwell) add('unwell', 'hold', 'The client feels unwell today: no session', SRC.glucose);
  if (vitals.severeHypoLast24h) {
    add('glucose_severe_hypo_24h', 'hold', 'A severe hypoglycaemia needing help in the last 24 hours: no session today', SRC.glucose);
  }
  if (glucose) {
    const mmol = glucoseMmol(glucose);
    if (type1 && mmol < 2.9) {
      add('glucose_severe_low', 'hold', `Glucose ${formatGlucose(glucose)} is below 2.9 mmol/L: exercise contraindicated; treat the hypoglycaemia`, SRC.glucose);
    } else if (mmol < 4.0) {
      add('glucose_low', 'hold', `Glucose ${formatGlucose(glucose)} is below 4.0 mmol/L: do not start; take 15 g of fast carbohydrate, re-check after 15 min${type1 ? ', and then do not exercise alone' : ''}`, SRC.glucose);
    } else if (mmol > 15.0) {
      if (vitals.ketones === true || vitals.ketones === undefined || vitals.weakOrTired) {
        const why = vitals.ketones ? 'with ketones' : vitals.weakOrTired ? 'with weakness or tiredness' : 'and ketones not checked';
        add('glucose_high', 'hold', `Glucose ${formatGlucose(glucose)} is above 15.0 mmol/L ${why}: do not start${vitals.ketones === undefined ? ' until ketones are checked and negative' : ''}`, SRC.glucose);
      } else {
        add('glucose_high_no_ketones', 'caution', `Glucose ${formatGlucose(glucose)} is above 15.0 mmol/L, ketones negative: no reason to postpone if the client feels well`, SRC.glucose);
      }
    } else if (type1 && asksAboutKetones(glucose, true)) {
      // Type 1 from 250 mg/dL: ask about ketones (older ADA/ACSM rule, Colberg 2010 [C]; FACTS §3, §10).
      if (vitals.ketones === false) {
        add('glucose_high_no_ketones', 'caution', `Glucose ${formatGlucose(glucose)} is 250 mg/dL or more in type 1 diabetes, ketones negative: no reason to postpone if the client feels well`, SRC.adaOld);
      } else {
        const why = vitals.ketones ? 'with ketones' : 'and ketones not checked';
        add('glucose_high_type1', 'hold', `Glucose ${formatGlucose(glucose)} is 250 mg/dL or more in type 1 diabetes ${why}: do not start${vitals.ketones === undefined ? ' until ketones are checked and negative' : ''}`, SRC.adaOld);
      }
    } else if (hypoRisk && mmol < 100 / MG_DL_PER_MMOL_L) {
      // Older ADA/ACSM rule [C]: extra carbohydrate below 100 mg/dL for those at risk of hypoglycaemia.
      add('glucose_extra_carbohydrate', 'caution', `Glucose ${formatGlucose(glucose)} is below 100 mg/dL with insulin or a sulfonylurea: take extra carbohydrate before starting`, SRC.adaOld);
    }
  } else if (diabetic) {
    add('glucose_unmeasured', 'caution', 'Diabetes on record but no glucose measured: measure it before each session', SRC.glucose);
  }
  return reasons;
}

/**
 * The readings a session is decided on: a second reading taken in the same
 * session, when the first asked for one, governs (a resting BP measured again
 * after 5 minutes' rest; a glucose below 4.0 mmol/L re-checked after 15 g of
 * fast carbohydrate and 15 minutes: Turner 2019, FACTS §3). Both stay on
 * record; `notes` says which was used.
 */
export function governingVitals<V extends RestingVitals & { bpRecheck?: BloodPressure; glucoseRecheck?: Glucose }>(vitals: V): { vitals: V; notes: Reason[] } {
  const notes: Reason[] = [];
  let out = vitals;
  if (vitals.bp && vitals.bpRecheck) {
    out = { ...out, bp: vitals.bpRecheck };
    notes.push({ code: 'bp_rechecked', severity: 'info', text: `Resting blood pressure measured again: ${formatBloodPressure(vitals.bp)}, then ${formatBloodPressure(vitals.bpRecheck)}; decided on the second reading`, source: SRC.bpPolicy });
  }
  if (vitals.glucose && vitals.glucoseRecheck) {
    out = { ...out, glucose: vitals.glucoseRecheck };
    notes.push({ code: 'glucose_rechecked', severity: 'info', text: `Glucose re-checked: ${formatGlucose(vitals.glucose)}, then ${formatGlucose(vitals.glucoseRecheck)}; decided on the second reading`, source: SRC.glucose });
  }
  return { vitals: out, notes };
}
