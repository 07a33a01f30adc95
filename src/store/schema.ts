import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

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
}
export type ClientRow = Selectable<ClientsTable>;
export type NewClientRow = Insertable<ClientsTable>;
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
}
export type NewAuditRow = Insertable<AuditLogTable>;

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
}
