/**
 * Who a referral goes to: a pure rule on the flag and the clinician of the
 * clearance in force (read by the caller).
 */
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
 * Who a referral goes to. Possible stroke and chest pain at rest go to
 * emergency services first (FACTS §10: AHA/ASA BE FAST; AHA), then the
 * doctor, and the clinician of the clearance is told. Other red-flag
 * symptoms, new signs or symptoms and vital signs at rest are medical
 * (FACTS §1, §3, §10): the client's physician, unless the clearance in force
 * is a doctor's; the acute ones today, or emergency services. Everything else
 * (range, effusion, pain) goes to the clinician of the clearance in force,
 * else the client's physician.
 */
export function referralFor(code: string, clinician: ClearanceClinician | null): string {
  const named = clinician && `${clinician.clinician} (${clinician.profession})${clinician.contact ? `, ${clinician.contact}` : ''}`;
  // Pregnancy's warning signs go to the midwife or obstetrician (ACOG 804; FACTS §10).
  const to = Object.hasOwn(SYMPTOMS, code) ? (SYMPTOMS[code as SymptomCode] as SymptomInfo).referTo : undefined;
  if (to) return named ? `${to}; and tell ${named}` : to;
  const medical = stopsTraining(code) || MEDICAL_VITALS.has(code);
  if (!medical) return named ?? "the client's physician";
  const doctor = named && isMedicalDoctor(clinician!.profession) ? named : "the client's physician";
  const emergency = EMERGENCY_SYMPTOMS.get(code);
  if (emergency) return `emergency services now (${emergency}); then ${doctor}${named && named !== doctor ? `; and tell ${named}` : ''}`;
  return URGENT_SYMPTOMS.has(code) ? `${doctor}, today; emergency services if severe or not settling` : doctor;
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
