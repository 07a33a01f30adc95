/** Referrals as the trainer follows them up: listed with the client's name, resolved with a note. */
import { fullName } from '../domain/client.js';
import type { Referral } from '../domain/referral.js';
import { stopsTraining } from '../domain/session.js';
import { resolveTrainer } from '../domain/settings.js';
import { getClient } from '../store/clients.js';
import { intakeInForce } from '../store/intakes.js';
import { getReferral, listReferrals as list, resolveReferral as resolve } from '../store/progress.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { NotFoundError, UserError } from './errors.js';
import { screenAndRecord } from './screen-client.js';
import { actingSettings } from './settings.js';

export async function listReferrals(store: Store, filter: { clientId?: number; openOnly: boolean }): Promise<(Referral & { client: string })[]> {
  const referrals = await list(store.db, filter);
  const names = new Map<number, string>();
  for (const r of referrals) if (!names.has(r.clientId)) names.set(r.clientId, fullName((await getClient(store.db, r.clientId))!));
  return referrals.map((r) => ({ ...r, client: names.get(r.clientId)! }));
}

/**
 * Close a referral with what the clinician said. A red flag's referral had
 * closed the screening's gate: the client is screened again in the same
 * transaction, so summary and reports see the gate open. Who resolved it is
 * `by` when given (the clinician who reviewed, say), else the trainer named in
 * settings (in a clinic, the member's own name: the clinician who resolves it); reports print it beside the day.
 */
export async function resolveReferral(store: Store, id: number, note: string, ctx: Ctx, by?: string): Promise<void> {
  await store.write(async (tx) => {
    const referral = await getReferral(tx, id);
    if (!referral) throw new NotFoundError(`no referral ${id}`);
    if (referral.status === 'resolved') throw new UserError(`referral ${id} was already resolved on ${referral.resolvedOn}`);
    const resolver = by?.trim() || resolveTrainer(await actingSettings(store, tx))['trainer.name']?.trim() || null;
    await resolve(tx, referral, note, ctx.today, ctx, resolver);
    if (stopsTraining(referral.code)) {
      const intake = await intakeInForce(tx, referral.clientId, ctx.today);
      const client = await getClient(tx, referral.clientId);
      if (intake && client) await screenAndRecord(tx, client, intake, ctx);
    }
  });
}
