/** Clearances: append-only, the latest decision in force; each shown with its state on a day. */
import type { Client } from '../domain/client.js';
import type { Kysely } from 'kysely';
import { clearanceInForce, describeDrift, oppositeSideRestrictions, restrictionsDrift, type Clearance, type ClearanceFields, type Restriction } from '../domain/clearance.js';
import { CONDITIONS, type ConditionCode } from '../domain/conditions.js';
import { recordAudit } from '../store/audit.js';
import { intakeInForce } from '../store/intakes.js';
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

/**
 * Restrictions on the side opposite to the client's sided conditions (the
 * intake in force on `today`): asked about at a terminal, noted otherwise.
 */
export async function oppositeSide(store: Store, client: Client, restrictions: readonly Restriction[], today: string): Promise<string[]> {
  const intake = await intakeInForce(store.db, client.id, today);
  return oppositeSideRestrictions(restrictions, intake?.answers.conditions ?? [], (c) => CONDITIONS[c as ConditionCode]?.label ?? c);
}

/**
 * Record a clinician's decision; it becomes the one in force (append-only: the
 * earlier ones stay). A restriction on the side opposite to the condition is
 * kept as given, and the audit notes it, with whether it was confirmed at a
 * terminal.
 */
export async function addClearance(
  store: Store,
  client: Client,
  fields: ClearanceFields,
  ctx: Ctx,
  sides?: { confirmed: boolean },
): Promise<ClearanceHistory & { saved: Clearance; programDrift: string | null; oppositeSide: string[] }> {
  const opposite = await oppositeSide(store, client, fields.restrictions, ctx.today);
  const saved = await store.write(async (tx) => {
    const c = await insertClearance(tx, client.id, fields, ctx);
    if (opposite.length > 0) {
      await recordAudit(tx, { command: ctx.command, action: 'clearance.opposite_side', entity: 'clearance', entityId: c.id, clientId: client.id, detail: { restrictions: opposite, confirmed: sides?.confirmed ?? false } }, ctx.now);
    }
    return c;
  });
  return { saved, ...(await history(store, client, ctx.today)), programDrift: await programRestrictionDrift(store.db, client.id, ctx.today), oppositeSide: opposite };
}

export async function listClearances(store: Store, client: Client, today: string): Promise<ClearanceHistory> {
  return history(store, client, today);
}
