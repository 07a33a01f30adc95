import { describe, expect, it } from 'vitest';
import { checkClientField } from '../../src/domain/client.js';
import { dateProblem } from '../../src/domain/dates.js';
import { checkIntakeAnswers } from '../../src/domain/intake.js';
import { checkProgressInput } from '../../src/domain/progress-input.js';

const TODAY = '2026-11-26';

describe('dates the calendar does not have', () => {
  it('say the day does not exist, not that the form is wrong', () => {
    expect(dateProblem('2026-02-30')).toBe('2026-02-30 is not a calendar date: February has 28 days in 2026');
    expect(dateProblem('2024-02-30')).toBe('2024-02-30 is not a calendar date: February has 29 days in 2024');
    expect(dateProblem('1900-02-29')).toBe('1900-02-29 is not a calendar date: February has 28 days in 1900');
    expect(dateProblem('2026-04-31')).toBe('2026-04-31 is not a calendar date: April has 30 days');
    expect(dateProblem('2026-13-01')).toBe('2026-13-01 is not a calendar date: there is no month 13 (months are 01–12)');
    expect(dateProblem('2026-00-10')).toMatch(/there is no month 00/);
    expect(dateProblem('2026-01-00')).toBe('2026-01-00 is not a calendar date: there is no day 00');
    expect(dateProblem('0050-01-01')).toMatch(/year 0050 is too early/);
  });

  it('say the form is wrong when it is, and nothing for a real date', () => {
    expect(dateProblem('12/04/1961')).toBe('expected a date as YYYY-MM-DD, got "12/04/1961"');
    expect(dateProblem('2026-2-3')).toBe('expected a date as YYYY-MM-DD, got "2026-2-3"');
    expect(dateProblem('2024-02-29')).toBeUndefined();
    expect(dateProblem('2026-11-26')).toBeUndefined();
  });

  it('reach the date of birth, a progress entry and an intake', () => {
    expect(() => checkClientField('dateOfBirth', '1958-02-30', TODAY)).toThrow('date of birth 1958-02-30 is not a calendar date: February has 28 days in 1958');
    expect(() => checkClientField('dateOfBirth', '30/02/1958', TODAY)).toThrow('date of birth must be a date as YYYY-MM-DD, got "30/02/1958"');
    const progress = checkProgressInput({ date: '2026-02-30', painBefore: 1 }, { today: TODAY, dateOfBirth: '1950-01-01' });
    expect(progress).toEqual({ ok: false, problems: [{ path: 'date', message: '2026-02-30 is not a calendar date: February has 28 days in 2026' }] });
    const intake = checkIntakeAnswers({ date: '2026-06-31' }, { today: TODAY, dateOfBirth: '1950-01-01' });
    expect(intake.ok).toBe(false);
    if (!intake.ok) expect(intake.problems).toContainEqual({ path: 'date', message: '2026-06-31 is not a calendar date: June has 30 days' });
  });
});
