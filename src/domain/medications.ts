/**
 * Medication classes that change how exercise is dosed or watched.
 * Beta-blockers and other rate-limiting drugs blunt the heart-rate response,
 * so heart-rate targets are replaced by RPE (FACTS §5).
 */
export const MEDICATION_CLASSES = {
  beta_blocker: { label: 'beta-blocker', rateLimiting: true },
  rate_limiting: { label: 'other rate-limiting drug (non-DHP calcium-channel blocker, ivabradine)', rateLimiting: true },
  insulin_or_sulfonylurea: { label: 'insulin or sulfonylurea (hypoglycaemia risk)', rateLimiting: false },
  anticoagulant: { label: 'anticoagulant', rateLimiting: false },
  corticosteroid: { label: 'corticosteroid', rateLimiting: false },
  other: { label: 'other', rateLimiting: false },
} as const;

export type MedicationClass = keyof typeof MEDICATION_CLASSES;
export const MEDICATION_CLASS_CODES = Object.keys(MEDICATION_CLASSES) as MedicationClass[];
