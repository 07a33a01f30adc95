/**
 * `bridgefit history`: what changed in a client's records, when, by which
 * command and (where known) who, old → new, read from the audit log that
 * every write appends to in its own transaction.
 */
import type { Client } from '../domain/client.js';
import { listAudit } from '../store/audit.js';
import { listAmendmentAuthors } from '../store/progress.js';
import type { Store } from '../store/store.js';

export interface HistoryChange {
  field: string;
  from: unknown;
  to: unknown;
}

export interface HistoryItem {
  at: string;
  command: string;
  /** e.g. "progress.amend", "client.update", "referral.resolve". */
  action: string;
  entity: string;
  entityId: number | null;
  /** Fields changed, old → new (amendments, client edits, stage advances). */
  changes: HistoryChange[];
  /** Anything else the record says (a reason, a note, a code). */
  detail: Record<string, unknown>;
  /** Who made the change, where it is known (the trainer's name when set; in a clinic, the member who wrote it). */
  by: string | null;
  /** The clinic login that made it (a clinic database, recorded by the server); null on a SQLite file. */
  login: string | null;
}

const isChange = (v: unknown): v is { from: unknown; to: unknown } => typeof v === 'object' && v !== null && !Array.isArray(v) && 'from' in v && 'to' in v;

/** The client's history, oldest first, optionally from `since` (YYYY-MM-DD). */
export async function clientHistory(store: Store, client: Client, since?: string): Promise<HistoryItem[]> {
  const [audit, authors] = await Promise.all([listAudit(store.db, client.id), listAmendmentAuthors(store.db, client.id)]);
  const author = new Map(authors.map((a) => [`${a.entryId} ${a.at}`, a.by]));
  const items: HistoryItem[] = [];
  for (const a of audit) {
    if (since && a.at.slice(0, 10) < since) continue;
    const detail = typeof a.detail === 'object' && a.detail !== null && !Array.isArray(a.detail) ? (a.detail as Record<string, unknown>) : a.detail === null ? {} : { value: a.detail };
    const changes: HistoryChange[] = [];
    const rest: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(detail)) {
      if (isChange(v)) changes.push({ field: k, from: v.from, to: v.to });
      else rest[k] = v;
    }
    // A stage advance says from and to at the top level.
    if (a.action === 'program.advance' && 'from' in rest && 'to' in rest) {
      changes.push({ field: 'stage', from: rest.from, to: rest.to });
      delete rest.from;
      delete rest.to;
    }
    const named = a.action === 'progress.amend' && a.entityId !== null ? (author.get(`${a.entityId} ${a.at}`) ?? null) : a.action === 'progress.void' ? ((rest.by as string | null | undefined) ?? null) : null;
    // In a clinic every record says which login wrote it (login), and by whom when the member has a name.
    const by = named ?? a.actorName;
    if (a.action === 'progress.void') delete rest.by;
    items.push({ at: a.at, command: a.command, action: a.action, entity: a.entity, entityId: a.entityId, changes, detail: rest, by, login: a.actor });
  }
  return items;
}
