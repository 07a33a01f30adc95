/**
 * The controlled list of conditions an intake records. `acsmDisease` marks the
 * diseases that count in ACSM 2015 preparticipation screening: cardiovascular
 * (cardiac, peripheral vascular, cerebrovascular), metabolic (type 1 or 2
 * diabetes) and renal (FACTS §1, Riebe et al. 2015). Hypertension and
 * pulmonary disease alone do not (FACTS §1).
 */
import { addDays, firstDayOf, lastDayOf } from './dates.js';
export type AcsmDisease = 'cardiovascular' | 'metabolic' | 'renal';

export interface ConditionInfo {
  label: string;
  /** Recorded for a side: left, right or both. */
  sided: boolean;
  /** What the date means, when one is asked for. */
  dateKind: 'surgery' | 'diagnosis' | 'onset';
  acsmDisease: AcsmDisease | null;
  /** Cardiac clients get the stricter pre-session BP hold (FACTS §3, GETP 10th pp. 228–229). */
  cardiac: boolean;
  /** Surgery: a calf pain with swelling afterwards is a possible DVT (FACTS §3). */
  surgical: boolean;
}

const c = (
  label: string,
  dateKind: ConditionInfo['dateKind'],
  extra: Partial<Omit<ConditionInfo, 'label' | 'dateKind'>> = {},
): ConditionInfo => ({ label, dateKind, sided: false, acsmDisease: null, cardiac: false, surgical: dateKind === 'surgery', ...extra });

export const CONDITIONS = {
  knee_tka: c('total knee replacement', 'surgery', { sided: true }),
  hip_tha: c('total hip replacement', 'surgery', { sided: true }),
  acl_reconstruction: c('ACL reconstruction', 'surgery', { sided: true }),
  rotator_cuff_repair: c('rotator cuff repair', 'surgery', { sided: true }),
  shoulder_pain: c('shoulder pain (non-operative)', 'onset', { sided: true }),
  ankle_sprain: c('lateral ankle sprain', 'onset', { sided: true }),
  low_back_pain: c('low back pain', 'onset'),
  knee_oa: c('knee osteoarthritis', 'diagnosis', { sided: true }),
  hip_oa: c('hip osteoarthritis', 'diagnosis', { sided: true }),
  osteoporosis: c('osteoporosis', 'diagnosis'),
  type1_diabetes: c('type 1 diabetes', 'diagnosis', { acsmDisease: 'metabolic' }),
  type2_diabetes: c('type 2 diabetes', 'diagnosis', { acsmDisease: 'metabolic' }),
  hypertension: c('high blood pressure', 'diagnosis'),
  coronary_artery_disease: c('coronary artery disease', 'diagnosis', { acsmDisease: 'cardiovascular', cardiac: true }),
  heart_failure: c('heart failure', 'diagnosis', { acsmDisease: 'cardiovascular', cardiac: true }),
  arrhythmia: c('heart rhythm disorder', 'diagnosis', { acsmDisease: 'cardiovascular', cardiac: true }),
  peripheral_artery_disease: c('peripheral artery disease', 'diagnosis', { acsmDisease: 'cardiovascular' }),
  stroke: c('stroke or TIA', 'diagnosis', { acsmDisease: 'cardiovascular' }),
  chronic_kidney_disease: c('chronic kidney disease', 'diagnosis', { acsmDisease: 'renal' }),
  copd: c('COPD', 'diagnosis'),
  // Other chronic lung disease (interstitial lung disease, bronchiectasis…): the COPD overlay's SpO2 precautions (FACTS §10).
  lung_disease: c('chronic lung disease (other than COPD or asthma)', 'diagnosis'),
  asthma: c('asthma', 'diagnosis'),
  cancer: c('cancer', 'diagnosis'),
  pregnancy: c('pregnancy', 'onset'),
  falls_risk: c('falls risk', 'onset'),
  // Cardiac surgery through the breastbone: sternal precautions for the first weeks (FACTS §10; AACVPR; Adams et al. 2016).
  sternotomy: c('cardiac surgery through the breastbone (sternotomy: CABG, valve surgery)', 'surgery', { acsmDisease: 'cardiovascular', cardiac: true }),
} as const satisfies Record<string, ConditionInfo>;

export type ConditionCode = keyof typeof CONDITIONS;
export const CONDITION_CODES = Object.keys(CONDITIONS) as ConditionCode[];

export const SIDES = ['left', 'right', 'both'] as const;
export type Side = (typeof SIDES)[number];


export const DIABETES: readonly ConditionCode[] = ['type1_diabetes', 'type2_diabetes'];

/**
 * Flags a condition can carry, asked with it. Cancer: the PAR-Q+ page 2 items
 * (FACTS §2: on chemo- or radiotherapy now) and what the program must know
 * beside them (low blood counts, bone metastases), each opening its overlay.
 */
export const CONDITION_FLAGS = {
  cancer: {
    on_treatment: 'on chemotherapy or radiotherapy now',
    low_blood_counts: 'low blood counts (neutropenia, anaemia or low platelets)',
    bone_metastases: 'cancer that has spread to the bones (bone metastases)',
  },
} as const satisfies Partial<Record<ConditionCode, Record<string, string>>>;
export type ConditionFlag = { [K in keyof typeof CONDITION_FLAGS]: keyof (typeof CONDITION_FLAGS)[K] }[keyof typeof CONDITION_FLAGS];
export const CONDITION_FLAG_CODES = [...new Set(Object.values(CONDITION_FLAGS).flatMap((f) => Object.keys(f)))] as ConditionFlag[];

/** The flags one condition may carry (none for most). */
export function flagsOf(code: ConditionCode): readonly ConditionFlag[] {
  return Object.keys((CONDITION_FLAGS as Partial<Record<ConditionCode, Record<string, string>>>)[code] ?? {}) as ConditionFlag[];
}

/** Lung disease in which SpO2 is watched (FACTS §10; GOLD 2024): the COPD overlay's conditions. */
export const LUNG_DISEASE: readonly ConditionCode[] = ['copd', 'lung_disease'];

/** Pregnancy is dated from the first day of the last period, 280 days (40 weeks) before the due date (Naegele's rule). */
const PREGNANCY_DAYS = 280;

/**
 * The day a condition's weeks count from: the surgery, diagnosis or onset
 * date; for a pregnancy the start of its week 0, from the due date when one is
 * recorded (due date − 280 days), else its date (the last period). Undefined
 * when neither is recorded. A date known only to the month or year ("2026-09",
 * "2009") counts from its last day: time since surgery is never overstated,
 * so a healing-time gate (FACTS §10) never opens early.
 */
export function conditionStart(c: { code: string; date?: string | undefined; dueDate?: string | undefined }): string | undefined {
  if (c.code === 'pregnancy' && c.dueDate) return addDays(c.dueDate, -PREGNANCY_DAYS);
  return c.date === undefined ? undefined : lastDayOf(c.date);
}

/**
 * The earliest day a condition's weeks may count from: the first day of a
 * month or year given alone. Windows that begin some weeks after the date
 * begin from here, the safe side (they apply as early as they might).
 */
export function conditionEarliestStart(c: { code: string; date?: string | undefined; dueDate?: string | undefined }): string | undefined {
  if (c.code === 'pregnancy' && c.dueDate) return addDays(c.dueDate, -PREGNANCY_DAYS);
  return c.date === undefined ? undefined : firstDayOf(c.date);
}

/** Whether a condition's date needs the day or month: a surgery's weeks gate its stages; a pregnancy's its precautions. */
export function needsDayOrMonth(code: ConditionCode): 'day' | 'month' | 'year' {
  if (code === 'pregnancy') return 'day';
  return CONDITIONS[code].dateKind === 'surgery' ? 'month' : 'year';
}
