/**
 * The reloading week by week (issue 16): the heaviest load of each exercise
 * in each week of the program, counted from its start, as the clinician
 * report draws it.
 */
import { describe, expect, it } from 'vitest';
import { LOAD_WEEKS_SHOWN, loadsByWeek } from '../../src/domain/load-history.js';
import type { ExerciseDone } from '../../src/domain/progress-types.js';

const program = {
  startDate: '2026-10-01',
  stages: [
    { exercises: [{ exerciseId: 'leg_press', name: 'Leg press machine' }, { exerciseId: 'step_up', name: 'Step up' }] },
    { exercises: [{ exerciseId: 'leg_press', name: 'Leg press machine' }, { exerciseId: 'goblet_squat', name: 'Goblet squat' }] },
  ],
} as unknown as Parameters<typeof loadsByWeek>[0];
const lift = (exerciseId: string, loadKg?: number, completed = true): ExerciseDone => ({ exerciseId, sets: 3, reps: 10, ...(loadKg !== undefined ? { loadKg } : {}), completed });
const session = (date: string, ...exercises: ExerciseDone[]) => ({ date, attended: true, exercises });

describe('loads by week', () => {
  it('takes the heaviest load done each week from the program start, in the program order, a gap where none was recorded', () => {
    const r = loadsByWeek(
      program,
      [
        session('2026-10-01', lift('goblet_squat', 8), lift('leg_press', 30)),
        session('2026-10-03', lift('leg_press', 32.5)), // same week 1: the heavier counts
        session('2026-10-09', lift('leg_press', 35), lift('step_up')), // week 2; a body-weight step-up is not a load
        session('2026-10-20', lift('leg_press', 40, false)), // week 3: not completed, not counted
        session('2026-10-23', lift('leg_press', 37.5), lift('goblet_squat', 10)), // week 4
      ],
      '2026-09-01',
      '2026-10-24',
    )!;
    expect(r.weeks).toEqual([
      { number: 1, from: '2026-10-01' },
      { number: 2, from: '2026-10-08' },
      { number: 3, from: '2026-10-15' },
      { number: 4, from: '2026-10-22' },
    ]);
    expect(r.rows).toEqual([
      { exerciseId: 'leg_press', name: 'Leg press machine', kg: [32.5, 35, null, 37.5] },
      { exerciseId: 'goblet_squat', name: 'Goblet squat', kg: [8, null, null, 10] },
    ]);
  });

  it('shows the latest weeks only, and none before the period or after the day', () => {
    // One session a week from the start, 20 kg then 1 kg more each week (week 12 lifts 31 kg).
    const weekly = Array.from({ length: 12 }, (_, i) => session(new Date(Date.UTC(2026, 9, 1 + i * 7)).toISOString().slice(0, 10), lift('leg_press', 20 + i)));
    const r = loadsByWeek(program, weekly, '2026-09-01', '2026-12-20')!;
    expect(LOAD_WEEKS_SHOWN).toBe(8);
    expect(r.weeks.map((w) => w.number)).toEqual([5, 6, 7, 8, 9, 10, 11, 12]);
    expect(r.weeks[0]!.from).toBe('2026-10-29');
    expect(r.rows[0]!.kg).toEqual([24, 25, 26, 27, 28, 29, 30, 31]);
    // The period starts in week 6: weeks before it are not shown.
    const late = loadsByWeek(program, weekly, '2026-11-05', '2026-11-20')!;
    expect(late.weeks.map((w) => w.number)).toEqual([6, 7, 8]);
    expect(late.rows[0]!.kg).toEqual([25, 26, 27]);
    // An entry after the report's day is not known yet.
    expect(loadsByWeek(program, [session('2026-10-05', lift('leg_press', 50))], '2026-09-01', '2026-10-04')).toBeNull();
  });

  it('is null without a recorded load, before the program starts, and for missed sessions', () => {
    expect(loadsByWeek(program, [session('2026-10-02', lift('step_up'))], '2026-09-01', '2026-10-10')).toBeNull();
    expect(loadsByWeek(program, [], '2026-09-01', '2026-09-20')).toBeNull();
    expect(loadsByWeek(program, [{ date: '2026-10-02', attended: false, exercises: [lift('leg_press', 30)] }], '2026-09-01', '2026-10-10')).toBeNull();
  });

  it('names an exercise swapped in from outside the program by its id, after the program\'s own', () => {
    const r = loadsByWeek(program, [session('2026-10-02', lift('trap_bar_deadlift', 40), lift('leg_press', 30))], '2026-09-01', '2026-10-05')!;
    expect(r.rows.map((x) => x.name)).toEqual(['Leg press machine', 'trap bar deadlift']);
  });
});
