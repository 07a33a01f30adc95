import { PostgresAdapter, type Kysely } from 'kysely';
import type { DialectName } from './migrations.js';

/** Which engine a connection (or a transaction on one) talks to, for the few queries written per dialect. */
export function dialectOf(db: Kysely<any>): DialectName {
  return db.getExecutor().adapter instanceof PostgresAdapter ? 'postgres' : 'sqlite';
}
