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
