/** How a progress entry's values are read from what a trainer types: flags, CSV cells, JSON. */
import { describe, expect, it } from 'vitest';
import { RowProblem, rowToInput } from '../../src/app/import-sessions.js';
import { ValidationError } from '../../src/domain/errors.js';
import { checkProgressInput, parseMeasureFlag } from '../../src/domain/progress-input.js';

const CTX = { today: '2026-11-26', dateOfBirth: '1950-03-14' };
const stored = (input: unknown) => {
  const r = checkProgressInput(input, CTX);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.entry.measures;
};
const problems = (input: unknown) => {
  const r = checkProgressInput(input, CTX);
  return r.ok ? [] : r.problems;
};

describe('knee effusion by the grade names (FACTS §4, Sturgill 2009)', () => {
  it('--measure takes none, 0, trace, 1+, 2+, 3+ and stores them 0–4', () => {
    const cases: [string, number][] = [['none', 0], ['0', 0], ['trace', 1], ['1+', 2], ['2+', 3], ['3+', 4], [' TRACE ', 1], ['None', 0]];
    for (const [typed, number] of cases) {
      const flag = parseMeasureFlag(`effusion_grade.right=${typed}`, '--measure');
      expect(stored({ measures: [flag] }), typed).toEqual([{ code: 'effusion_grade', side: 'right', value: number }]);
    }
  });

  it('--measure refuses a bare number other than 0: 2 could mean 1+ or 2+', () => {
    for (const n of ['1', '2', '3', '4', '2.0', '-1']) {
      let error: unknown;
      try {
        parseMeasureFlag(`effusion_grade.right=${n}`, '--measure');
      } catch (err) {
        error = err;
      }
      expect(error, n).toBeInstanceOf(ValidationError);
      expect((error as Error).message).toMatch(/^effusion_grade\.right: give the grade as none, trace, 1\+, 2\+ or 3\+, not a number \(a bare .* could mean/);
    }
    expect(() => parseMeasureFlag('effusion_grade.left=2', '--measure')).toThrow('effusion_grade.left: give the grade as none, trace, 1+, 2+ or 3+, not a number (a bare 2 could mean 1+ or 2+)');
    expect(() => parseMeasureFlag('effusion_grade.left=4+', '--measure')).toThrow('effusion_grade.left: give the grade as none, trace, 1+, 2+ or 3+, got "4+"');
  });

  it('JSON (--from) takes the names and 0, and refuses a bare number other than 0', () => {
    expect(stored({ measures: [{ code: 'effusion_grade', side: 'left', value: '2+' }] })).toEqual([{ code: 'effusion_grade', side: 'left', value: 3 }]);
    expect(stored({ measures: [{ code: 'effusion_grade', side: 'left', value: 0 }] })).toEqual([{ code: 'effusion_grade', side: 'left', value: 0 }]);
    expect(problems({ measures: [{ code: 'effusion_grade', side: 'left', value: 2 }] })).toEqual([
      { path: 'measures[0].value', message: 'effusion_grade: give the grade as none, trace, 1+, 2+ or 3+, not a number (a bare 2 could mean 1+ or 2+)' },
    ]);
    expect(problems({ measures: [{ code: 'effusion_grade', value: '1+' }] })).toEqual([{ path: 'measures[0].side', message: 'effusion_grade needs a side: left or right' }]);
    // Other measures stay numbers.
    expect(problems({ measures: [{ code: 'knee_flexion', side: 'left', value: '98' }] })).toEqual([{ path: 'measures[0].value', message: 'expected number, got "98"' }]);
  });

  it('a CSV measures cell is read the same way', () => {
    expect(stored(rowToInput({ date: '2026-11-20', measures: 'effusion_grade.right=2+;knee_flexion.right=95' }))).toEqual([
      { code: 'effusion_grade', side: 'right', value: 3 },
      { code: 'knee_flexion', side: 'right', value: 95 },
    ]);
    expect(() => rowToInput({ date: '2026-11-20', measures: 'effusion_grade.right=2' })).toThrow(RowProblem);
    expect(() => rowToInput({ date: '2026-11-20', measures: 'effusion_grade.right=2' })).toThrow('give the grade as none, trace, 1+, 2+ or 3+');
  });
});

describe('every problem of an entry at once', () => {
  it('a bad field does not hide the checks across fields: RPE out of its scale is named beside a bad BP', () => {
    const found = problems({ date: '2026-11-14', painBefore: 12, bp: '126-80', rpe: 25 }).map((p) => p.path);
    expect(found).toEqual(expect.arrayContaining(['painBefore', 'bp', 'rpe']));
    // A missed session with pain is refused even when another field is bad too.
    expect(problems({ date: '2026-11-14', attended: false, missedReason: 'ill', painBefore: 3, bp: 'high' }).map((p) => p.path)).toEqual(expect.arrayContaining(['bp', 'painBefore']));
  });
});
