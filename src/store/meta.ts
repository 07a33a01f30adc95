import type { Kysely } from 'kysely';
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

/** Settings a user has changed (text as stored); the domain fills in defaults. */
export async function getStoredSettings(db: Kysely<Database>): Promise<Record<string, string>> {
  const rows = await db.selectFrom('bridgefit_meta').select(['key', 'value']).where('key', 'like', `${SETTING_PREFIX}%`).execute();
  return Object.fromEntries(rows.map((r) => [r.key.slice(SETTING_PREFIX.length), r.value]));
}

export async function setStoredSetting(db: Kysely<Database>, key: string, value: string | null): Promise<void> {
  if (value === null) await db.deleteFrom('bridgefit_meta').where('key', '=', SETTING_PREFIX + key).execute();
  else await setMeta(db, SETTING_PREFIX + key, value);
}
