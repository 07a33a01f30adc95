import { describe, expect, it } from 'vitest';
import { sessionEntry, type CheckedEntry } from '../../src/app/record-session.js';
import type { ExerciseDone } from '../../src/domain/progress-types.js';

describe('sessionEntry: the entry a session is decided and stored as', () => {
  // Required<>: a field added to progress entries fails to compile here until it is
  // given a value, so the field-by-field copy cannot silently drop it.
  const full: Required<CheckedEntry> = {
    date: '2026-03-02',
    attended: true,
    missedReason: 'travel',
    durationMin: 45,
    painBefore: 1,
    painDuring: 3,
    painAfter: 2,
    nextDayPain: 2,
    rpe: { value: 5, scale: 'cr10' },
    vitals: { bp: { systolic: 128, diastolic: 82 }, restingHr: 64, glucose: { value: 7.2, unit: 'mmol/L' }, ketones: false, weakOrTired: false, severeHypoLast24h: false, unwell: false },
    soreness: 'warmup_gone',
    measures: [{ code: 'knee_flexion', side: 'left', value: 105 }],
    symptoms: ['ankle_oedema'],
    exercises: [{ exerciseId: 'sit_to_stand', sets: 3, reps: 10, completed: true }],
    notes: 'felt steady',
    stage: 2,
  };
  const planned: ExerciseDone[] = [{ exerciseId: 'heel_slides', sets: 2, completed: true }];

  it('carries every field of the checked input', () => {
    const e = sessionEntry(full, full.exercises, 2, 7, 3, '2026-03-02T10:00:00.000Z') as unknown as Record<string, unknown>;
    for (const [key, value] of Object.entries(full)) expect(e[key], key).toEqual(value);
    expect(e).toMatchObject({ id: 0, clientId: 7, programId: 3, recordedAt: '2026-03-02T10:00:00.000Z', decision: null });
  });

  it('takes the stage and exercises it is given over the input\'s; the input\'s stage when it is given none', () => {
    const e = sessionEntry(full, planned, 3, 7, 3, 'now');
    expect(e.stage).toBe(3);
    expect(e.exercises).toBe(planned);
    expect(sessionEntry(full, planned, undefined, 7, 3, 'now').stage).toBe(2);
  });

  it('takes the exercises and stage it is given, and adds no field the input left out', () => {
    const e = sessionEntry({ date: '2026-03-02', attended: true, vitals: {}, measures: [], symptoms: [] }, planned, undefined, 7, null, 'now');
    expect(e.exercises).toBe(planned);
    expect(Object.keys(e).sort()).toEqual(['attended', 'clientId', 'date', 'decision', 'exercises', 'id', 'measures', 'programId', 'recordedAt', 'symptoms', 'vitals']);
  });
});
