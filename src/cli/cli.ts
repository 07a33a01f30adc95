import fs from 'node:fs';
import path from 'node:path';
import type { Ctx } from '../app/context.js';
import { UsageError } from '../app/errors.js';
import { databaseIsEncrypted, databaseLocation, openDatabase, type DatabaseLocation, type OpenOptions, type Store } from '../app/open.js';
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
    /** --key-file <file>: the file holding the key of an encrypted database. */
    private readonly keyFile?: string,
  ) {
    this.prompt = new Prompter(io);
  }

  /** The same Cli pointed at another database file that bridgefit made plain (the demo's): any key given is not for it. */
  withDatabase(file: string): Cli {
    const { BRIDGEFIT_KEY: _key, BRIDGEFIT_KEY_FILE: _keyFile, ...env } = this.env;
    return new Cli(this.io, env, this.command, file, this.clock, this.templatesDir, this.commandTree);
  }

  /**
   * The key given for an encrypted database: --key-file, else
   * BRIDGEFIT_KEY_FILE, else BRIDGEFIT_KEY (setting both variables is
   * refused, as one of them would be ignored). A key file holds the key on
   * its first line. The key is never printed, logged or stored.
   */
  configuredKey(): string | undefined {
    if (this.keyFile === undefined && this.env.BRIDGEFIT_KEY_FILE && this.env.BRIDGEFIT_KEY) throw new UsageError('set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, not both');
    const file = this.keyFile ?? (this.env.BRIDGEFIT_KEY_FILE || undefined);
    if (file !== undefined) return readKeyFile(file, this.keyFile !== undefined ? '--key-file' : 'BRIDGEFIT_KEY_FILE');
    return this.env.BRIDGEFIT_KEY || undefined;
  }

  private readonly keys = new Map<string, string | undefined>();

  /**
   * The key to open `file` with: the one given, else (for an encrypted file,
   * at a terminal) asked for once, hidden as it is typed; undefined for a
   * plain file or when there is no one to ask (opening then says how to give it).
   */
  async keyFor(file: string): Promise<string | undefined> {
    const where = path.resolve(file);
    if (this.keys.has(where)) return this.keys.get(where);
    let key = this.configuredKey();
    if (key === undefined && this.prompt.available && (await databaseIsEncrypted(where))) key = await this.prompt.secret(`Key for ${where}`);
    this.keys.set(where, key);
    return key;
  }

  location(): DatabaseLocation {
    if (this.dbFlag !== undefined && this.dbFlag.trim() === '') throw new UsageError('--db needs a file path or a postgres:// URL');
    return databaseLocation(this.dbFlag, this.env);
  }

  /** The database file, for the commands that work on a SQLite file itself (backup, restore, encrypt…). */
  file(what: string, onClinic: string): string {
    const where = this.location();
    if (where.url !== undefined) throw new UsageError(`${what} works on a SQLite file, and ${where.file} is a clinic database: ${onClinic}`);
    return where.file;
  }

  /**
   * Open (and upgrade, unless read-only) the database; say so when an upgrade
   * took a backup. Only commands that start something (init, client add,
   * config set) create it: elsewhere a mistyped --db is an error, not a new file.
   */
  async open(options: Partial<OpenOptions> = {}): Promise<Store> {
    const where = this.location();
    if (where.url !== undefined) return openDatabase(where, options);
    const key = await this.keyFor(where.file);
    const store = await openDatabase(where.file, { ...options, ...(key !== undefined ? { key } : {}) });
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

/** The largest key file read: a key is a line, not a document. */
const KEY_FILE_MAX_BYTES = 4096;

/** The key on the first line of `file` (its line ending dropped, nothing else). */
function readKeyFile(file: string, from: string): string {
  let text: string;
  try {
    const size = fs.statSync(file).size;
    if (size > KEY_FILE_MAX_BYTES) throw new UsageError(`${from} ${file} is ${size} bytes, too long for a key file (a key is one line)`);
    text = fs.readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof UsageError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`${from} ${file}: cannot read it (${code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : (code ?? (err as Error).message)})`);
  }
  const key = text.split(/\r?\n/)[0]!;
  if (key === '') throw new UsageError(`${from} ${file}: the first line is empty; put the key there`);
  return key;
}
