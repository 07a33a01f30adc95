import fs from 'node:fs';
import path from 'node:path';
import { countClients } from '../store/clients.js';
import { migrations, versionOf } from '../store/migrations.js';
import { StoreError } from '../store/errors.js';
import { openSqlite } from '../store/sqlite.js';
import { CREATE, type App } from './app.js';
import { EXIT, UsageError, UserError } from './errors.js';

export async function init(app: App): Promise<void> {
  const where = app.location();
  const store = await app.open(CREATE);
  const result = {
    path: store.location,
    source: where.source,
    created: store.created,
    schemaVersion: store.schemaVersion,
    upgradeBackup: store.upgradeBackup,
  };
  await store.close();
  if (app.io.json) app.io.printJson(result);
  else {
    const what = result.created ? 'Created the database' : 'The database is ready';
    app.io.info(`${what} (schema version ${result.schemaVersion}; location from ${where.source}):`);
    app.io.out(result.path);
  }
}

export async function backup(app: App, opts: { out?: string }): Promise<void> {
  if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out needs a file or folder name');
  const store = await app.open({ create: false });
  let dest: string;
  try {
    dest = backupPath(opts.out, store.location, new Date(app.now()));
    await store.backup(dest);
  } finally {
    await store.close();
  }
  // A backup is only worth keeping if it opens and checks clean.
  const copy = await openSqlite(dest, { create: false, readOnly: true });
  const problems = await copy.check();
  await copy.close();
  if (problems.length > 0) {
    fs.rmSync(dest, { force: true });
    throw new UserError(`the backup did not check clean (${problems[0]}); it was removed. Run "bridgefit doctor" on the database`);
  }
  if (app.io.json) app.io.printJson({ path: dest, source: store.location });
  else {
    app.io.info(`Backed up ${store.location} to:`);
    app.io.out(dest);
  }
}

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

export async function doctor(app: App): Promise<number> {
  const file = app.location().file;
  const latest = versionOf(Object.keys(migrations('sqlite')));
  let store: Awaited<ReturnType<typeof openSqlite>>;
  try {
    store = await openSqlite(file, { create: false, readOnly: true });
  } catch (err) {
    // Too damaged to open: that is doctor's finding, not its failure.
    if (!(err instanceof StoreError) || err.code !== 'corrupt') throw err;
    const detail = `the file is damaged and cannot be read; restore the latest backup (${path.join(path.dirname(file), 'backups')})`;
    if (app.io.json) app.io.printJson({ path: file, schemaVersion: null, latestSchemaVersion: latest, clients: null, ok: false, checks: [{ name: 'integrity', ok: false, detail }] });
    else {
      app.io.out(`${app.io.c.bold('Database')}  ${file}`);
      app.io.out(`${app.io.c.red('FAIL')}  ${'integrity'.padEnd(12)} ${detail}`);
    }
    return EXIT.failure;
  }
  const checks: Check[] = [];
  let clients: number | null = 0;
  try {
    const problems = await store.check();
    const integrity = problems.filter((p) => !p.startsWith('foreign key'));
    const foreignKeys = problems.filter((p) => p.startsWith('foreign key'));
    checks.push({ name: 'integrity', ok: integrity.length === 0, detail: integrity.length === 0 ? 'ok' : integrity.join('; ') });
    checks.push({ name: 'foreign keys', ok: foreignKeys.length === 0, detail: foreignKeys.length === 0 ? 'ok' : foreignKeys.join('; ') });
    checks.push({
      name: 'schema',
      ok: true, // an older schema is upgraded (after a backup) the next time bridgefit writes
      detail: store.schemaVersion === latest ? `version ${latest} (current)` : `version ${store.schemaVersion}; run "bridgefit init" to upgrade to ${latest}`,
    });
    clients = await countClients(store.db).catch(() => null);
  } finally {
    await store.close();
  }
  const mode = fs.statSync(file).mode & 0o777;
  checks.push({
    name: 'permissions',
    ok: (mode & 0o077) === 0,
    detail: (mode & 0o077) === 0 ? `${octal(mode)} (only you can read it)` : `${octal(mode)}: others can read health data; run chmod 600 ${file}`,
  });
  const ok = checks.every((c) => c.ok);
  if (app.io.json) {
    app.io.printJson({ path: file, schemaVersion: store.schemaVersion, latestSchemaVersion: latest, clients, ok, checks });
  } else {
    const { c } = app.io;
    app.io.out(`${c.bold('Database')}  ${file}`);
    app.io.out(`${c.bold('Clients')}   ${clients ?? 'unreadable'}`);
    for (const check of checks) app.io.out(`${check.ok ? c.green('ok  ') : c.red('FAIL')}  ${check.name.padEnd(12)} ${check.detail}`);
  }
  return ok ? EXIT.ok : EXIT.failure;
}

/**
 * Where a backup goes: --out as given, or a dated file in --out when it is a
 * folder, or in backups/ beside the database; never over an existing file.
 */
function backupPath(out: string | undefined, database: string, now: Date): string {
  if (out !== undefined && !(fs.existsSync(out) && fs.statSync(out).isDirectory())) return path.resolve(out);
  const dir = out !== undefined ? path.resolve(out) : path.join(path.dirname(database), 'backups');
  const base = `bridgefit-${stamp(now)}`;
  let candidate = path.join(dir, `${base}.db`);
  for (let n = 2; fs.existsSync(candidate); n++) candidate = path.join(dir, `${base}-${n}.db`);
  return candidate;
}

function stamp(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
}

function octal(mode: number): string {
  return `0${mode.toString(8).padStart(3, '0')}`;
}
