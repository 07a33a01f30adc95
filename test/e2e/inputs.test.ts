// Issue 20, items 3, 4, 6 and 10: every file bridgefit reads is bounded and
// regular, CSV cells never run as formulas, control characters are neither
// stored nor printed, and number flags take digits only.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { bf, bfInTerminal } from '../helpers/cli.js';
import { day } from '../helpers/answers.js';
import { rows } from '../helpers/db.js';
import { snapshot, tempDir } from '../helpers/tmp.js';

/** A folder with one client, and a `run` that names its database. */
async function setup() {
  const cwd = tempDir();
  const db = path.join(cwd, 'c.db');
  const run = (args: string[], input?: string) => bf(['--db', db, ...args], { cwd, ...(input !== undefined ? { input } : {}) });
  expect((await run(['client', 'add', '--first-name', 'Zoë', '--last-name', 'Moreau', '--dob', '1961-04-12'])).exitCode).toBe(0);
  return { cwd, db, run };
}

/** Refused as bad input: exit 2, one line on stderr naming `what`, nothing on stdout, no file changed. */
async function refused(p: Promise<{ exitCode: number; stderr: string; stdout: string }>, what: RegExp, cwd: string, before: Record<string, string>) {
  const r = await p;
  expect(r.exitCode, r.stderr).toBe(2);
  expect(r.stderr.trim().split('\n')).toHaveLength(1);
  expect(r.stderr).toMatch(what);
  expect(r.stdout).toBe('');
  expect(snapshot(cwd)).toEqual(before);
}

describe('files that are not files, or too large, are refused before they are read', () => {
  it('a FIFO, /dev/zero, a link to /dev/zero and a file over the limit: one line each, nothing written', async () => {
    const { cwd, run } = await setup();
    const fifo = path.join(cwd, 'answers.json');
    execFileSync('mkfifo', [fifo]);
    const link = path.join(cwd, 'zero.json');
    fs.symlinkSync('/dev/zero', link);
    const big = path.join(cwd, 'big.json');
    fs.writeFileSync(big, `{"notes": "${'x'.repeat(1.5 * (1 << 20))}"}`);
    const csv = path.join(cwd, 'fifo.csv');
    execFileSync('mkfifo', [csv]);
    const before = snapshot(cwd);
    // A FIFO with no writer would block a read forever; the runner's timeout bounds this test, not a timed assertion.
    await refused(run(['intake', 'zoe', '--answers', fifo]), /--answers .*answers\.json: is a named pipe \(FIFO\), not a regular file/, cwd, before);
    await refused(run(['intake', 'zoe', '--answers', '/dev/zero']), /--answers \/dev\/zero: is a device, not a regular file/, cwd, before);
    await refused(run(['progress', 'add', 'zoe', '--from', link]), /--from .*zero\.json: is a device/, cwd, before);
    await refused(run(['progress', 'add', 'zoe', '--from', big]), /--from .*big\.json: is larger than the 1 MB limit \(1\.5 MB\)/, cwd, before);
    await refused(run(['progress', 'import', csv]), /progress import .*fifo\.csv: is a named pipe/, cwd, before);
    await refused(run(['intake', 'zoe', '--answers', '-'], 'x'.repeat((1 << 20) + 1)), /--answers -: is larger than the 1 MB limit/, cwd, before);
  }, 60_000);

  it('a templates folder holding a FIFO and a link to /dev/zero: both are named problems, the rest loads', async () => {
    const { cwd, run } = await setup();
    const dir = path.join(cwd, 'tpl');
    fs.mkdirSync(dir);
    execFileSync('mkfifo', [path.join(dir, 'x.yaml')]);
    fs.symlinkSync('/dev/zero', path.join(dir, 'z.yaml'));
    const list = await run(['--templates', dir, 'template', 'list']);
    expect(list.exitCode, list.stderr).toBe(0);
    expect(list.stdout).toContain('knee_tka');
    expect(list.stderr).toMatch(/2 problem\(s\) in .*x\.yaml, .*z\.yaml/);
    const check = await run(['--templates', dir, 'template', 'validate', path.join(dir, 'x.yaml'), path.join(dir, 'z.yaml')]);
    expect(check.exitCode).not.toBe(0);
    expect(check.stdout + check.stderr).toMatch(/x\.yaml.*named pipe/);
    expect(check.stdout + check.stderr).toMatch(/z\.yaml.*is a device/);
  }, 60_000);
});

describe('lists are bounded and checked in one pass', () => {
  it('60,000 symptoms are refused at once, naming the limit', async () => {
    const { cwd, run } = await setup();
    const file = path.join(cwd, 'a.json');
    fs.writeFileSync(file, JSON.stringify({ physicallyActive: false, desiredIntensity: 'moderate', parq: {}, symptoms: Array(60_000).fill('chest_pain') }));
    const before = snapshot(cwd);
    const r = await run(['intake', 'zoe', '--answers', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('symptoms: at most 50 items, got 60000');
    expect(snapshot(cwd)).toEqual(before);
  }, 60_000);

  it('the same measure twice in one session (JSON or a CSV row) is refused, naming where', async () => {
    const { cwd, db, run } = await setup();
    const file = path.join(cwd, 's.json');
    fs.writeFileSync(file, JSON.stringify({ painBefore: 1, measures: [{ code: 'lefs', value: 40 }, { code: 'lefs', value: 44 }] }));
    const r = await run(['progress', 'add', 'zoe', '--from', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain('measures[1]: lefs is recorded twice');
    const csv = path.join(cwd, 's.csv');
    fs.writeFileSync(csv, 'client,date,pain_before,measures\n1,2026-11-30,1,lefs=40;lefs=44\n');
    const i = await run(['progress', 'import', csv]);
    expect(i.exitCode).not.toBe(0);
    expect(i.stderr + i.stdout).toMatch(/lefs is recorded twice/);
    expect(rows(db, 'select count(*) as n from progress_entries')).toEqual([{ n: 0 }]);
  }, 60_000);
});

describe('CSV cells never run as formulas (OWASP CSV injection)', () => {
  it('a client named =cmd… or +, -, @ lands in summary --format csv as text with a leading apostrophe', async () => {
    const { run } = await setup();
    const names = ["=cmd|' /C calc'!A0", '+1+2', '-2+3', '@SUM(A1)'];
    for (const first of names) {
      const r = await run(['client', 'add', '--first-name', first, '--last-name', 'Test', '--dob', '1970-01-01']);
      expect(r.exitCode, r.stderr).toBe(0);
    }
    const r = await run(['summary', '--format', 'csv']);
    expect(r.exitCode, r.stderr).toBe(0);
    const { parse } = await import('csv-parse/sync');
    const table = parse(r.stdout, { columns: true }) as Record<string, string>[];
    const cells = table.map((row) => row.client);
    for (const name of names) expect(cells).toContain(`'${name} Test`);
    expect(cells).toContain('Zoë Moreau');
  }, 60_000);
});

describe('control characters are neither stored nor printed', () => {
  it('clearance --clinician with an escape sequence, referral and amend notes with one: refused, nothing written', async () => {
    const { cwd, run } = await setup();
    const before = snapshot(cwd);
    await refused(
      run(['clearance', 'add', 'zoe', '--clinician', 'Dr \u001b[2J Okafor', '--profession', 'GP', '--date', '2026-11-20', '--status', 'cleared']),
      /--clinician: the clinician's name contains control characters/,
      cwd,
      before,
    );
    await refused(
      run(['clearance', 'add', 'zoe', '--clinician', 'Dr Okafor', '--profession', 'GP', '--contact', 'tel\r\n+33', '--date', '2026-11-20', '--status', 'cleared']),
      /--contact: the contact contains control characters/,
      cwd,
      before,
    );
    const file = path.join(cwd, 'n.json');
    fs.writeFileSync(file, JSON.stringify({ painBefore: 1, notes: 'fine\u0007' }));
    const s = await run(['progress', 'add', 'zoe', '--from', file]);
    expect(s.exitCode).toBe(2);
    expect(s.stderr).toContain('notes: the note contains control characters');
    // Tab and newline stay allowed in a note.
    const ok = await run(['progress', 'add', 'zoe', '--pain-before', '1', '--note', 'line one\nline two\tindented']);
    expect(ok.exitCode, ok.stderr).toBe(0);
    const amend = await run(['progress', 'amend', 'zoe', '--note', 'x\u001b]0;owned\u0007']);
    expect(amend.exitCode).toBe(2);
    expect(amend.stderr).toMatch(/--note: the note contains control characters/);
  }, 60_000);

  it('a control character already in the database (an old or edited file) is shown escaped, never sent to the terminal', async () => {
    const { db, run } = await setup();
    const raw = new SqliteDatabase(db);
    raw.prepare('update clients set notes = ? where id = 1').run('before\u001b[2Jafter\rover');
    raw.close();
    const r = await run(['client', 'show', '1']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('before\\u001b[2Jafter\\u000dover');
    expect(r.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  }, 60_000);
});

describe('number and date flags take what a person means, nothing else', () => {
  it('--sessions-per-week 5. and --expires "" are refused', async () => {
    const { cwd, run } = await setup();
    const before = snapshot(cwd);
    await refused(run(['program', 'generate', 'zoe', '--sessions-per-week', '5.']), /--sessions-per-week: expected a whole number 1–7, got "5\."/, cwd, before);
    await refused(
      run(['clearance', 'add', 'zoe', '--clinician', 'Dr A', '--profession', 'GP', '--date', '2026-11-20', '--status', 'cleared', '--expires', '']),
      /--expires needs a date/,
      cwd,
      before,
    );
  }, 60_000);

  it('a JSON error is one line even when the file breaks across lines', async () => {
    const { cwd, run } = await setup();
    const file = path.join(cwd, 'bad.json');
    fs.writeFileSync(file, '{"painBefore":\n\n 1,\n}');
    const r = await run(['progress', 'add', 'zoe', '--from', file]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/bad\.json is not valid JSON/);
  }, 60_000);
});

describe('issue 19: stdin for template validate, no silent overwrite for report --out', () => {
  it('template validate - checks what comes on stdin, naming it stdin', async () => {
    const { run } = await setup();
    const good = await run(['template', 'validate', '-'], fs.readFileSync(path.join(import.meta.dirname, '../../templates/programs/knee_tka.yaml'), 'utf8'));
    expect(good.exitCode, good.stderr).toBe(0);
    expect(good.stderr).toContain('1 template file(s) OK');
    const bad = await run(['template', 'validate', '-'], 'kind: program\nid: x\n');
    expect(bad.exitCode).toBe(1);
    expect(bad.stdout + bad.stderr).toMatch(/^stdin: name: required/m);
  }, 60_000);

  it('report --out refuses a file that is there unless --force, and writes nothing over it', async () => {
    const { cwd, run } = await setup();
    const out = path.join(cwd, 'r.pdf');
    expect((await run(['report', 'zoe', '--out', out])).exitCode).toBe(0);
    const first = fs.readFileSync(out);
    const r = await run(['report', 'zoe', '--out', out]);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/r\.pdf already exists; give --force to replace it/);
    expect(fs.readFileSync(out).equals(first)).toBe(true);
    const forced = await run(['report', 'zoe', '--out', out, '--force']);
    expect(forced.exitCode, forced.stderr).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  }, 60_000);

  it('progress import shows a bar for checking the rows and one for writing them, at a terminal only', async () => {
    const { cwd, db } = await setup();
    const csv = path.join(cwd, 'many.csv');
    const rowsOf = Array.from({ length: 1200 }, (_, i) => `1,${day(i + 1)},1,2`);
    fs.writeFileSync(csv, ['client,date,pain_before,pain_after', ...rowsOf].join('\n'));
    const r = await bfInTerminal(['--db', db, 'progress', 'import', csv], [], { cwd, timeoutMs: 120_000 });
    expect(r.exitCode, r.screen).toBe(0);
    expect(r.screen).toMatch(/Checking rows \[#+\] 1200\/1200/);
    expect(r.screen).toMatch(/Importing \[#+\] 1200\/1200/);
    expect(r.screen).toContain('Imported 1200 entries for 1 client(s).');
    expect(rows(db, 'select count(*) as n from progress_entries')).toEqual([{ n: 1200 }]);
    // Piped, no bar: stderr is the confirmation alone.
    const other = await setup();
    const piped = await other.run(['progress', 'import', csv]);
    expect(piped.exitCode, piped.stderr).toBe(0);
    expect(piped.stderr).toBe('Imported 1200 entries for 1 client(s).\n');
  }, 180_000);
});
