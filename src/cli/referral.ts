import { stopsTraining } from '../domain/session.js';
import { intakeInForce } from '../store/intakes.js';
import { screenAndRecord } from './screening.js';
import { fullName } from '../domain/client.js';
import { getClient } from '../store/clients.js';
import { getReferral, listReferrals, resolveReferral } from '../store/progress.js';
import { READ, type App } from './app.js';
import { NotFoundError, UsageError, UserError } from './errors.js';
import { resolveClient } from './resolve.js';

/** `bridgefit referral list [client] [--all]`: open referrals (or all) with what, when and to whom. */
export async function list(app: App, opts: { all?: boolean }, args: string[]): Promise<void> {
  const rows = await app.withStore(async (store) => {
    const clientId = args[0] ? (await resolveClient(store, args[0])).id : undefined;
    const referrals = await listReferrals(store.db, { ...(clientId !== undefined ? { clientId } : {}), openOnly: !opts.all });
    const names = new Map<number, string>();
    for (const r of referrals) if (!names.has(r.clientId)) names.set(r.clientId, fullName((await getClient(store.db, r.clientId))!));
    return referrals.map((r) => ({ ...r, client: names.get(r.clientId)! }));
  }, READ);
  if (app.io.json) {
    app.io.printJson(rows);
    return;
  }
  if (rows.length === 0) {
    app.io.info(opts.all ? 'No referrals.' : 'No open referrals.');
    return;
  }
  app.io.table(
    ['ID', 'RAISED', 'CLIENT', 'STATUS', 'TO', 'REASON'],
    rows.map((r) => [String(r.id), r.raisedOn, r.client, r.status === 'open' ? 'open' : `resolved ${r.resolvedOn}: ${r.resolutionNote}`, r.toWhom, r.reason]),
  );
}

/** `bridgefit referral resolve <id> --note "…"` */
export async function resolve(app: App, opts: { note?: string }, args: string[]): Promise<void> {
  const id = Number(args[0]);
  if (!Number.isInteger(id) || id < 1) throw new UsageError(`expected a referral id, got "${args[0]}"`);
  if (!opts.note?.trim()) throw new UsageError('--note is required: what the clinician said or what was done');
  await app.withStore(async (store) => {
    await store.write(async (tx) => {
      const referral = await getReferral(tx, id);
      if (!referral) throw new NotFoundError(`no referral ${id}`);
      if (referral.status === 'resolved') throw new UserError(`referral ${id} was already resolved on ${referral.resolvedOn}`);
      await resolveReferral(tx, referral, opts.note!.trim(), app.today(), app.writeContext());
      // A red flag's referral closed the screening's gate: screen again, so summary and reports see it open.
      if (stopsTraining(referral.code)) {
        const intake = await intakeInForce(tx, referral.clientId, app.today());
        const client = await getClient(tx, referral.clientId);
        if (intake && client) await screenAndRecord(tx, client, intake, app.today(), app.writeContext());
      }
    });
    if (app.io.json) app.io.printJson({ id, status: 'resolved', note: opts.note!.trim() });
    else app.io.info(`Resolved referral ${id}.`);
  });
}
