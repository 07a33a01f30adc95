import { describe, expect, it } from 'vitest';
import { applyEdit, changedFields, describeValue, entryAsInput, wasHeld } from '../../src/domain/entry-edit.js';
import { checkProgressInput } from '../../src/domain/progress-input.js';
import type { ProgressEntry } from '../../src/domain/progress-types.js';

const ctx = { today: '2026-12-02', dateOfBirth: '1961-04-12' };

const stored: ProgressEntry = {
  id: 7,
  clientId: 1,
  date: '2026-11-20',
  attended: true,
  durationMin: 45,
  painBefore: 2,
  painDuring: 3,
  painAfter: 3,
  nextDayPain: 2,
  rpe: { value: 5, scale: 'cr10' },
  vitals: { bp: { systolic: 138, diastolic: 86 }, restingHr: 70, glucose: { value: 16.1, unit: 'mmol/L' }, ketones: false },
  soreness: 'warmup_gone',
  measures: [
    { code: 'knee_flexion', side: 'right', value: 98 },
    { code: 'effusion_grade', side: 'right', value: 1 },
    { code: 'lefs', value: 41 },
  ],
  symptoms: [],
  exercises: [{ exerciseId: 'sit_to_stand', sets: 3, reps: 10, completed: true }],
  notes: 'good day',
  stage: 2,
};

const checked = (raw: Record<string, unknown>) => {
  const c = checkProgressInput(raw, ctx);
  if (!c.ok) throw new Error(JSON.stringify(c.problems));
  return c.entry;
};

describe('an entry back as input (progress amend)', () => {
  it('reads back to the same entry through the schema a new entry passes, effusion by its grade name', () => {
    const raw = entryAsInput(stored, { today: 'go' });
    expect(raw.measures).toContainEqual({ code: 'effusion_grade', side: 'right', value: 'trace' });
    const again = checked(raw);
    expect(changedFields(stored, { ...stored, ...again, exercises: again.exercises ?? [] })).toEqual([]);
  });

  it('a held session goes back to attended, without the held reason or exercises, to be decided again', () => {
    const held: ProgressEntry = { ...stored, attended: false, missedReason: 'held: Resting blood pressure 182/96', exercises: [] };
    expect(wasHeld(held, { today: 'hold' })).toBe(true);
    expect(wasHeld({ ...held, missedReason: 'flu' }, { today: 'go' })).toBe(false);
    const raw = entryAsInput(held, { today: 'hold' });
    expect(raw.attended).toBe(true);
    expect(raw).not.toHaveProperty('missedReason');
    expect(raw).not.toHaveProperty('exercises');
  });

  it('reads the pre-session answers of an entry stored before schema 9 from the checks they raised (FACTS §3)', () => {
    const old: ProgressEntry = { ...stored, vitals: { glucose: { value: 16.1, unit: 'mmol/L' }, ketones: false } };
    const decision = {
      today: 'hold',
      checks: [
        { code: 'unwell', text: 'The client feels unwell today: no session' },
        { code: 'glucose_high', text: 'Glucose 16.1 mmol/L is above 15.0 mmol/L with weakness or tiredness: do not start' },
      ],
    };
    const raw = entryAsInput(old, decision);
    expect(raw).toMatchObject({ unwell: true, weakOrTired: true });
    expect(raw).not.toHaveProperty('severeHypoLast24h');
  });
});

describe('applyEdit', () => {
  const base = () => entryAsInput(stored, { today: 'go' });

  it('a field given replaces the stored one; the others stay', () => {
    const next = checked(applyEdit(base(), { set: { painDuring: 6, bp: '150/95' }, clear: [] }));
    expect(next).toMatchObject({ painDuring: 6, painBefore: 2, vitals: { bp: { systolic: 150, diastolic: 95 }, restingHr: 70 }, notes: 'good day' });
  });

  it('a measure replaces the one with its code and side; an exercise the one with its id', () => {
    const next = checked(
      applyEdit(base(), { set: { measures: [{ code: 'knee_flexion', side: 'right', value: 102 }], exercises: [{ exerciseId: 'sit_to_stand', sets: 2, reps: 8, completed: true }] }, clear: [] }),
    );
    expect(next.measures).toEqual(expect.arrayContaining([{ code: 'knee_flexion', side: 'right', value: 102 }, { code: 'lefs', value: 41 }, { code: 'effusion_grade', side: 'right', value: 1 }]));
    expect(next.measures).toHaveLength(3);
    expect(next.exercises).toEqual([{ exerciseId: 'sit_to_stand', sets: 2, reps: 8, completed: true }]);
  });

  it('clears by the flag name, a measure by code and side, and all scores or all other measures', () => {
    const next = checked(applyEdit(base(), { set: {}, clear: ['bp', 'pain-during', 'measure:knee_flexion.right', 'note'] }));
    expect(next.vitals.bp).toBeUndefined();
    expect(next.painDuring).toBeUndefined();
    expect(next.notes).toBeUndefined();
    expect(next.measures.map((m) => m.code)).toEqual(['effusion_grade', 'lefs']);
    expect(checked(applyEdit(base(), { set: {}, clear: ['score'] })).measures.map((m) => m.code)).toEqual(['knee_flexion', 'effusion_grade']);
    expect(checked(applyEdit(base(), { set: {}, clear: ['measure'] })).measures.map((m) => m.code)).toEqual(['lefs']);
    // Clearing glucose takes the ketones that go with it (a reading without its glucose is refused).
    expect(checked(applyEdit(base(), { set: {}, clear: ['glucose'] })).vitals).toEqual({ bp: { systolic: 138, diastolic: 86 }, restingHr: 70 });
  });

  it('marking a session missed takes off what a missed session cannot have; attended again takes off the reason', () => {
    const missed = checked(applyEdit(base(), { set: { missedReason: 'flu' }, clear: [] }));
    expect(missed).toMatchObject({ attended: false, missedReason: 'flu', measures: [] });
    expect(missed.painDuring).toBeUndefined();
    expect(missed.rpe).toBeUndefined();
    const back = checked(applyEdit(entryAsInput({ ...stored, attended: false, missedReason: 'flu', painBefore: undefined, painDuring: undefined, painAfter: undefined, nextDayPain: undefined, rpe: undefined, durationMin: undefined, measures: [] } as ProgressEntry, { today: 'go' }), { set: { attended: true, painDuring: 2 }, clear: [] }));
    expect(back).toMatchObject({ attended: true, painDuring: 2 });
    expect(back.missedReason).toBeUndefined();
  });

  it('an edit the schema refuses is refused as a new entry would be', () => {
    expect(checkProgressInput(applyEdit(base(), { set: { painDuring: 12 }, clear: [] }), ctx).ok).toBe(false);
    expect(checkProgressInput(applyEdit(base(), { set: { date: '2027-01-01' }, clear: [] }), ctx).ok).toBe(false);
  });
});

describe('changedFields', () => {
  it('names each changed field with old and new, vitals by reading, and ignores key order', () => {
    const next: ProgressEntry = { ...stored, painDuring: 6, vitals: { ...stored.vitals, bp: { diastolic: 95, systolic: 150 } }, measures: stored.measures.map((m) => ({ value: m.value, code: m.code, ...(m.side ? { side: m.side } : {}) })) };
    expect(changedFields(stored, next)).toEqual([
      { field: 'painDuring', old: 3, now: 6 },
      { field: 'vitals.bp', old: { systolic: 138, diastolic: 86 }, now: { diastolic: 95, systolic: 150 } },
    ]);
  });

  it('describes values as a trainer reads them', () => {
    expect(describeValue('vitals.bp', { systolic: 150, diastolic: 95 })).toBe('150/95');
    expect(describeValue('rpe', { value: 14, scale: 'borg' })).toBe('14/20');
    expect(describeValue('measures', stored.measures)).toBe('knee_flexion.right=98 effusion_grade.right=trace lefs=41');
    expect(describeValue('exercises', [{ exerciseId: 'leg_press', sets: 3, reps: 12, loadKg: 40, completed: true }, { exerciseId: 'walking', sets: 1, seconds: 1200, completed: true }, { exerciseId: 'lunge', completed: false }])).toBe(
      'leg_press=3x12@40kg walking=20min lunge=skipped',
    );
    expect(describeValue('painDuring', null)).toBe('-');
  });
});
