/**
 * Signs and symptoms asked at intake. `acsm` marks the ACSM 2015 list of signs
 * or symptoms suggestive of cardiovascular, metabolic or renal disease
 * (FACTS §1, GETP 10th ch. 2; wording ours). `redFlag` marks what a trainer
 * must stop for and refer (FACTS §3).
 */
export interface SymptomInfo {
  label: string;
  acsm: boolean;
  redFlag: boolean;
  /** Only asked about with this condition (pregnancy's own signs). */
  onlyWith?: 'pregnancy';
  /** Who the red flag goes to, when not the client's doctor. */
  referTo?: string;
}

/** Pregnancy's warning signs go to the obstetric care provider the same day (ACOG Committee Opinion 804, 2020; FACTS §10). */
const MIDWIFE = "the client's midwife or obstetrician, today; the maternity unit or emergency services if bleeding is heavy, pain is severe or it does not settle";

export const SYMPTOMS = {
  chest_pain: { label: 'pain, pressure or discomfort in the chest, neck, jaw or arms that may be cardiac', acsm: true, redFlag: true },
  breathless: { label: 'shortness of breath at rest or with mild exertion', acsm: true, redFlag: true },
  dizziness_syncope: { label: 'dizziness, fainting or near-fainting', acsm: true, redFlag: true },
  orthopnoea: { label: 'breathless lying flat, or waking at night breathless', acsm: true, redFlag: false },
  ankle_oedema: { label: 'swollen ankles', acsm: true, redFlag: false },
  palpitations: { label: 'palpitations, racing or irregular heartbeat', acsm: true, redFlag: true },
  claudication: { label: 'calf or leg pain on walking that eases with rest', acsm: true, redFlag: false },
  heart_murmur: { label: 'known heart murmur', acsm: true, redFlag: false },
  unusual_fatigue: { label: 'unusual fatigue or breathlessness with usual activities', acsm: true, redFlag: false },
  neuro_signs: { label: 'new confusion, slurred speech, one-sided weakness or loss of vision', acsm: false, redFlag: true },
  calf_pain_swelling: { label: 'calf pain with swelling (possible DVT, above all after surgery)', acsm: false, redFlag: true },
  night_pain: { label: 'new pain at night or at rest', acsm: false, redFlag: true },
  fever_joint_swelling: { label: 'fever with a hot, swollen joint', acsm: false, redFlag: true },
  cauda_equina: { label: 'back pain with bladder or bowel change or saddle numbness', acsm: false, redFlag: true },
  // Pregnancy: stop and refer to the midwife or obstetrician (ACOG Committee Opinion 804, 2020; Mottola 2018; FACTS §10).
  vaginal_bleeding: { label: 'vaginal bleeding (pregnancy)', acsm: false, redFlag: true, onlyWith: 'pregnancy', referTo: MIDWIFE },
  contractions: { label: 'regular painful contractions (pregnancy)', acsm: false, redFlag: true, onlyWith: 'pregnancy', referTo: MIDWIFE },
  fluid_leak: { label: 'fluid leaking from the vagina (pregnancy)', acsm: false, redFlag: true, onlyWith: 'pregnancy', referTo: MIDWIFE },
  // Not red flags on their own: what they mean depends on the client (session-safety.ts fallFindings; FACTS §10,
  // Giangregorio 2014 Too Fit To Fracture; CDC STEADI).
  fall: { label: 'a fall since the last session', acsm: false, redFlag: false },
  new_back_pain: { label: 'new back or rib pain', acsm: false, redFlag: false },
  height_loss: { label: 'new height loss or increasing stoop', acsm: false, redFlag: false },
} as const satisfies Record<string, SymptomInfo>;

export type SymptomCode = keyof typeof SYMPTOMS;
export const SYMPTOM_CODES = Object.keys(SYMPTOMS) as SymptomCode[];

