/**
 * The codes the FHIR R4 export (fhir.ts) writes: LOINC where a code exists
 * and bridgefit's source names it, UCUM units, HL7's own code systems for the
 * resources' status and category fields, and bridgefit's local code systems
 * for everything else (conditions, restrictions, measures without a LOINC
 * code). A wrong code misleads a clinician's system more than a local one,
 * so nothing here is coded from memory: each code cites where it comes from.
 */
import type { MeasureCode } from './template-terms.js';

/** LOINC (http://loinc.org), HL7 R4 Coding.system for it (R4 spec, terminologies-systems). */
export const LOINC = 'http://loinc.org';
/** UCUM (R4 spec, datatypes Quantity: "http://unitsofmeasure.org"). */
export const UCUM = 'http://unitsofmeasure.org';
/** HL7 terminology: observation-category (R4 spec, valueset-observation-category). */
export const OBSERVATION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/observation-category';
/** HL7 terminology: condition-clinical and condition-category (R4 spec, Condition). */
export const CONDITION_CLINICAL = 'http://terminology.hl7.org/CodeSystem/condition-clinical';
export const CONDITION_CATEGORY = 'http://terminology.hl7.org/CodeSystem/condition-category';

/**
 * bridgefit's own code systems: `urn:bridgefit:<name>`. They are not
 * published terminologies; a receiving system maps them (ConceptMap) or reads
 * the display and text beside every code.
 */
export const BF = (name: string) => `urn:bridgefit:${name}`;
export const BF_SYSTEMS = {
  clientId: BF('client-id'),
  condition: BF('condition'),
  medicationClass: BF('medication-class'),
  measure: BF('measure'),
  vital: BF('vital'),
  symptom: BF('symptom'),
  bodySite: BF('body-site'),
  restriction: BF('restriction'),
  clearanceStatus: BF('clearance-status'),
  screening: BF('screening'),
  screeningRules: BF('screening-rules'),
  referral: BF('referral-reason'),
  session: BF('session'),
  soreness: BF('soreness'),
  effusion: BF('effusion-grade'),
  intensity: BF('intensity'),
  weightBearing: BF('weight-bearing'),
  document: BF('document'),
} as const;

export interface LoincCode {
  code: string;
  /** LOINC's long common name, where bridgefit's source gives it; else left out rather than guessed. */
  display?: string;
}

/**
 * LOINC codes for what bridgefit records. Source for each: FACTS.md §9
 * (confirmed [C] unless marked) or, where FACTS is silent, the page named.
 */
export const LOINC_CODES = {
  // FACTS §9: pain 0–10 72514-3 [C].
  pain: { code: '72514-3', display: 'Pain severity - 0-10 verbal numeric rating [Score] - Reported' },
  // FACTS §9: heart rate 8867-4 [C].
  heartRate: { code: '8867-4', display: 'Heart rate' },
  // FACTS §9: BP panel 85354-9 with systolic 8480-6 / diastolic 8462-4 [U]; the R4 vital-signs profile uses the same codes (R4 spec, observation-vitalsigns).
  bpPanel: { code: '85354-9', display: 'Blood pressure panel with all children optional' },
  systolic: { code: '8480-6', display: 'Systolic blood pressure' },
  diastolic: { code: '8462-4', display: 'Diastolic blood pressure' },
  // FACTS §9: body weight 29463-7 [C].
  bodyWeight: { code: '29463-7', display: 'Body weight' },
  // SpO2 by pulse oximetry 59408-5 (R4 vital-signs profile, observation-vitalsigns; named in template-terms.ts beside spo2).
  spo2: { code: '59408-5', display: 'Oxygen saturation in Arterial blood by Pulse oximetry' },
  // FACTS §9: RPE 82289-0 (0–10 scale) [C]: only for CR10 ratings, never the 6–20 Borg scale.
  rpeCr10: { code: '82289-0' },
  // FACTS §9: ODI 97908-8 (the panel) / 97909-6 (the score, loinc.org/97909-6 "Oswestry disability index score ODI", %) [C]: the score is what is recorded.
  odi: { code: '97909-6', display: 'Oswestry disability index score ODI' },
  // Not in FACTS §9: 15074-8 "Glucose [Moles/volume] in Blood" as HL7 R4's own example uses it (observation-example-f001-glucose, mmol/L).
  glucoseMmol: { code: '15074-8', display: 'Glucose [Moles/volume] in Blood' },
  // Not in FACTS §9: 2339-0 "Glucose [Mass/volume] in Blood" (loinc.org/2339-0; mg/dL), the mass counterpart of 15074-8.
  glucoseMass: { code: '2339-0', display: 'Glucose [Mass/volume] in Blood' },
} as const satisfies Record<string, LoincCode>;

/** UCUM: [code, human unit]. Degrees are "deg", beats per minute "/min", scores "{score}" (UCUM annotations, R4 spec Quantity). */
export interface Unit {
  code: string;
  unit: string;
}
const u = (code: string, unit = code): Unit => ({ code, unit });

/** Each recorded measure: its LOINC code where one exists (FACTS §9), its UCUM unit, its observation category. */
export interface MeasureCoding {
  loinc?: LoincCode;
  unit: Unit;
  category: 'vital-signs' | 'survey' | 'exam' | 'activity';
  /** The joint or limb a sided measure is taken on, for bodySite. */
  site?: string;
}

export const MEASURE_CODING: Record<Exclude<MeasureCode, 'signoff'> | 'girth_cm' | 'body_weight_kg', MeasureCoding> = {
  knee_flexion: { unit: u('deg', '°'), category: 'exam', site: 'knee' },
  knee_extension: { unit: u('deg', '°'), category: 'exam', site: 'knee' },
  hip_flexion: { unit: u('deg', '°'), category: 'exam', site: 'hip' },
  shoulder_flexion: { unit: u('deg', '°'), category: 'exam', site: 'shoulder' },
  shoulder_abduction: { unit: u('deg', '°'), category: 'exam', site: 'shoulder' },
  shoulder_external_rotation: { unit: u('deg', '°'), category: 'exam', site: 'shoulder' },
  ankle_dorsiflexion: { unit: u('deg', '°'), category: 'exam', site: 'ankle' },
  pain_during: { loinc: LOINC_CODES.pain, unit: u('{score}', '/10'), category: 'survey' },
  pain_after: { loinc: LOINC_CODES.pain, unit: u('{score}', '/10'), category: 'survey' },
  next_morning_pain: { loinc: LOINC_CODES.pain, unit: u('{score}', '/10'), category: 'survey' },
  // Graded as a code (none, trace, 1+, 2+, 3+), never as a number: see fhir.ts.
  effusion_grade: { unit: u('{grade}', 'grade'), category: 'exam', site: 'knee' },
  chair_stand_30s: { unit: u('{stands}', 'stands'), category: 'exam' },
  tug_seconds: { unit: u('s'), category: 'exam' },
  six_minute_walk_m: { unit: u('m'), category: 'exam' },
  single_leg_stance_s: { unit: u('s'), category: 'exam', site: 'leg' },
  // FACTS §9: "LEFS no LOINC found (use a local code system)".
  lefs: { unit: u('{score}', '/80'), category: 'survey' },
  odi: { loinc: LOINC_CODES.odi, unit: u('%'), category: 'survey' },
  psfs: { unit: u('{score}', '/10'), category: 'survey' },
  quickdash: { unit: u('{score}', '/100'), category: 'survey' },
  nprs: { loinc: LOINC_CODES.pain, unit: u('{score}', '/10'), category: 'survey' },
  quad_index: { unit: u('%'), category: 'exam' },
  hop_symmetry: { unit: u('%'), category: 'exam' },
  walking_minutes: { unit: u('min'), category: 'activity' },
  spo2: { loinc: LOINC_CODES.spo2, unit: u('%'), category: 'vital-signs' },
  sessions_attended: { unit: u('{sessions}', 'sessions'), category: 'activity' },
  girth_cm: { unit: u('cm'), category: 'exam', site: 'limb' },
  body_weight_kg: { loinc: LOINC_CODES.bodyWeight, unit: u('kg'), category: 'vital-signs' },
};

export const UNITS = {
  perMinute: u('/min', 'beats/minute'),
  mmHg: u('mm[Hg]', 'mmHg'),
  mmolL: u('mmol/L'),
  mgdL: u('mg/dL'),
  percent: u('%'),
  kg: u('kg'),
  deg: u('deg', '°'),
  score: u('{score}', '/10'),
  borg: u('{score}', '6–20'),
} as const;

/** The joint an intake condition is on (its side makes the bodySite), when it is sided. */
export const CONDITION_SITE: Partial<Record<string, string>> = {
  knee_tka: 'knee',
  hip_tha: 'hip',
  acl_reconstruction: 'knee',
  rotator_cuff_repair: 'shoulder',
  shoulder_pain: 'shoulder',
  ankle_sprain: 'ankle',
  knee_oa: 'knee',
  hip_oa: 'hip',
};
