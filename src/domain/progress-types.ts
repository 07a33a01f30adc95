/**
 * A progress entry: what happened at one session, as the trainer records it.
 * Plain data, shared by the progress rules, the store and the CLI.
 */
import type { SymptomCode } from './symptoms.js';
import type { MeasureCode } from './template-terms.js';
import type { BloodPressure, Glucose } from './vitals.js';

export type RpeScale = 'cr10' | 'borg';

/** The soreness table (Fees 1998; University of Delaware): how soreness behaved around the session. */
export const SORENESS = ['none', 'warmup_gone', 'warmup_continuing', 'returned_during', 'after_next_day'] as const;
export type Soreness = (typeof SORENESS)[number];

/** Codes a measure may use: every exit-criterion measure except the pain fields and sign-off, plus girth and weight. */
export type RecordedMeasureCode = Exclude<MeasureCode, 'pain_during' | 'pain_after' | 'next_morning_pain' | 'signoff' | 'sessions_attended'> | 'girth_cm' | 'body_weight_kg';
/** The outcome measures given with --score (the others with --measure). */
export const SCORE_CODES: readonly RecordedMeasureCode[] = ['nprs', 'lefs', 'odi', 'psfs', 'quickdash', 'tug_seconds', 'chair_stand_30s', 'six_minute_walk_m', 'single_leg_stance_s'];

export interface RecordedMeasure {
  code: RecordedMeasureCode;
  side?: 'left' | 'right';
  value: number;
}

export interface ExerciseDone {
  exerciseId: string;
  sets?: number;
  reps?: number;
  seconds?: number;
  loadKg?: number;
  completed: boolean;
  /** The planned exercise this one was done in place of (a swap). */
  swappedFrom?: string;
  /** Why it was skipped, changed or swapped, as the trainer said it. */
  reason?: string;
}

export interface ProgressEntry {
  id: number;
  clientId: number;
  /** The session day, YYYY-MM-DD. */
  date: string;
  attended: boolean;
  missedReason?: string;
  durationMin?: number;
  /** 0–10. */
  painBefore?: number;
  painDuring?: number;
  painAfter?: number;
  /** Pain or stiffness the next morning, 0–10; usually added a day later by an amendment. */
  nextDayPain?: number;
  rpe?: { value: number; scale: RpeScale };
  vitals: {
    bp?: BloodPressure;
    /** A second reading after rest, when the first asked for one: the session is decided on it (FACTS §3). */
    bpRecheck?: BloodPressure;
    restingHr?: number;
    glucose?: Glucose;
    /** Glucose re-checked (after 15 g of fast carbohydrate and 15 minutes, below 4.0 mmol/L): decided on it (Turner 2019; FACTS §3). */
    glucoseRecheck?: Glucose;
    ketones?: boolean;
    weakOrTired?: boolean;
    severeHypoLast24h?: boolean;
    unwell?: boolean;
  };
  soreness?: Soreness;
  measures: RecordedMeasure[];
  symptoms: SymptomCode[];
  exercises: ExerciseDone[];
  notes?: string;
  /** The program stage at the time of the session, when a program was active. */
  stage?: number;
}

/** A stage change, with the criteria evaluated when it was made. */
export interface Transition {
  onDate: string;
  from: number;
  to: number;
  forced: boolean;
  reason: string | null;
  evidence: unknown;
}
