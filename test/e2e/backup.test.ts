import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { execa } from 'execa';
import { describe, expect, it, type TestContext } from 'vitest';
import { BIN, bf, bfInTerminal, cleanEnv, type Result } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { mode, snapshot, tempDir } from '../helpers/tmp.js';

/** A database of about 50 MB: its backup takes long enough for a kill to land inside it. */
async function bigDatabase(cwd: string): Promise<string> {
  const db = path.join(cwd, 'big.db');
  const r = await bf(['--db', db, 'client', 'add', '--first-name', 'First', '--last-name', 'Client', '--dob', '1960-01-01'], { cwd });
  expect(r.exitCode, r.stderr).toBe(0);
  const raw = new SqliteDatabase(db);
  const insert = raw.prepare("insert into clients (first_name, last_name, date_of_birth, status, notes, created_at, updated_at) values (?, 'Big', '1960-01-01', 'active', ?, '', '')");
  const notes = 'knee replacement 2019, walks with a stick, lives alone; '.repeat(40);
  raw.transaction(() => {
    for (let i = 0; i < 22_000; i++) insert.run(`C${i}`, notes);
  })();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  expect(fs.statSync(db).size).toBeGreaterThan(45 * 1024 * 1024);
  return db;
}

describe('bridgefit backup', () => {
  it('killed while copying, leaves nothing under the name asked for; the next backup clears what it left', async () => {
    const cwd = tempDir();
    const db = await bigDatabase(cwd);
    const out = path.join(cwd, 'out');
    fs.mkdirSync(out);
    const dest = path.join(out, 'k.db');
    let midCopy = 0;
    for (let delay = 100; delay <= 3000 && midCopy < 2; delay += 50) {
      const child = spawn(process.execPath, [BIN, '--db', db, 'backup', '--out', dest], { cwd, env: cleanEnv(cwd), stdio: 'ignore' });
      const exited = new Promise((r) => child.once('exit', r).once('error', r));
      await new Promise((r) => setTimeout(r, delay));
      const running = child.exitCode === null;
      if (running) child.kill('SIGKILL');
      await exited;
      if (!running) {
        // It finished first: a whole backup, then try again sooner.
        expect(rows(dest, 'select count(*) as n from clients')).toEqual([{ n: 22_001 }]);
        fs.rmSync(dest);
        continue;
      }
      const left = fs.readdirSync(out);
      if (left.some((f) => f.endsWith('.partial'))) midCopy++;
      // Whatever was left is plainly unfinished; a file called k.db is only ever a whole, checked copy
      // (the kill came while the command read it back), with no journal to roll back beside it.
      expect(left.filter((f) => f !== 'k.db' && !/^k\.db\.\d+\.partial(-journal)?$/.test(f)), left.join(', ')).toEqual([]);
      if (left.includes('k.db')) {
        expect(rows(dest, 'select count(*) as n from clients')).toEqual([{ n: 22_001 }]);
        expect(rows(dest, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
        fs.rmSync(dest);
      }
    }
    expect(midCopy, 'no kill landed while the copy was being written').toBeGreaterThan(0);

    const r = await bf(['--db', db, 'backup', '--out', dest], { cwd });
    expect(r.exitCode, r.stderr).toBe(0);
    expect(fs.readdirSync(out)).toEqual(['k.db']);
    expect(rows(dest, 'select count(*) as n from clients')).toEqual([{ n: 22_001 }]);
    const doctor = await bf(['--db', dest, 'doctor', '--json'], { cwd });
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true, clients: 22_001 });
  }, 180_000);
});

/** Every file under `dir`, with its size: what a failed command must leave as it was. */
function listing(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => `${path.relative(dir, path.join(e.parentPath, e.name))} ${fs.statSync(path.join(e.parentPath, e.name)).size}`)
    .sort();
}

function expectOneLine(r: Result, exitCode: number, pattern: RegExp, what: string): void {
  expect(r.exitCode, `${what}: ${r.stderr}`).toBe(exitCode);
  expect(r.stderr.trim().split('\n'), `${what}: ${r.stderr}`).toHaveLength(1);
  expect(r.stderr, what).toMatch(/^bridgefit: /);
  expect(r.stderr, what).toMatch(pattern);
  expect(r.stderr, what).not.toMatch(/unexpected error|\n\s+at /);
}

describe('an output path bridgefit cannot write', () => {
  it('a folder that takes no files, a folder it may not write, an empty --out: one line naming the path, nothing left behind', async (ctx: TestContext) => {
    const cwd = tempDir();
    const demo = await bf(['demo'], { cwd });
    expect(demo.exitCode, demo.stderr).toBe(0);
    const db = path.join(cwd, 'bridgefit-demo', 'demo.db');
    const before = listing(cwd);
    for (const [args, code, message] of [
      [['backup', '--out', '/proc/bridgefit-test.db'], 1, /^bridgefit: cannot write \/proc\/bridgefit-test\.db: no such folder/],
      [['report', 'zoe', '--out', '/proc/bridgefit-test.pdf'], 1, /^bridgefit: cannot write \/proc\/bridgefit-test\.pdf: no such folder/],
      [['backup', '--out', ''], 2, /^bridgefit: --out needs a file or folder name/],
    ] as const) {
      const r = await bf(['--db', db, ...args], { cwd });
      expectOneLine(r, code, message, args.join(' '));
      expect(listing(cwd), args.join(' ')).toEqual(before);
    }

    // Root writes anywhere: a folder it may not write needs an ordinary user.
    const asNobody = spawnSync('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', 'true']).status === 0 && process.getuid?.() === 0;
    if (!asNobody) return ctx.skip('needs root to switch to the nobody user with setpriv');
    fs.chmodSync(cwd, 0o755);
    const mine = path.join(cwd, 'bridgefit-demo');
    for (const f of [mine, ...fs.readdirSync(mine).map((f) => path.join(mine, f))]) fs.chownSync(f, 65534, 65534);
    const ro = path.join(cwd, 'ro');
    fs.mkdirSync(ro, { mode: 0o755 });
    const stillBefore = listing(cwd);
    const r = await execa('setpriv', ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, BIN, '--db', db, 'backup', '--out', 'ro/x.db'], {
      cwd,
      env: cleanEnv(cwd),
      extendEnv: false,
      reject: false,
      stdin: 'ignore',
    });
    expectOneLine({ stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 }, 1, new RegExp(`^bridgefit: cannot write ${ro}/x\\.db: permission denied`), 'backup into ro/');
    expect(listing(cwd)).toEqual(stillBefore);
  }, 120_000);
});

describe('--db naming something that is not a regular file', () => {
  it('a pipe, a folder and a device: one line, non-zero exit, left as they were (and no wait on the pipe)', async () => {
    const cwd = tempDir();
    const fifo = path.join(cwd, 'ff');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const folder = path.join(cwd, 'folder.db');
    fs.mkdirSync(folder, { mode: 0o755 });
    const targets: [string, RegExp][] = [
      [fifo, /is not a regular file/],
      [folder, /is a folder, not a database file/],
    ];
    // A character device like /dev/null, made here so a chmod of it would show (needs root).
    const device = path.join(cwd, 'fakenull');
    if (spawnSync('mknod', [device, 'c', '1', '3']).status === 0) {
      fs.chmodSync(device, 0o666);
      targets.push([device, /is not a regular file/]);
    }
    const before = listing(cwd);
    const modes = () => targets.map(([t]) => fs.statSync(t).mode);
    const modesBefore = modes();
    for (const [target, message] of targets) {
      for (const args of [['init'], ['client', 'list'], ['client', 'add', '--first-name', 'A', '--last-name', 'B', '--dob', '1970-01-01'], ['doctor']]) {
        // A run that waits on the pipe is killed and fails here, instead of hanging the suite.
        const r = await execa(process.execPath, [BIN, '--db', target, ...args], { cwd, env: cleanEnv(cwd), extendEnv: false, reject: false, stdin: 'ignore', timeout: 15_000 });
        expect(r.timedOut, `${target} ${args.join(' ')}`).toBe(false);
        expectOneLine({ stdout: String(r.stdout), stderr: String(r.stderr), exitCode: r.exitCode ?? -1 }, 1, new RegExp(`^bridgefit: ${target} ${message.source}`), `${target} ${args.join(' ')}`);
      }
    }
    expect(listing(cwd)).toEqual(before);
    expect(fs.readdirSync(cwd).sort()).toEqual(targets.map(([t]) => path.basename(t)).sort());
    expect(modes()).toEqual(modesBefore);
  }, 120_000);
});


function tablesOf(file: string): string[] {
  return rows(file, "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name").map((r) => r.name as string);
}

describe('bridgefit restore', () => {
  it('makes the database exactly the backup again, keeping what it replaced in backups/', async () => {
    const cwd = tempDir();
    expect((await bf(['demo'], { cwd })).exitCode).toBe(0);
    const dir = path.join(cwd, 'bridgefit-demo');
    const db = path.join(dir, 'demo.db');
    const copy = path.join(cwd, 'monday.db');
    const run = async (...args: string[]) => {
      const r = await bf(['--db', db, ...args], { cwd });
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      return r;
    };
    await run('backup', '--out', copy);
    // Work after the backup: a new client with a session, a changed one, a deleted one.
    await run('client', 'add', '--first-name', 'Later', '--last-name', 'Added', '--dob', '1970-01-01');
    await run('client', 'edit', 'zoe', '--phone', '+33 9 99 99 99 99');
    await run('progress', 'add', 'zoe', '--pain-before', '2', '--pain-after', '3', '--rpe', '5');
    await run('client', 'delete', '2', '--yes');
    const changed = Object.fromEntries(tablesOf(db).map((t) => [t, rows(db, `select * from "${t}" order by rowid`)]));

    // No terminal: nothing happens without --yes.
    const before = snapshot(dir);
    const refused = await bf(['--db', db, 'restore', copy], { cwd });
    expectOneLine(refused, 2, /refusing to replace .* without --yes/, 'restore without --yes');
    expect(snapshot(dir)).toEqual(before);

    const r = await run('restore', copy, '--yes', '--json');
    const result = JSON.parse(r.stdout) as { path: string; restoredFrom: string; safetyBackup: string; clients: number };
    expect(result).toMatchObject({ path: db, restoredFrom: copy, clients: 5 });

    // Every table as in the backup, row for row, and the same schema.
    const tables = tablesOf(copy);
    expect(tables.length).toBeGreaterThan(10);
    expect(tablesOf(db)).toEqual(tables);
    for (const t of tables) expect(rows(db, `select * from "${t}" order by rowid`), t).toEqual(rows(copy, `select * from "${t}" order by rowid`));
    const schema = (f: string) => rows(f, "select type, name, sql from sqlite_master where name not like 'sqlite_%' order by type, name");
    expect(schema(db)).toEqual(schema(copy));
    expect(mode(db)).toBe(0o600);
    expect(fs.existsSync(`${db}-wal`) && fs.statSync(`${db}-wal`).size > 0).toBe(false);
    expect(fs.readdirSync(dir).filter((f) => f.includes('.partial'))).toEqual([]);

    // What it replaced is kept, whole and private, where backup puts its copies.
    expect(path.dirname(result.safetyBackup)).toBe(path.join(dir, 'backups'));
    expect(mode(result.safetyBackup)).toBe(0o600);
    for (const [t, data] of Object.entries(changed)) expect(rows(result.safetyBackup, `select * from "${t}" order by rowid`), t).toEqual(data);

    // The restored database is a working one: clean, and its id counters are the backup's.
    const doctor = await run('doctor', '--json');
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true, clients: 5 });
    const [{ seq }] = rows(copy, "select seq from sqlite_sequence where name = 'clients'") as [{ seq: number }];
    const added = await run('client', 'add', '--first-name', 'After', '--last-name', 'Restore', '--dob', '1970-01-01', '--json');
    expect((JSON.parse(added.stdout) as { id: number }).id).toBe(seq + 1);
  }, 120_000);

  it('with other commands writing meanwhile, every write lands in the restored database or in the copy of what it replaced', async () => {
    const cwd = tempDir();
    expect((await bf(['demo'], { cwd })).exitCode).toBe(0);
    const db = path.join(cwd, 'bridgefit-demo', 'demo.db');
    const copy = path.join(cwd, 'copy.db');
    expect((await bf(['--db', db, 'backup', '--out', copy], { cwd })).exitCode).toBe(0);
    const writers = Array.from({ length: 6 }, (_, i) =>
      bf(['--db', db, 'client', 'add', '--first-name', `W${i}`, '--last-name', 'Meanwhile', '--dob', '1970-01-01'], { cwd }),
    );
    const [restored, ...added] = await Promise.all([bf(['--db', db, 'restore', copy, '--yes', '--json'], { cwd }), ...writers]);
    expect(restored.exitCode, restored.stderr).toBe(0);
    for (const r of added) expect(r.exitCode, r.stderr).toBe(0);
    const { safetyBackup } = JSON.parse(restored.stdout) as { safetyBackup: string };
    const names = (file: string) => rows(file, "select first_name from clients where last_name = 'Meanwhile'").map((r) => r.first_name as string);
    // Before the restore took the lock (kept in the copy) or after it (in the database): never neither, never both.
    expect([...names(safetyBackup), ...names(db)].sort()).toEqual(['W0', 'W1', 'W2', 'W3', 'W4', 'W5']);
  }, 120_000);

  it('a damaged, truncated, foreign or newer file is refused with one line, and nothing changes', async () => {
    const cwd = tempDir();
    expect((await bf(['demo'], { cwd })).exitCode).toBe(0);
    const dir = path.join(cwd, 'bridgefit-demo');
    const db = path.join(dir, 'demo.db');
    const good = path.join(cwd, 'good.db');
    expect((await bf(['--db', db, 'backup', '--out', good], { cwd })).exitCode).toBe(0);

    const damaged = path.join(cwd, 'damaged.db');
    const raw = new SqliteDatabase(good, { readonly: true });
    const page = raw.prepare("select rootpage from sqlite_master where name = 'clients'").pluck().get() as number;
    const pageSize = raw.pragma('page_size', { simple: true }) as number;
    raw.close();
    const bytes = fs.readFileSync(good);
    for (let i = 8; i < pageSize; i++) bytes[(page - 1) * pageSize + i] = (i * 7919) & 0xff;
    fs.writeFileSync(damaged, bytes);
    const truncated = path.join(cwd, 'truncated.db');
    fs.writeFileSync(truncated, fs.readFileSync(good).subarray(0, 3 * pageSize));
    const foreign = path.join(cwd, 'foreign.db');
    const other = new SqliteDatabase(foreign);
    other.exec('create table notes (id integer primary key, body text); insert into notes (body) values (\'hello\')');
    other.close();
    const text = path.join(cwd, 'notes.txt');
    fs.writeFileSync(text, 'not a database at all\n');
    const newer = path.join(cwd, 'newer.db');
    fs.copyFileSync(good, newer);
    const n = new SqliteDatabase(newer);
    n.prepare("insert into kysely_migration (name, timestamp) values ('9999_from_the_future', '2030-01-01')").run();
    n.close();

    const before = snapshot(dir);
    for (const [file, says] of [
      [damaged, /damaged\.db is damaged/],
      [truncated, /truncated\.db is damaged/],
      [foreign, /foreign\.db is a SQLite database but not a bridgefit one/],
      [text, /notes\.txt is not a bridgefit database/],
      [newer, /newer\.db was written by a newer bridgefit/],
      [path.join(cwd, 'nowhere.db'), /no backup at .*nowhere\.db/],
    ] as const) {
      const r = await bf(['--db', db, 'restore', file, '--yes'], { cwd });
      expect(r.exitCode, `${file}: ${r.stderr}`).not.toBe(0);
      expectOneLine(r, r.exitCode, says, path.basename(file));
      expect(snapshot(dir), path.basename(file)).toEqual(before);
    }
  }, 120_000);

  it('asks at a terminal (declining changes nothing), and will not write into a damaged database', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    const copy = path.join(cwd, 'copy.db');
    expect((await bf(['--db', db, 'client', 'add', '--first-name', 'Ana', '--last-name', 'Silva', '--dob', '1970-01-01'], { cwd })).exitCode).toBe(0);
    expect((await bf(['--db', db, 'backup', '--out', copy], { cwd })).exitCode).toBe(0);
    expect((await bf(['--db', db, 'client', 'add', '--first-name', 'Bo', '--last-name', 'Li', '--dob', '1970-01-01'], { cwd })).exitCode).toBe(0);
    const before = snapshot(cwd);
    const declined = await bfInTerminal(['--db', db, 'restore', copy], [{ waitFor: 'Restore?', send: 'n\r' }], { cwd });
    expect(declined.exitCode).toBe(130);
    expect(declined.screen).toContain(`This replaces everything in ${db} (2 clients) with ${copy} (1 clients`);
    expect(snapshot(cwd)).toEqual(before);

    fs.truncateSync(db, 3 * 4096);
    const damagedBefore = snapshot(cwd);
    const r = await bf(['--db', db, 'restore', copy, '--yes'], { cwd });
    expectOneLine(r, 1, /c\.db is damaged, so restore does not write into it; move it aside/, 'restore onto a damaged database');
    expect(snapshot(cwd)).toEqual(damagedBefore);
    fs.renameSync(db, `${db}.damaged`);
    const again = await bf(['--db', db, 'restore', copy, '--yes', '--json'], { cwd });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ path: db, safetyBackup: null, clients: 1 });
    expect(mode(db)).toBe(0o600);
    expect(rows(db, 'select first_name from clients order by id').map((r) => r.first_name)).toEqual(['Ana']);
  }, 120_000);
});
