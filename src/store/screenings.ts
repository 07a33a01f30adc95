import type { Kysely } from 'kysely';
import type { ScreeningVerdict } from '../domain/screening.js';
import type { Settings } from '../domain/settings.js';
import type { WriteContext } from './clients.js';
import type { Database } from './schema.js';
import { readJson } from './json.js';

/**
 * Keep a verdict with the rules and settings that made it. A verdict equal to
 * the client's last stored one (same intake, same findings) is not stored
 * again, so `screen` can be run freely without filling the history.
 */
export async function recordScreening(
  db: Kysely<Database>,
  clientId: number,
  intakeId: number,
  verdict: ScreeningVerdict,
  settings: Settings,
  ctx: WriteContext,
): Promise<{ id: number; stored: boolean }> {
  const last = await db
    .selectFrom('screenings')
    .select(['id', 'intake_id', 'verdict', 'settings'])
    .where('client_id', '=', clientId)
    .orderBy('id', 'desc')
    .executeTakeFirst();
  if (last && last.intake_id === intakeId && last.settings === JSON.stringify(settings) && sameFindings(readJson(last.verdict, 'screenings', 'verdict', last.id) as ScreeningVerdict, verdict)) {
    return { id: last.id, stored: false };
  }
  const row = await db
    .insertInto('screenings')
    .values({
      client_id: clientId,
      intake_id: intakeId,
      screened_on: verdict.screenedOn,
      recorded_at: ctx.now,
      rule_version: verdict.ruleVersion,
      settings: JSON.stringify(settings),
      gate: verdict.gate,
      verdict: JSON.stringify(verdict),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, stored: true };
}

/** Same outcome for the same reasons, whatever the day it was computed. */
function sameFindings(a: ScreeningVerdict, b: ScreeningVerdict): boolean {
  const strip = (v: ScreeningVerdict) => JSON.stringify({ ...v, screenedOn: undefined });
  return strip(a) === strip(b);
}

/** The client's last stored verdict, if they were ever screened. */
export async function latestScreening(db: Kysely<Database>, clientId: number, onOrBefore?: string): Promise<ScreeningVerdict | undefined> {
  let q = db.selectFrom('screenings').select(['id', 'verdict']).where('client_id', '=', clientId);
  if (onOrBefore) q = q.where('screened_on', '<=', onOrBefore);
  const row = await q.orderBy('id', 'desc').executeTakeFirst();
  return row ? (readJson(row.verdict, 'screenings', 'verdict', row.id) as ScreeningVerdict) : undefined;
}
