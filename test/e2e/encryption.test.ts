import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf, bfInTerminal, cleanEnv, type Result } from '../helpers/cli.js';
import { mode, snapshot, tempDir } from '../helpers/tmp.js';

const KEY = 'tr41ner-only key';
const NAME = 'Wojciechowska';

const holds = (file: string, text: string) => fs.existsSync(file) && fs.readFileSync(file).includes(Buffer.from(text, 'utf8'));
const isPlain = (file: string) => fs.readFileSync(file).subarray(0, 16).toString('latin1') === 'SQLite format 3\0';

function ok(r: Result, what: string): Result {
  expect(r.exitCode, `${what}: ${r.stderr}`).toBe(0);
  return r;
}

/** One line on stderr, exit 1, nothing on stdout, no stack, and never the key. */
function oneLine(r: Result, pattern: RegExp, what: string): void {
  expect(r.exitCode, `${what}: ${r.stderr}`).toBe(1);
  expect(r.stderr.trim().split('\n'), `${what}: ${r.stderr}`).toHaveLength(1);
  expect(r.stderr, what).toMatch(pattern);
  expect(r.stdout, what).toBe('');
  expect(r.stderr + r.stdout, what).not.toContain(KEY);
}

function setUp() {
  const cwd = tempDir();
  const db = path.join(cwd, 'data', 'bridgefit.db');
  const plainEnv = cleanEnv(cwd, { BRIDGEFIT_DB: db });
  const keyEnv = { ...plainEnv, BRIDGEFIT_KEY: KEY };
  return { cwd, db, plainEnv, keyEnv };
}

async function withClient(cwd: string, env: Record<string, string>): Promise<void> {
  ok(await bf(['client', 'add', '--first-name', 'Zofia', '--last-name', NAME, '--dob', '1958-03-09', '--notes', `${NAME}: knee`], { cwd, env }), 'client add');
}

describe('encryption at rest (issue 19)', () => {
  it('encrypt, use with the key, a wrong key and no key in one line each (nothing written), backup stays encrypted, restore with the key, decrypt', async () => {
    const { cwd, db, plainEnv, keyEnv } = setUp();
    ok(await bf(['init'], { cwd, env: plainEnv }), 'init');
    await withClient(cwd, plainEnv);
    expect(holds(db, NAME)).toBe(true);

    // Encrypt: in place, after a plain copy in backups/.
    const enc = ok(await bf(['encrypt', '--json'], { cwd, env: keyEnv }), 'encrypt');
    const encrypted = JSON.parse(enc.stdout) as { path: string; encrypted: boolean; backup: string };
    expect(encrypted).toMatchObject({ path: db, encrypted: true });
    expect(path.dirname(encrypted.backup)).toBe(path.join(path.dirname(db), 'backups'));
    expect(isPlain(encrypted.backup)).toBe(true);
    expect(isPlain(db)).toBe(false);
    expect(holds(db, NAME)).toBe(false);
    expect(mode(db)).toBe(0o600);
    expect(enc.stdout + enc.stderr).not.toContain(KEY);
    fs.rmSync(encrypted.backup); // as the trainer is told to, once it works

    // Used with the key: the write goes through the -wal, and neither file holds the name.
    await withClient(cwd, keyEnv);
    const list = ok(await bf(['client', 'list', '--json'], { cwd, env: keyEnv }), 'list');
    expect((JSON.parse(list.stdout) as { lastName: string }[]).map((c) => c.lastName)).toEqual([NAME, NAME]);
    for (const f of [db, `${db}-wal`]) expect(holds(f, NAME), f).toBe(false);

    // A wrong key and no key: one line each, nothing written.
    const before = snapshot(path.dirname(db));
    for (const args of [['client', 'list'], ['client', 'add', '--first-name', 'X', '--last-name', 'Y', '--dob', '1970-01-01'], ['doctor'], ['backup']]) {
      oneLine(await bf(args, { cwd, env: { ...plainEnv, BRIDGEFIT_KEY: 'not the key' } }), /^bridgefit: the key does not open .*bridgefit\.db/, `wrong key: ${args[0]}`);
      oneLine(await bf(args, { cwd, env: plainEnv }), /^bridgefit: the database .*bridgefit\.db is encrypted \(or not a database at all\): set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file/, `no key: ${args[0]}`);
    }
    oneLine(await bf(['decrypt'], { cwd, env: { ...plainEnv, BRIDGEFIT_KEY: 'not the key' } }), /^bridgefit: the key does not open /, 'decrypt, wrong key');
    oneLine(await bf(['decrypt'], { cwd, env: plainEnv }), /is encrypted: set BRIDGEFIT_KEY/, 'decrypt, no key');
    expect(snapshot(path.dirname(db))).toEqual(before);

    // doctor says so.
    const doctor = ok(await bf(['doctor', '--json'], { cwd, env: keyEnv }), 'doctor');
    const report = JSON.parse(doctor.stdout) as { encrypted: boolean; checks: { name: string; detail: string }[] };
    expect(report.encrypted).toBe(true);
    expect(report.checks.find((c) => c.name === 'encryption')?.detail).toMatch(/^encrypted at rest/);

    // backup stays encrypted, 0600.
    const out = path.join(cwd, 'copy.db');
    ok(await bf(['backup', '--out', out], { cwd, env: keyEnv }), 'backup');
    expect(isPlain(out)).toBe(false);
    expect(holds(out, NAME)).toBe(false);
    expect(mode(out)).toBe(0o600);

    // restore with the key: the data it replaced is kept, encrypted too.
    ok(await bf(['client', 'add', '--first-name', 'Later', '--last-name', 'Addition', '--dob', '1970-01-01'], { cwd, env: keyEnv }), 'add another');
    oneLine(await bf(['restore', out, '--yes'], { cwd, env: plainEnv }), /^bridgefit: the backup .*copy\.db is encrypted: set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file, to restore it; nothing was changed$/m, 'restore without the key');
    const restored = ok(await bf(['restore', out, '--yes', '--json'], { cwd, env: keyEnv }), 'restore');
    const { safetyBackup } = JSON.parse(restored.stdout) as { safetyBackup: string };
    expect(isPlain(safetyBackup)).toBe(false);
    expect(holds(safetyBackup, 'Addition')).toBe(false);
    const after = ok(await bf(['client', 'list', '--json'], { cwd, env: keyEnv }), 'list after restore');
    expect((JSON.parse(after.stdout) as unknown[]).length).toBe(2);
    expect(isPlain(db)).toBe(false);

    // decrypt: plain again, opens without a key (and a key is now refused, naming encrypt).
    const dec = ok(await bf(['decrypt', '--json'], { cwd, env: keyEnv }), 'decrypt');
    expect(JSON.parse(dec.stdout)).toMatchObject({ path: db, encrypted: false });
    expect(isPlain(db)).toBe(true);
    expect(mode(db)).toBe(0o600);
    expect((JSON.parse(ok(await bf(['client', 'list', '--json'], { cwd, env: plainEnv }), 'plain list').stdout) as unknown[]).length).toBe(2);
    oneLine(await bf(['client', 'list'], { cwd, env: keyEnv }), /is not encrypted, but a key was given: run "bridgefit encrypt"/, 'key on a plain database');
  }, 120_000);

  it('takes the key from --key-file or BRIDGEFIT_KEY_FILE (first line), makes a new database encrypted, and refuses two sources', async () => {
    const { cwd, db, plainEnv } = setUp();
    const keyFile = path.join(cwd, 'key.txt');
    fs.writeFileSync(keyFile, `${KEY}\n`, { mode: 0o600 });
    const init = ok(await bf(['--key-file', keyFile, 'init'], { cwd, env: plainEnv }), 'init with a key file');
    expect(init.stderr).toContain('encrypted');
    expect(isPlain(db)).toBe(false);
    await withClient(cwd, { ...plainEnv, BRIDGEFIT_KEY_FILE: keyFile });
    // The newline is not part of the key: the same key given directly opens it.
    ok(await bf(['client', 'list'], { cwd, env: { ...plainEnv, BRIDGEFIT_KEY: KEY } }), 'the same key from BRIDGEFIT_KEY');
    expect(holds(db, NAME)).toBe(false);
    const both = await bf(['client', 'list'], { cwd, env: { ...plainEnv, BRIDGEFIT_KEY: KEY, BRIDGEFIT_KEY_FILE: keyFile } });
    expect(both.exitCode).toBe(2);
    expect(both.stderr).toBe('bridgefit: set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, not both\n');
    const r = await bf(['--key-file', path.join(cwd, 'missing.txt'), 'client', 'list'], { cwd, env: plainEnv });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toMatch(/--key-file .*missing\.txt: cannot read it \(no such file\)/);
    // encrypt with no key and no terminal: says how to give one.
    const plainDb = path.join(cwd, 'plain.db');
    ok(await bf(['--db', plainDb, 'init'], { cwd, env: plainEnv }), 'plain init');
    const nokey = await bf(['--db', plainDb, 'encrypt'], { cwd, env: plainEnv });
    expect(nokey.exitCode).toBe(2);
    expect(nokey.stderr).toMatch(/encrypt needs a key: set BRIDGEFIT_KEY or BRIDGEFIT_KEY_FILE, or pass --key-file/);
    expect(isPlain(plainDb)).toBe(true);
    oneLine(await bf(['--db', plainDb, '--key-file', keyFile, 'decrypt'], { cwd, env: plainEnv }), /is not encrypted; nothing was changed/, 'decrypt a plain one');
    // The demo makes its own plain database: a key set for the trainer's own is not used on it.
    const demo = ok(await bf(['demo', '--dir', path.join(cwd, 'demo'), '--json'], { cwd, env: { ...plainEnv, BRIDGEFIT_KEY: KEY } }), 'demo with a key set');
    expect(isPlain((JSON.parse(demo.stdout) as { database: string }).database)).toBe(true);
  }, 60_000);

  it('asks for the key at a terminal, hidden as it is typed', async () => {
    const { cwd, db, plainEnv, keyEnv } = setUp();
    ok(await bf(['init'], { cwd, env: keyEnv }), 'init');
    await withClient(cwd, keyEnv);
    const { screen, exitCode } = await bfInTerminal(['client', 'list'], [{ waitFor: 'Key for', send: `${KEY}\r` }], { cwd, env: plainEnv });
    expect(exitCode, screen).toBe(0);
    expect(screen).toContain(NAME);
    expect(screen).not.toContain(KEY);
    expect(isPlain(db)).toBe(false);
  }, 60_000);
});
