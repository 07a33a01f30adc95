import { describe, expect, it } from 'vitest';
import { evaluateCriteria, type CriteriaContext } from '../../src/domain/criteria.js';
import type { ProgressEntry, RecordedMeasure } from '../../src/domain/progress-types.js';
import type { ExitCriterion } from '../../src/domain/template-schema.js';

const TODAY = '2026-04-14';
let nextId = 1;
function entry(date: string, over: Partial<ProgressEntry> = {}): ProgressEntry {
  return { id: nextId++, clientId: 1, date, attended: true, vitals: {}, measures: [], symptoms: [], exercises: [], ...over };
}
const flexion = (value: number, side: 'left' | 'right' = 'left'): RecordedMeasure => ({ code: 'knee_flexion', side, value });
const ctx = (over: Partial<CriteriaContext> = {}): CriteriaContext => ({ affectedSide: 'left', today: TODAY, signoffs: [], ...over });
const one = (c: ExitCriterion, entries: ProgressEntry[], context = ctx()) => evaluateCriteria([c], entries, context)[0]!;

describe('exit criteria: on the last N visits', () => {
  const c: ExitCriterion = { measure: 'knee_flexion', side: 'left', op: '>=', value: 110, visits: 2 };

  it('needs every one of the last N values to hold', () => {
    const a = entry('2026-04-01', { measures: [flexion(100)] });
    const b = entry('2026-04-03', { measures: [flexion(105)] });
    const d = entry('2026-04-06', { measures: [flexion(112)] });
    const notMet = one(c, [a, b, d]);
    expect(notMet.met).toBe(false);
    expect(notMet.detail).toBe('knee flexion (left) 105°, 112° on the last 2 visits that measured it ≥ 110°: not met (105°)');
    expect(notMet.evidence).toEqual([d.id]);

    const e = entry('2026-04-08', { measures: [flexion(115)] });
    const met = one(c, [a, b, d, e]);
    expect(met.met).toBe(true);
    expect(met.evidence).toEqual([d.id, e.id]);
    expect(met.detail).toBe('knee flexion (left) 112°, 115° on the last 2 visits that measured it ≥ 110°: met');
  });

  it('is not met with fewer values than visits, and skips entries without the measure', () => {
    const d = entry('2026-04-06', { measures: [flexion(120)] });
    const r = one(c, [entry('2026-04-05'), d, entry('2026-04-08', { painDuring: 2 })]);
    expect(r.met).toBe(false);
    expect(r.detail).toContain('on 1 of the 2 visits needed');
    const r2 = one(c, [entry('2026-04-04', { measures: [flexion(111)] }), d, entry('2026-04-08', { painDuring: 2 })]);
    expect(r2.met).toBe(true);
  });

  it('reads pain fields from the entry itself', () => {
    const pain: ExitCriterion = { measure: 'pain_during', op: '<=', value: 3, visits: 3 };
    const es = [entry('2026-04-01', { painDuring: 3 }), entry('2026-04-03', { painDuring: 2 }), entry('2026-04-06', { painDuring: 0 })];
    expect(one(pain, es).met).toBe(true);
    expect(one(pain, [...es.slice(0, 2), entry('2026-04-06', { painDuring: 4 })]).met).toBe(false);
    expect(one({ measure: 'next_morning_pain', op: '<=', value: 2 }, [entry('2026-04-06', { nextDayPain: 2 })]).met).toBe(true);
    expect(one({ measure: 'pain_after', op: '<', value: 2 }, [entry('2026-04-06', { painAfter: 2 })]).met).toBe(false);
  });
});

describe('exit criteria: sides', () => {
  const affected: ExitCriterion = { measure: 'knee_flexion', side: 'affected', op: '>=', value: 90 };
  const es = [entry('2026-04-06', { measures: [flexion(85, 'left'), flexion(130, 'right')] })];

  it("reads 'affected' as the client's affected side", () => {
    expect(one(affected, es, ctx({ affectedSide: 'left' })).met).toBe(false);
    expect(one(affected, es, ctx({ affectedSide: 'right' })).met).toBe(true);
    expect(one(affected, es, ctx({ affectedSide: 'right' })).detail).toContain('(affected, right) 130°');
  });

  it('is not met when the affected side is unknown', () => {
    const r = one(affected, es, ctx({ affectedSide: undefined }));
    expect(r.met).toBe(false);
    expect(r.detail).toMatch(/affected side is not recorded/);
  });

  it('reads left and right literally, and needs every side when none is named', () => {
    expect(one({ ...affected, side: 'right' }, es, ctx({ affectedSide: 'left' })).met).toBe(true);
    expect(one({ measure: 'knee_flexion', op: '>=', value: 90 }, es).met).toBe(false);
    expect(one({ measure: 'knee_flexion', op: '>=', value: 80 }, es).met).toBe(true);
  });

  it('ignores the side of an unsided measure', () => {
    const lefs: ExitCriterion = { measure: 'lefs', side: 'affected', op: '>=', value: 50 };
    expect(one(lefs, [entry('2026-04-06', { measures: [{ code: 'lefs', value: 55 }] })], ctx({ affectedSide: undefined })).met).toBe(true);
  });

  it('shows effusion as a grade', () => {
    const c: ExitCriterion = { measure: 'effusion_grade', side: 'affected', op: '<=', value: 1 };
    const r = one(c, [entry('2026-04-06', { measures: [{ code: 'effusion_grade', side: 'left', value: 2 }] })]);
    expect(r.met).toBe(false);
    expect(r.detail).toContain('1+');
    expect(r.detail).toContain('≤ trace');
  });
});

describe('exit criteria: over the last N days', () => {
  const c: ExitCriterion = { measure: 'pain_after', op: '<=', value: 2, days: 7 };
  // Window 2026-04-08 to 2026-04-14; its second half starts 2026-04-11.

  it('is met when every value in the window holds and values cover both halves', () => {
    const old = entry('2026-04-01', { painAfter: 6 });
    const es = [old, entry('2026-04-09', { painAfter: 2 }), entry('2026-04-13', { painAfter: 1 })];
    const r = one(c, es);
    expect(r.met).toBe(true);
    expect(r.evidence).not.toContain(old.id);
    expect(r.detail).toContain('2026-04-08 to 2026-04-14');
  });

  it('is not met when one value in the window fails', () => {
    const r = one(c, [entry('2026-04-09', { painAfter: 2 }), entry('2026-04-11', { painAfter: 3 }), entry('2026-04-13', { painAfter: 1 })]);
    expect(r.met).toBe(false);
    expect(r.detail).toContain('not met (3/10)');
  });

  it('is not met when values cover only one half of the window', () => {
    const late = one(c, [entry('2026-04-12', { painAfter: 1 }), entry('2026-04-14', { painAfter: 1 })]);
    expect(late.met).toBe(false);
    expect(late.detail).toContain('nothing recorded before 2026-04-11');
    const early = one(c, [entry('2026-04-08', { painAfter: 1 }), entry('2026-04-10', { painAfter: 1 })]);
    expect(early.met).toBe(false);
    expect(early.detail).toContain('nothing recorded from 2026-04-11');
  });

  it('is not met with nothing in the window, and ignores entries after today', () => {
    expect(one(c, [entry('2026-04-01', { painAfter: 0 })]).detail).toMatch(/^no pain after exercise recorded over the last 7 days/);
    expect(one(c, [entry('2026-04-09', { painAfter: 1 }), entry('2026-04-12', { painAfter: 1 }), entry('2026-04-15', { painAfter: 9 })]).met).toBe(true);
  });
});

describe('exit criteria: the latest value', () => {
  const c: ExitCriterion = { measure: 'lefs', op: '>=', value: 50 };

  it('judges only the latest value', () => {
    const first = entry('2026-04-01', { measures: [{ code: 'lefs', value: 55 }] });
    const last = entry('2026-04-10', { measures: [{ code: 'lefs', value: 48 }] });
    const r = one(c, [first, last]);
    expect(r.met).toBe(false);
    expect(r.detail).toBe('LEFS 48/80 on 2026-04-10 (latest) ≥ 50/80: not met');
    const r2 = one(c, [last, entry('2026-04-12', { measures: [{ code: 'lefs', value: 50 }] })]);
    expect(r2.met).toBe(true);
  });

  it('orders entries by date', () => {
    const later = entry('2026-04-10', { measures: [{ code: 'lefs', value: 60 }] });
    expect(one(c, [later, entry('2026-04-01', { measures: [{ code: 'lefs', value: 40 }] })]).met).toBe(true);
  });

  it('says what is missing when nothing was recorded', () => {
    const r = one({ measure: 'knee_flexion', side: 'affected', op: '>=', value: 110, visits: 2 }, [entry('2026-04-01', { painDuring: 2 })]);
    expect(r).toMatchObject({ met: false, evidence: [], detail: 'no knee flexion (affected, left) recorded yet' });
    expect(one(c, []).detail).toBe('no LEFS recorded yet');
  });

  it('compares with >, < and ==', () => {
    const es = [entry('2026-04-10', { measures: [{ code: 'quad_index', value: 80 }] })];
    expect(one({ measure: 'quad_index', op: '>', value: 80 }, es).met).toBe(false);
    expect(one({ measure: 'quad_index', op: '==', value: 80 }, es).met).toBe(true);
    expect(one({ measure: 'quad_index', op: '<', value: 81 }, es).met).toBe(true);
  });
});

describe('exit criteria: sessions attended and sign-offs', () => {
  it('counts attended sessions only', () => {
    const c: ExitCriterion = { measure: 'sessions_attended', op: '>=', value: 3 };
    const es = [entry('2026-04-01'), entry('2026-04-03', { attended: false }), entry('2026-04-06')];
    const r = one(c, es);
    expect(r.met).toBe(false);
    expect(r.detail).toBe('2 sessions attended ≥ 3 sessions: not met');
    expect(one(c, [...es, entry('2026-04-08')]).met).toBe(true);
  });

  it("needs a sign-off by that role (the stage's own sign-offs are passed in)", () => {
    const c: ExitCriterion = { measure: 'signoff', by: 'clinician' };
    const es = [entry('2026-04-01'), entry('2026-04-06')];
    expect(one(c, es, ctx({ signoffs: [{ by: 'clinician', date: '2026-04-01' }] }))).toMatchObject({ met: true, detail: 'clinician sign-off on 2026-04-01: met' });
    const byTrainer = one(c, es, ctx({ signoffs: [{ by: 'trainer', date: '2026-04-10' }] }));
    expect(byTrainer.met).toBe(false);
    expect(byTrainer.detail).toBe('no clinician sign-off for this stage yet (program advance --sign-off clinician): not met');
    expect(one(c, [], ctx()).met).toBe(false);
  });

  it('reads both sides when the condition is on both', () => {
    const c: ExitCriterion = { measure: 'knee_flexion', side: 'affected', op: '>=', value: 100 };
    const both = (l: number, r: number) => [entry('2026-04-01', { measures: [{ code: 'knee_flexion', side: 'left', value: l }, { code: 'knee_flexion', side: 'right', value: r }] })];
    expect(one(c, both(105, 101), ctx({ affectedSide: 'both' })).met).toBe(true);
    expect(one(c, both(105, 95), ctx({ affectedSide: 'both' })).met).toBe(false);
  });

  it('returns one result per criterion, in order', () => {
    const cs: ExitCriterion[] = [{ measure: 'signoff', by: 'trainer' }, { measure: 'lefs', op: '>=', value: 1 }];
    expect(evaluateCriteria(cs, [], ctx()).map((r) => r.criterion)).toEqual(cs);
  });
});

describe('visits are days', () => {
  it('two entries on one day count as one visit', () => {
    const c: ExitCriterion = { measure: 'knee_flexion', side: 'left', op: '>=', value: 90, visits: 2 };
    const m = (v: number) => ({ measures: [{ code: 'knee_flexion' as const, side: 'left' as const, value: v }] });
    expect(evaluateCriteria([c], [entry('2026-04-01', m(95)), entry('2026-04-01', m(98))], { today: '2026-04-02', signoffs: [] })[0]!.met).toBe(false);
    expect(evaluateCriteria([c], [entry('2026-04-01', m(95)), entry('2026-04-03', m(98))], { today: '2026-04-03', signoffs: [] })[0]!.met).toBe(true);
  });
});
