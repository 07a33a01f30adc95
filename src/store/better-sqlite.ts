/**
 * better-sqlite3, loaded through require rather than import: importing a
 * CommonJS package from an ES module makes Node lex its source for named
 * exports first, about 6 ms of every command's start-up.
 */
import { createRequire } from 'node:module';
import type SqliteDatabaseType from 'better-sqlite3';
import { StoreError } from './errors.js';

const require = createRequire(import.meta.url);

export const SqliteDatabase = load();

/**
 * The driver, or one line saying how to mend it: a native addon built for
 * another Node.js (after a Node upgrade) fails with a long message whose
 * remedy comes last.
 */
function load(): typeof SqliteDatabaseType {
  try {
    const Database = require('better-sqlite3') as typeof SqliteDatabaseType;
    // The native addon loads with the first database: opened here, so a mismatch is found in one place.
    new Database(':memory:').close();
    return Database;
  } catch (err) {
    throw driverFailure(err) ?? err;
  }
}

/** The one line for a driver that cannot load (built for another Node.js), or undefined for any other error. */
export function driverFailure(err: unknown): StoreError | undefined {
  const message = (err as Error | undefined)?.message ?? '';
  const versions = /NODE_MODULE_VERSION (\d+)[\s\S]*NODE_MODULE_VERSION (\d+)/.exec(message);
  if (!versions && (err as NodeJS.ErrnoException | undefined)?.code !== 'ERR_DLOPEN_FAILED') return undefined;
  const which = versions ? ` (it was built for NODE_MODULE_VERSION ${versions[1]}; Node.js ${process.versions.node} needs ${versions[2]})` : '';
  return new StoreError('driver', `the SQLite driver (better-sqlite3) cannot be loaded by this Node.js${which}: run "npm rebuild better-sqlite3" where bridgefit is installed`, { cause: err });
}

export type { SqliteDatabaseType };
