import { describe, expect, it } from 'vitest';
import { contextOn, decideSession, healthOn, stageOn, type ClientFacts, type DatedReferral, type IntakeFacts } from '../../src/domain/session.js';
import { resolveSettings } from '../../src/domain/settings.js';

const settings = resolveSettings({});

const referral = (id: number, code: string, raisedOn: string, resolvedOn: string | null = null): DatedReferral => ({
  id,
  raisedOn,
  code,
  reason: code,
  status: resolvedOn ? 'resolved' : 'open',
  resolvedOn,
});

/** An earlier session: its day and the advice stored with it. */
const session = (date: string, advice: string) => ({ date, decision: { advice: { advice, reasons: [] } } });

const facts = (referrals: DatedReferral[], ...days: string[]): ClientFacts => ({
  intakes: [],
  settings,
  referrals,
  stageChanges: days.map((on, i) => ({ on, from: i + 1, to: i + 2 })),
  stageChangeDays: days,
});

describe('the session rules see the client as it stood on the session day', () => {
  const referrals = [
    referral(1, 'chest_pain', '2026-11-03', '2026-11-09'), // open from the 3rd to the 9th
    referral(2, 'effusion_2plus', '2026-11-12'), // open since the 12th
    referral(3, 'next_day_pain_rise', '2026-10-20', '2026-11-05'),
  ];

  it('today: every open referral, the last flare resolution, the latest progression', () => {
    const before = [session('2026-11-01', 'progress'), session('2026-11-08', 'progress'), session('2026-11-10', 'repeat')];
    const ctx = contextOn(facts(referrals, '2026-11-06'), before, '2026-11-26');
    expect(ctx.openReferrals?.map((r) => r.id)).toEqual([2]);
    expect(ctx.riseCountsFrom).toBe('2026-11-05');
    expect(ctx.lastProgressOn).toBe('2026-11-08');
  });

  it('a session dated earlier: referrals raised later or resolved by then do not count, one resolved later does', () => {
    expect(contextOn(facts(referrals), [], '2026-11-02').openReferrals?.map((r) => r.id)).toEqual([3]); // the flare referral, resolved on the 5th
    expect(contextOn(facts(referrals), [], '2026-10-19').openReferrals).toEqual([]);
    expect(contextOn(facts(referrals), [], '2026-11-05').openReferrals?.map((r) => r.id)).toEqual([1]);
    expect(contextOn(facts(referrals), [], '2026-11-09').openReferrals).toEqual([]); // resolved that day
    expect(contextOn(facts(referrals), [], '2026-11-12').openReferrals?.map((r) => r.id)).toEqual([2]);
    expect(contextOn(facts(referrals), [], '2026-11-04').riseCountsFrom).toBeUndefined();
    expect(contextOn(facts(referrals), [], '2026-11-05').riseCountsFrom).toBe('2026-11-05');
  });

  it('the last progression is the one on or before the day: from the sessions given, or the stage change', () => {
    const before = [session('2026-11-01', 'progress'), session('2026-11-03', 'repeat')];
    expect(contextOn(facts([], '2026-11-06'), before, '2026-11-04').lastProgressOn).toBe('2026-11-01');
    expect(contextOn(facts([], '2026-11-06'), before, '2026-11-07').lastProgressOn).toBe('2026-11-06');
    expect(contextOn(facts([]), [], '2026-11-07').lastProgressOn).toBeUndefined();
    // An earlier stage change counts for a session soon after it, not only the current stage's start.
    expect(contextOn(facts([], '2026-06-01', '2026-11-01'), [], '2026-06-03').lastProgressOn).toBe('2026-06-01');
    expect(contextOn(facts([], '2026-06-01', '2026-11-01'), [], '2026-05-30').lastProgressOn).toBeUndefined();
  });

  it('the stage in force on a day: the one the last change by then led to, before them the first one', () => {
    const two = facts([], '2026-06-01', '2026-11-01'); // 1 -> 2 on 1 June, 2 -> 3 on 1 November
    expect(stageOn(two, '2026-05-31', 3)).toBe(1);
    expect(stageOn(two, '2026-06-01', 3)).toBe(2);
    expect(stageOn(two, '2026-10-31', 3)).toBe(2);
    expect(stageOn(two, '2026-11-26', 3)).toBe(3);
    // A stage carried over from a replaced program, with no change of its own: before it, unknown, so the current one.
    expect(stageOn({ stageChanges: [{ on: '2026-11-01', to: 3 }] }, '2026-10-01', 3)).toBe(3);
    expect(stageOn({ stageChanges: [] }, '2026-10-01', 1)).toBe(1);
  });
});

describe('the conditions and medications on the session day', () => {
  const codes = (h: { conditions: readonly { code: string }[] }) => h.conditions.map((c) => c.code);
  const preOp: IntakeFacts = { on: '2026-01-05', conditions: [{ code: 'hypertension' }], medications: [] };
  // At the next intake: a knee replacement on 1 February, heart disease diagnosed on 20 February, a beta blocker.
  const postOp: IntakeFacts = {
    on: '2026-03-01',
    conditions: [{ code: 'hypertension' }, { code: 'knee_tka', side: 'left', date: '2026-02-01' }, { code: 'coronary_artery_disease', date: '2026-02-20' }],
    medications: [{ class: 'beta_blocker' }],
  };

  it('after the latest intake: that intake as it is', () => {
    expect(healthOn([preOp, postOp], '2026-11-26')).toEqual({ conditions: postOp.conditions, medications: postOp.medications });
    expect(healthOn([preOp, postOp], '2026-03-01').conditions).toBe(postOp.conditions);
  });

  it('between intakes: the earlier one, and what the later one dates on or before the day', () => {
    // Twelve days after the operation: the knee replacement (and its flexion red flags) applies, the heart disease not yet.
    expect(codes(healthOn([preOp, postOp], '2026-02-12'))).toEqual(['hypertension', 'knee_tka']);
    expect(codes(healthOn([preOp, postOp], '2026-02-25'))).toEqual(['hypertension', 'knee_tka', 'coronary_artery_disease']);
    // Before the operation, neither.
    expect(codes(healthOn([preOp, postOp], '2026-01-20'))).toEqual(['hypertension']);
  });

  it('keeps an undated condition and every medication of a later intake (their start is not known)', () => {
    const later: IntakeFacts = { on: '2026-03-01', conditions: [{ code: 'type2_diabetes' }], medications: [{ class: 'insulin_or_sulfonylurea' }] };
    const h = healthOn([preOp, later], '2026-02-12');
    expect(codes(h)).toEqual(['hypertension', 'type2_diabetes']);
    expect(h.medications).toEqual([{ class: 'insulin_or_sulfonylurea' }]);
  });

  it('before every intake: what they record that may have applied; with none, nothing', () => {
    expect(codes(healthOn([preOp, postOp], '2025-12-01'))).toEqual(['hypertension']);
    expect(healthOn([preOp, postOp], '2025-12-01').medications).toEqual([{ class: 'beta_blocker' }]);
    expect(healthOn([], '2026-02-15')).toEqual({ conditions: [], medications: [] });
  });

  it('a later intake on the same day replaces an earlier one', () => {
    const corrected: IntakeFacts = { ...preOp, conditions: [] };
    expect(codes(healthOn([preOp, corrected], '2026-01-05'))).toEqual([]);
    // Both after the session: heart disease entered by mistake and removed the same day is not merged.
    const mistaken: IntakeFacts = { on: '2026-03-01', conditions: [{ code: 'coronary_artery_disease' }], medications: [] };
    const fixed: IntakeFacts = { on: '2026-03-01', conditions: [], medications: [] };
    expect(codes(healthOn([preOp, mistaken, fixed], '2026-02-12'))).toEqual(['hypertension']);
    expect(codes(healthOn([preOp, fixed, mistaken], '2026-02-12'))).toEqual(['hypertension', 'coronary_artery_disease']);
  });

  it('keeps the date a later intake gives a knee replacement, so its flexion red flags are checked', () => {
    const undated: IntakeFacts = { on: '2026-01-05', conditions: [{ code: 'knee_tka', side: 'left' }], medications: [] };
    const dated: IntakeFacts = { on: '2026-03-01', conditions: [{ code: 'knee_tka', side: 'left', date: '2026-02-02' }], medications: [] };
    const tka = (h: ReturnType<typeof healthOn>) => h.conditions.filter((c) => c.code === 'knee_tka').map((c) => c.date);
    expect(tka(healthOn([undated, dated], '2026-02-12'))).toEqual([undefined, '2026-02-02']);
    // A date corrected later: both are checked (the cautious reading).
    const wrong: IntakeFacts = { ...undated, conditions: [{ code: 'knee_tka', side: 'left', date: '2026-01-20' }] };
    expect(tka(healthOn([wrong, dated], '2026-02-12'))).toEqual(['2026-01-20', '2026-02-02']);
    // The very same entry is not listed twice.
    expect(tka(healthOn([dated, { ...dated, on: '2026-03-05' }], '2026-03-02'))).toEqual(['2026-02-02']);
    // Flexion 70 degrees ten days after the operation: referred to the surgical team.
    const entry = { id: 0, clientId: 1, date: '2026-02-12', attended: true, vitals: {}, measures: [{ code: 'knee_flexion' as const, side: 'left' as const, value: 70 }], symptoms: [], exercises: [] };
    const ctx = contextOn({ ...facts([]), intakes: [undated, dated] }, [], entry.date);
    expect(decideSession(entry, [], ctx).flags.map((f) => f.code)).toContain('tka_flexion_below_80');
    const ctxUndated = contextOn({ ...facts([]), intakes: [undated] }, [], entry.date);
    expect(decideSession(entry, [], ctxUndated).flags.map((f) => f.code)).not.toContain('tka_flexion_below_80');
  });

  it('is what contextOn gives the rules', () => {
    const f = { ...facts([]), intakes: [preOp, postOp] };
    expect(codes(contextOn(f, [], '2026-02-12'))).toEqual(['hypertension', 'knee_tka']);
    expect(contextOn(f, [], '2026-02-12').medications).toEqual([{ class: 'beta_blocker' }]);
    expect(codes(contextOn(f, [], '2026-03-02'))).toEqual(['hypertension', 'knee_tka', 'coronary_artery_disease']);
  });
});

describe('progressed recently: any program\'s stage change counts', () => {
  it('an advance under a program since replaced holds progression for a week', () => {
    // The current program has no change of its own before the 20th; the replaced one advanced on the 10th.
    const f = { ...facts([]), stageChanges: [{ on: '2026-11-20', to: 2 }], stageChangeDays: ['2026-11-10', '2026-11-20'] };
    expect(contextOn(f, [], '2026-11-14').lastProgressOn).toBe('2026-11-10');
    expect(contextOn(f, [], '2026-11-09').lastProgressOn).toBeUndefined();
  });
});
