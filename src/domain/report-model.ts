/**
 * The clinician report's input and model: shared vocabulary in its own
 * module, so report.ts (which builds the model) and attention.ts (which reads
 * it) import no consumer of their own types.
 */
import type { Clearance, ClearanceState } from './clearance.js';
import type { Signoff } from './criteria.js';
import type { Client } from './client.js';
import type { IntakeAnswers } from './intake.js';
import type { LoadWeeks } from './load-history.js';
import type { LoadChange, LoadSuggestion } from './load-progression.js';
import type { PainTrend } from './outcomes.js';
import type { GeneratedProgram } from './program.js';
import type { ProgressEntry, Transition } from './progress-types.js';
import type { Referral } from './referral.js';
import type { ScreeningVerdict } from './screening.js';
import type { TrainerProfile } from './settings.js';

export interface ReportEntry extends ProgressEntry {
  decision: unknown;
}

/** A referral as a report shows it. */
export type ReportReferral = Omit<Referral, 'clientId' | 'entryId'>;


/** Everything a report reads, as the store returns it. */
export interface ReportInput {
  /** The day the report is produced (SOURCE_DATE_EPOCH when set). */
  today: string;
  /** First day of the period the report covers. */
  since: string;
  client: Client;
  trainer: TrainerProfile;
  intake: { date: string; answers: IntakeAnswers } | undefined;
  clearances: readonly Clearance[];
  clearanceValidityMonths: number;
  /** How long an intake counts before it should be repeated (setting screening.intakeValidityMonths). */
  intakeValidityMonths: number;
  screening: ScreeningVerdict | undefined;
  program: { program: GeneratedProgram; currentStage: number; stageStartedOn: string } | undefined;
  /** The condition codes the program's template is for: which side "affected" means. */
  programFits: readonly string[];
  /** Every entry of the client that counts, oldest first: baselines come from before the period. */
  entries: readonly ReportEntry[];
  /** Entries voided (progress void): in the session log only, struck through; in no figure. */
  voided?: readonly (ReportEntry & { voided: { at: string; reason: string; by: string | null } })[];
  referrals: readonly ReportReferral[];
  transitions: readonly Transition[];
  /** Sign-offs recorded for the current stage (who, profession, day). */
  signoffs: readonly Signoff[];
  /** The trainer's own questions for the clinician (report --question). */
  questions: readonly string[];
  /** The next session's suggested load of each loaded exercise of the current stage (app/next-loads.ts); none without one. */
  nextLoads: readonly LoadSuggestion[];
}

export type AttentionLevel = 'urgent' | 'review' | 'none';

export interface Point {
  date: string;
  value: number;
}

export interface Series {
  label: string;
  points: Point[];
}

export interface OutcomeRow {
  code: string;
  label: string;
  unit: string;
  baseline: Point;
  /** The last value in the period; null when only the baseline is recorded yet (the row still says the measure is taken). */
  latest: Point | null;
  /** Latest against baseline; null with only a baseline. */
  change: number | null;
  improved: boolean | null;
  mcid: number | null;
  /** null when the measure has no MCID in bridgefit's sources, or there is no change yet. */
  mcidReached: boolean | null;
  source: string;
}

export interface LogRow {
  date: string;
  /** A voided entry (progress void): shown struck through, with when and why; it counts in nothing. */
  voided?: string;
  attended: boolean;
  /** Why a session did not take place; a held one says why in `held` instead. */
  missedReason?: string;
  /**
   * Why the session was held at the pre-session checks, each reason once: a
   * finding that raised a referral that day is in `flags`, not here again, and
   * the referrals still open that stopped it are one reason.
   */
  held?: string[];
  stage?: number;
  painBefore?: number;
  painDuring?: number;
  painAfter?: number;
  nextDayPain?: number;
  rpe?: string;
  bp?: string;
  /** Blood glucose before the session, in the unit it was recorded in ("5.4 mmol/L", "97 mg/dL"). */
  glucose?: string;
  /** progress / repeat / reduce / rest, or held. */
  outcome: string;
  measures: string;
  flags: string[];
  /** Flagged without a referral: effort or load above the cap, effort rising, a fall (session-safety.ts), with the rule's source. */
  warnings: string[];
  /** Range recorded beyond a range-of-motion limit of the clearance in force that day ("right knee flexion 112°, limit 100°"). */
  breaches: string[];
  /** What was done, as recorded with --did: "Sit to stand 2×8", "Mini squat 2×10 at 5 kg", "Walking 10 min", "Heel raises: skipped". */
  done: string[];
  notes?: string;
}

export interface ReportModel {
  produced: string;
  period: { from: string; to: string };
  trainer: TrainerProfile;
  client: { id: number; name: string; dateOfBirth: string; age: number; sex: string | null; archived: boolean };
  /**
   * One line per open matter, most urgent first; the open referrals first of
   * all, one item each in the order of `referrals.open` (page 1 may fold the
   * last ones). `resolved`: each referral resolved in the period, once, with
   * the day and who resolved it; it raises no level.
   */
  attention: { level: AttentionLevel; items: string[]; resolved: string[] };
  intakeDate: string | null;
  /** The intake validity in months when the intake is older than it, else null. */
  intakeStale: number | null;
  /** The stored screening was made before the clearance now in force: run `screen` again for a current verdict. */
  screeningStale: boolean;
  conditions: { label: string; detail: string }[];
  medications: { name: string; kind: string; why: string | null }[];
  clearance: {
    state: ClearanceState | 'none';
    clinician: string | null;
    profession: string | null;
    contact: string | null;
    issuedOn: string | null;
    validUntil: string | null;
    status: string | null;
    restrictions: string[];
    note: string | null;
    /** A request sent and not yet answered. */
    pendingSince: string | null;
  };
  screening: {
    date: string;
    gate: 'ok' | 'needs-clearance' | 'refer';
    headline: string;
    /** It refers because a red-flag referral is open, not on its own findings: the referral says it already. */
    byReferral: boolean;
    dosing: string;
    targets: string[];
    ruleVersion: string;
  } | null;
  program: {
    name: string;
    templateVersion: string;
    startDate: string;
    overlays: string[];
    stage: number;
    stages: number;
    stageName: string;
    stageStartedOn: string;
    daysInStage: number;
    plannedWeeks: [number, number];
    goals: string[];
    override: string | null;
  } | null;
  adherence: { attended: number; planned: number; share: number | null } | null;
  pain: { trend: PainTrend; latest: LogRow | null; limit: number; series: Series[] };
  /** Range of motion recorded in the period beyond a limit of the clearance in force. */
  beyondLimits: { restriction: string; measure: string; value: number; date: string }[];
  outcomes: OutcomeRow[];
  outcomeSeries: { code: string; label: string; unit: string; points: Point[] }[];
  keyMeasure: {
    label: string;
    unit: string;
    criterion: string;
    op: string;
    target: number;
    series: Series[];
    /** The clearance's range-of-motion limit on the same joint and side, drawn beside the exit target: the clinician's ceiling. */
    limit: { value: number; text: string } | null;
  } | null;
  /** The current stage's exit criteria, read on the sessions since the stage began. */
  criteria: { text: string; met: boolean; detail: string }[];
  exercises: { name: string; dose: string; heartRate: string | null; cues: string[]; notes: string[]; replaces: string | null }[];
  /**
   * The reloading: each loaded exercise of the current stage with the last
   * load done, the load suggested for the next session and why (the rule's
   * reason, with any cap and who set it). Empty when the stage has none.
   */
  nextLoads: { name: string; lastKg: number | null; suggestedKg: number | null; change: LoadChange; reason: string }[];
  /** Where the load rule comes from, said once under the table; null without loads. */
  loadSource: string | null;
  /** The heaviest load of each loaded exercise in each week of the program within the period (domain/load-history.ts); null without any. */
  loadWeeks: LoadWeeks | null;
  precautions: string[];
  preSessionChecks: string[];
  stopSigns: string[];
  log: LogRow[];
  transitions: {
    date: string;
    from: string;
    to: string;
    forced: boolean;
    reason: string | null;
    criteria: { text: string; met: boolean; detail: string }[];
    /** The gates as decided (stage rules from stage-1.0.0; none recorded before). */
    gates: { code: string; status: string; reason: string; source: string }[];
    /** The reasons of the gates a forced advance passed. */
    forcedPast: string[];
    /** Who signed the stage off, as recorded with it. */
    signoffs: string[];
    ruleVersion: string | null;
  }[];
  /** Sign-offs on record for the current stage, in words ("clinician: Dr A. Physio (physiotherapist) on 2026-12-01"). */
  signoffs: string[];
  referrals: { open: ReportReferral[]; resolvedInPeriod: ReportReferral[] };
  questions: string[];
}
