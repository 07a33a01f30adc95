/**
 * better-sqlite3, loaded through require rather than import: importing a
 * CommonJS package from an ES module makes Node lex its source for named
 * exports first, about 6 ms of every command's start-up.
 */
import { createRequire } from 'node:module';
import type SqliteDatabaseType from 'better-sqlite3';

const require = createRequire(import.meta.url);

export const SqliteDatabase = require('better-sqlite3') as typeof SqliteDatabaseType;
export type { SqliteDatabaseType };
