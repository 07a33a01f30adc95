import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bf, bfInTerminal, cleanEnv } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { mode, tempDir } from '../helpers/tmp.js';
import { migrations, versionOf } from '../../src/store/migrations.js';

const LATEST = versionOf(Object.keys(migrations('sqlite')));


function setup() {
  const cwd = tempDir();
  const db = path.join(cwd, 'clients.db');
  const run = (args: string[], input?: string) => bf(['--db', db, ...args], { cwd, ...(input !== undefined ? { input } : {}) });
  return { cwd, db, run };
}

const add = (first: string, last: string, dob: string, ...more: string[]) => [
  'client', 'add', '--first-name', first, '--last-name', last, '--dob', dob, ...more,
];

describe('bridgefit init and where the database lives', () => {
  it('creates the database in the per-user data directory, 0600 in a 0700 folder, and prints the path', async () => {
    const cwd = tempDir();
    const r = await bf(['init'], { cwd });
    const expected = path.join(cwd, '.local', 'share', 'bridgefit', 'bridgefit.db');
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(expected);
    expect(r.stderr).toContain(`Created the database (schema version ${LATEST}; location from data directory)`);
    expect(mode(expected)).toBe(0o600);
    expect(mode(path.dirname(expected))).toBe(0o700);

    const again = await bf(['init', '--json'], { cwd });
    expect(JSON.parse(again.stdout)).toEqual({ path: expected, source: 'data directory', created: false, schemaVersion: LATEST, encrypted: false, upgradeBackup: null });
  });

  it('takes BRIDGEFIT_DB, and --db over it', async () => {
    const cwd = tempDir();
    const env = cleanEnv(cwd, { BRIDGEFIT_DB: path.join(cwd, 'env.db') });
    expect((await bf(['init'], { cwd, env })).stdout.trim()).toBe(path.join(cwd, 'env.db'));
    expect((await bf(['--db', 'flag.db', 'init'], { cwd, env })).stdout.trim()).toBe(path.join(cwd, 'flag.db'));
  });

  it('refuses a file that is not a bridgefit database and leaves it untouched', async () => {
    const { cwd, run } = setup();
    const foreign = path.join(cwd, 'budget.db');
    const other = new SqliteDatabase(foreign);
    other.exec("create table expenses (amount real); insert into expenses values (12.5);");
    other.close();
    const before = fs.readFileSync(foreign);
    const r = await bf(['--db', foreign, 'client', 'list'], { cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`bridgefit: ${foreign} is a SQLite database but not a bridgefit one; it was left untouched\n`);
    expect(fs.readFileSync(foreign).equals(before)).toBe(true);

    const text = path.join(cwd, 'notes.txt');
    fs.writeFileSync(text, 'not a database');
    const r2 = await bf(['--db', text, 'init'], { cwd });
    expect(r2.exitCode).toBe(1);
    expect(r2.stderr).toContain('not SQLite at all');
    expect(fs.readFileSync(text, 'utf8')).toBe('not a database');
    void run;
  });

  it('refuses a database from a newer bridgefit', async () => {
    const { db, run } = setup();
    await run(['init']);
    const raw = new SqliteDatabase(db);
    raw.prepare("insert into kysely_migration (name, timestamp) values ('0042_future', '2030-01-01')").run();
    raw.close();
    const r = await run(['client', 'list']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain(`written by a newer bridgefit (schema 42, this one knows ${LATEST}); upgrade bridgefit`);
  });

  it('says a database URL that is not PostgreSQL is not supported, and one it cannot reach in one line', async () => {
    const { cwd } = setup();
    const other = await bf(['--db', 'mysql://localhost/clinic', 'client', 'list'], { cwd });
    expect(other.exitCode).toBe(1);
    expect(other.stderr).toBe('bridgefit: --db mysql://localhost/clinic: a database is a SQLite file path or a postgres:// URL\n');
    // Port 1 on loopback: nothing listens there. The password never appears in a message.
    const down = await bf(['--db', 'postgres://tom:s3cret@127.0.0.1:1/clinic', 'client', 'list'], { cwd });
    expect(down.exitCode).toBe(1);
    expect(down.stderr).toMatch(/^bridgefit: cannot reach the clinic database postgres:\/\/tom:\*\*\*@127\.0\.0\.1:1\/clinic: the connection was refused/);
    expect(down.stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(down.stderr).not.toContain('s3cret');
  });
});

describe('client records from scripts', () => {
  it('adds clients with names in any script and lists them as JSON', async () => {
    const { db, run } = setup();
    for (const [first, last] of [['Zoë', 'Moreau'], ['Łukasz', 'Nowak'], ['娜', '李'], ['عائشة', 'الحسن'], ['Σοφία', 'Παππά']]) {
      const r = await run(add(first!, last!, '1970-05-01'));
      expect(r.exitCode).toBe(0);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(/^Added client \d+: /);
    }
    const list = await run(['client', 'list', '--json']);
    expect(list.exitCode).toBe(0);
    const clients = JSON.parse(list.stdout) as Record<string, unknown>[];
    expect(clients.map((c) => `${c.firstName} ${c.lastName}`)).toEqual(['Zoë Moreau', 'Łukasz Nowak', 'Σοφία Παππά', 'عائشة الحسن', '娜 李']);
    expect(Object.keys(clients[0]!)).toEqual([
      'id', 'firstName', 'lastName', 'dateOfBirth', 'age', 'sex', 'email', 'phone', 'goals', 'notes',
      'gpName', 'gpContact', 'surgeonName', 'surgeonContact', 'physioName', 'physioContact', 'status', 'createdAt', 'updatedAt',
    ]);
    expect(rows(db, "select first_name from clients where last_name = 'Moreau'")).toEqual([{ first_name: 'Zoë' }]);
  });

  it('prints plain tab-separated rows without colour when piped', async () => {
    const { run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12', '--phone', '+33 1 23 45 67 89', '--email', 'zoe@example.org'));
    await run(add('娜', '李', '1955-06-30'));
    const r = await run(['client', 'list']);
    expect(r.stdout).toBe('1\tZoë Moreau\t1961-04-12\t65\tactive\t+33 1 23 45 67 89\tzoe@example.org\n2\t李娜\t1955-06-30\t71\tactive\t\t\n'.replace(/\t65\t/, `\t${age('1961-04-12')}\t`).replace(/\t71\t/, `\t${age('1955-06-30')}\t`));
    expect(r.stdout).not.toContain('\x1b[');
  });

  it('shows one client by an accent-free name fragment, and by id', async () => {
    const { run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12', '--sex', 'female', '--goals', 'Walk to the market'));
    const byName = await run(['client', 'show', 'zoe', '--json']);
    expect(JSON.parse(byName.stdout)).toMatchObject({ id: 1, firstName: 'Zoë', sex: 'female', goals: 'Walk to the market' });
    const byId = await run(['client', 'show', '1']);
    expect(byId.exitCode).toBe(0);
    expect(byId.stdout).toContain('Zoë Moreau');
    expect(byId.stdout).toContain('Walk to the market');
  });

  it('fails with exit 3 listing the matches when a fragment is ambiguous, and when nothing matches', async () => {
    const { run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12'));
    await run(add('Marie', 'Moreau', '1950-01-01'));
    const r = await run(['client', 'show', 'moreau']);
    expect(r.exitCode).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe('bridgefit: "moreau" matches 2 clients: 1 Zoë Moreau; 2 Marie Moreau; use the id or more of the name\n');
    const none = await run(['client', 'show', 'nobody']);
    expect(none.exitCode).toBe(3);
    expect(none.stderr).toBe('bridgefit: no client matches "nobody"\n');
    expect((await run(['client', 'show', '99'])).stderr).toBe('bridgefit: no client with id 99\n');
  });

  it('never prompts without a terminal: a missing flag fails naming it, and nothing is written', async () => {
    const { db, run } = setup();
    await run(['init']);
    const r = await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toBe('bridgefit: missing --dob (date of birth); there is no terminal to ask on\n');
    expect(rows(db, 'select * from clients')).toEqual([]);
  });

  it('refuses bad values with exit 2, naming the flag, and writes nothing', async () => {
    const { db, run } = setup();
    await run(['init']);
    const cases: [string[], string][] = [
      [add('Zoë', 'Moreau', '12/04/1961'), '--dob: date of birth must be a date as YYYY-MM-DD, got "12/04/1961"'],
      [add('Zoë', 'Moreau', '2099-01-01'), '--dob: date of birth 2099-01-01 is in the future'],
      // The right form on a day the calendar does not have: say so, not "must be YYYY-MM-DD".
      [add('Zoë', 'Moreau', '1958-02-30'), '--dob: date of birth 1958-02-30 is not a calendar date: February has 28 days in 1958'],
      [add('Zoë', 'Moreau', '1961-04-31'), '--dob: date of birth 1961-04-31 is not a calendar date: April has 30 days'],
      [add('Zoë', 'Moreau', '1961-04-12', '--sex', 'f'), '--sex: sex must be one of female, male, other, got "f"'],
      [add('Zoë', 'Moreau', '1961-04-12', '--email', 'zoe'), '--email: email "zoe" is not an email address'],
      [add('', 'Moreau', '1961-04-12'), '--first-name: first name is required'],
    ];
    for (const [args, message] of cases) {
      const r = await run(args);
      expect(r.exitCode).toBe(2);
      expect(r.stderr).toBe(`bridgefit: ${message}\n`);
    }
    const unknown = await run(['client', 'add', '--frist-name', 'Zoë']);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toContain("unknown option '--frist-name'");
    expect(rows(db, 'select * from clients')).toEqual([]);
  });

  it('edits fields by flag, clears an optional one with "", and records the change in the audit log', async () => {
    const { db, run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12', '--email', 'old@example.org'));
    const r = await run(['client', 'edit', 'zoe', '--phone', '+44 20 7946 0000', '--email', '', '--json']);
    expect(r.exitCode).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ phone: '+44 20 7946 0000', email: null });
    const audit = rows(db, "select command, action, detail from audit_log where action = 'client.update'") as { command: string; detail: string }[];
    expect(audit).toHaveLength(1);
    expect(audit[0]!.command).toBe('client edit');
    expect(JSON.parse(audit[0]!.detail)).toEqual({ email: { from: 'old@example.org', to: null }, phone: { from: null, to: '+44 20 7946 0000' } });

    const bad = await run(['client', 'edit', 'zoe', '--dob', 'soon']);
    expect(bad.exitCode).toBe(2);
    expect(rows(db, 'select date_of_birth from clients')).toEqual([{ date_of_birth: '1961-04-12' }]);
    const nothing = await run(['client', 'edit', 'zoe']);
    expect(nothing.exitCode).toBe(2);
    expect(nothing.stderr).toMatch(/^bridgefit: nothing to change: give at least one of --first-name/);
  });

  it('archives and restores; archived clients leave the everyday list', async () => {
    const { run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12'));
    await run(add('Łukasz', 'Nowak', '1978-11-02'));
    expect((await run(['client', 'archive', 'nowak'])).stderr).toBe('Archived client 2: Łukasz Nowak\n');
    expect((await run(['client', 'list'])).stdout).not.toContain('Nowak');
    expect((await run(['client', 'list', '--status', 'archived'])).stdout).toContain('Łukasz Nowak');
    expect((await run(['client', 'archive', 'nowak'])).stderr).toContain('already archived');
    expect((await run(['client', 'restore', 'lukasz'])).exitCode).toBe(0);
    expect((await run(['client', 'list'])).stdout).toContain('Nowak');
  });

  it('will not delete without --yes when there is no terminal; with --yes removes the whole history', async () => {
    const { db, run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12'));
    await run(['client', 'edit', 'zoe', '--notes', 'right knee']);
    const refused = await run(['client', 'delete', 'zoe']);
    expect(refused.exitCode).toBe(2);
    expect(refused.stderr).toBe('bridgefit: refusing to delete client 1 (Zoë Moreau) without --yes: there is no terminal to confirm on\n');
    expect(rows(db, 'select id from clients')).toEqual([{ id: 1 }]);

    const done = await run(['client', 'delete', 'zoe', '--yes']);
    expect(done.exitCode).toBe(0);
    expect(rows(db, 'select id from clients')).toEqual([]);
    expect(rows(db, 'select action, detail from audit_log')).toEqual([{ action: 'client.delete', detail: null }]);
  });

  it('shows a stack trace only with --debug', async () => {
    const { cwd } = setup();
    const dir = path.join(cwd, 'a-folder.db');
    fs.mkdirSync(dir);
    const plain = await bf(['--db', dir, 'client', 'list'], { cwd });
    expect(plain.exitCode).toBe(1);
    expect(plain.stderr).not.toMatch(/\n\s+at /);
    const debug = await bf(['--db', dir, '--debug', 'client', 'list'], { cwd });
    expect(debug.exitCode).toBe(1);
    expect(debug.stderr).toMatch(/\n\s+at /);
  });
});

describe('backup and doctor', () => {
  it('backs up to a private file that holds every client, and doctor reports a clean database', async () => {
    const { cwd, db, run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12'));
    const out = path.join(cwd, 'copy.db');
    const r = await run(['backup', '--out', out]);
    expect(r.exitCode).toBe(0);
    expect(r.stdout.trim()).toBe(out);
    expect(mode(out)).toBe(0o600);
    expect(rows(out, 'select first_name from clients')).toEqual([{ first_name: 'Zoë' }]);
    expect((await run(['backup', '--out', out])).exitCode).toBe(1);

    const doctor = await run(['doctor', '--json']);
    expect(doctor.exitCode).toBe(0);
    expect(JSON.parse(doctor.stdout)).toMatchObject({ path: db, schemaVersion: LATEST, latestSchemaVersion: LATEST, clients: 1, ok: true });
  });

  it('doctor fails on a damaged file and on loose permissions', async () => {
    const { db, run } = setup();
    await run(add('Zoë', 'Moreau', '1961-04-12'));
    const raw = new SqliteDatabase(db);
    const insert = raw.prepare("insert into clients (first_name, last_name, date_of_birth, notes, created_at, updated_at) values ('A', ?, '1960-01-01', ?, '', '')");
    for (let i = 0; i < 200; i++) insert.run(`B${i}`, 'x'.repeat(1000));
    raw.close();
    fs.chmodSync(db, 0o644);
    const loose = await run(['doctor']);
    expect(loose.exitCode).toBe(1);
    expect(loose.stdout).toMatch(/FAIL\s+permissions\s+0644: others can read health data/);

    fs.chmodSync(db, 0o600);
    const size = fs.statSync(db).size;
    const fd = fs.openSync(db, 'r+');
    fs.writeSync(fd, Buffer.alloc(8192, 0xab), 0, 8192, Math.floor(size / 2));
    fs.closeSync(fd);
    const damaged = await run(['doctor']);
    expect(damaged.exitCode).toBe(1);
    expect(damaged.stdout).toMatch(/FAIL\s+integrity/);
  });

  it('doctor and backup do not create a database that is not there', async () => {
    const { db, run } = setup();
    const r = await run(['doctor']);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toBe(`bridgefit: no database at ${db}; run "bridgefit init" to create one\n`);
    expect((await run(['backup'])).exitCode).toBe(1);
    expect(fs.existsSync(db)).toBe(false);
  });
});

describe('demo', () => {
  it('creates a sample database in its own folder and lists its clients; running it again replaces it', async () => {
    const cwd = tempDir();
    const r = await bf(['demo'], { cwd });
    expect(r.exitCode).toBe(0);
    const file = path.join(cwd, 'bridgefit-demo', 'demo.db');
    expect(mode(file)).toBe(0o600);
    const [clientRows, screeningRows] = r.stdout.trim().split('\n\n').map((block) => block.split('\n'));
    expect(clientRows).toHaveLength(5);
    expect(screeningRows!.map((l) => l.split('\t').slice(1, 5))).toEqual([
      ['Zoë Moreau', 'ok', 'light-moderate', 'rpe-only'],
      ['Łukasz Nowak', 'ok', 'light-moderate', 'heart-rate'],
      ['李娜', 'needs-clearance', 'none', 'heart-rate'],
      ['عائشة الحسن', 'refer', 'none', 'heart-rate'],
    ]);
    expect(r.stdout).toContain('Zoë Moreau');
    expect(r.stdout).toContain('Łukasz Nowak');
    expect(r.stdout).toContain('李娜');
    expect(r.stdout).toContain('عائشة الحسن');
    expect(r.stderr).toContain(`Demo database: ${file}`);
    const again = await bf(['demo'], { cwd });
    expect(again.exitCode).toBe(0);
    expect(rows(file, 'select count(*) as n from clients')).toEqual([{ n: 5 }]);
    // The trainer's own database is not touched.
    expect(fs.existsSync(path.join(cwd, '.local'))).toBe(false);
  }, 30_000); // the demo runs twice, each writing three weeks of sessions and a FHIR file

  it('will not replace a database that is not a demo', async () => {
    const cwd = tempDir();
    const file = path.join(cwd, 'bridgefit-demo', 'demo.db');
    await bf(['--db', file, 'client', 'add', '--first-name', 'Real', '--last-name', 'Client', '--dob', '1970-01-01'], { cwd });
    const r = await bf(['demo'], { cwd });
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toContain('is not a bridgefit demo database; left untouched');
    expect(rows(file, 'select first_name from clients')).toEqual([{ first_name: 'Real' }]);
  });
});

describe('at a terminal', () => {
  it('asks for what the flags did not give, then saves', async () => {
    const { cwd, db } = setup();
    const r = await bfInTerminal(
      ['--db', db, 'client', 'add', '--first-name', 'Zoë'],
      [
        { waitFor: 'Last name', send: 'Moreau\r' },
        { waitFor: 'Date of birth', send: '1961-02-30\r' },
        { waitFor: 'date of birth 1961-02-30 is not a calendar date: February has 28 days in 1961', send: '\x7f\x7f25\r' },
        { waitFor: 'Sex', send: '\x1b[B' },
        { waitFor: '❯ female', send: '\r' },
        { waitFor: 'Email', send: 'zoe@example.org\r' },
        { waitFor: 'Phone', send: '\r' },
        { waitFor: 'Goals', send: 'Walk without pain\r' },
        { waitFor: 'Notes', send: '\r' },
        // The care team: a contact is asked only after its name.
        { waitFor: "GP's name", send: 'Dr A. Shah\r' },
        { waitFor: "GP's contact", send: '020 7946 0000\r' },
        { waitFor: "Surgeon's name", send: '\r' },
        { waitFor: "Physiotherapist's name", send: '\r' },
      ],
      { cwd },
    );
    expect(r.exitCode).toBe(0);
    expect(r.screen).toContain('Added client 1: Zoë Moreau');
    expect(r.screen).not.toContain("Surgeon's contact");
    expect(rows(db, 'select first_name, last_name, date_of_birth, sex, email, phone, goals, gp_name, gp_contact, surgeon_name, physio_name from clients')).toEqual([
      { first_name: 'Zoë', last_name: 'Moreau', date_of_birth: '1961-02-25', sex: 'female', email: 'zoe@example.org', phone: null, goals: 'Walk without pain',
        gp_name: 'Dr A. Shah', gp_contact: '020 7946 0000', surgeon_name: null, physio_name: null },
    ]);
  });

  it('Ctrl-C at a prompt exits 130 quietly and writes nothing', async () => {
    const { cwd, db } = setup();
    await bf(['--db', db, 'init'], { cwd });
    const r = await bfInTerminal(
      ['--db', db, 'client', 'add'],
      [
        { waitFor: 'First name', send: 'Zoë\r' },
        { waitFor: 'Last name', send: '\x03' },
      ],
      { cwd },
    );
    expect(r.exitCode).toBe(130);
    expect(r.screen).toContain('cancelled; nothing was changed');
    expect(r.screen).not.toMatch(/\n\s+at /);
    expect(rows(db, 'select * from clients')).toEqual([]);
  });

  it('asks for the full name before deleting, and keeps the client when it does not match', async () => {
    const { cwd, db } = setup();
    await bf(['--db', db, ...add('Zoë', 'Moreau', '1961-04-12')], { cwd });
    const wrong = await bfInTerminal(['--db', db, 'client', 'delete', 'zoe'], [{ waitFor: "type the client's full name", send: 'Zoe Morel\r' }], { cwd });
    expect(wrong.exitCode).toBe(130);
    expect(wrong.screen).toContain('the name typed did not match; nothing was deleted');
    expect(rows(db, 'select id from clients')).toEqual([{ id: 1 }]);
    // Case and accents do not matter when typing the name.
    const right = await bfInTerminal(['--db', db, 'client', 'delete', 'zoe'], [{ waitFor: "type the client's full name", send: 'zoe moreau\r' }], { cwd });
    expect(right.exitCode).toBe(0);
    expect(rows(db, 'select id from clients')).toEqual([]);
  });

  it('shows an aligned table in colour, and none with NO_COLOR or --no-color', async () => {
    const { cwd, db } = setup();
    await bf(['--db', db, ...add('Zoë', 'Moreau', '1961-04-12')], { cwd });
    await bf(['--db', db, ...add('娜', '李', '1955-06-30')], { cwd });
    const coloured = await bfInTerminal(['--db', db, 'client', 'list'], [], { cwd });
    const env = cleanEnv(cwd);
    expect(coloured.exitCode).toBe(0);
    expect(coloured.screen).toMatch(/ID\s+NAME\s+BORN\s+AGE\s+STATUS/);
    // Columns line up even with double-width characters: "李娜" takes four cells, like "Zoë " does not.
    const lines = coloured.screen.split('\n').filter((l) => /^\d/.test(l));
    expect(lines[0]!.indexOf('1961')).toBe(lines[1]!.indexOf('1955') + 2);
    const raw = await rawTerminal(['--db', db, 'client', 'list'], cwd, env);
    expect(raw).toContain('\x1b[');
    expect(await rawTerminal(['--db', db, '--no-color', 'client', 'list'], cwd, env)).not.toMatch(/\x1b\[[0-9;]*m/);
    expect(await rawTerminal(['--db', db, 'client', 'list'], cwd, { ...env, NO_COLOR: '1' })).not.toMatch(/\x1b\[[0-9;]*m/);
  });
});

async function rawTerminal(args: string[], cwd: string, env: Record<string, string>): Promise<string> {
  const { execa } = await import('execa');
  const { BIN } = await import('../helpers/cli.js');
  const r = await execa('script', ['-qefc', [process.execPath, BIN, ...args].map((a) => `'${a}'`).join(' '), '/dev/null'], {
    cwd,
    env: { ...env, TERM: 'xterm-256color' },
    extendEnv: false,
    reject: false,
    stdin: 'ignore',
  });
  return String(r.stdout);
}

function age(dob: string): number {
  const today = new Date();
  const [y, m, d] = dob.split('-').map(Number) as [number, number, number];
  let a = today.getFullYear() - y;
  if (today.getMonth() + 1 < m || (today.getMonth() + 1 === m && today.getDate() < d)) a -= 1;
  return a;
}
