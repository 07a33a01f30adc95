/**
 * Who a referral goes to: a pure rule on the flag, the clinician of the
 * clearance in force and the client's care team (read by the caller).
 */
import { formatCareContact, type CareRole, type CareTeam } from './client.js';
import { EMERGENCY_SYMPTOMS, URGENT_SYMPTOMS } from './progress-rules.js';
import type { DatedReferral } from './referral.js';
import { stopsTraining } from './session.js';
import { SYMPTOMS, type SymptomCode, type SymptomInfo } from './symptoms.js';

export type ClearanceClinician = { clinician: string; profession: string; contact: string | null };

/**
 * A doctor who takes medical red flags (a GP, physician, internist,
 * cardiologist), as trainers write the profession. Not a surgeon (chest pain
 * is not for the orthopaedic team), nor a "Doctor of Physical Therapy" or
 * other non-medical doctor.
 */
const MEDICAL = /\b(physician|doctor|gp|general practitioner|family medicine|internist|internal medicine|cardiologist|cardiology|md)\b/i;
const NOT_MEDICAL = /\b(doctor of|naturopath\w*|chiropract\w*|physio\w*|physical therap\w*|osteopath|podiatr\w*|dentist|non-medical|exercise|surgeon|surgical)\b/i;

export function isMedicalDoctor(profession: string): boolean {
  return MEDICAL.test(profession) && !NOT_MEDICAL.test(profession);
}

/**
 * Vital signs out of range at rest are for a doctor (FACTS §3, §10): blood
 * pressure, resting heart rate, oxygen saturation; so is a possible fragility
 * fracture (FACTS §10; Giangregorio 2014).
 */
const MEDICAL_VITALS = new Set(['bp_hold', 'bp_repeated_high', 'hr_high', 'hr_low', 'spo2_low', 'fall_possible_fracture', 'possible_vertebral_fracture']);

/**
 * Joint findings in loaded rehabilitation (FACTS §4 pain and effusion, §6 TKA
 * flexion), each with who on the care team takes it first [U policy: the
 * sources name the finding, not the clinician]: a knee that does not bend
 * after a replacement (<80° at 1–2 weeks predicts failure, Ebert 2014) is the
 * surgeon's decision; an effusion or a rising next-day pain is the treating
 * physiotherapist's (load is reduced, Sturgill 2009; Thomeé 1997).
 */
const JOINT_FINDINGS: ReadonlyMap<string, readonly ['surgeon' | 'physio', 'surgeon' | 'physio']> = new Map([
  ['tka_flexion_below_80', ['surgeon', 'physio']],
  ['tka_flexion_below_100', ['surgeon', 'physio']],
  ['effusion_2plus', ['physio', 'surgeon']],
  ['effusion_before_2plus', ['physio', 'surgeon']],
  ['next_day_pain_rise', ['physio', 'surgeon']],
]);

/** A hot swollen joint with fever after surgery may be an infection of the operated joint: the surgeon's (FACTS §3 red flags). */
const SURGICAL_SITE = new Set(['fever_joint_swelling']);

/** A fall in a client at risk of falls is for a falls assessment and medication review: the GP (CDC STEADI; FACTS §10). */
const GP_FINDINGS = new Set(['fall_review']);

/**
 * Who a referral goes to: the flag, the clinician of the clearance in force
 * and the care team on the client's record (GP, surgeon, physiotherapist).
 * Possible stroke and chest pain at rest go to emergency services first
 * (FACTS §10: AHA/ASA BE FAST; AHA), then the doctor, and the clinician of the
 * clearance is told. Other red-flag symptoms, new signs or symptoms and vital
 * signs at rest are medical (FACTS §1, §3, §10): the GP on record, else the
 * clearance's clinician when a doctor, else the client's physician; the acute
 * ones today. A hot swollen joint goes to the surgeon when one is on record; a
 * possible DVT tells the surgeon too (FACTS §3). Joint findings go to the
 * surgeon or physiotherapist (JOINT_FINDINGS). Everything else, and any of
 * these when the record names no one, goes as before: the clinician of the
 * clearance in force, else the client's physician.
 */
export function referralFor(code: string, clinician: ClearanceClinician | null, team: CareTeam = {}): string {
  const named = clinician && `${clinician.clinician} (${clinician.profession})${clinician.contact ? `, ${clinician.contact}` : ''}`;
  const member = (role: CareRole) => (team[role] ? formatCareContact(role, team[role]) : undefined);
  const tell = (who: string | undefined, primary: string) => (who && who !== primary ? `; and tell ${who}` : '');
  // Pregnancy's warning signs go to the midwife or obstetrician (ACOG 804; FACTS §10).
  const to = Object.hasOwn(SYMPTOMS, code) ? (SYMPTOMS[code as SymptomCode] as SymptomInfo).referTo : undefined;
  if (to) return named ? `${to}; and tell ${named}` : to;
  const joint = JOINT_FINDINGS.get(code);
  if (joint) {
    const [first, second] = joint;
    const primary = member(first) ?? member(second);
    if (primary) return `${primary}${tell(member(second), primary)}`;
  }
  const gp = member('gp');
  if (GP_FINDINGS.has(code) && gp) return gp;
  const medical = stopsTraining(code) || MEDICAL_VITALS.has(code);
  if (!medical) return named ?? gp ?? "the client's physician";
  const doctor = gp ?? (named && isMedicalDoctor(clinician!.profession) ? named : "the client's physician");
  const emergency = EMERGENCY_SYMPTOMS.get(code);
  if (emergency) return `emergency services now (${emergency}); then ${doctor}${named && named !== doctor ? `; and tell ${named}` : ''}`;
  const surgeon = member('surgeon');
  if (SURGICAL_SITE.has(code) && surgeon) return `${surgeon}${tell(gp, surgeon)}`;
  const base = URGENT_SYMPTOMS.has(code) ? `${doctor}, today; emergency services if severe or not settling` : doctor;
  return code === 'calf_pain_swelling' ? `${base}${tell(surgeon, doctor)}` : base;
}

/**
 * Whether a finding is referred already, so not referred again (the one rule
 * for `progress add`, `progress import`, `progress amend`, an intake and the
 * demo). `at` is where the finding was made: its day, and the session that
 * found it (null for an intake). Covered by a referral on the same finding that
 * is open now (the clinician is already asked); that was open on that day
 * (raised by then, resolved after it); that this same session raised, even if
 * resolved since (an amended session decided again); or that was raised on a
 * later day (an older session caught up from paper: a clinician has seen the
 * client for it since).
 */
export function alreadyReferred(code: string, at: { date: string; entryId: number | null }, referrals: readonly DatedReferral[]): boolean {
  return referrals.some(
    (r) =>
      r.code === code &&
      (r.status === 'open' ||
        (r.raisedOn <= at.date && r.resolvedOn !== null && r.resolvedOn > at.date) ||
        (at.entryId !== null && r.entryId === at.entryId) ||
        r.raisedOn > at.date),
  );
}
