/** Clearances: append-only, the latest decision in force; each shown with its state on a day. */
import type { Client } from '../domain/client.js';
import type { Kysely } from 'kysely';
import { clearanceInForce, describeDrift, restrictionsDrift, type Clearance, type ClearanceFields } from '../domain/clearance.js';
import { resolveSettings } from '../domain/settings.js';
import { insertClearance, listClearances as list } from '../store/clearances.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram, type StoredProgram } from '../store/programs.js';
import type { Database } from '../store/schema.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';

export interface ClearanceHistory {
  clearances: Clearance[];
  /** The one in force on the day asked, if any. */
  inForceId: number | undefined;
  /** How long a clearance without an expiry date counts (screening.clearanceValidityMonths). */
  validityMonths: number;
}

async function history(store: Store, client: Client, today: string): Promise<ClearanceHistory> {
  const clearances = await list(store.db, client.id);
  const validityMonths = resolveSettings(await getStoredSettings(store.db))['screening.clearanceValidityMonths'];
  return { clearances, inForceId: clearanceInForce(clearances, today)?.id, validityMonths };
}

/**
 * Whether the active program was built with other restrictions than the
 * clearance in force has: a sentence saying what differs and to regenerate,
 * or null. Shown when a clearance is added and in `program status`.
 */
export async function programRestrictionDrift(db: Kysely<Database>, clientId: number, today: string, program?: StoredProgram): Promise<string | null> {
  const active = program ?? (await activeProgram(db, clientId));
  if (!active) return null;
  const clearances = await list(db, clientId);
  const builtWith = clearances.find((c) => c.id === active.clearanceId)?.restrictions ?? [];
  const inForce = clearanceInForce(clearances, today);
  if (!inForce || inForce.id === active.clearanceId) return null;
  const drift = restrictionsDrift(builtWith, inForce.restrictions);
  return drift && describeDrift(drift);
}

/** Record a clinician's decision; it becomes the one in force (append-only: the earlier ones stay). */
export async function addClearance(store: Store, client: Client, fields: ClearanceFields, ctx: Ctx): Promise<ClearanceHistory & { saved: Clearance; programDrift: string | null }> {
  const saved = await store.write((tx) => insertClearance(tx, client.id, fields, ctx));
  return { saved, ...(await history(store, client, ctx.today)), programDrift: await programRestrictionDrift(store.db, client.id, ctx.today) };
}

export async function listClearances(store: Store, client: Client, today: string): Promise<ClearanceHistory> {
  return history(store, client, today);
}
