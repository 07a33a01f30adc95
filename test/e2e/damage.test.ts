/**
 * A damaged or tampered database (issue 20): writes refuse it in one line and
 * leave every byte as it was; restore takes only bridgefit's own schema;
 * doctor names what is damaged or foreign; each upgrade keeps its own copy;
 * a killed restore's partial files are cleared by the next open.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { bf, type Result } from '../helpers/cli.js';
import { cutShort, damageJson, rootPage, tamper, TAMPER_TRIGGER, zeroPage } from '../helpers/damage.js';
import { rows } from '../helpers/db.js';
import { snapshot, tempDir } from '../helpers/tmp.js';

function expectOneLine(r: Result, pattern: RegExp, what: string): void {
  expect(r.exitCode, `${what}: ${r.stderr}`).toBe(1);
  expect(r.stderr.trim().split('\n'), `${what}: ${r.stderr}`).toHaveLength(1);
  expect(r.stderr, what).toMatch(pattern);
  expect(r.stderr, what).not.toMatch(/unexpected error|\n\s+at /);
}

const TODAY = new Date().toISOString().slice(0, 10);
const WRITES = [
  ['client', 'add', '--first-name', 'New', '--last-name', 'Person', '--dob', '1970-01-01'],
  ['config', 'set', 'trainer.name', 'Sam Trainer'],
  ['progress', 'add', 'zoe', '--date', TODAY, '--pain-before', '1'],
];

let demoDb: string;
beforeAll(async () => {
  const cwd = tempDir();
  const r = await bf(['demo'], { cwd });
  expect(r.exitCode, r.stderr).toBe(0);
  const keep = fs.mkdtempSync(path.join(path.dirname(cwd), 'bridgefit-damage-source-'));
  demoDb = path.join(keep, 'demo.db');
  fs.copyFileSync(path.join(cwd, 'bridgefit-demo', 'demo.db'), demoDb);
  return () => fs.rmSync(keep, { recursive: true, force: true });
}, 120_000);

/** A folder with a copy of the demo database in it. */
function copyOfDemo(): { cwd: string; dir: string; db: string } {
  const cwd = tempDir();
  const dir = path.join(cwd, 'data');
  fs.mkdirSync(dir, { mode: 0o700 });
  const db = path.join(dir, 'bridgefit.db');
  fs.copyFileSync(demoDb, db);
  fs.chmodSync(db, 0o600);
  return { cwd, dir, db };
}

describe('a damaged database is never written to', () => {
  it('undamaged, the three writes work (so the refusals below are about the damage)', async () => {
    const { cwd, db } = copyOfDemo();
    for (const args of WRITES) {
      const r = await bf(['--db', db, ...args], { cwd });
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
  }, 60_000);

  const damages: [string, (db: string) => void][] = [
    // A page no one of the three writes reads: only a check of the whole file finds it.
    ['a zeroed page (dd conv=notrunc)', (db) => zeroPage(db, rootPage(db, 'signoffs'))],
    ['a file cut short by two pages', (db) => cutShort(db, 2)],
  ];
  for (const [what, damage] of damages) {
    it(`${what}: client add, config set, progress add refuse in one line pointing at doctor and restore; not a byte changes`, async () => {
      const { cwd, dir, db } = copyOfDemo();
      damage(db);
      const before = snapshot(dir);
      for (const args of WRITES) {
        const r = await bf(['--db', db, ...args], { cwd });
        expectOneLine(r, new RegExp(`${db} is damaged .*bridgefit doctor.*bridgefit restore`), `${what}: ${args.join(' ')}`);
        expect(snapshot(dir), args.join(' ')).toEqual(before);
      }
      const doctor = await bf(['--db', db, 'doctor'], { cwd });
      expect(doctor.exitCode).toBe(1);
      expect(doctor.stdout).toMatch(/FAIL\s+integrity/);
      expect(snapshot(dir)).toEqual(before);
    }, 60_000);
  }
});

describe('a damaged JSON cell, a missing table, a path that is not a database', () => {
  it('one control byte in a program snapshot: program show, progress add and report say which row, in one line; doctor names it', async () => {
    const { cwd, dir, db } = copyOfDemo();
    const program = rows(db, "select p.id from programs p join clients c on c.id = p.client_id where c.last_name = 'Moreau' and p.status = 'active'")[0]!.id as number;
    damageJson(db, 'programs', 'snapshot', program);
    const before = snapshot(dir);
    const out = path.join(cwd, 'reports');
    for (const args of [['program', 'show', 'zoe'], WRITES[2]!, ['report', 'zoe', '--out', out]]) {
      const r = await bf(['--db', db, ...args], { cwd });
      expectOneLine(r, new RegExp(`programs row ${program} holds a snapshot that does not read as JSON; run "bridgefit doctor".*"bridgefit restore"`), args.join(' '));
      expect(snapshot(dir), args.join(' ')).toEqual(before);
    }
    expect(fs.existsSync(out) ? fs.readdirSync(out) : []).toEqual([]);
    const doctor = await bf(['--db', db, 'doctor'], { cwd });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(new RegExp(`FAIL\\s+json\\s+damaged: programs row ${program} \\(snapshot\\) does not read as JSON`));
    expect(doctor.stdout).toMatch(/ok\s+integrity/); // SQLite sees nothing wrong: only the JSON check finds it
  }, 60_000);

  it('a damaged session decision: summary and progress list say so in one line', async () => {
    const { cwd, db } = copyOfDemo();
    const last = rows(db, "select max(e.id) as id from progress_entries e join clients c on c.id = e.client_id where c.last_name = 'Moreau'")[0]!.id as number;
    damageJson(db, 'progress_entries', 'decision', last);
    for (const args of [['summary'], ['progress', 'list', 'zoe']]) {
      const r = await bf(['--db', db, ...args], { cwd });
      expectOneLine(r, new RegExp(`progress_entries row ${last} holds a decision that does not read as JSON`), args.join(' '));
    }
    const doctor = await bf(['--db', db, 'doctor', '--json'], { cwd });
    expect(JSON.parse(doctor.stdout).checks).toContainEqual(expect.objectContaining({ name: 'json', ok: false, detail: expect.stringContaining(`progress_entries row ${last} (decision)`) }));
  }, 60_000);

  it('a table dropped behind bridgefit: one line saying which is missing; doctor lists it', async () => {
    const { cwd, dir, db } = copyOfDemo();
    tamper(db, 'drop table referrals');
    const before = snapshot(dir);
    for (const args of [['summary'], WRITES[2]!]) {
      const r = await bf(['--db', db, ...args], { cwd });
      expectOneLine(r, /is damaged: a part of bridgefit's schema is missing \(no such table: referrals\); run "bridgefit doctor"/, args.join(' '));
      expect(snapshot(dir)).toEqual(before);
    }
    const doctor = await bf(['--db', db, 'doctor'], { cwd });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL\s+objects\s+missing: table "referrals", index "referrals_client_idx"/);
  }, 60_000);

  it('--db /proc/self/mem, a folder, a FIFO: one line each, for reads, writes and doctor', async () => {
    const cwd = tempDir();
    const fifo = path.join(cwd, 'pipe.db');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    for (const [file, says] of [['/proc/self/mem', 'cannot be read as a file'], [cwd, 'is a folder'], [fifo, 'is not a regular file']] as const) {
      for (const args of [['client', 'list'], WRITES[0]!, ['doctor']]) {
        const r = await bf(['--db', file, ...args], { cwd });
        expectOneLine(r, new RegExp(`${file} ${says}`), `${file}: ${args.join(' ')}`);
      }
    }
  }, 60_000);
});

describe('restore takes only bridgefit\'s own schema', () => {
  const tampered: [string, string, RegExp][] = [
    ['the issue\'s trigger', TAMPER_TRIGGER, /trigger "tamper"/],
    ['a view and an unknown table', 'create view everyone as select * from clients; create table exfil (x text);', /view "everyone", table "exfil"/],
    ['an extra index and column', 'create index clients_email_idx on clients (email); alter table clients add column ssn text;', /index "clients_email_idx", column clients\.ssn|column clients\.ssn.*index "clients_email_idx"/],
  ];
  for (const [what, statements, names] of tampered) {
    it(`a backup carrying ${what}: refused naming them, over a database and where there is none; nothing changes`, async () => {
      const { cwd, dir, db } = copyOfDemo();
      const backup = path.join(cwd, 'backup.db');
      const b = await bf(['--db', db, 'backup', '--out', backup], { cwd });
      expect(b.exitCode, b.stderr).toBe(0);
      tamper(backup, statements);
      const before = snapshot(dir);
      const r = await bf(['--db', db, 'restore', backup, '--yes'], { cwd });
      expectOneLine(r, new RegExp(`${backup} holds what bridgefit never makes \\(.*\\), so it is not restored; nothing was changed`), what);
      expect(r.stderr).toMatch(names);
      expect(snapshot(dir)).toEqual(before);
      const none = path.join(cwd, 'empty', 'new.db');
      const r2 = await bf(['--db', none, 'restore', backup, '--yes'], { cwd });
      expectOneLine(r2, names, `${what}, no database`);
      expect(fs.existsSync(none)).toBe(false);
      expect(fs.existsSync(path.dirname(none)) ? fs.readdirSync(path.dirname(none)) : []).toEqual([]);
    }, 60_000);
  }

  it('a clean backup restored where there is no database: the schema is exactly what init makes, the rows exactly the backup\'s', async () => {
    const { cwd, db } = copyOfDemo();
    const backup = path.join(cwd, 'backup.db');
    expect((await bf(['--db', db, 'backup', '--out', backup], { cwd })).exitCode).toBe(0);
    // The backup's own clients table is another (no types, no CHECK, the same columns): restore does not take its text.
    tamper(
      backup,
      'pragma foreign_keys = off; create table c2 (id integer primary key, first_name, last_name, date_of_birth, sex, email, phone, goals, notes, status, created_at, updated_at, gp_name, gp_contact, surgeon_name, surgeon_contact, physio_name, physio_contact, trainer); insert into c2 select * from clients; drop table clients; alter table c2 rename to clients; CREATE INDEX "clients_status_idx" on "clients" ("status"); CREATE INDEX "clients_trainer_idx" on "clients" ("trainer");',
    );
    expect(rows(backup, "select sql from sqlite_master where name = 'clients'")[0]!.sql).not.toMatch(/check|text/i);
    const restored = path.join(cwd, 'restored.db');
    const r = await bf(['--db', restored, 'restore', backup, '--yes'], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    const fresh = path.join(cwd, 'fresh.db');
    expect((await bf(['--db', fresh, 'init'], { cwd })).exitCode).toBe(0);
    const schema = (file: string) => rows(file, "select type, name, tbl_name, sql from sqlite_master where name not like 'sqlite_%' order by type, name");
    expect(schema(restored)).toEqual(schema(fresh));
    for (const t of ['clients', 'audit_log', 'programs', 'progress_entries', 'kysely_migration']) {
      expect(rows(restored, `select * from ${t} order by rowid`), t).toEqual(rows(backup, `select * from ${t} order by rowid`));
    }
    const doctor = await bf(['--db', restored, 'doctor', '--json'], { cwd });
    expect(JSON.parse(doctor.stdout), doctor.stdout).toMatchObject({ ok: true });
  }, 60_000);

  it('doctor flags the issue\'s trigger added to a live database, and a view; it writes nothing, not even a -wal or -shm', async () => {
    const { cwd, dir, db } = copyOfDemo();
    const before = snapshot(dir);
    const ok = await bf(['--db', db, 'doctor'], { cwd });
    expect(ok.exitCode, ok.stdout).toBe(0);
    expect(snapshot(dir)).toEqual(before);
    expect(ok.stdout).toMatch(/ok\s+objects\s+every table, column and index is bridgefit's/);
    tamper(db, `${TAMPER_TRIGGER} create view v as select 1;`);
    const doctor = await bf(['--db', db, 'doctor'], { cwd });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL\s+objects\s+not bridgefit's: trigger "tamper", view "v"/);
  }, 60_000);
});

describe('schema upgrades', () => {
  it('each upgrade takes a copy of its own: upgrade a v4 database, restore another v4 backup, upgrade again', async () => {
    const cwd = tempDir();
    const v4 = Object.fromEntries(Object.keys(migrations('sqlite')).sort().slice(0, 4).map((n) => [n, migrations('sqlite')[n]!]));
    const make = async (file: string, name: string) => {
      const store = await openSqlite(file, { create: true, migrations: v4 });
      await store.close();
      const raw = new SqliteDatabase(file);
      raw.prepare("insert into clients (first_name, last_name, date_of_birth, status, created_at, updated_at) values (?, 'Old', '1960-01-01', 'active', '', '')").run(name);
      raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
    };
    const db = path.join(cwd, 'bridgefit.db');
    const other = path.join(cwd, 'other-v4.db');
    await make(db, 'First');
    await make(other, 'Second');
    const first = await bf(['--db', db, 'init', '--json'], { cwd });
    expect(first.exitCode, first.stderr).toBe(0);
    const copy1 = JSON.parse(first.stdout).upgradeBackup as string;
    expect(copy1).toMatch(new RegExp(`^${db}\\.schema-4-\\d{8}-\\d{6}(-\\d+)?\\.bak$`));
    expect(first.stderr).toContain(`the copy from before is ${copy1}`);

    const restore = await bf(['--db', db, 'restore', other, '--yes', '--json'], { cwd });
    expect(restore.exitCode, restore.stderr).toBe(0);
    expect(JSON.parse(restore.stdout)).toMatchObject({ schemaVersion: 4 });
    const second = await bf(['--db', db, 'init', '--json'], { cwd });
    expect(second.exitCode, second.stderr).toBe(0);
    const copy2 = JSON.parse(second.stdout).upgradeBackup as string;
    expect(copy2).not.toBe(copy1);
    expect(rows(copy1, 'select first_name from clients')).toEqual([{ first_name: 'First' }]);
    expect(rows(copy2, 'select first_name from clients')).toEqual([{ first_name: 'Second' }]);
    expect(rows(db, 'select first_name from clients')).toEqual([{ first_name: 'Second' }]);
  }, 60_000);
});

describe('a killed restore', () => {
  it('its partial copies (and their -wal, -shm) are removed by the next open that writes; a running one\'s are kept', async () => {
    const { cwd, dir, db } = copyOfDemo();
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    const stale = [`${db}.${deadPid}.partial`, `${db}.${deadPid}.partial-wal`, `${db}.${deadPid}.partial-shm`, `${db}.new.${deadPid}.partial`];
    for (const f of stale) fs.copyFileSync(demoDb, f);
    const live = `${db}.${process.pid}.partial`; // this test runner: alive
    const otherDb = path.join(dir, 'other.db.' + deadPid + '.partial'); // another database's: not this one's to clear
    fs.writeFileSync(live, 'x');
    fs.writeFileSync(otherDb, 'x');
    const r = await bf(['--db', db, ...WRITES[0]!], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    for (const f of stale) expect(fs.existsSync(f), f).toBe(false);
    expect(fs.existsSync(live)).toBe(true);
    expect(fs.existsSync(otherDb)).toBe(true);
  }, 60_000);
});
