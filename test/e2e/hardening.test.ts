import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BIN, bf, cleanEnv } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import SqliteDatabase from 'better-sqlite3';
import { day } from '../helpers/answers.js';


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

  it('several processes adding sessions at once all succeed, each with its audit row and decision', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    for (const name of ['Ana', 'Ben', 'Cai']) await bf(['--db', db, 'client', 'add', '--first-name', name, '--last-name', 'Busy', '--dob', '1960-01-01'], { cwd });
    // Three clients, four days each, all at once: twelve writers on one file.
    const adds = [1, 2, 3].flatMap((client) => [1, 2, 3, 4].map((d) => bf(['--db', db, 'progress', 'add', String(client), '--date', day(d), '--pain-before', '1', '--pain-after', String(d % 4), '--rpe', '4'], { cwd })));
    const results = await Promise.all(adds);
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    expect(rows(db, 'select client_id, count(*) as n from progress_entries group by client_id order by client_id')).toEqual([1, 2, 3].map((c) => ({ client_id: c, n: 4 })));
    expect(rows(db, "select count(*) as n from audit_log where action = 'progress.create'")).toEqual([{ n: 12 }]);
    expect(rows(db, "select count(*) as n from progress_entries where decision like '{%'")).toEqual([{ n: 12 }]);
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

    // Every table, in rowid order, without the times a run stamps (recorded_at, at): "before" and "after" as data.
    const snapshot = (file: string) => {
      const tables = rows(file, "select name from sqlite_master where type = 'table' order by name").map((r) => r.name as string);
      return Object.fromEntries(tables.map((t) => [t, rows(file, `select * from "${t}" order by rowid`).map((r) => Object.fromEntries(Object.entries(r).filter(([k]) => !/(^|_)at$/.test(k))))]));
    };
    const copy = (to: string) => {
      for (const f of [to, `${to}-wal`, `${to}-shm`]) fs.rmSync(f, { force: true });
      fs.copyFileSync(db, to);
      return to;
    };
    const before = snapshot(db);
    // One whole run, to know "after" and how long a run takes (to spread the kills over it; nothing is asserted on time).
    const whole = copy(path.join(cwd, 'whole.db'));
    const t0 = Date.now();
    expect((await bf(['--db', whole, 'progress', 'import', csv], { cwd })).exitCode).toBe(0);
    const duration = Date.now() - t0;
    const after = snapshot(whole);
    expect(after.progress_entries).toHaveLength(total);
    expect(after.audit_log!.length).toBeGreaterThan(before.audit_log!.length);

    // Many kills at random moments (seeded, so a failure can be replayed), each on a fresh copy of "before".
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let killed = 0;
    for (let trial = 0; trial < 12; trial++) {
      const file = copy(path.join(cwd, `trial-${trial}.db`));
      const delay = Math.round(40 + random() * duration * 1.1);
      const child = spawn(process.execPath, [BIN, '--db', file, 'progress', 'import', csv], { cwd, env: cleanEnv(cwd), stdio: 'ignore' });
      // Listened for from the start: a run that ends before the kill must not be waited for forever.
      const exited = new Promise((r) => child.once('exit', r).once('error', r));
      await new Promise((r) => setTimeout(r, delay));
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        killed++;
      }
      await exited;
      // All of an import or none of it: every table exactly as before, or exactly as after.
      const now = snapshot(file);
      const n = now.progress_entries!.length;
      expect([0, total], `trial ${trial}, killed after ${delay} ms`).toContain(n);
      expect(now, `trial ${trial}, killed after ${delay} ms`).toEqual(n === 0 ? before : after);
      const doctor = await bf(['--db', file, 'doctor', '--json'], { cwd });
      expect(JSON.parse(doctor.stdout), `trial ${trial}`).toMatchObject({ ok: true });
      for (const f of [file, `${file}-wal`, `${file}-shm`]) fs.rmSync(f, { force: true });
    }
    expect(killed).toBeGreaterThan(3);
  }, 600_000);

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
