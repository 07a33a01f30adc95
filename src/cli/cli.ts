import type { Ctx } from '../app/context.js';
import { UsageError } from '../app/errors.js';
import { databaseLocation, openDatabase, type DatabaseLocation, type OpenOptions, type Store } from '../app/open.js';
import { localToday } from '../domain/dates.js';
import type { IO } from './io.js';
import { Prompter } from './prompts.js';
import type { Command } from 'commander';
import type { Defined } from './command-tree.js';

export { CREATE, READ } from '../app/open.js';
export type { Store };

/**
 * What every command gets: the IO, the prompt gate, where the data is, and
 * the clock. Commands open the database here and hand the Store to use cases
 * (src/app); they never call the store themselves.
 */
export class Cli {
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
    /** Every command with its flags defined (shell completion needs the whole tree; main.ts builds it). */
    readonly commandTree: () => Promise<{ root: Command; commands: Defined[] }> = () => Promise.reject(new Error('no command tree here')),
  ) {
    this.prompt = new Prompter(io);
  }

  /** The same Cli pointed at another database file. */
  withDatabase(file: string): Cli {
    return new Cli(this.io, this.env, this.command, file, this.clock, this.templatesDir);
  }

  location(): DatabaseLocation {
    if (this.dbFlag !== undefined && this.dbFlag.trim() === '') throw new UsageError('--db needs a file path');
    return databaseLocation(this.dbFlag, this.env);
  }

  /**
   * Open (and upgrade, unless read-only) the database; say so when an upgrade
   * took a backup. Only commands that start something (init, client add,
   * config set) create it: elsewhere a mistyped --db is an error, not a new file.
   */
  async open(options: Partial<OpenOptions> = {}): Promise<Store> {
    const store = await openDatabase(this.location().file, options);
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

  /** Who is asking and when, for a use case (one moment: every row it writes has the same time). */
  ctx(): Ctx {
    const now = this.clock();
    return { command: this.command, now: now.toISOString(), today: localToday(now) };
  }
}
