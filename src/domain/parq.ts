/**
 * PAR-Q+ (PAR-Q+ Collaboration; FACTS §2). The questionnaire is copyrighted,
 * so the questions are asked in bridgefit's own short wording, keyed by the
 * PAR-Q+ item number, and every response stores the form version.
 */
import type { ConditionCode } from './conditions.js';

export const PARQ_FORM_VERSION = 'PAR-Q+ 2020 (bridgefit short wording)';

export const PARQ_QUESTIONS = {
  q1: 'Has a doctor said you have a heart condition or high blood pressure?',
  q2: 'Do you feel pain in your chest at rest, in daily activities, or when active?',
  q3: 'In the last 12 months, have you lost balance from dizziness or lost consciousness (not from over-breathing)?',
  q4: 'Have you been diagnosed with another chronic medical condition?',
  q5: 'Do you take prescribed medication for a chronic condition?',
  q6: 'Do you have a bone, joint or soft-tissue problem (now or in the last 12 months) that more activity could worsen?',
  q7: 'Has a doctor said you should only do medically supervised physical activity?',
} as const;
export type ParqQuestion = keyof typeof PARQ_QUESTIONS;
export const PARQ_QUESTION_KEYS = Object.keys(PARQ_QUESTIONS) as ParqQuestion[];

export interface FollowUpCategory {
  /** PAR-Q+ follow-up page number. */
  number: number;
  /** The gate question: do you have this? */
  gate: string;
  /** Sub-questions a–e; any YES means "seek more information". */
  questions: Record<string, string>;
}

export const FOLLOW_UPS = {
  arthritis: {
    number: 1,
    gate: 'Do you have arthritis, osteoporosis or back problems?',
    questions: {
      a: 'Is it hard to control with medication or other treatment?',
      b: 'Joint pain, a recent fracture or one from osteoporosis or cancer, a displaced vertebra (spondylolisthesis) or a pars defect?',
      c: 'Have you taken steroid tablets or injections regularly for more than 3 months?',
    },
  },
  cancer: {
    number: 2,
    gate: 'Do you have cancer of any kind?',
    questions: {
      a: 'Is it lung/bronchogenic cancer, multiple myeloma, or cancer of the head and neck?',
      b: 'Are you having chemotherapy or radiotherapy now?',
    },
  },
  heart: {
    number: 3,
    gate: 'Do you have a heart or cardiovascular condition?',
    questions: {
      a: 'Is it hard to control with medication or other treatment?',
      b: 'An irregular heartbeat that needs medical management?',
      c: 'Chronic heart failure?',
      d: 'Diagnosed coronary artery disease, and not regularly active in the last 2 months?',
    },
  },
  blood_pressure: {
    number: 4,
    gate: 'Do you have high blood pressure?',
    questions: {
      a: 'Is it hard to control with medication or other treatment?',
      b: 'Is your resting blood pressure 160/90 mmHg or higher, or do you not know it?',
    },
  },
  metabolic: {
    number: 5,
    gate: 'Do you have a metabolic condition, including diabetes?',
    questions: {
      a: 'Is your blood sugar hard to control with food, medication or other treatment?',
      b: 'Do you often have low blood sugar (hypoglycaemia), after exercise or in daily life?',
      c: 'Do you have complications: heart or vascular disease, or problems with eyes, kidneys or feet (sensation)?',
      d: 'Another metabolic condition (e.g. pregnancy-related diabetes, kidney or liver problems)?',
      e: 'Are you planning unusually high-intensity exercise soon?',
    },
  },
  mental_health: {
    number: 6,
    gate: 'Do you have a mental health problem or a learning difficulty?',
    questions: {
      a: 'Is it hard to control with medication or other treatment?',
      b: 'Down syndrome with back problems that affect nerves or muscles?',
    },
  },
  respiratory: {
    number: 7,
    gate: 'Do you have a respiratory disease (COPD, asthma, pulmonary hypertension)?',
    questions: {
      a: 'Is it hard to control with medication or other treatment?',
      b: 'Low blood oxygen at rest or on exertion, or do you need supplemental oxygen?',
      c: 'Asthma symptoms on more than 2 days a week, or the rescue inhaler more than twice in the last week?',
      d: 'Has a doctor said you have high blood pressure in the lungs?',
    },
  },
  spinal_cord: {
    number: 8,
    gate: 'Do you have a spinal cord injury (tetraplegia or paraplegia)?',
    questions: {
      a: 'Is it hard to control with medication or other treatment?',
      b: 'Low resting blood pressure with dizziness or fainting?',
      c: 'Sudden bouts of high blood pressure (autonomic dysreflexia)?',
    },
  },
  stroke: {
    number: 9,
    gate: 'Have you had a stroke or a TIA (mini-stroke)?',
    questions: {
      a: 'Is it hard to control with medication or other treatment?',
      b: 'Any impairment in walking or mobility?',
      c: 'A stroke or nerve or muscle impairment in the last 6 months?',
    },
  },
  other: {
    number: 10,
    gate: 'Do you have any other medical condition, or two or more conditions?',
    questions: {
      a: 'Blackouts, fainting or a concussion in the last 12 months?',
      b: 'Another condition not listed (e.g. epilepsy, kidney problems)?',
      c: 'Do you live with two or more medical conditions?',
    },
  },
} as const satisfies Record<string, FollowUpCategory>;

export type FollowUpCode = keyof typeof FOLLOW_UPS;
export const FOLLOW_UP_CODES = Object.keys(FOLLOW_UPS) as FollowUpCode[];

/** A follow-up category as answered: `has` is the gate; the letters are its sub-questions. */
export type FollowUpAnswer = { has: boolean } & Partial<Record<'a' | 'b' | 'c' | 'd' | 'e', boolean>>;

export interface ParqAnswers {
  q1: boolean;
  q2: boolean;
  q3: boolean;
  q4: boolean;
  q5: boolean;
  q6: boolean;
  q7: boolean;
  followUps: Partial<Record<FollowUpCode, FollowUpAnswer>>;
  /** A temporary illness such as a cold or fever: delay (FACTS §2). */
  temporaryIllness: boolean;
  /** Health has changed since the last answers: delay and re-check (FACTS §2). */
  healthChanged: boolean;
}

const ALL: readonly FollowUpCode[] = FOLLOW_UP_CODES;
// Which follow-up pages a YES on the first page opens. The PAR-Q+ sends any YES
// to the follow-up pages; bridgefit asks only the pages that YES can concern.
const OPENED_BY: Record<ParqQuestion, readonly FollowUpCode[]> = {
  q1: ['heart', 'blood_pressure'],
  q2: ['heart'],
  q3: ['heart', 'stroke', 'other'],
  q4: ALL,
  q5: ALL,
  q6: ['arthritis'],
  q7: ALL,
};

// Conditions on record that open a page whatever the first page said.
const OPENED_BY_CONDITION: Partial<Record<ConditionCode, FollowUpCode>> = {
  knee_oa: 'arthritis',
  hip_oa: 'arthritis',
  osteoporosis: 'arthritis',
  low_back_pain: 'arthritis',
  cancer: 'cancer',
  coronary_artery_disease: 'heart',
  heart_failure: 'heart',
  arrhythmia: 'heart',
  sternotomy: 'heart',
  peripheral_artery_disease: 'heart',
  hypertension: 'blood_pressure',
  type1_diabetes: 'metabolic',
  type2_diabetes: 'metabolic',
  chronic_kidney_disease: 'other',
  copd: 'respiratory',
  lung_disease: 'respiratory',
  asthma: 'respiratory',
  stroke: 'stroke',
};

/**
 * The follow-up pages the recorded conditions themselves belong to: the
 * interview pre-selects their gate question (FACTS §2), and 'other' when two
 * or more conditions are recorded (page 10c: living with two or more).
 */
export function conditionPages(conditions: readonly ConditionCode[]): Set<FollowUpCode> {
  const pages = new Set<FollowUpCode>();
  for (const code of conditions) {
    const f = OPENED_BY_CONDITION[code];
    if (f) pages.add(f);
  }
  if (conditions.length >= 2) pages.add('other');
  return pages;
}

/** The follow-up pages to ask, in PAR-Q+ order. */
export function openedFollowUps(parq: Pick<ParqAnswers, ParqQuestion>, conditions: readonly ConditionCode[]): FollowUpCode[] {
  const opened = new Set<FollowUpCode>();
  for (const q of PARQ_QUESTION_KEYS) if (parq[q]) for (const f of OPENED_BY[q]) opened.add(f);
  for (const f of conditionPages(conditions)) opened.add(f);
  return FOLLOW_UP_CODES.filter((f) => opened.has(f));
}
