import { describe, expect, it } from 'vitest';
import { OUTCOME_MEASURES, adherence, chairStandBelowAverage, outcomeChange, painSeries, painTrend } from '../../src/domain/outcomes.js';
import type { ProgressEntry } from '../../src/domain/progress-types.js';

describe('change against the MCID (FACTS §8)', () => {
  it('LEFS: 9 points up reaches it, 8 does not', () => {
    expect(outcomeChange('lefs', 40, 48)).toEqual({ code: 'lefs', baseline: 40, latest: 48, change: 8, improved: true, mcidReached: false });
    expect(outcomeChange('lefs', 40, 49)).toMatchObject({ change: 9, improved: true, mcidReached: true });
    expect(outcomeChange('lefs', 49, 40)).toMatchObject({ change: -9, improved: false, mcidReached: false });
  });

  it('ODI: 10 points down reaches it, 9 does not, up is worse', () => {
    expect(outcomeChange('odi', 40, 30)).toMatchObject({ change: -10, improved: true, mcidReached: true });
    expect(outcomeChange('odi', 40, 31)).toMatchObject({ improved: true, mcidReached: false });
    expect(outcomeChange('odi', 30, 40)).toMatchObject({ improved: false, mcidReached: false });
  });

  it('NPRS: 2 points down', () => {
    expect(outcomeChange('nprs', 6, 4)?.mcidReached).toBe(true);
    expect(outcomeChange('nprs', 6, 5)?.mcidReached).toBe(false);
    expect(outcomeChange('nprs', 4, 6)?.improved).toBe(false);
  });

  it('PSFS: 2 points up on the average, decimals included', () => {
    expect(outcomeChange('psfs', 4.1, 6.1)?.mcidReached).toBe(true);
    expect(outcomeChange('psfs', 4.1, 6.0)?.mcidReached).toBe(false);
  });

  it('QuickDASH: 11 points down (low end of 10.8–13.6)', () => {
    expect(outcomeChange('quickdash', 50, 39)?.mcidReached).toBe(true);
    expect(outcomeChange('quickdash', 50, 40)?.mcidReached).toBe(false);
  });

  it('6-minute walk: 14 m up', () => {
    expect(outcomeChange('six_minute_walk_m', 400, 414)?.mcidReached).toBe(true);
    expect(outcomeChange('six_minute_walk_m', 400, 413)?.mcidReached).toBe(false);
  });

  it('has no MCID for TUG, chair stand or single-leg stance, but knows their direction', () => {
    expect(outcomeChange('tug_seconds', 14, 11)).toMatchObject({ change: -3, improved: true, mcidReached: null });
    expect(outcomeChange('chair_stand_30s', 8, 10)).toMatchObject({ improved: true, mcidReached: null });
    expect(outcomeChange('single_leg_stance_s', 10, 5)).toMatchObject({ improved: false, mcidReached: null });
    expect(OUTCOME_MEASURES.tug_seconds?.mcid).toBeNull();
  });

  it('no change is not an improvement; unknown measures give nothing', () => {
    expect(outcomeChange('lefs', 40, 40)).toMatchObject({ improved: false, mcidReached: false });
    expect(outcomeChange('knee_flexion', 90, 110)).toBeUndefined();
  });
});

describe('pain trend', () => {
  const series = (...pains: number[]) => pains.map((pain, i) => ({ date: `2026-04-${String(i + 1).padStart(2, '0')}`, pain }));

  it('needs at least 4 entries with pain', () => {
    expect(painTrend(series(6, 5, 1))).toBe('unknown');
    expect(painTrend([])).toBe('unknown');
  });

  it('calls a fall of 1 point or more improving, a rise worsening, less stable', () => {
    expect(painTrend(series(5, 5, 4, 4))).toBe('improving');
    expect(painTrend(series(4, 4, 5, 5))).toBe('worsening');
    expect(painTrend(series(5, 4, 4, 4.5))).toBe('stable');
    expect(painTrend(series(5, 5, 4.5, 4))).toBe('stable');
  });

  it('leaves the middle entry out with an odd count, and orders by date', () => {
    expect(painTrend(series(3, 3, 9, 2, 2))).toBe('improving');
    expect(painTrend([...series(2, 2, 4, 4)].reverse())).toBe('worsening');
  });

  it('trends next-morning pain where recorded, else pain after, attended sessions only', () => {
    const e = (date: string, over: Partial<ProgressEntry>): ProgressEntry => ({ id: 1, clientId: 1, date, attended: true, vitals: {}, measures: [], symptoms: [], exercises: [], ...over });
    expect(painSeries([e('2026-04-01', { painAfter: 4, nextDayPain: 2 }), e('2026-04-02', { painAfter: 3 }), e('2026-04-03', { painDuring: 5 }), e('2026-04-04', { attended: false, painAfter: 1 })])).toEqual([
      { date: '2026-04-01', pain: 2 },
      { date: '2026-04-02', pain: 3 },
    ]);
  });
});

describe('adherence', () => {
  it('is attended over planned, capped at 1, null with nothing planned', () => {
    expect(adherence(9, 12)).toBe(0.75);
    expect(adherence(14, 12)).toBe(1);
    expect(adherence(0, 12)).toBe(0);
    expect(adherence(3, 0)).toBeNull();
  });
});

describe('30-second chair stand, below average (CDC STEADI)', () => {
  const rows: [number, number, number, number][] = [
    [60, 64, 14, 12],
    [65, 69, 12, 11],
    [70, 74, 12, 10],
    [75, 79, 11, 10],
    [80, 84, 10, 9],
    [85, 89, 8, 8],
    [90, 94, 7, 4],
  ];

  it.each(rows)('ages %i–%i: men below %i, women below %i', (from, to, men, women) => {
    for (const age of [from, to]) {
      expect(chairStandBelowAverage(age, 'male')).toBe(men);
      expect(chairStandBelowAverage(age, 'female')).toBe(women);
    }
  });

  it('gives no cut-off outside 60–94', () => {
    expect(chairStandBelowAverage(59, 'female')).toBeNull();
    expect(chairStandBelowAverage(95, 'male')).toBeNull();
    expect(chairStandBelowAverage(94.5, 'male')).toBe(7);
  });
});
