/** `init`, `backup`, `restore`, `doctor`, `encrypt`, `decrypt`: the database file itself. */
import path from 'node:path';
import { backupDatabase, checkClinicDatabase, checkDatabase, decryptDatabase, encryptDatabase, initDatabase, restoreDatabase } from '../../app/database.js';
import { EXIT, UsageError } from '../../app/errors.js';
import { READ } from '../cli.js';
import { command, examples } from '../command.js';

export const init = command({
  define: (c) =>
    c.addHelpText(
      'after',
      examples('bridgefit init', 'bridgefit --db ~/clinic/clients.db init', 'BRIDGEFIT_DB=./test.db bridgefit init --json', 'bridgefit --key-file ~/.bridgefit-key init   # a new database, encrypted'),
    ),
  async run(cli) {
    const where = cli.location();
    if (where.url !== undefined) {
      // A clinic database is made by its administrator (clinic init); here it is only opened and checked.
      const result = await cli.withStore(async (store) => ({ path: store.location, source: where.source, created: false, schemaVersion: store.schemaVersion, encrypted: false, upgradeBackup: null, clinic: store.clinic }));
      if (cli.io.json) cli.io.printJson(result);
      else {
        cli.io.info(`The clinic database is ready (schema version ${result.schemaVersion}; you are ${result.clinic?.login}, ${result.clinic?.role}; location from ${where.source}):`);
        cli.io.out(result.path);
      }
      return;
    }
    const result = await initDatabase(where, await cli.keyFor(where.file));
    if (result.upgradeBackup) cli.io.info(`Upgraded ${result.path} to schema ${result.schemaVersion}; the copy from before is ${result.upgradeBackup}`);
    if (cli.io.json) cli.io.printJson(result);
    else {
      const what = result.created ? 'Created the database' : 'The database is ready';
      cli.io.info(`${what} (schema version ${result.schemaVersion}${result.encrypted ? ', encrypted' : ''}; location from ${where.source}):`);
      cli.io.out(result.path);
    }
  },
});

export const backup = command({
  define: (c) =>
    c
      .option('--out <file>', 'where to write the copy (default: backups/ beside the database)')
      .addHelpText('after', examples('bridgefit backup', 'bridgefit backup --out /mnt/usb/bridgefit-2026-11-26.db')),
  async run(cli, opts) {
    if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out needs a file or folder name');
    // A backup only reads the database: it works on a full disk, to another one.
    const key = await cli.keyFor(cli.file('backup', 'back it up with pg_dump (or the server host\'s backups)'));
    const result = await cli.withStore((store) => backupDatabase(store, opts.out, cli.now(), key), READ);
    if (cli.io.json) cli.io.printJson(result);
    else {
      cli.io.info(`Backed up ${result.source} to${result.encrypted ? ' (encrypted with the same key)' : ''}:`);
      cli.io.out(result.path);
    }
  },
});

export const restore = command({
  define: (c) =>
    c
      .argument('<backup>', 'a backup file made by "bridgefit backup"')
      .option('-y, --yes', 'do not ask; required when there is no terminal')
      .addHelpText('after', examples('bridgefit restore backups/bridgefit-20261126-0915.db', 'bridgefit --db ~/clinic/clients.db restore /mnt/usb/clients.db --yes')),
  async run(cli, opts, [backup]) {
    const location = cli.file('restore', 'restore it with pg_restore from its pg_dump backup');
    if (!opts.yes && !cli.prompt.available) throw new UsageError(`refusing to replace ${location} without --yes: there is no terminal to confirm on`);
    // One key for the database and its backups; asked for at a terminal when either is encrypted.
    const key = (await cli.keyFor(location)) ?? (await cli.keyFor(path.resolve(backup)));
    const result = await restoreDatabase(location, backup, cli.now(), async (plan) => {
      if (opts.yes) return true;
      cli.io.info(
        plan.currentClients !== undefined
          ? `This replaces everything in ${plan.location} (${plan.currentClients ?? '?'} clients) with ${plan.from} (${plan.incoming.clients} clients, schema ${plan.incoming.schemaVersion}). The current data is copied to backups/ first.`
          : `This makes ${plan.location} from ${plan.from} (${plan.incoming.clients} clients, schema ${plan.incoming.schemaVersion}).`,
      );
      return cli.prompt.confirm('Restore?');
    }, key);
    if (cli.io.json) cli.io.printJson(result);
    else cli.io.info(`Restored ${result.path} from ${result.restoredFrom} (${result.clients} clients)${result.safetyBackup ? `; the data it replaced is in ${result.safetyBackup}` : ''}`);
  },
});

export const doctor = command({
  define: (c) => c.addHelpText('after', examples('bridgefit doctor', 'bridgefit doctor --json')),
  async run(cli) {
    const where = cli.location();
    const report = where.url !== undefined ? await checkClinicDatabase(where) : await checkDatabase(where.file, await cli.keyFor(where.file));
    if (cli.io.json) cli.io.printJson(report);
    else {
      const { c } = cli.io;
      cli.io.out(`${c.bold('Database')}  ${report.path}`);
      if (report.schemaVersion !== null) cli.io.out(`${c.bold('Clients')}   ${report.clients ?? 'unreadable'}`);
      for (const check of report.checks) cli.io.out(`${check.ok ? c.green('ok  ') : c.red('FAIL')}  ${check.name.padEnd(12)} ${check.detail}`);
    }
    return report.ok ? EXIT.ok : EXIT.failure;
  },
});

const KEY_HELP = `
The key comes from --key-file <file> (its first line), BRIDGEFIT_KEY_FILE or
BRIDGEFIT_KEY; at a terminal, bridgefit asks for it. It is never printed,
logged or stored: without it the data cannot be read, by anyone.`;

export const encrypt = command({
  define: (c) =>
    c.addHelpText(
      'after',
      KEY_HELP +
        '\nThe copy taken first, in backups/, is not encrypted: delete it (and older backups) once the encrypted database works.' +
        examples('bridgefit --key-file ~/.bridgefit-key encrypt', 'BRIDGEFIT_KEY_FILE=/run/secrets/bridgefit bridgefit encrypt --json'),
    ),
  async run(cli) {
    const location = cli.file('encrypt', 'its server protects it (TLS, the disk\'s encryption, its roles)');
    let key = cli.configuredKey();
    if (key === undefined) {
      if (!cli.prompt.available) throw new UsageError('encrypt needs a key: set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file');
      key = await cli.prompt.secret('New key');
      if ((await cli.prompt.secret('The same key again')) !== key) throw new UsageError('the two keys differ; nothing was changed');
    }
    const result = await encryptDatabase(location, key, cli.now());
    if (cli.io.json) cli.io.printJson(result);
    else {
      cli.io.info(`Encrypted ${result.path}; from now on it opens only with the key.`);
      cli.io.info(`The copy from before is ${result.backup}; it is not encrypted: delete it (and older backups) once you have checked the database opens.`);
    }
  },
});

export const decrypt = command({
  define: (c) => c.addHelpText('after', KEY_HELP + examples('bridgefit --key-file ~/.bridgefit-key decrypt', 'BRIDGEFIT_KEY=… bridgefit decrypt --json')),
  async run(cli) {
    const location = cli.file('decrypt', 'its server protects it (TLS, the disk\'s encryption, its roles)');
    const result = await decryptDatabase(location, await cli.keyFor(location), cli.now());
    if (cli.io.json) cli.io.printJson(result);
    else cli.io.info(`Decrypted ${result.path}: it opens without a key now. The encrypted copy from before is ${result.backup}.`);
  },
});
