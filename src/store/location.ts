import path from 'node:path';
import envPaths from 'env-paths';
import { StoreError } from './errors.js';

export interface DatabaseLocation {
  file: string;
  /** Where the choice came from, for `init` and `doctor` to say. */
  source: '--db' | 'BRIDGEFIT_DB' | 'data directory';
}

/** Where the database lives: --db, else BRIDGEFIT_DB, else the per-user data directory. */
export function resolveLocation(flag: string | undefined, env: NodeJS.ProcessEnv): DatabaseLocation {
  const chosen: DatabaseLocation | undefined = flag
    ? { file: flag, source: '--db' }
    : env.BRIDGEFIT_DB
      ? { file: env.BRIDGEFIT_DB, source: 'BRIDGEFIT_DB' }
      : undefined;
  if (chosen) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(chosen.file)) {
      throw new StoreError('missing', `${chosen.source} ${chosen.file}: only a SQLite file path is supported`);
    }
    return { ...chosen, file: path.resolve(chosen.file) };
  }
  return { file: path.join(defaultDataDir(), 'bridgefit.db'), source: 'data directory' };
}

/** The per-user data directory (e.g. ~/.local/share/bridgefit on Linux; XDG_DATA_HOME moves it). */
export function defaultDataDir(): string {
  return envPaths('bridgefit', { suffix: '' }).data;
}
