import { sql, type Kysely } from 'kysely';
import { isPersonalSetting } from '../domain/settings.js';
import { dialectOf } from './dialect.js';
import type { Database } from './schema.js';

export async function getMeta(db: Kysely<Database>, key: string): Promise<string | undefined> {
  const row = await db.selectFrom('bridgefit_meta').select('value').where('key', '=', key).executeTakeFirst();
  return row?.value;
}

export async function setMeta(db: Kysely<Database>, key: string, value: string): Promise<void> {
  const updated = await db.updateTable('bridgefit_meta').set({ value }).where('key', '=', key).executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('bridgefit_meta').values({ key, value }).execute();
}

const SETTING_PREFIX = 'setting:';

/**
 * In a clinic (PostgreSQL), the settings about the person (trainer.name and
 * the rest a report signs with) are each login's own: stored as
 * `setting:trainer.name@<login>`, read only by that login over the clinic's.
 * The screening rules stay the clinic's, changed by its administrators.
 */
const isPersonal = isPersonalSetting;

/** Settings a user has changed (text as stored); the domain fills in defaults. */
export async function getStoredSettings(db: Kysely<Database>): Promise<Record<string, string>> {
  const rows = await db.selectFrom('bridgefit_meta').select(['key', 'value']).where('key', 'like', `${SETTING_PREFIX}%`).orderBy('key').execute();
  const clinic = dialectOf(db) === 'postgres';
  const me = clinic ? `@${(await sql<{ login: string }>`select session_user as login`.execute(db)).rows[0]!.login}` : '';
  const out: Record<string, string> = {};
  const own: Record<string, string> = {};
  for (const r of rows) {
    const key = r.key.slice(SETTING_PREFIX.length);
    const at = key.indexOf('@');
    if (at === -1) out[key] = r.value;
    else if (clinic && key.slice(at) === me) own[key.slice(0, at)] = r.value;
  }
  if (clinic) for (const key of Object.keys(out)) if (isPersonal(key)) delete out[key];
  return { ...out, ...own };
}

export async function setStoredSetting(db: Kysely<Database>, key: string, value: string | null): Promise<void> {
  const stored = dialectOf(db) === 'postgres' && isPersonal(key) ? `${SETTING_PREFIX}${key}@${(await sql<{ login: string }>`select session_user as login`.execute(db)).rows[0]!.login}` : SETTING_PREFIX + key;
  if (value === null) await db.deleteFrom('bridgefit_meta').where('key', '=', stored).execute();
  else await setMeta(db, stored, value);
}
