/**
 * better-sqlite3. Its JavaScript is bundled into dist/main.js (so it is
 * compiled from the launcher's code cache with the rest), and its native
 * addon is loaded by its path: loaded the usual way, Node's CommonJS loader
 * resolving, reading and compiling its ten files and the `bindings` package
 * searching for the addon were about 6 ms of every database command
 * (bench/README.md, "Per-client commands (issue 14)"). When the installed
 * package is not the version bundled, or its addon is not where a build puts
 * it, the installed package is loaded as it is, through require.
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import BundledDatabase from 'better-sqlite3';
import bundled from 'better-sqlite3/package.json' with { type: 'json' };
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
    const addon = bundledAddon();
    if (addon === undefined) {
      const Database = require('better-sqlite3') as typeof SqliteDatabaseType;
      // The native addon loads with the first database: opened here, so a mismatch is found in one place.
      new Database(':memory:').close();
      return Database;
    }
    // Every connection is given the addon loaded here (better-sqlite3's nativeBinding option).
    const Database = function (this: unknown, filename?: string | Buffer, options?: SqliteDatabaseType.Options) {
      return new BundledDatabase(filename, { ...options, nativeBinding: addon as never });
    } as unknown as typeof SqliteDatabaseType;
    Object.assign(Database, BundledDatabase);
    Database.prototype = BundledDatabase.prototype;
    return Database;
  } catch (err) {
    throw driverFailure(err) ?? err;
  }
}

/** The installed addon, when the installed better-sqlite3 is the version whose JavaScript was bundled; undefined to load the package as it is. */
function bundledAddon(): object | undefined {
  let dir: string;
  try {
    dir = path.dirname(require.resolve('better-sqlite3/package.json'));
    const installed = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { version?: string };
    if (installed.version !== bundled.version) return undefined;
  } catch {
    return undefined;
  }
  const file = path.join(dir, 'build', 'Release', 'better_sqlite3.node');
  if (!fs.existsSync(file)) return undefined;
  return require(file) as object;
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
