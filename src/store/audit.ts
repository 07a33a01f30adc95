import type { Kysely } from 'kysely';
import { insertStatement, type InsertStatement } from './batch.js';
import type { Database } from './schema.js';
import { readJson } from './json.js';

export interface AuditEvent {
  /** The command that made the change, e.g. "client edit". */
  command: string;
  /** What happened, e.g. "client.update". */
  action: string;
  entity: string;
  entityId: number | null;
  clientId: number | null;
  /** What changed, as JSON-able data (field names and values). */
  detail?: unknown;
}

/** Append one audit record; call it inside the same transaction as the change. */
export async function recordAudit(db: Kysely<Database>, event: AuditEvent, at: string): Promise<void> {
  await new AuditWriter(db).record(event, at);
}

const AUDIT_COLUMNS = ['at', 'command', 'action', 'entity', 'entity_id', 'client_id', 'detail'] as const;

/** Appends audit records through one compiled statement: make one per transaction for a batch. */
export class AuditWriter {
  private readonly insert: InsertStatement<'audit_log', (typeof AUDIT_COLUMNS)[number]>;

  constructor(db: Kysely<Database>) {
    this.insert = insertStatement(db, 'audit_log', AUDIT_COLUMNS);
  }

  async record(event: AuditEvent, at: string): Promise<void> {
    await this.insert({
      at,
      command: event.command,
      action: event.action,
      entity: event.entity,
      entity_id: event.entityId,
      client_id: event.clientId,
      detail: event.detail === undefined ? null : JSON.stringify(event.detail),
    });
  }
}

export interface AuditEntry {
  id: number;
  at: string;
  command: string;
  action: string;
  entity: string;
  entityId: number | null;
  clientId: number | null;
  detail: unknown;
  /** The database role that wrote it (a clinic, PostgreSQL); null on SQLite. */
  actor: string | null;
  /** That role's name as a clinic member (clinic add-trainer --name), when it has one. */
  actorName: string | null;
}

export async function listAudit(db: Kysely<Database>, clientId?: number): Promise<AuditEntry[]> {
  let q = db.selectFrom('audit_log as a').leftJoin('clinic_members as m', 'm.login', 'a.actor').selectAll('a').select('m.name as actor_name').orderBy('a.id');
  if (clientId !== undefined) q = q.where('a.client_id', '=', clientId);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    at: r.at,
    command: r.command,
    action: r.action,
    entity: r.entity,
    entityId: r.entity_id,
    clientId: r.client_id,
    detail: r.detail === null ? null : readJson(r.detail, 'audit_log', 'detail', r.id),
    actor: r.actor ?? null,
    actorName: r.actor_name?.trim() || null,
  }));
}
