import path from 'node:path';
import envPaths from 'env-paths';
import { StoreError } from './errors.js';

export interface DatabaseLocation {
  /** A SQLite file path; for a clinic database, its URL with any password hidden (for messages). */
  file: string;
  /** Where the choice came from, for `init` and `doctor` to say. */
  source: '--db' | 'BRIDGEFIT_DB' | 'data directory';
  /** The clinic database's connection URL (postgres://…), password and all; absent for a file. */
  url?: string;
}

/** Where the database lives: --db, else BRIDGEFIT_DB, else the per-user data directory. */
export function resolveLocation(flag: string | undefined, env: NodeJS.ProcessEnv): DatabaseLocation {
  const chosen: DatabaseLocation | undefined = flag
    ? { file: flag, source: '--db' }
    : env.BRIDGEFIT_DB
      ? { file: env.BRIDGEFIT_DB, source: 'BRIDGEFIT_DB' }
      : undefined;
  if (chosen) {
    const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(chosen.file)?.[1]?.toLowerCase();
    if (scheme === 'postgres' || scheme === 'postgresql') return { ...chosen, file: displayUrl(chosen.file, chosen.source), url: chosen.file };
    if (scheme !== undefined) {
      throw new StoreError('missing', `${chosen.source} ${displayUrl(chosen.file, chosen.source)}: a database is a SQLite file path or a postgres:// URL`);
    }
    return { ...chosen, file: path.resolve(chosen.file) };
  }
  return { file: path.join(defaultDataDir(), 'bridgefit.db'), source: 'data directory' };
}

/** The URL as it may be printed: a password in it is never shown. */
export function displayUrl(url: string, source = 'the database URL'): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new StoreError('missing', `${source} is not a URL that can be read (postgres://user@host:port/database)`);
  }
  if (parsed.password) parsed.password = '***';
  if (parsed.searchParams.has('password')) parsed.searchParams.set('password', '***');
  return parsed.toString();
}

/** The per-user data directory (e.g. ~/.local/share/bridgefit on Linux; XDG_DATA_HOME moves it). */
export function defaultDataDir(): string {
  return envPaths('bridgefit', { suffix: '' }).data;
}
