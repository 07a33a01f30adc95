import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, bf, cleanEnv } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import SqliteDatabase from 'better-sqlite3';

const day = (n: number) => {
  const d = new Date();
  d.setDate(d.getDate() - n);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};

describe('nothing lost under faults', () => {
  it('several processes writing at once all succeed, and every row is there', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    await bf(['--db', db, 'init'], { cwd });
    const adds = Array.from({ length: 8 }, (_, i) => bf(['--db', db, 'client', 'add', '--first-name', `Client${i}`, '--last-name', 'Busy', '--dob', '1970-01-01'], { cwd }));
    const results = await Promise.all(adds);
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    expect(rows(db, 'select count(*) as n from clients')).toEqual([{ n: 8 }]);
    expect(rows(db, "select count(*) as n from audit_log where action = 'client.create'")).toEqual([{ n: 8 }]);
  }, 120_000);

  it('a progress import killed at any moment leaves the database as before or as after, never between', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    const clients = 40;
    await bf(['--db', db, 'client', 'add', '--first-name', 'C0', '--last-name', 'Import', '--dob', '1960-01-01'], { cwd });
    // The other clients straight into the file: this test is about the import, not about adding clients.
    const raw = new SqliteDatabase(db);
    const insert = raw.prepare("insert into clients (first_name, last_name, date_of_birth, status, created_at, updated_at) values (?, 'Import', '1960-01-01', 'active', '', '')");
    for (let i = 1; i < clients; i++) insert.run(`C${i}`);
    raw.close();
    // 40 clients × 200 days: a few seconds of work, so a kill lands inside the transaction.
    const lines = ['client,date,pain_before,pain_after,rpe,measures'];
    for (let c = 1; c <= clients; c++) for (let d = 1; d <= 200; d++) lines.push(`${c},${day(d)},${d % 4},${d % 5},${d % 7},lefs=${30 + (d % 20)}`);
    const csv = path.join(cwd, 'big.csv');
    fs.writeFileSync(csv, lines.join('\n'));
    const total = clients * 200;

    let killed = 0;
    for (const delay of [150, 400, 700, 1000, 1400]) {
      const child = spawn(process.execPath, [BIN, '--db', db, 'progress', 'import', csv], { cwd, env: cleanEnv(cwd), stdio: 'ignore' });
      // Listened for from the start: a run that ends before the kill must not be waited for forever.
      const exited = new Promise((r) => child.once('exit', r).once('error', r));
      await new Promise((r) => setTimeout(r, delay));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        killed++;
      }
      await exited;
      const [{ n }] = rows(db, 'select count(*) as n from progress_entries') as [{ n: number }];
      const [{ m }] = rows(db, 'select count(*) as m from measurements') as [{ m: number }];
      // All of an import or none of it: the entries and their measures move together.
      expect([0, total]).toContain(n);
      expect(m).toBe(n);
      if (n === total) break; // it finished: a second run would be refused as a duplicate import
    }
    expect(killed).toBeGreaterThan(0);
    const doctor = await bf(['--db', db, 'doctor', '--json'], { cwd });
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true });
  }, 120_000);

  it('a backup holds every row of every table', async () => {
    const cwd = tempDir();
    await bf(['demo'], { cwd });
    const db = path.join(cwd, 'bridgefit-demo', 'demo.db');
    const copy = path.join(cwd, 'copy.db');
    expect((await bf(['--db', db, 'backup', '--out', copy], { cwd })).exitCode).toBe(0);
    const tables = rows(db, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").map((r) => r.name as string);
    expect(tables.length).toBeGreaterThan(10);
    for (const t of tables) expect(rows(copy, `select * from "${t}" order by rowid`), t).toEqual(rows(db, `select * from "${t}" order by rowid`));
    expect(fs.existsSync(`${copy}-wal`)).toBe(false);
  }, 120_000);

  it('a truncated database gets one clear line and a non-zero exit, never a stack trace', async () => {
    const cwd = tempDir();
    await bf(['demo'], { cwd });
    const db = path.join(cwd, 'bridgefit-demo', 'demo.db');
    fs.truncateSync(db, Math.floor(fs.statSync(db).size / 3));
    for (const args of [['client', 'list'], ['summary'], ['program', 'show', 'zoe']]) {
      const r = await bf(['--db', db, ...args], { cwd });
      expect(r.exitCode, args.join(' ')).toBe(1);
      expect(r.stderr.trim().split('\n'), r.stderr).toHaveLength(1);
      expect(r.stderr).toMatch(/^bridgefit: .*(damaged|malformed|cannot read)/);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
    const doctor = await bf(['--db', db, 'doctor'], { cwd });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL\s+integrity\s+the file is damaged and cannot be read; restore the latest backup/);
  }, 120_000);
});
