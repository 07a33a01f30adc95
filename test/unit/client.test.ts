import { describe, expect, it } from 'vitest';
import {
  checkClientChanges,
  checkClientField,
  checkNewClient,
  compareClients,
  fullName,
  type Client,
  type ClientFields,
} from '../../src/domain/client.js';
import { ageOn, isIsoDate, localToday } from '../../src/domain/dates.js';
import { ValidationError } from '../../src/domain/errors.js';
import { noCareTeam } from '../helpers/care-team.js';

const TODAY = '2026-11-26';

describe('dates', () => {
  it('accepts real calendar dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2023-02-29')).toBe(false);
    expect(isIsoDate('2023-13-01')).toBe(false);
    expect(isIsoDate('1961-4-12')).toBe(false);
    expect(isIsoDate('12/04/1961')).toBe(false);
  });

  it('counts age in whole years, turning over on the birthday', () => {
    expect(ageOn('1961-04-12', '2026-04-11')).toBe(64);
    expect(ageOn('1961-04-12', '2026-04-12')).toBe(65);
    expect(ageOn('2000-02-29', '2025-02-28')).toBe(24);
    expect(ageOn('2000-02-29', '2025-03-01')).toBe(25);
  });

  it('gives the local date', () => {
    expect(localToday(new Date(2026, 0, 5, 23, 59))).toBe('2026-01-05');
  });
});

describe('client fields', () => {
  it('keeps names in any script, normalised to NFC and trimmed', () => {
    for (const name of ['Zoë', 'Łukasz', '李娜', 'عائشة', 'Σοφία', 'Мария']) {
      expect(checkClientField('firstName', `  ${name}  `, TODAY)).toBe(name);
    }
    // "e" + combining diaeresis becomes the single code point ë
    expect(checkClientField('firstName', 'Zoe\u0308', TODAY)).toBe('Zo\u00eb');
  });

  it('refuses an empty, multi-line or control-character name', () => {
    expect(() => checkClientField('firstName', '   ', TODAY)).toThrow('first name is required');
    expect(() => checkClientField('lastName', 'a\nb', TODAY)).toThrow('one line');
    expect(() => checkClientField('lastName', 'a\u0007b', TODAY)).toThrow('control characters');
    expect(() => checkClientField('lastName', 'x'.repeat(101), TODAY)).toThrow('longer than 100');
  });

  it('checks the date of birth', () => {
    expect(checkClientField('dateOfBirth', '1961-04-12', TODAY)).toBe('1961-04-12');
    expect(() => checkClientField('dateOfBirth', '1961-02-30', TODAY)).toThrow('date of birth 1961-02-30 is not a calendar date: February has 28 days in 1961');
    expect(() => checkClientField('dateOfBirth', '2026-11-27', TODAY)).toThrow('in the future');
    expect(() => checkClientField('dateOfBirth', '1899-12-31', TODAY)).toThrow('before 1900');
  });

  it('takes sex case-insensitively and treats empty as not recorded', () => {
    expect(checkClientField('sex', 'Female', TODAY)).toBe('female');
    expect(checkClientField('sex', '', TODAY)).toBeNull();
    expect(() => checkClientField('sex', 'f', TODAY)).toThrow('one of female, male, other');
  });

  it('checks email and phone loosely but refuses what cannot be one', () => {
    expect(checkClientField('email', 'zoe@example.org', TODAY)).toBe('zoe@example.org');
    expect(() => checkClientField('email', 'zoe@example', TODAY)).toThrow('not an email');
    expect(checkClientField('phone', '+44 (20) 7946-0000', TODAY)).toBe('+44 (20) 7946-0000');
    expect(() => checkClientField('phone', 'call me', TODAY)).toThrow('not a phone number');
    expect(() => checkClientField('phone', '12', TODAY)).toThrow('not a phone number');
  });

  it('names the field that is wrong', () => {
    try {
      checkClientField('dateOfBirth', 'yesterday', TODAY);
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).field).toBe('dateOfBirth');
    }
  });

  it('requires first name, last name and date of birth for a new client', () => {
    expect(() => checkNewClient({ firstName: 'Zoë', lastName: 'Moreau' }, TODAY)).toThrow('date of birth is required');
    const c = checkNewClient({ firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12' }, TODAY);
    expect(c).toEqual({
      firstName: 'Zoë',
      lastName: 'Moreau',
      dateOfBirth: '1961-04-12',
      sex: null,
      email: null,
      phone: null,
      goals: null,
      notes: null,
      ...noCareTeam,
    });
  });

  it('reports only the fields an edit really changes, and clears optional ones with ""', () => {
    const current: ClientFields = checkNewClient(
      { firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12', email: 'z@example.org' },
      TODAY,
    );
    expect(checkClientChanges(current, { firstName: 'Zoë', email: '' }, TODAY)).toEqual({ email: null });
    expect(() => checkClientChanges(current, { lastName: '' }, TODAY)).toThrow('last name is required');
  });
});

describe('names for display and sorting', () => {
  const client = (id: number, firstName: string, lastName: string): Client => ({
    id,
    firstName,
    lastName,
    dateOfBirth: '1970-01-01',
    sex: null,
    email: null,
    phone: null,
    goals: null,
    notes: null,
    ...noCareTeam,
    status: 'active',
    createdAt: '',
    updatedAt: '',
  });

  it('writes Chinese names family name first, others given name first', () => {
    expect(fullName({ firstName: '娜', lastName: '李' })).toBe('李娜');
    expect(fullName({ firstName: 'Łukasz', lastName: 'Nowak' })).toBe('Łukasz Nowak');
    expect(fullName({ firstName: 'Na', lastName: 'Li' })).toBe('Na Li');
  });

  it('sorts by last name, then first name, ignoring case and accents', () => {
    const sorted = [client(1, 'b', 'émile'), client(2, 'a', 'Zeta'), client(3, 'a', 'Emile'), client(4, 'Z', 'adams')]
      .sort(compareClients)
      .map((c) => c.id);
    expect(sorted).toEqual([4, 3, 1, 2]);
  });
});
