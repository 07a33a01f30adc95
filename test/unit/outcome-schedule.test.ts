/**
 * The template's outcome scores (issue 16): a baseline at the program's start,
 * then every N weeks, offered from DUE_WINDOW_DAYS before the due day.
 * LEFS every 4 weeks as the TKA template schedules it (Binkley 1999, MCID 9).
 */
import { describe, expect, it } from 'vitest';
import { DUE_WINDOW_DAYS, describeDue, outcomesDue, type OutcomeSchedule } from '../../src/domain/outcome-schedule.js';
import { programTemplateSchema } from '../../src/domain/template-schema.js';

const lefs: OutcomeSchedule = { measure: 'lefs', everyWeeks: 4, source: 'Binkley et al. 1999' };
const start = '2026-11-02';

describe('outcomesDue', () => {
  it('the baseline is due from the program start when no reading exists', () => {
    const [d] = outcomesDue([lefs], [], start, start);
    expect(d).toMatchObject({ measure: 'lefs', label: 'LEFS', last: null, dueOn: start, due: true });
    expect(describeDue(d!)).toBe('LEFS (every 4 weeks; baseline)');
  });

  it('a reading makes the next due 4 weeks on; offered from 3 days before, and still due after', () => {
    const readings = [{ code: 'lefs', date: start, value: 40 }];
    expect(DUE_WINDOW_DAYS).toBe(3);
    expect(outcomesDue([lefs], readings, start, '2026-11-26')[0]).toMatchObject({ dueOn: '2026-11-30', due: false }); // 4 days before
    expect(outcomesDue([lefs], readings, start, '2026-11-27')[0]).toMatchObject({ dueOn: '2026-11-30', due: true }); // 3 days before
    expect(outcomesDue([lefs], readings, start, '2026-12-20')[0]).toMatchObject({ due: true, last: { date: start, value: 40 } });
    expect(describeDue(outcomesDue([lefs], readings, start, '2026-12-20')[0]!)).toBe('LEFS (every 4 weeks; last 40 on 2026-11-02)');
  });

  it('the latest reading counts, one taken at intake before the start among them; later days and other codes do not', () => {
    const readings = [
      { code: 'lefs', date: '2026-10-28', value: 31 },
      { code: 'odi', date: '2026-11-20', value: 30 },
      { code: 'lefs', date: '2026-12-30', value: 55 }, // after the day asked about
    ];
    const [d] = outcomesDue([lefs], readings, start, '2026-11-10');
    expect(d).toMatchObject({ last: { date: '2026-10-28', value: 31 }, dueOn: '2026-11-25', due: false });
  });

  it('a template may name only unsided scores, 1–26 weeks apart, each with its source', () => {
    const template = (outcomes: unknown) => ({
      id: 't', kind: 'program', name: 'T', version: '1.0.0', description: 'd', sources: ['s'], fits: [], outcomes,
      stages: [1, 2].map((n) => ({ name: `S${n}`, goals: ['g'], weeks: [1, 2], sessionsPerWeek: 2, exercises: [{ exercise: 'walking', dose: { sets: 1, minutes: 10, rpe: [2, 3], restSeconds: 0 } }], exitCriteria: [{ measure: 'signoff', by: 'trainer' }] })),
    });
    expect(programTemplateSchema.safeParse(template([lefs])).success).toBe(true);
    const bad = programTemplateSchema.safeParse(template([{ measure: 'single_leg_stance_s', everyWeeks: 0, source: '' }]));
    expect(bad.success).toBe(false);
    expect(bad.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['outcomes.0.everyWeeks', 'outcomes.0.measure', 'outcomes.0.source']);
  });
});
