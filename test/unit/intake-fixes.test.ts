import { describe, expect, it } from 'vitest';
import { conditionEarliestStart, conditionStart } from '../../src/domain/conditions.js';
import { dayMonthOrYearProblem, firstDayOf, isPartialDate, lastDayOf } from '../../src/domain/dates.js';
import { checkIntakeAnswers, followEntries, type IntakeAnswers } from '../../src/domain/intake.js';
import { guessMedicationClass } from '../../src/domain/medications.js';
import { conditionPages, openedFollowUps } from '../../src/domain/parq.js';
import { checkProgressInput } from '../../src/domain/progress-input.js';
import { checkSetting, glucoseUnitOf, resolveSettings } from '../../src/domain/settings.js';
import { startingStage } from '../../src/domain/stage.js';
import { parseGlucose, withGlucoseUnit } from '../../src/domain/vitals.js';

const TODAY = '2026-12-02';
const allNo = { q1: false, q2: false, q3: false, q4: false, q5: false, q6: false, q7: false };

describe('guessMedicationClass: the class a drug name points to (FACTS §3, §5)', () => {
  it('reads generic and brand names, in any case, with doses and suffixes around them', () => {
    expect(guessMedicationClass('Metoprolol succinate 47.5 mg')).toBe('beta_blocker');
    expect(guessMedicationClass('bisoprolol')).toBe('beta_blocker');
    expect(guessMedicationClass('Toprol-XL')).toBe('beta_blocker');
    expect(guessMedicationClass('insulin glargine (Lantus) 20 units')).toBe('insulin_or_sulfonylurea');
    expect(guessMedicationClass('NovoRapid')).toBe('insulin_or_sulfonylurea');
    expect(guessMedicationClass('gliclazide 80mg')).toBe('insulin_or_sulfonylurea');
    expect(guessMedicationClass('Glimepiride')).toBe('insulin_or_sulfonylurea');
    expect(guessMedicationClass('diltiazem')).toBe('rate_limiting');
    expect(guessMedicationClass('ivabradine')).toBe('rate_limiting');
    expect(guessMedicationClass('apixaban')).toBe('anticoagulant');
    expect(guessMedicationClass('prednisolone 5 mg')).toBe('corticosteroid');
  });

  it('does not take a dihydropyridine or an antiplatelet for a rate-limiting drug or an anticoagulant', () => {
    expect(guessMedicationClass('amlodipine')).toBe('other');
    expect(guessMedicationClass('clopidogrel')).toBe('other');
    expect(guessMedicationClass('metformin')).toBe('other');
  });

  it('guesses nothing for an unknown name, or for names of two classes on one line', () => {
    expect(guessMedicationClass('Humira')).toBeUndefined();
    expect(guessMedicationClass('')).toBeUndefined();
    expect(guessMedicationClass('bisoprolol and warfarin')).toBeUndefined();
    // A word inside another is not a match.
    expect(guessMedicationClass('insulinoma')).toBeUndefined();
  });
});

describe('PAR-Q+ answers follow what was entered (FACTS §2)', () => {
  const base = (over: Partial<IntakeAnswers>): IntakeAnswers => ({ date: TODAY, physicallyActive: false, conditions: [], medications: [], parq: { ...allNo, followUps: {}, temporaryIllness: false, healthChanged: false }, symptoms: [], desiredIntensity: 'moderate', vitals: {}, ...over });

  it('knows the page each recorded condition belongs to, and page 10 for two or more', () => {
    expect([...conditionPages(['knee_oa'])]).toEqual(['arthritis']);
    expect([...conditionPages(['type2_diabetes', 'hypertension'])].sort()).toEqual(['blood_pressure', 'metabolic', 'other']);
    expect([...conditionPages(['knee_tka'])]).toEqual([]);
    expect(openedFollowUps(allNo, ['type2_diabetes'])).toEqual(['metabolic']);
  });

  it('adds hypertension for a YES to high blood pressure, and says so', () => {
    const a = base({ parq: { ...allNo, q1: true, followUps: { heart: { has: false }, blood_pressure: { has: true, a: false, b: false } }, temporaryIllness: false, healthChanged: false } });
    const { answers, notes } = followEntries(a);
    expect(answers.conditions).toEqual([{ code: 'hypertension' }]);
    expect(notes).toEqual(['added the condition high blood pressure (hypertension), with its precautions: follow-up page 4 answers YES to high blood pressure']);
    // Already recorded: nothing added, nothing said.
    const recorded = followEntries({ ...a, conditions: [{ code: 'hypertension' }] });
    expect(recorded.answers.conditions).toEqual([{ code: 'hypertension' }]);
    expect(recorded.notes).toEqual([]);
  });

  it('notes, without changing them, medications with Q5 at NO and a condition whose page says NO', () => {
    const a = base({ medications: [{ name: 'metformin', class: 'other' }], conditions: [{ code: 'type2_diabetes' }], parq: { ...allNo, followUps: { metabolic: { has: false } }, temporaryIllness: false, healthChanged: false } });
    const { answers, notes } = followEntries(a);
    expect(answers).toBe(a);
    expect(notes).toEqual([
      'Q5 (prescribed medication for a chronic condition) is NO, but a medication is recorded (metformin): check the answer',
      'follow-up page 5 (metabolic) answers NO, but type 2 diabetes is recorded: check the answer',
    ]);
    expect(followEntries(base({})).notes).toEqual([]);
  });
});

describe('a diagnosis date known to the year or the month', () => {
  it('reads 2009 and 2009-05 as periods, first and last day', () => {
    expect(isPartialDate('2009')).toBe(true);
    expect(isPartialDate('2009-05')).toBe(true);
    expect(isPartialDate('2009-13')).toBe(false);
    expect(firstDayOf('2009')).toBe('2009-01-01');
    expect(lastDayOf('2009')).toBe('2009-12-31');
    expect(firstDayOf('2024-02')).toBe('2024-02-01');
    expect(lastDayOf('2024-02')).toBe('2024-02-29');
    expect(lastDayOf('2026-09-14')).toBe('2026-09-14');
    expect(dayMonthOrYearProblem('2009-13')).toBe('2009-13 is not a month: there is no month 13 (months are 01–12)');
    expect(dayMonthOrYearProblem('May 2009')).toBe('expected a date as YYYY-MM-DD, YYYY-MM or YYYY, got "May 2009"');
    expect(dayMonthOrYearProblem('2009', true)).toMatch(/a year alone is not enough here/);
  });

  it('counts a surgery known to the month from its last day, and a window that opens from its first', () => {
    expect(conditionStart({ code: 'knee_tka', date: '2026-09' })).toBe('2026-09-30');
    expect(conditionEarliestStart({ code: 'knee_tka', date: '2026-09' })).toBe('2026-09-01');
    expect(conditionStart({ code: 'type2_diabetes', date: '2009' })).toBe('2009-12-31');
    expect(conditionStart({ code: 'knee_tka', date: '2026-09-14' })).toBe('2026-09-14');
  });

  it('takes a month or a year in the answers, stored as given; refuses a year alone for a surgery, a month for a pregnancy, and a period all in the future', () => {
    const check = (conditions: unknown[]) => checkIntakeAnswers({ physicallyActive: false, conditions, parq: { ...allNo, followUps: { metabolic: { has: false }, arthritis: { has: false }, other: { has: false } } }, desiredIntensity: 'moderate' }, { today: TODAY, dateOfBirth: '1961-04-12' });
    const ok = check([{ code: 'type2_diabetes', date: '2009' }, { code: 'knee_oa', side: 'left', date: '2019-05' }]);
    expect(ok.ok && ok.answers.conditions.map((c) => c.date)).toEqual(['2009', '2019-05']);
    const bad = check([{ code: 'type2_diabetes', date: '2027' }, { code: 'knee_oa', side: 'left', date: '1960' }]);
    expect(bad.ok ? [] : bad.problems).toEqual([
      { path: 'conditions[0].date', message: '2027 is in the future' },
      { path: 'conditions[1].date', message: "1960 is before the client's date of birth (1961-04-12)" },
    ]);
    // The month of today is not in the future; the year of birth is not before birth.
    expect(check([{ code: 'type2_diabetes', date: '2026-12' }, { code: 'knee_oa', side: 'left', date: '1961' }]).ok).toBe(true);
    const surgery = checkIntakeAnswers({ physicallyActive: false, conditions: [{ code: 'knee_tka', side: 'left', date: '2026' }], parq: allNo, desiredIntensity: 'moderate' }, { today: TODAY, dateOfBirth: '1961-04-12' });
    expect(surgery.ok ? [] : surgery.problems).toEqual([{ path: 'conditions[0].date', message: 'a surgery date needs at least the month (YYYY-MM): time after surgery counts from it, got "2026"' }]);
  });

  it('starts a program by the time since a month-only surgery counted from the month’s last day (a stage from week 6 waits)', () => {
    const stages = [{ number: 1, name: 'early' }, { number: 2, name: 'later', afterSurgery: { fromWeek: 6, source: 'test' } }];
    const fits = ['knee_tka'];
    // Surgery some day in October 2026: on 2026-11-20 it may be 7 weeks ago (1 Oct) or 3 (31 Oct): stage 1.
    expect(startingStage(stages as never, fits, [{ code: 'knee_tka', date: '2026-10' }], '2026-11-20')).toMatchObject({ ok: true, stage: 1 });
    // The same, dated to the day 1 October: stage 2.
    expect(startingStage(stages as never, fits, [{ code: 'knee_tka', date: '2026-10-01' }], '2026-11-20')).toMatchObject({ ok: true, stage: 2 });
  });
});

describe('glucose typed without a unit (units.glucose; FACTS §3)', () => {
  it('is refused with one line when no setting decides, read in the unit when one does', () => {
    expect(() => parseGlucose('6.2')).toThrow(/^glucose needs its unit, like 5\.4mmol\/L or 97mg\/dL: a number alone could be either/);
    expect(parseGlucose('6.2', 'glucose', 'mmol/L')).toEqual({ value: 6.2, unit: 'mmol/L' });
    expect(parseGlucose('112', 'glucose', 'mg/dL')).toEqual({ value: 112, unit: 'mg/dL' });
    // A typed unit wins over the setting.
    expect(parseGlucose('112 mg/dL', 'glucose', 'mmol/L')).toEqual({ value: 112, unit: 'mg/dL' });
    expect(() => parseGlucose('112', 'glucose', 'mmol/L')).toThrow('glucose must be 0.5–50 mmol/L, got 112 (a number alone is read in mmol/L, the units.glucose setting; if it is in mg/dL, give the unit: 112mg/dL)');
    expect(withGlucoseUnit('6,2', 'mmol/L')).toBe('6,2 mmol/L');
    expect(withGlucoseUnit('6.2', undefined)).toBe('6.2');
    expect(withGlucoseUnit('6.2 mg/dL', 'mmol/L')).toBe('6.2 mg/dL');
  });

  it('is a setting: mmol/L, mg/dL or none (the default)', () => {
    expect(glucoseUnitOf(resolveSettings({}))).toBeUndefined();
    expect(glucoseUnitOf(resolveSettings({ 'units.glucose': 'mg/dl' }))).toBe('mg/dL');
    expect(checkSetting('units.glucose', 'mmol/L')).toBe('mmol/L');
    expect(() => checkSetting('units.glucose', 'mmol')).toThrow('units.glucose must be one of mmol/L, mg/dL, none, got "mmol"');
  });

  it('reaches the progress and intake checks', () => {
    const p = checkProgressInput({ glucose: '6.2' }, { today: TODAY, dateOfBirth: '1961-04-12', glucoseUnit: 'mmol/L' });
    expect(p.ok && p.entry.vitals.glucose).toEqual({ value: 6.2, unit: 'mmol/L' });
    const refused = checkProgressInput({ glucose: '6.2' }, { today: TODAY, dateOfBirth: '1961-04-12' });
    expect(refused.ok ? [] : refused.problems.map((x) => x.path)).toEqual(['glucose']);
    const i = checkIntakeAnswers({ physicallyActive: false, parq: allNo, desiredIntensity: 'moderate', vitals: { glucose: '140' } }, { today: TODAY, dateOfBirth: '1961-04-12', glucoseUnit: 'mg/dL' });
    expect(i.ok && i.answers.vitals.glucose).toEqual({ value: 140, unit: 'mg/dL' });
  });
});
