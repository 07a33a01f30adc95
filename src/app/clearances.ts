/** Clearances: append-only, the latest decision in force; each shown with its state on a day. */
import type { Client } from '../domain/client.js';
import { clearanceInForce, type Clearance, type ClearanceFields } from '../domain/clearance.js';
import { resolveSettings } from '../domain/settings.js';
import { insertClearance, listClearances as list } from '../store/clearances.js';
import { getStoredSettings } from '../store/meta.js';
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

/** Record a clinician's decision; it becomes the one in force (append-only: the earlier ones stay). */
export async function addClearance(store: Store, client: Client, fields: ClearanceFields, ctx: Ctx): Promise<ClearanceHistory & { saved: Clearance }> {
  const saved = await store.write((tx) => insertClearance(tx, client.id, fields, ctx));
  return { saved, ...(await history(store, client, ctx.today)) };
}

export async function listClearances(store: Store, client: Client, today: string): Promise<ClearanceHistory> {
  return history(store, client, today);
}
