import { describe, expect, it } from 'vitest';
import { parseCsvTable } from '../../src/app/csv-table.js';
import type { InputError } from '../../src/app/errors.js';
import { checkClientImport } from '../../src/app/import-clients.js';
import { checkClientRow, clientIdentity, isBlankRow, undefuse } from '../../src/domain/client-import.js';

const TODAY = '2026-12-02';
const ok = { first_name: 'Zoë', last_name: 'Moreau', date_of_birth: '1961-04-12' };

describe('checkClientRow: one spreadsheet row, checked as client add checks its flags', () => {
  it('a row with only the required columns: the optional fields are null', () => {
    expect(checkClientRow(ok, TODAY)).toEqual({
      ok: true,
      fields: { firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12', sex: null, email: null, phone: null, goals: null, notes: null, gpName: null, gpContact: null, surgeonName: null, surgeonContact: null, physioName: null, physioContact: null },
    });
  });

  it('stores what client add stores: trimmed, NFC, sex in lower case, empty optional cells as null', () => {
    const r = checkClientRow({ ...ok, first_name: ' Zoe\u0308 ', sex: 'Female', email: '', phone: ' +33 1 23 45 67 89 ', notes: 'right knee\nTKA 2026' }, TODAY);
    expect(r).toMatchObject({ ok: true, fields: { firstName: 'Zoë', sex: 'female', email: null, phone: '+33 1 23 45 67 89', notes: 'right knee\nTKA 2026' } });
  });

  it('names every bad cell of the row by its column, at once', () => {
    const r = checkClientRow({ first_name: '', last_name: 'Moreau', date_of_birth: '12/04/1961', sex: 'f', email: 'nope', phone: 'call me' }, TODAY);
    expect(r).toEqual({
      ok: false,
      problems: [
        { column: 'first_name', message: 'first name is required' },
        { column: 'date_of_birth', message: 'date of birth must be a date as YYYY-MM-DD, got "12/04/1961"' },
        { column: 'sex', message: 'sex must be one of female, male, other, got "f"' },
        { column: 'email', message: 'email "nope" is not an email address' },
        { column: 'phone', message: 'phone "call me" is not a phone number (digits, spaces, + - ( ) . /)' },
      ],
    });
  });

  it('an empty date of birth is "required", a future one or a name on two lines is refused', () => {
    expect(checkClientRow({ ...ok, date_of_birth: ' ' }, TODAY)).toEqual({ ok: false, problems: [{ column: 'date_of_birth', message: 'date of birth is required (YYYY-MM-DD)' }] });
    expect(checkClientRow({ ...ok, date_of_birth: '2027-01-01' }, TODAY)).toEqual({ ok: false, problems: [{ column: 'date_of_birth', message: 'date of birth 2027-01-01 is in the future' }] });
    expect(checkClientRow({ ...ok, last_name: 'Mo\nreau' }, TODAY)).toEqual({ ok: false, problems: [{ column: 'last_name', message: 'last name must be one line' }] });
  });

  it('refuses control characters in any cell', () => {
    const r = checkClientRow({ ...ok, goals: 'walk\u001b[2J' }, TODAY);
    expect(r.ok).toBe(false);
    expect(!r.ok && r.problems.map((p) => p.column)).toEqual(['goals']);
  });

  it("reads back what bridgefit's CSV defused: the apostrophe before = + - @ is dropped", () => {
    expect(checkClientRow({ ...ok, phone: "'+44 20 7946 0000" }, TODAY)).toMatchObject({ ok: true, fields: { phone: '+44 20 7946 0000' } });
    expect(undefuse("'=1+1")).toBe('=1+1');
    expect(undefuse("O'Brien")).toBe("O'Brien");
    expect(undefuse("'quoted'")).toBe("'quoted'");
  });
});

describe('the same client twice, and blank rows', () => {
  it('the same person is the same name, case and accents aside, and the same date of birth', () => {
    const a = clientIdentity({ firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12' });
    expect(clientIdentity({ firstName: 'zoe', lastName: 'MOREAU', dateOfBirth: '1961-04-12' })).toBe(a);
    expect(clientIdentity({ firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-13' })).not.toBe(a);
    expect(clientIdentity({ firstName: 'Zoë Mo', lastName: 'reau', dateOfBirth: '1961-04-12' })).not.toBe(a);
  });

  it('a row of empty cells is blank; a row with one value is not', () => {
    expect(isBlankRow({ first_name: '', last_name: ' ', date_of_birth: '' })).toBe(true);
    expect(isBlankRow({ first_name: '', last_name: '', date_of_birth: '1961-04-12' })).toBe(false);
  });
});

describe('checkClientImport: the whole file, before any database is opened', () => {
  it('numbers rows as the spreadsheet does (the header is row 1; a cell with a line break is still one row) and skips blank rows', () => {
    const text = 'first_name,last_name,date_of_birth,notes\nZoë,Moreau,1961-04-12,"two\nlines"\n,,,\nAna,Silva,1970-02-03,\n';
    expect(checkClientImport(text, 'c.csv', TODAY).rows.map((r) => [r.row, r.fields.firstName])).toEqual([[2, 'Zoë'], [4, 'Ana']]);
  });

  it('names a row that repeats an earlier one, and lists at most 20 problems', () => {
    expect(() => checkClientImport('first_name,last_name,date_of_birth\nZoë,Moreau,1961-04-12\nzoe,moreau,1961-04-12\n', 'c.csv', TODAY)).toThrow(
      expect.objectContaining({ message: 'c.csv: 1 problem(s) in the rows; nothing was imported', details: ['row 3, columns first_name, last_name, date_of_birth: the same client as row 2 (same name and date of birth)'] }),
    );
    const many = `first_name,last_name,date_of_birth\n${'A,,1970-01-01\n'.repeat(30)}`;
    let thrown: InputError | undefined;
    try {
      checkClientImport(many, 'c.csv', TODAY);
    } catch (err) {
      thrown = err as InputError;
    }
    expect(thrown?.message).toBe('c.csv: 20+ problem(s) in the rows; nothing was imported');
    expect(thrown?.details).toHaveLength(20);
  });

  it("reads a spreadsheet's semicolon-separated CSV (a header with semicolons and no comma), and a byte-order mark", () => {
    const text = '\uFEFFfirst_name;last_name;date_of_birth;notes\nZoë;Moreau;1961-04-12;"genou droit; PTG"\n';
    expect(checkClientImport(text, 'c.csv', TODAY).rows[0]!.fields).toMatchObject({ firstName: 'Zoë', notes: 'genou droit; PTG' });
    expect(parseCsvTable('a,b;c\n1,2;3\n', 'x.csv', ['a', 'b;c'], [])).toEqual([{ a: '1', 'b;c': '2;3' }]);
  });
});
