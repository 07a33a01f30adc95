import type { ColumnType, Generated, Selectable, Updateable } from 'kysely';

/**
 * The database as kysely sees it. Column names are snake_case; the store maps
 * rows to the camelCase objects of src/domain. Times are ISO 8601 UTC text,
 * dates YYYY-MM-DD text, so both dialects store them the same way.
 */
export interface Database {
  bridgefit_meta: MetaTable;
  clients: ClientsTable;
  audit_log: AuditLogTable;
  intakes: IntakesTable;
  clearances: ClearancesTable;
  screenings: ScreeningsTable;
  programs: ProgramsTable;
  progress_entries: ProgressEntriesTable;
  measurements: MeasurementsTable;
  entry_amendments: EntryAmendmentsTable;
  referrals: ReferralsTable;
  stage_transitions: StageTransitionsTable;
  signoffs: SignoffsTable;
  clinic_members: ClinicMembersTable;
  clinic_templates: ClinicTemplatesTable;
}

export interface MetaTable {
  key: string;
  value: string;
}

export interface ClientsTable {
  id: Generated<number>;
  first_name: string;
  last_name: string;
  date_of_birth: string;
  sex: string | null;
  email: string | null;
  phone: string | null;
  goals: string | null;
  notes: string | null;
  status: ColumnType<string, string | undefined, string>;
  created_at: string;
  updated_at: string;
  // 0011_care_team
  gp_name: string | null;
  gp_contact: string | null;
  surgeon_name: string | null;
  surgeon_contact: string | null;
  physio_name: string | null;
  physio_contact: string | null;
  // 0012_clinic: the trainer (database role) whose client this is; null on SQLite, the
  // inserting role by default on PostgreSQL.
  trainer: ColumnType<string | null, string | null | undefined, string | null>;
}
export type ClientRow = Selectable<ClientsTable>;
export type ClientUpdate = Updateable<ClientsTable>;

/**
 * What changed, when, and by which command. `client_id` is a plain number, not
 * a foreign key, so the record of a deletion outlives the client.
 */
export interface AuditLogTable {
  id: Generated<number>;
  at: string;
  command: string;
  action: string;
  entity: string;
  entity_id: number | null;
  client_id: number | null;
  detail: string | null;
  // 0012_clinic: the database role that wrote it (PostgreSQL fills it in); null on SQLite.
  actor: ColumnType<string | null, string | null | undefined, never>;
}

/** 0012_clinic: a clinic's logins; a clinician's name is what clients name in their care team. */
export interface ClinicMembersTable {
  login: string;
  kind: 'admin' | 'trainer' | 'clinician';
  name: string | null;
  profession: string | null;
  added_at: string;
}

/** One intake interview; `answers` is the checked IntakeAnswers as JSON. */
export interface IntakesTable {
  id: Generated<number>;
  client_id: number;
  intake_date: string;
  recorded_at: string;
  form_version: string;
  answers: string;
}

/** One clearance decision; `restrictions` is a JSON list of {code, value?}. */
export interface ClearancesTable {
  id: Generated<number>;
  client_id: number;
  clinician: string;
  profession: string;
  contact: string | null;
  issued_on: string;
  expires_on: string | null;
  status: string;
  restrictions: string;
  note: string | null;
  recorded_at: string;
}

/** A screening verdict as it was given, with the rules and settings that made it. */
export interface ScreeningsTable {
  id: Generated<number>;
  client_id: number;
  intake_id: number;
  screened_on: string;
  recorded_at: string;
  rule_version: string;
  settings: string;
  gate: string;
  verdict: string;
}

/** A generated program: the snapshot (GeneratedProgram as JSON) and what it was built from. */
export interface ProgramsTable {
  id: Generated<number>;
  client_id: number;
  template_id: string;
  template_version: string;
  intake_id: number;
  clearance_id: number | null;
  start_date: string;
  generated_at: string;
  status: string;
  superseded_at: string | null;
  override_reason: string | null;
  snapshot: string;
  current_stage: ColumnType<number, number | undefined, number>;
  stage_started_on: string | null;
  stage_name: string | null;
  sessions_per_week: number | null;
}

export interface ProgressEntriesTable {
  id: Generated<number>;
  client_id: number;
  program_id: number | null;
  stage: number | null;
  session_date: string;
  recorded_at: string;
  attended: number;
  missed_reason: string | null;
  duration_min: number | null;
  pain_before: number | null;
  pain_during: number | null;
  pain_after: number | null;
  next_day_pain: number | null;
  rpe: number | null;
  rpe_scale: string | null;
  bp_systolic: number | null;
  bp_diastolic: number | null;
  resting_hr: number | null;
  glucose_value: number | null;
  glucose_unit: string | null;
  ketones: number | null;
  soreness: string | null;
  /** JSON list of symptom codes. */
  symptoms: string;
  /** JSON list of ExerciseDone. */
  exercises: string;
  notes: string | null;
  /** JSON: the session decision (hold, flags, advice) as given when recorded. */
  decision: string;
  /** Pre-session answers, 1 or 0 when asked (schema 9; before, only the decision's words say them). */
  weak_or_tired: ColumnType<number | null, number | null | undefined, number | null>;
  severe_hypo: ColumnType<number | null, number | null | undefined, number | null>;
  unwell: ColumnType<number | null, number | null | undefined, number | null>;
  /** Second readings in the same session (schema 9). */
  bp_recheck_systolic: ColumnType<number | null, number | null | undefined, number | null>;
  bp_recheck_diastolic: ColumnType<number | null, number | null | undefined, number | null>;
  glucose_recheck_value: ColumnType<number | null, number | null | undefined, number | null>;
  glucose_recheck_unit: ColumnType<string | null, string | null | undefined, string | null>;
  /** When the entry was voided (schema 9): it then counts in no figure and no decision. */
  voided_at: ColumnType<string | null, string | null | undefined, string | null>;
  void_reason: ColumnType<string | null, string | null | undefined, string | null>;
  voided_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface MeasurementsTable {
  id: Generated<number>;
  entry_id: number;
  client_id: number;
  session_date: string;
  code: string;
  side: string | null;
  value: number;
}

export interface EntryAmendmentsTable {
  id: Generated<number>;
  entry_id: number;
  at: string;
  command: string;
  field: string;
  old_value: string | null;
  new_value: string | null;
  /** Who made the change (schema 9; the trainer's name when set), null when not known. */
  changed_by: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface ReferralsTable {
  id: Generated<number>;
  client_id: number;
  entry_id: number | null;
  raised_on: string;
  code: string;
  reason: string;
  to_whom: string;
  status: string;
  resolved_on: string | null;
  resolution_note: string | null;
  /** Who resolved it (schema 10; null before, or while open). */
  resolved_by: string | null;
}

export interface StageTransitionsTable {
  id: Generated<number>;
  program_id: number;
  client_id: number;
  on_date: string;
  from_stage: number;
  to_stage: number;
  forced: number;
  reason: string | null;
  /** JSON: the exit criteria as evaluated. */
  evidence: string;
}

export interface SignoffsTable {
  id: Generated<number>;
  program_id: number;
  stage: number;
  by: string;
  on_date: string;
  note: string | null;
  /** Since schema 8: who signed and their profession; null on older rows. */
  signed_by: string | null;
  profession: string | null;
  recorded_at: string | null;
  // 0012_clinic: the login that recorded it (PostgreSQL fills it in); null on SQLite.
  recorded_by: ColumnType<string | null, string | null | undefined, never>;
}

/** 0013_clinic_templates: a template file an administrator shared with the clinic. */
export interface ClinicTemplatesTable {
  name: string;
  text: string;
  sha256: string;
  shared_by: string | null;
  shared_at: string;
}
