import { localToday } from '../domain/dates.js';
import { resolveLocation, type DatabaseLocation } from '../store/location.js';
import type { OpenOptions } from '../store/sqlite.js';
import type { Store } from '../store/store.js';
import type { IO } from './io.js';
import { Prompter } from './prompts.js';
import { UsageError } from './errors.js';

/** Open options for commands that only read: a missing database is an error, not a new file. */
export const READ = { create: false } as const;
/** Open options for the commands that may start a database. */
export const CREATE = { create: true } as const;

/** What every command gets: the IO, the prompt gate, where the data is, and the clock. */
export class App {
  readonly prompt: Prompter;

  constructor(
    readonly io: IO,
    readonly env: NodeJS.ProcessEnv,
    /** The command as typed, e.g. "client edit"; recorded in the audit log. */
    readonly command: string,
    private readonly dbFlag: string | undefined,
    private readonly clock: () => Date = () => new Date(),
    /** --templates <dir>: the trainer's own templates, instead of the data directory's. */
    readonly templatesDir?: string,
  ) {
    this.prompt = new Prompter(io);
  }

  /** The same App pointed at another database file. */
  withDatabase(file: string): App {
    return new App(this.io, this.env, this.command, file, this.clock, this.templatesDir);
  }

  location(): DatabaseLocation {
    if (this.dbFlag !== undefined && this.dbFlag.trim() === '') throw new UsageError('--db needs a file path');
    return resolveLocation(this.dbFlag, this.env);
  }

  /**
   * Open (and upgrade, unless read-only) the database; say so when an upgrade
   * took a backup. Only commands that start something (init, client add,
   * config set) create it: elsewhere a mistyped --db is an error, not a new file.
   */
  async open(options: Partial<OpenOptions> = {}): Promise<Store> {
    // Loaded here, not at start-up: --help and template commands never pay for SQLite and kysely.
    const { openSqlite } = await import('../store/sqlite.js');
    const store = await openSqlite(this.location().file, { create: false, ...options });
    if (store.upgradeBackup) this.io.info(`Upgraded ${store.location} to schema ${store.schemaVersion}; the copy from before is ${store.upgradeBackup}`);
    return store;
  }

  /** Open, run `fn`, and always close. */
  async withStore<T>(fn: (store: Store) => Promise<T>, options: Partial<OpenOptions> = {}): Promise<T> {
    const store = await this.open(options);
    try {
      return await fn(store);
    } finally {
      await store.close();
    }
  }

  now(): string {
    return this.clock().toISOString();
  }

  today(): string {
    return localToday(this.clock());
  }

  writeContext() {
    return { command: this.command, now: this.now() };
  }
}
