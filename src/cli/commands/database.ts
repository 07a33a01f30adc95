/** `init`, `backup`, `restore`, `doctor`: the database file itself. */
import { backupDatabase, checkDatabase, initDatabase, restoreDatabase } from '../../app/database.js';
import { EXIT, UsageError } from '../../app/errors.js';
import { READ } from '../cli.js';
import { command, examples } from '../command.js';

export const init = command({
  define: (c) => c.addHelpText('after', examples('bridgefit init', 'bridgefit --db ~/clinic/clients.db init', 'BRIDGEFIT_DB=./test.db bridgefit init --json')),
  async run(cli) {
    const where = cli.location();
    const result = await initDatabase(where);
    if (result.upgradeBackup) cli.io.info(`Upgraded ${result.path} to schema ${result.schemaVersion}; the copy from before is ${result.upgradeBackup}`);
    if (cli.io.json) cli.io.printJson(result);
    else {
      const what = result.created ? 'Created the database' : 'The database is ready';
      cli.io.info(`${what} (schema version ${result.schemaVersion}; location from ${where.source}):`);
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
    const result = await cli.withStore((store) => backupDatabase(store, opts.out, cli.now()), READ);
    if (cli.io.json) cli.io.printJson(result);
    else {
      cli.io.info(`Backed up ${result.source} to:`);
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
    const location = cli.location().file;
    if (!opts.yes && !cli.prompt.available) throw new UsageError(`refusing to replace ${location} without --yes: there is no terminal to confirm on`);
    const result = await restoreDatabase(location, backup, cli.now(), async (plan) => {
      if (opts.yes) return true;
      cli.io.info(
        plan.currentClients !== undefined
          ? `This replaces everything in ${plan.location} (${plan.currentClients ?? '?'} clients) with ${plan.from} (${plan.incoming.clients} clients, schema ${plan.incoming.schemaVersion}). The current data is copied to backups/ first.`
          : `This makes ${plan.location} from ${plan.from} (${plan.incoming.clients} clients, schema ${plan.incoming.schemaVersion}).`,
      );
      return cli.prompt.confirm('Restore?');
    });
    if (cli.io.json) cli.io.printJson(result);
    else cli.io.info(`Restored ${result.path} from ${result.restoredFrom} (${result.clients} clients)${result.safetyBackup ? `; the data it replaced is in ${result.safetyBackup}` : ''}`);
  },
});

export const doctor = command({
  define: (c) => c.addHelpText('after', examples('bridgefit doctor', 'bridgefit doctor --json')),
  async run(cli) {
    const report = await checkDatabase(cli.location().file);
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
