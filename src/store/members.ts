/**
 * A clinic member's name (clinic mode, issue 18), read on either dialect: on
 * SQLite, one trainer's own file, clinic_members is there (migration 0012)
 * and empty.
 */
import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/** The name the clinic gave `login` (clinic add-trainer|add-clinician|add-admin --name), or null. */
export async function memberName(db: Kysely<Database>, login: string): Promise<string | null> {
  return (await memberDetails(db, login)).name;
}

/** The name and profession the clinic gave `login`, each null when not given. */
export async function memberDetails(db: Kysely<Database>, login: string): Promise<{ name: string | null; profession: string | null }> {
  const row = await db.selectFrom('clinic_members').select(['name', 'profession']).where('login', '=', login).executeTakeFirst();
  return { name: row?.name?.trim() || null, profession: row?.profession?.trim() || null };
}
