import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { BIN, bf, cleanEnv } from '../helpers/cli.js';
import { mode, tempDir } from '../helpers/tmp.js';

/** The binary run with umask 000, so nothing is private unless bridgefit makes it so. */
async function bfOpenUmask(args: string[], cwd: string) {
  const quoted = [process.execPath, BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  return execa('sh', ['-c', `umask 000; exec ${quoted}`], { cwd, env: cleanEnv(cwd), extendEnv: false, reject: false, stdin: 'ignore' });
}

describe('private to its owner', () => {
  it('the database, its -wal and -shm, and backups are 0600, folders made for them 0700, even with umask 000', async () => {
    const cwd = tempDir();
    const dir = path.join(cwd, 'made', 'for-it');
    const db = path.join(dir, 'bridgefit.db');
    expect((await bfOpenUmask(['--db', db, 'init'], cwd)).exitCode).toBe(0);
    expect(mode(db)).toBe(0o600);
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
    for (let i = 0; i < 3; i++) await bfOpenUmask(['--db', db, 'client', 'add', '--first-name', `P${i}`, '--last-name', 'Private', '--dob', '1960-01-01'], cwd);

    // The -wal and -shm exist while a writer works: catch them during a long import, then stop it.
    const lines = ['client,date,pain_before,notes'];
    for (let d = 0; d < 3000; d++) lines.push(`${1 + (d % 3)},${new Date(Date.UTC(2015, 0, 1 + Math.floor(d / 3))).toISOString().slice(0, 10)},${d % 10},note ${d}`);
    fs.writeFileSync(path.join(cwd, 'in.csv'), lines.join('\n'));
    const child = spawn('sh', ['-c', `umask 000; exec '${process.execPath}' '${BIN}' --db '${db}' progress import in.csv`], { cwd, env: cleanEnv(cwd), stdio: 'ignore' });
    const exited = new Promise((r) => child.once('exit', r));
    let seen = false;
    while (!seen && child.exitCode === null) {
      seen = fs.existsSync(`${db}-wal`) && fs.existsSync(`${db}-shm`);
      if (!seen) await new Promise((r) => setTimeout(r, 5));
    }
    child.kill('SIGKILL');
    await exited;
    expect(seen, 'the import never had -wal and -shm open').toBe(true);
    expect(mode(`${db}-wal`)).toBe(0o600);
    expect(mode(`${db}-shm`)).toBe(0o600);

    const backup = await bfOpenUmask(['--db', db, 'backup', '--json'], cwd);
    expect(backup.exitCode, String(backup.stderr)).toBe(0);
    const copy = (JSON.parse(String(backup.stdout)) as { path: string }).path;
    expect(path.dirname(copy)).toBe(path.join(dir, 'backups'));
    expect(mode(copy)).toBe(0o600);
    expect(mode(path.dirname(copy))).toBe(0o700);
    const doctor = await bf(['--db', db, 'doctor', '--json'], { cwd });
    expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true });
  }, 120_000);
});

describe('error messages carry no client data beyond what was typed', () => {
  it("a failed import names the rows and what the file said, never another client's name or notes", async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    const secret = 'HIV positive, disclosed in confidence';
    for (const [first, last] of [['Ana', 'Silva'], ['Anabel', 'Costa'], ['Bruno', 'Reis']]) {
      const r = await bf(['--db', db, 'client', 'add', '--first-name', first!, '--last-name', last!, '--dob', '1970-05-05', '--notes', secret], { cwd });
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const entry = await bf(['--db', db, 'progress', 'add', '3', '--date', '2025-01-10', '--pain-before', '2', '--note', secret], { cwd });
    expect(entry.exitCode, entry.stderr).toBe(0);
    const csv = path.join(cwd, 'in.csv');
    fs.writeFileSync(
      csv,
      ['client,date,pain_before', 'an,2025-01-10,2', '3,2025-01-10,2', '1,2025-01-11,2', '1,2025-01-11,3', 'zed,2025-01-12,1', '2,2025-01-12,99'].join('\n'),
    );
    const r = await bf(['--db', db, 'progress', 'import', csv], { cwd });
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('row 2, column client: "an" matches 2 clients; use the client\'s id');
    expect(r.stderr).toContain('row 3, column date: client "3" already has an entry on 2025-01-10');
    expect(r.stderr).toContain('row 5, column date: a second entry for client "1" on 2025-01-11 (row 4 has one)');
    expect(r.stderr).toContain('row 6, column client: no client matches "zed"');
    expect(r.stderr).toContain('row 7, column pain_before');
    for (const word of ['Silva', 'Costa', 'Anabel', 'Bruno', 'Reis', 'HIV', 'confidence']) expect(r.stderr, word).not.toContain(word);
    expect(r.stdout).toBe('');
  }, 60_000);
});

describe('nothing leaves the machine', () => {
  it('no command opens a network connection or looks up a host: demo, import, reports, backup, summary', async () => {
    const cwd = tempDir();
    // Loaded before bridgefit in each process (workers too): any way out to the network is recorded and refused.
    const guard = path.join(cwd, 'guard.cjs');
    const log = path.join(cwd, 'network.log');
    fs.writeFileSync(
      guard,
      `const fs = require('node:fs');
const note = (what) => { fs.appendFileSync(${JSON.stringify(log)}, what + '\\n'); throw new Error('network use: ' + what); };
const net = require('node:net');
net.Socket.prototype.connect = function () { note('net.connect'); };
for (const mod of ['node:dns', 'node:dns/promises']) {
  const dns = require(mod);
  for (const k of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) if (typeof dns[k] === 'function') dns[k] = () => note(mod + '.' + k);
}
for (const mod of ['node:http', 'node:https']) { const h = require(mod); h.request = () => note(mod + '.request'); h.get = () => note(mod + '.get'); }
globalThis.fetch = () => note('fetch');
globalThis.WebSocket = function () { note('WebSocket'); };
`,
    );
    const env = cleanEnv(cwd, { NODE_OPTIONS: `--require ${guard}` });
    const run = (args: string[]) => bf(args, { cwd, env });
    expect((await run(['demo', '--dir', 'd'])).exitCode).toBe(0);
    const db = path.join(cwd, 'd', 'demo.db');
    const csv = path.join(cwd, 'rows.csv');
    fs.writeFileSync(csv, 'client,date,pain_before,pain_after\n1,2020-01-06,2,3\n');
    for (const args of [
      ['client', 'list'],
      ['progress', 'import', csv],
      ['summary', '--format', 'json'],
      ['report', '--all', '--out-dir', path.join(cwd, 'reports')],
      ['backup', '--out', path.join(cwd, 'b.db')],
      ['export', 'zoe', '--format', 'fhir', '--out', path.join(cwd, 'zoe-fhir.json')],
      ['doctor'],
    ]) {
      const r = await run(['--db', db, ...args]);
      expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
    }
    // The guard is in force (a deliberate lookup is caught), and bridgefit itself never tripped it.
    const probe = await execa(process.execPath, ['-e', "require('node:dns').lookup('example.org', () => {})"], { env, extendEnv: false, reject: false });
    expect(probe.exitCode).not.toBe(0);
    expect(fs.readFileSync(log, 'utf8')).toBe('node:dns.lookup\n');
  }, 300_000);
});
