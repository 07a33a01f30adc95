/**
 * Faults from outside: a file that cannot be written, a full disk, templates
 * that are not there, a damaged database, a file that is not a database.
 * Each gets one clear line on stderr, a non-zero exit, no stack trace, and
 * nothing written: every byte of the folder as it was, no file added.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { execa } from 'execa';
import { beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { migrations } from '../../src/store/migrations.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { BIN, bf, cleanEnv, type Result } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { snapshot, tempDir } from '../helpers/tmp.js';

const ADD = ['client', 'add', '--first-name', 'New', '--last-name', 'Person', '--dob', '1970-01-01'];


function expectOneLine(r: Result, exitCode: number, pattern: RegExp, what: string): void {
  expect(r.exitCode, `${what}: ${r.stderr}`).toBe(exitCode);
  expect(r.stderr.trim().split('\n'), `${what}: ${r.stderr}`).toHaveLength(1);
  expect(r.stderr, what).toMatch(/^bridgefit: /);
  expect(r.stderr, what).toMatch(pattern);
  expect(r.stderr, what).not.toMatch(/\n\s+at /);
  expect(r.stderr, what).not.toMatch(/unexpected error/);
}

let demoDb: string;
beforeAll(async () => {
  const cwd = tempDir();
  await bf(['demo'], { cwd });
  const keep = fs.mkdtempSync(path.join(path.dirname(cwd), 'bridgefit-faults-source-'));
  demoDb = path.join(keep, 'demo.db');
  fs.copyFileSync(path.join(cwd, 'bridgefit-demo', 'demo.db'), demoDb);
  return () => fs.rmSync(keep, { recursive: true, force: true });
}, 120_000);

/** A folder holding a copy of the demo database, and a CSV of new entries outside it. */
function setUp(): { cwd: string; dir: string; db: string; csv: string } {
  const cwd = tempDir();
  const dir = path.join(cwd, 'data');
  fs.mkdirSync(dir, { mode: 0o700 });
  const db = path.join(dir, 'bridgefit.db');
  fs.copyFileSync(demoDb, db);
  fs.chmodSync(db, 0o600);
  const csv = path.join(cwd, 'entries.csv');
  const lines = ['client,date,pain_before,pain_after,rpe,notes'];
  for (let d = 0; d < 600; d++) {
    const date = new Date(Date.UTC(2023, 0, 1 + d)).toISOString().slice(0, 10);
    for (const c of [1, 2, 3, 4]) lines.push(`${c},${date},${d % 4},${d % 5},${d % 7},session ${d} went to plan; walked there and back`);
  }
  fs.writeFileSync(csv, lines.join('\n'));
  return { cwd, dir, db, csv };
}

/** The commands every fault is tried with: reading, adding, importing. */
function commands(db: string, csv: string): string[][] {
  return [
    ['--db', db, 'client', 'list'],
    ['--db', db, 'summary'],
    ['--db', db, ...ADD],
    ['--db', db, 'progress', 'import', csv],
  ];
}

function commandWorks(cmd: string, args: string[]): boolean {
  return spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
}

describe('a database file bridgefit cannot write', () => {
  it('made immutable (chattr +i, which stops root too): refused before anything is touched', async (ctx: TestContext) => {
    const { cwd, dir, db, csv } = setUp();
    if (!commandWorks('chattr', ['+i', db])) return ctx.skip('chattr +i is not available on this file system or to this user');
    try {
      const before = snapshot(dir);
      for (const args of commands(db, csv)) {
        const r = await bf(args, { cwd });
        expectOneLine(r, 1, new RegExp(`cannot write ${db}: permission denied; bridgefit needs to write to it`), args.slice(2).join(' '));
        expect(snapshot(dir), args.slice(2).join(' ')).toEqual(before);
      }
      // doctor only reads: it still works on a file it cannot write.
      const doctor = await bf(['--db', db, 'doctor', '--json'], { cwd });
      expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true });
    } finally {
      execFileSync('chattr', ['-i', db]);
    }
  }, 120_000);

  describe('as an ordinary user (setpriv to nobody)', () => {
    const asNobody = async (args: string[], cwd: string): Promise<Result> => {
      const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, ...args], {
        cwd,
        env: cleanEnv(cwd),
        extendEnv: false,
        reject: false,
        stdin: 'ignore',
      });
      return { stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 };
    };
    const canSwitch = () => process.getuid?.() === 0 && commandWorks('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']);

    it('a file mode 0400 (read-only to its owner), and a writable file in a read-only folder', async (ctx: TestContext) => {
      if (!canSwitch()) return ctx.skip('needs root to switch to the nobody user with setpriv');
      const { cwd, dir, db, csv } = setUp();
      fs.chmodSync(cwd, 0o755);
      fs.chmodSync(csv, 0o644);
      fs.chownSync(dir, 65534, 65534);
      fs.chownSync(db, 65534, 65534);
      fs.chmodSync(db, 0o400);
      const before = snapshot(dir);
      for (const args of commands(db, csv)) {
        const r = await asNobody(args, cwd);
        expectOneLine(r, 1, new RegExp(`cannot write ${db}: permission denied`), `0400: ${args.slice(2).join(' ')}`);
        expect(snapshot(dir)).toEqual(before);
      }
      fs.chmodSync(db, 0o600);
      fs.chmodSync(dir, 0o500);
      const stillBefore = snapshot(dir);
      for (const args of commands(db, csv)) {
        const r = await asNobody(args, cwd);
        expectOneLine(r, 1, new RegExp(`cannot write ${db}: its folder is read-only`), `folder 0500: ${args.slice(2).join(' ')}`);
        expect(snapshot(dir)).toEqual(stillBefore);
      }
      fs.chmodSync(dir, 0o700);
    }, 120_000);

    it('a templates folder it cannot read', async (ctx: TestContext) => {
      if (!canSwitch()) return ctx.skip('needs root to switch to the nobody user with setpriv');
      const cwd = tempDir();
      fs.chmodSync(cwd, 0o755);
      const templates = path.join(cwd, 'mine');
      fs.mkdirSync(path.join(templates, 'locked'), { recursive: true });
      fs.writeFileSync(path.join(templates, 'locked', 'x.yaml'), 'exercises: []\n');
      fs.chmodSync(path.join(templates, 'locked'), 0o000);
      // A folder inside that cannot be read is a problem in it, like a broken file.
      const inner = await asNobody(['--templates', templates, 'template', 'validate'], cwd);
      expect(inner.exitCode, inner.stderr).toBe(1);
      expect(inner.stdout).toContain(`${path.join(templates, 'locked')}: (folder): cannot read: EACCES`);
      expect(inner.stderr).not.toMatch(/unexpected error|\n\s+at /);
      fs.chmodSync(templates, 0o000);
      const top = await asNobody(['--templates', templates, 'template', 'list'], cwd);
      expectOneLine(top, 2, /--templates .*mine: cannot read the folder \(EACCES\)/, 'unreadable --templates');
      fs.chmodSync(templates, 0o755);
      fs.chmodSync(path.join(templates, 'locked'), 0o755);
    }, 60_000);
  });
});

describe('a full disk (a small tmpfs)', () => {
  /** A 2 MiB tmpfs at `dir`, or why there cannot be one here. */
  function mountTiny(dir: string): string | undefined {
    fs.mkdirSync(dir, { recursive: true });
    const r = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=2m,mode=0700', 'tmpfs', dir], { encoding: 'utf8' });
    return r.status === 0 ? undefined : `cannot mount a tmpfs here (${(r.stderr || r.error?.message || '').trim()}); a full disk needs root or a mount namespace`;
  }
  /** Fill the file system at `dir` until only `leave` bytes are free. */
  function fill(dir: string, leave: number): void {
    const s = fs.statfsSync(dir);
    const free = s.bavail * s.bsize;
    const fd = fs.openSync(path.join(dir, 'filler'), 'w');
    const chunk = Buffer.alloc(64 * 1024, 1);
    let left = free - leave;
    try {
      while (left > 0) left -= fs.writeSync(fd, chunk, 0, Math.min(chunk.length, left));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    } finally {
      fs.closeSync(fd);
    }
  }

  it('with no room at all, and with room to open but not to import: writes say the disk is full, reads and a backup elsewhere work, nothing changed', async (ctx: TestContext) => {
    const cwd = tempDir();
    const dir = path.join(cwd, 'tiny');
    const why = mountTiny(dir);
    if (why) return ctx.skip(why);
    try {
      const db = path.join(dir, 'bridgefit.db');
      fs.copyFileSync(demoDb, db);
      const { csv } = setUp();
      fill(dir, 0);
      let before = snapshot(dir);
      const [list, summary, ...writes] = commands(db, csv);
      for (const args of writes) {
        const r = await bf(args, { cwd });
        expectOneLine(r, 1, new RegExp(`cannot write ${db}: the disk is full`), `no room: ${args.slice(2).join(' ')}`);
        expect(snapshot(dir)).toEqual(before);
      }
      // Reading needs no room: not even a -wal or -shm is left behind.
      for (const args of [list!, summary!, ['--db', db, 'doctor', '--json']]) {
        const r = await bf(args, { cwd });
        expect(r.exitCode, `no room: ${args.slice(2).join(' ')}: ${r.stderr}`).toBe(0);
        expect(r.stdout.length).toBeGreaterThan(0);
        expect(snapshot(dir), args.slice(2).join(' ')).toEqual(before);
      }
      expect(JSON.parse((await bf(['--db', db, 'doctor', '--json'], { cwd })).stdout)).toMatchObject({ ok: true });
      // A backup to another disk is what a trainer needs now.
      const elsewhere = path.join(cwd, 'rescue.db');
      const b = await bf(['--db', db, 'backup', '--out', elsewhere], { cwd });
      expect(b.exitCode, b.stderr).toBe(0);
      expect(rows(elsewhere, 'select count(*) as n from clients')).toEqual(rows(demoDb, 'select count(*) as n from clients'));
      expect(snapshot(dir)).toEqual(before);
      // Room to open (and for a client) but not for 2,400 entries: the import rolls back whole.
      fs.rmSync(path.join(dir, 'filler'));
      fill(dir, 160 * 1024);
      before = snapshot(dir);
      const r = await bf(['--db', db, 'progress', 'import', csv], { cwd });
      expectOneLine(r, 1, new RegExp(`cannot write ${db}: the disk is full`), 'import on a nearly full disk');
      expect(snapshot(dir)).toEqual(before);
      const doctor = await bf(['--db', db, 'doctor', '--json'], { cwd });
      expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true });
      expect(snapshot(dir)).toEqual(before);
    } finally {
      spawnSync('umount', [dir]);
    }
  }, 120_000);

  it('an upgrade whose backup does not fit: refused, no half backup left to pass for one; with room, it upgrades', async (ctx: TestContext) => {
    const cwd = tempDir();
    const dir = path.join(cwd, 'tiny');
    const why = mountTiny(dir);
    if (why) return ctx.skip(why);
    try {
      const db = path.join(dir, 'old.db');
      const v1 = await openSqlite(db, { create: true, migrations: { '0001_clients': migrations('sqlite')['0001_clients']! } });
      await v1.close();
      const raw = new SqliteDatabase(db);
      const insert = raw.prepare("insert into clients (first_name, last_name, date_of_birth, status, notes, created_at, updated_at) values (?, 'Old', '1960-01-01', 'active', ?, '', '')");
      raw.transaction(() => {
        for (let i = 0; i < 3000; i++) insert.run(`C${i}`, 'knee replacement 2019, walks with a stick, lives alone'.repeat(2));
      })();
      raw.close();
      expect(fs.statSync(db).size).toBeGreaterThan(500 * 1024);
      fill(dir, 300 * 1024); // room to open, not for a copy of the database
      const before = snapshot(dir);
      const r = await bf(['--db', db, 'client', 'list'], { cwd });
      expectOneLine(r, 1, /the disk is full/, 'upgrade on a full disk');
      expect(snapshot(dir)).toEqual(before);

      fs.rmSync(path.join(dir, 'filler'));
      const ok = await bf(['--db', db, 'init', '--json'], { cwd });
      expect(ok.exitCode, ok.stderr).toBe(0);
      const bak = JSON.parse(ok.stdout).upgradeBackup as string;
      expect(bak).toMatch(new RegExp(`^${db}\\.schema-1-\\d{8}-\\d{6}\\.bak$`));
      expect(rows(bak, 'select count(*) as n from clients')).toEqual([{ n: 3000 }]);
      expect(rows(db, 'select count(*) as n from clients')).toEqual([{ n: 3000 }]);
    } finally {
      spawnSync('umount', [dir]);
    }
  }, 120_000);
});

describe('templates that are not there', () => {
  it('--templates naming no folder, or a file: one line, exit 2, and program generate writes nothing', async () => {
    const { cwd, dir, db, csv } = setUp();
    const before = snapshot(dir);
    for (const [where, says] of [['/nope', 'no such folder'], [csv, 'is a file, not a folder']] as const) {
      for (const args of [['template', 'list'], ['template', 'validate'], ['--db', db, 'program', 'generate', 'zoe']]) {
        const r = await bf(['--templates', where, ...args], { cwd });
        expectOneLine(r, 2, new RegExp(`--templates ${where}: ${says}`), args.join(' '));
      }
    }
    expect(snapshot(dir)).toEqual(before);
  }, 60_000);
});

describe('a database path that cannot be made', () => {
  it('under /proc (where Node\'s recursive mkdir never returns): one line and exit 1, quickly', async () => {
    const cwd = tempDir();
    const r = await bf(['--db', '/proc/bridgefit-test/x.db', 'init'], { cwd });
    expectOneLine(r, 1, /cannot create \/proc\/bridgefit-test\/x\.db: a folder on the way does not exist and cannot be made/, 'init under /proc');
  }, 30_000);
});

describe('a damaged database', () => {
  it('bytes overwritten in the middle of a page in use: one line saying it is damaged, nothing written', async () => {
    const { cwd, dir, db, csv } = setUp();
    // Damage the page holding the clients, so every command meets it.
    const raw = new SqliteDatabase(db); // not readonly: a read-only connection leaves -wal and -shm behind
    const page = raw.prepare("select rootpage from sqlite_master where name = 'clients'").pluck().get() as number;
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    const bytes = fs.readFileSync(db);
    let seed = 7;
    const start = (page - 1) * pageSize + 8; // past the leaf page's header: its cell pointers and cells
    for (let i = 0; i < pageSize - 8; i++) bytes[start + i] = (seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff;
    fs.writeFileSync(db, bytes);
    const before = snapshot(dir);
    for (const args of commands(db, csv)) {
      const r = await bf(args, { cwd });
      expectOneLine(r, 1, new RegExp(`${db} is damaged .*restore from a backup`), args.slice(2).join(' '));
      expect(snapshot(dir), args.slice(2).join(' ')).toEqual(before);
    }
    const doctor = await bf(['--db', db, 'doctor'], { cwd });
    expect(doctor.exitCode).toBe(1);
    expect(doctor.stdout).toMatch(/FAIL\s+integrity/);
    expect(doctor.stderr).toBe('');
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);
});

describe('a file that is not a bridgefit database', () => {
  it('text, random bytes, and another application\'s SQLite file: one line, left untouched', async () => {
    const { cwd, dir, csv } = setUp();
    const text = path.join(dir, 'notes.txt');
    fs.writeFileSync(text, 'Ana: knee 110°, pain 2/10\n'.repeat(50));
    const noise = path.join(dir, 'noise.bin');
    let seed = 3;
    fs.writeFileSync(noise, Buffer.from(Array.from({ length: 8192 }, () => (seed = (seed * 69069 + 1) >>> 0) >>> 24)));
    const other = path.join(dir, 'recipes.db');
    const o = new SqliteDatabase(other);
    o.exec("create table recipes (id integer primary key, name text); insert into recipes (name) values ('soup');");
    o.close();
    const before = snapshot(dir);
    // Random bytes in whole 4096-byte pages cannot be told from an encrypted database (SQLCipher 4) without a key.
    const said = {
      [text]: `${text} is not a bridgefit database \\(not SQLite at all\\)`,
      [noise]: `the database ${noise} is encrypted \\(or not a database at all\\): set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file, to open it`,
      [other]: `${other} is a SQLite database but not a bridgefit one`,
    };
    for (const file of [text, noise, other]) {
      for (const args of [...commands(file, csv), ['--db', file, 'init'], ['--db', file, 'doctor']]) {
        const r = await bf(args, { cwd });
        expectOneLine(r, 1, new RegExp(`${said[file]}; it was left untouched`), `${path.basename(file)}: ${args.slice(2).join(' ')}`);
      }
    }
    expect(snapshot(dir)).toEqual(before);
  }, 120_000);
});
