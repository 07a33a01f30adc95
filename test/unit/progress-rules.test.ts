import { describe, expect, it } from 'vitest';
import { PROGRESS_RULES_VERSION, redFlags, sessionAdvice } from '../../src/domain/progress-rules.js';
import type { ProgressEntry, RecordedMeasure } from '../../src/domain/progress-types.js';
import { SYMPTOMS, SYMPTOM_CODES } from '../../src/domain/symptoms.js';

let nextId = 1;
function entry(over: Partial<ProgressEntry> = {}): ProgressEntry {
  return { id: nextId++, clientId: 1, date: '2026-03-10', attended: true, vitals: {}, measures: [], symptoms: [], exercises: [], ...over };
}
const effusion = (value: number, side: 'left' | 'right' = 'left'): RecordedMeasure => ({ code: 'effusion_grade', side, value });
const codes = (a: { reasons: { code: string }[] }) => a.reasons.map((r) => r.code);

describe('session advice: the soreness table (Fees 1998)', () => {
  it('advances with no soreness', () => {
    const a = sessionAdvice(entry({ soreness: 'none' }), []);
    expect(a.advice).toBe('progress');
    expect(codes(a)).toContain('soreness_none');
    expect(a.reasons[0]!.source).toMatch(/Fees/);
  });

  it('stays at the same level when soreness in the warm-up goes by its end', () => {
    expect(sessionAdvice(entry({ soreness: 'warmup_gone' }), []).advice).toBe('repeat');
  });

  it('rests 2 days and drops a level when soreness continues past the warm-up', () => {
    const a = sessionAdvice(entry({ soreness: 'warmup_continuing' }), []);
    expect(a.advice).toBe('rest');
    expect(a.reasons[0]!.text).toMatch(/2 days off.*drop one level/);
  });

  it('rests 2 days and drops a level when soreness returns during the session', () => {
    const a = sessionAdvice(entry({ soreness: 'returned_during' }), []);
    expect(a.advice).toBe('rest');
    expect(a.reasons[0]!.text).toMatch(/2 days off.*drop one level/);
  });

  it('takes a day off without advancing when sore more than an hour after or the next day', () => {
    const a = sessionAdvice(entry({ soreness: 'after_next_day' }), []);
    expect(a.advice).toBe('repeat');
    expect(a.reasons[0]!.text).toMatch(/1 day off.*do not advance/);
  });
});

describe('session advice: the pain-monitoring model (Thomeé 1997; Silbernagel 2007)', () => {
  it('allows pain during and after up to 5/10, not above', () => {
    expect(sessionAdvice(entry({ painBefore: 2, painDuring: 5, painAfter: 5, nextDayPain: 2 }), []).advice).toBe('progress');
    const during = sessionAdvice(entry({ painBefore: 2, painDuring: 6, painAfter: 5, nextDayPain: 2 }), []);
    expect(during.advice).toBe('reduce');
    expect(codes(during)).toEqual(['pain_during_high']);
    const after = sessionAdvice(entry({ painBefore: 2, painDuring: 3, painAfter: 6, nextDayPain: 2 }), []);
    expect(after.advice).toBe('reduce');
    expect(codes(after)).toEqual(['pain_after_high']);
    expect(sessionAdvice(entry({ painDuring: 10 }), []).advice).toBe('reduce');
    expect(sessionAdvice(entry({ painDuring: 5.5 }), []).advice).toBe('reduce');
  });

  it('reduces when next-morning pain is worse than pain before, not when it is back to it', () => {
    const worse = sessionAdvice(entry({ painBefore: 2, painDuring: 3, nextDayPain: 3 }), []);
    expect(worse.advice).toBe('reduce');
    expect(worse.reasons[0]!.text).toContain('3/10 is worse than pain before the session (2/10)');
    expect(sessionAdvice(entry({ painBefore: 2, painDuring: 3, nextDayPain: 2 }), []).advice).toBe('progress');
    expect(sessionAdvice(entry({ painBefore: 2, painDuring: 3, nextDayPain: 0 }), []).advice).toBe('progress');
  });

  it('takes the last pain-before recorded as baseline when this session has none', () => {
    const earlier = entry({ date: '2026-03-08', painBefore: 1 });
    expect(sessionAdvice(entry({ nextDayPain: 2 }), [earlier]).advice).toBe('reduce');
    const noBaseline = sessionAdvice(entry({ nextDayPain: 2 }), []);
    expect(noBaseline.advice).toBe('repeat');
    expect(codes(noBaseline)).toEqual(['not_enough_data', 'pain_no_baseline']);
  });

  it('advises progress pending the next-morning pain when only pain during and after are known', () => {
    const a = sessionAdvice(entry({ painDuring: 3, painAfter: 2 }), []);
    expect(a.advice).toBe('progress');
    expect(codes(a)).toEqual(['pain_within_limits', 'next_day_pending']);
  });
});

describe('session advice: knee effusion (Sturgill 2009)', () => {
  it('proceeds at trace and at a first 1+', () => {
    expect(sessionAdvice(entry({ measures: [effusion(1)] }), []).advice).toBe('progress');
    expect(sessionAdvice(entry({ measures: [effusion(2)] }), [entry({ date: '2026-03-08', measures: [effusion(1)] })]).advice).toBe('progress');
  });

  it('does not advance on 1+ at two sessions running, on the same knee', () => {
    const prev = entry({ date: '2026-03-08', measures: [effusion(2)] });
    const a = sessionAdvice(entry({ soreness: 'none', measures: [effusion(2)] }), [prev]);
    expect(a.advice).toBe('repeat');
    expect(codes(a)).toEqual(['effusion_1plus_again']);
    expect(sessionAdvice(entry({ measures: [effusion(2)] }), [entry({ date: '2026-03-08', measures: [effusion(3)] })]).advice).toBe('repeat');
    // The other knee's swelling last time is not this knee's.
    expect(sessionAdvice(entry({ measures: [effusion(2, 'left')] }), [entry({ date: '2026-03-08', measures: [effusion(2, 'right')] })]).advice).toBe('progress');
    // Only the session just before counts.
    const older = [entry({ date: '2026-03-04', measures: [effusion(2)] }), entry({ date: '2026-03-08', measures: [effusion(0)] })];
    expect(sessionAdvice(entry({ measures: [effusion(2)] }), older).advice).toBe('progress');
  });

  it('holds progression at 2+ and above', () => {
    for (const grade of [3, 4]) {
      const a = sessionAdvice(entry({ soreness: 'none', measures: [effusion(grade)] }), []);
      expect(a.advice).toBe('reduce');
      expect(a.reasons[0]!.text).toMatch(/hold progression/);
    }
  });
});

describe('session advice: combining rules', () => {
  it('repeats a missed session, whatever else was recorded', () => {
    const a = sessionAdvice(entry({ attended: false, missedReason: 'flu', soreness: 'warmup_continuing' }), []);
    expect(a).toEqual({ advice: 'repeat', reasons: [expect.objectContaining({ code: 'missed', text: expect.stringContaining('flu') })] });
  });

  it('lets the strictest advice win: rest over reduce over repeat over progress', () => {
    expect(sessionAdvice(entry({ soreness: 'returned_during', painDuring: 7 }), []).advice).toBe('rest');
    expect(sessionAdvice(entry({ soreness: 'warmup_gone', painDuring: 7 }), []).advice).toBe('reduce');
    expect(sessionAdvice(entry({ soreness: 'none', painBefore: 1, painDuring: 2, nextDayPain: 1 }), []).advice).toBe('progress');
    const mixed = sessionAdvice(entry({ soreness: 'warmup_gone', painBefore: 1, painDuring: 2, nextDayPain: 1 }), []);
    expect(mixed.advice).toBe('repeat');
    expect(codes(mixed)).toEqual(['soreness_warmup_gone']);
  });

  it('repeats, saying so, when nothing was recorded', () => {
    const a = sessionAdvice(entry({ painBefore: 3 }), []);
    expect(a.advice).toBe('repeat');
    expect(a.reasons[0]!.text).toMatch(/Not enough data/);
  });

  it('carries a rule-set version', () => {
    expect(PROGRESS_RULES_VERSION).toMatch(/^progress-\d+\.\d+\.\d+$/);
  });
});

describe('red flags', () => {
  const none = { conditions: [] };

  it('raises every red-flag symptom and no other', () => {
    for (const code of SYMPTOM_CODES) {
      const flags = redFlags(entry({ symptoms: [code] }), [], none);
      if (SYMPTOMS[code].redFlag) {
        expect(flags, code).toHaveLength(1);
        expect(flags[0]!.code).toBe(code);
        expect(flags[0]!.text).toContain(SYMPTOMS[code].label);
      } else {
        expect(flags, code).toEqual([]);
      }
    }
    expect(SYMPTOM_CODES.filter((c) => SYMPTOMS[c].redFlag)).toEqual([
      'chest_pain', 'breathless', 'dizziness_syncope', 'palpitations', 'neuro_signs', 'calf_pain_swelling', 'night_pain', 'fever_joint_swelling', 'cauda_equina',
      // Pregnancy's own (ACOG Committee Opinion 804, 2020).
      'vaginal_bleeding', 'contractions', 'fluid_leak',
    ]);
  });

  it('refers next-morning pain 2 points above pain before on two sessions, not on one', () => {
    const risen = entry({ date: '2026-03-05', painBefore: 2, nextDayPain: 4 });
    const now = entry({ painBefore: 1, nextDayPain: 3 });
    const flags = redFlags(now, [risen], none);
    expect(flags.map((f) => f.code)).toEqual(['next_day_pain_rise']);
    expect(flags[0]!.text).toContain('2026-03-05 (2→4/10)');
    expect(redFlags(now, [], none)).toEqual([]);
    // One point is a reduce, not a referral.
    expect(redFlags(entry({ painBefore: 1, nextDayPain: 2 }), [risen], none)).toEqual([]);
    expect(redFlags(now, [entry({ date: '2026-03-05', painBefore: 2, nextDayPain: 3 })], none)).toEqual([]);
    // The earlier rise alone does not raise it again at a calm session.
    expect(redFlags(entry({ painBefore: 1, nextDayPain: 1 }), [risen, risen], none)).toEqual([]);
  });

  it('refers knee effusion of 2+ or more', () => {
    expect(redFlags(entry({ measures: [effusion(2)] }), [], none)).toEqual([]);
    expect(redFlags(entry({ measures: [effusion(3)] }), [], none).map((f) => f.code)).toEqual(['effusion_2plus']);
    expect(redFlags(entry({ measures: [effusion(4, 'right')] }), [], none)[0]!.text).toContain('3+ (right knee)');
  });

  describe('after a total knee replacement (Ebert 2014)', () => {
    const tka = { conditions: [{ code: 'knee_tka', side: 'left', date: '2026-03-01' }] };
    const flexion = (value: number, side: 'left' | 'right' = 'left'): RecordedMeasure => ({ code: 'knee_flexion', side, value });

    it('refers flexion below 80° 10 days after surgery, not 80°', () => {
      const flags = redFlags(entry({ date: '2026-03-11', measures: [flexion(79)] }), [], tka);
      expect(flags.map((f) => f.code)).toEqual(['tka_flexion_below_80']);
      expect(flags[0]!.text).toContain('79° (left) 10 days');
      expect(redFlags(entry({ date: '2026-03-11', measures: [flexion(80)] }), [], tka)).toEqual([]);
    });

    it('looks from 7 days after surgery, and keeps referring below 80° until the 100° cut-off at 7 weeks', () => {
      expect(redFlags(entry({ date: '2026-03-08', measures: [flexion(60)] }), [], tka)).toHaveLength(1);
      expect(redFlags(entry({ date: '2026-03-15', measures: [flexion(60)] }), [], tka)).toHaveLength(1);
      expect(redFlags(entry({ date: '2026-03-07', measures: [flexion(60)] }), [], tka)).toEqual([]);
      // 15 and 26 days (a trial found both advised "progress"), and the last day before 7 weeks.
      for (const [date, days] of [['2026-03-16', 15], ['2026-03-27', 26], ['2026-04-18', 48]] as const) {
        const flags = redFlags(entry({ date, measures: [flexion(72)] }), [], tka);
        expect(flags.map((f) => f.code), date).toEqual(['tka_flexion_below_80']);
        expect(flags[0]!.text).toContain(`72° (left) ${days} days`);
        expect(flags[0]!.source).toMatch(/bridgefit default/);
      }
      expect(redFlags(entry({ date: '2026-03-21', measures: [flexion(80)] }), [], tka)).toEqual([]);
      // From 7 weeks the 100° cut-off refers, once.
      expect(redFlags(entry({ date: '2026-04-19', measures: [flexion(72)] }), [], tka).map((f) => f.code)).toEqual(['tka_flexion_below_100']);
    });

    it('reads the operated knee, and needs a surgery date', () => {
      expect(redFlags(entry({ date: '2026-03-11', measures: [flexion(70, 'right')] }), [], tka)).toEqual([]);
      const both = { conditions: [{ code: 'knee_tka', side: 'both', date: '2026-03-01' }] };
      expect(redFlags(entry({ date: '2026-03-11', measures: [flexion(70, 'right')] }), [], both)).toHaveLength(1);
      expect(redFlags(entry({ date: '2026-03-11', measures: [flexion(70)] }), [], { conditions: [{ code: 'knee_tka', side: 'left' }] })).toEqual([]);
      expect(redFlags(entry({ date: '2026-03-11', measures: [flexion(70)] }), [], { conditions: [{ code: 'hip_tha', side: 'left', date: '2026-03-01' }] })).toEqual([]);
    });
  });
});
