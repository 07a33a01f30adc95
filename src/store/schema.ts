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
