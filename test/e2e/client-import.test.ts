/** `client import clients.csv`: all rows or none, problems by row and column, a second import adds nobody. */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bf } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { snapshot, tempDir } from '../helpers/tmp.js';

function setup() {
  const cwd = tempDir();
  const db = path.join(cwd, 'c.db');
  const run = (args: string[], input?: string) => bf(['--db', db, ...args], { cwd, ...(input !== undefined ? { input } : {}) });
  const file = (name: string, text: string) => {
    const p = path.join(cwd, name);
    fs.writeFileSync(p, text);
    return p;
  };
  return { cwd, db, run, file };
}

const GOOD = [
  'first_name,last_name,date_of_birth,sex,email,phone,goals,notes',
  'Zoë,Moreau,1961-04-12,female,zoe@example.org,+33 1 23 45 67 89,Walk to the market,"right knee TKA,\nMay 2026"',
  'Łukasz,Nowak,1978-11-02,male,,,"=back to football",',
  ',,,,,,,',
  '娜,李,1955-06-30,,,,,',
  '',
].join('\n');

describe('client import', () => {
  it('adds every row in one go, as client add would; a blank row is skipped', async () => {
    const { db, run, file } = setup();
    const csv = file('clients.csv', GOOD);
    const r = await run(['client', 'import', csv, '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(out.imported).toBe(3);
    expect(out.clients.map((c: { row: number; id: number }) => [c.row, c.id])).toEqual([[2, 1], [3, 2], [5, 3]]);
    expect(out.clients[0]).toMatchObject({ firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12', sex: 'female', email: 'zoe@example.org', phone: '+33 1 23 45 67 89', notes: 'right knee TKA,\nMay 2026', status: 'active' });
    // A cell that looks like a formula is stored as typed: only what bridgefit writes is defused.
    expect(out.clients[1]).toMatchObject({ firstName: 'Łukasz', goals: '=back to football', email: null });
    const listed = JSON.parse((await run(['client', 'list', '--json'])).stdout);
    expect(listed.map((c: { firstName: string }) => c.firstName).sort()).toEqual(['Zoë', 'Łukasz', '娜'].sort());
    expect(rows(db, "select count(*) as n from audit_log where action = 'client.create'")).toEqual([{ n: 3 }]);
    const text = await run(['client', 'import', file('one.csv', 'first_name,last_name,date_of_birth\nAna,Silva,1970-02-03\n')]);
    expect(text).toMatchObject({ exitCode: 0, stdout: '', stderr: 'Imported 1 client(s): id 4.\n' });
  }, 60_000);

  it('refuses the whole file when one cell is wrong, naming each by row and column; the database is unchanged', async () => {
    const { cwd, run, file } = setup();
    expect((await run(['client', 'add', '--first-name', 'Ana', '--last-name', 'Silva', '--dob', '1970-02-03'])).exitCode).toBe(0);
    const bad = file(
      'bad.csv',
      [
        'first_name,last_name,date_of_birth,sex,email',
        'Zoë,Moreau,1961-04-12,female,zoe@example.org',
        'Bo,Li,12/04/1961,f,nope',
        'Mia,,1990-01-01,,',
        'Zoe,MOREAU,1961-04-12,,',
        'Tom,Berg,,,',
      ].join('\n'),
    );
    const before = snapshot(cwd);
    const r = await run(['client', 'import', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      [
        `bridgefit: ${bad}: 6 problem(s) in the rows; nothing was imported`,
        '  row 3, column date_of_birth: date of birth must be a date as YYYY-MM-DD, got "12/04/1961"',
        '  row 3, column sex: sex must be one of female, male, other, got "f"',
        '  row 3, column email: email "nope" is not an email address',
        '  row 4, column last_name: last name is required',
        '  row 5, columns first_name, last_name, date_of_birth: the same client as row 2 (same name and date of birth)',
        '  row 6, column date_of_birth: date of birth is required (YYYY-MM-DD)',
        '',
      ].join('\n'),
    );
    expect(snapshot(cwd)).toEqual(before);
  }, 60_000);

  it('a second import of the same rows is refused, each row named as the client it already is, and changes nothing', async () => {
    const { cwd, db, run, file } = setup();
    const csv = file('clients.csv', GOOD);
    expect((await run(['client', 'import', csv])).exitCode).toBe(0);
    expect((await run(['client', 'archive', 'nowak'])).exitCode).toBe(0);
    const before = snapshot(cwd);
    const again = await run(['client', 'import', csv]);
    expect(again.exitCode).toBe(2);
    expect(again.stderr).toBe(
      [
        `bridgefit: ${csv}: 3 problem(s) in the rows; nothing was imported`,
        '  row 2, columns first_name, last_name, date_of_birth: already client 1, with the same name and date of birth; was this file imported before?',
        '  row 3, columns first_name, last_name, date_of_birth: already client 2 (archived), with the same name and date of birth; was this file imported before?',
        '  row 5, columns first_name, last_name, date_of_birth: already client 3, with the same name and date of birth; was this file imported before?',
        '',
      ].join('\n'),
    );
    expect(snapshot(cwd)).toEqual(before);
    expect(rows(db, 'select count(*) as n from clients')).toEqual([{ n: 3 }]);
    // One new row among them is not added either: all or none.
    const mixed = file('mixed.csv', 'first_name,last_name,date_of_birth\nAna,Silva,1970-02-03\nzoe,moreau,1961-04-12\n');
    const m = await run(['client', 'import', mixed]);
    expect(m.exitCode).toBe(2);
    expect(m.stderr).toContain('row 3, columns first_name, last_name, date_of_birth: already client 1');
    expect(rows(db, 'select count(*) as n from clients')).toEqual([{ n: 3 }]);
  }, 60_000);

  it('a refused file creates no database; the header is checked; stdin works; a same-name client is a warning', async () => {
    const { cwd, db, run, file } = setup();
    const bad = file('bad.csv', 'first_name,last_name,date_of_birth\nZoë,,1961-04-12\n');
    expect((await run(['client', 'import', bad])).exitCode).toBe(2);
    expect(fs.existsSync(db)).toBe(false);
    const unknown = await run(['client', 'import', file('u.csv', 'first_name,last_name,date_of_birth,age\nZoë,Moreau,1961-04-12,65\n')]);
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toMatch(/unknown column "age"; the columns are first_name, last_name, date_of_birth, sex, email, phone, goals, notes, gp_name, gp_contact, surgeon_name, surgeon_contact, physio_name, physio_contact\n$/);
    const missing = await run(['client', 'import', file('m.csv', 'first_name,last_name\nZoë,Moreau\n')]);
    expect(missing.stderr).toMatch(/the "date_of_birth" column is required\n$/);
    expect((await run(['client', 'import', file('e.csv', 'first_name,last_name,date_of_birth\n')])).stderr).toMatch(/no rows to import/);
    expect(fs.existsSync(db)).toBe(false);
    expect(snapshot(cwd)).not.toHaveProperty('c.db');
    const piped = await run(['client', 'import', '-'], 'first_name,last_name,date_of_birth\nZoë,Moreau,1961-04-12\n');
    expect(piped.exitCode, piped.stderr).toBe(0);
    const twin = await run(['client', 'import', '-'], 'first_name,last_name,date_of_birth\nzoe,moreau,1980-01-01\n');
    expect(twin.exitCode).toBe(0);
    expect(twin.stderr).toContain('warning: row 2: another client has the same name (id 1) and another date of birth');
  }, 60_000);

  it("reads back client list's own CSV cells: a phone written as '+44 … is stored without the apostrophe", async () => {
    const { run, file } = setup();
    const r = await run(['client', 'import', file('c.csv', "first_name,last_name,date_of_birth,phone\nAna,Silva,1970-02-03,'+44 20 7946 0000\n"), '--json']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).clients[0].phone).toBe('+44 20 7946 0000');
    expect((await run(['client', 'list', '--format', 'csv'])).stdout).toContain(",'+44 20 7946 0000,");
  }, 60_000);
});
