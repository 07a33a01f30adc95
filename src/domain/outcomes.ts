/**
 * Outcome measures over time: change from baseline against the minimal
 * clinically important difference (MCID), the pain trend, adherence and the
 * 30-second chair-stand norms (FACTS §8). Pure: numbers in, judgements out.
 */
import type { ProgressEntry } from './progress-types.js';

export interface OutcomeMeasure {
  higherIsBetter: boolean;
  /** The smallest change that matters to the client; null when bridgefit's sources give none. */
  mcid: number | null;
  source: string;
}

/** MCIDs and directions (FACTS §8). */
export const OUTCOME_MEASURES: Record<string, OutcomeMeasure> = {
  // NPRS: 2 points or ~30% (Farrar 2001; Childs 2005) [U].
  nprs: { higherIsBetter: false, mcid: 2, source: 'Farrar et al. 2001; Childs et al. 2005 (2 points) [unconfirmed]' },
  // LEFS 0–80: MCID 9 points (Binkley 1999) [C].
  lefs: { higherIsBetter: true, mcid: 9, source: 'Binkley et al. 1999 (9 points)' },
  // ODI 0–100%: MCID ~10 points (Ostelo 2008) [U].
  odi: { higherIsBetter: false, mcid: 10, source: 'Fairbank; Ostelo et al. 2008 (about 10 points) [unconfirmed]' },
  // PSFS average: MCID 2 (Rysstad 2020) [C]; 3 for a single item.
  psfs: { higherIsBetter: true, mcid: 2, source: 'Rysstad et al. 2020 (2 points on the average)' },
  // QuickDASH: MIC 10.8–13.6 (Rysstad 2020) [C]; the low end, rounded, so a real change is not missed.
  quickdash: { higherIsBetter: false, mcid: 11, source: 'Rysstad et al. 2020 (MIC 10.8–13.6; low end, rounded)' },
  // 6-minute walk: MCID ~14–31 m [U]; the low end.
  six_minute_walk_m: { higherIsBetter: true, mcid: 14, source: 'Camarri et al. 2006; MCID about 14–31 m, low end [unconfirmed]' },
  // TUG: fall-risk cut-offs only (Barry 2014 ≥13.5 s; STEADI ≥12 s), no MCID in FACTS §8.
  tug_seconds: { higherIsBetter: false, mcid: null, source: 'Barry et al. 2014; CDC STEADI (cut-offs only, no MCID)' },
  // 30-s chair stand: STEADI norms only, no MCID in FACTS §8.
  chair_stand_30s: { higherIsBetter: true, mcid: null, source: 'CDC STEADI (norms only, no MCID)' },
  // Single-leg stance: Bohannon 2006 norms only, no MCID in FACTS §8.
  single_leg_stance_s: { higherIsBetter: true, mcid: null, source: 'Bohannon 2006 (norms only, no MCID)' },
};

export interface OutcomeChange {
  code: string;
  baseline: number;
  latest: number;
  /** latest − baseline. */
  change: number;
  /** Changed in the better direction. */
  improved: boolean;
  /** Improved by at least the MCID; null when the measure has none. */
  mcidReached: boolean | null;
}

/** Questionnaire scores are often decimals (PSFS averages): 6.1 − 4.1 must count as 2. */
const roundScore = (v: number) => Math.round(v * 1e6) / 1e6;

/**
 * Change from baseline and whether it reaches the MCID; undefined for a
 * measure without a known direction.
 *
 * @example
 * outcomeChange('lefs', 40, 49) // { change: 9, improved: true, mcidReached: true, … }
 */
export function outcomeChange(code: string, baseline: number, latest: number): OutcomeChange | undefined {
  const m = OUTCOME_MEASURES[code];
  if (!m) return undefined;
  const change = roundScore(latest - baseline);
  const gain = m.higherIsBetter ? change : -change;
  return { code, baseline, latest, change, improved: gain > 0, mcidReached: m.mcid === null ? null : gain >= m.mcid };
}

export type PainTrend = 'improving' | 'stable' | 'worsening' | 'unknown';

/** A change in mean pain of at least this many points is a trend [U threshold; a clinician may change it]. */
export const PAIN_TREND_POINTS = 1;
/** Fewer entries with pain than this say nothing about a trend. */
const PAIN_TREND_MIN_ENTRIES = 4;

/**
 * The pain to trend for each session: next-morning pain where recorded
 * (the 24-hour response counts most, FACTS §4), else pain after.
 */
export function painSeries(entries: readonly ProgressEntry[]): { date: string; pain: number }[] {
  return entries.flatMap((e) => {
    const pain = e.nextDayPain ?? e.painAfter;
    return e.attended && pain !== undefined ? [{ date: e.date, pain }] : [];
  });
}

/**
 * Compare mean pain (next-day pain where recorded, else pain after; see
 * {@link painSeries}) of the later half of the entries with the earlier half:
 * a change of 1 point or more is improving/worsening [U threshold]; fewer
 * than 4 entries with pain → unknown. With an odd count the middle entry
 * belongs to neither half. FACTS §4: no upward week-to-week trend [U].
 */
export function painTrend(entries: readonly { date: string; pain: number }[], points: number = PAIN_TREND_POINTS): PainTrend {
  if (entries.length < PAIN_TREND_MIN_ENTRIES) return 'unknown';
  const sorted = [...entries].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const half = Math.floor(sorted.length / 2);
  const mean = (xs: readonly { pain: number }[]) => xs.reduce((sum, x) => sum + x.pain, 0) / xs.length;
  const delta = roundScore(mean(sorted.slice(-half)) - mean(sorted.slice(0, half)));
  if (delta <= -points) return 'improving';
  if (delta >= points) return 'worsening';
  return 'stable';
}

/** Sessions attended as a share of those planned, 0–1 (extra sessions do not count above 1); null when none were planned. */
export function adherence(attended: number, planned: number): number | null {
  if (planned <= 0) return null;
  return Math.min(1, Math.max(0, attended / planned));
}

/** 30-second chair stand, below average (CDC STEADI, FACTS §8) [C]: [lowest age, men, women]. */
const CHAIR_STAND_BELOW_AVERAGE: readonly (readonly [number, number, number])[] = [
  [60, 14, 12],
  [65, 12, 11],
  [70, 12, 10],
  [75, 11, 10],
  [80, 10, 9],
  [85, 8, 8],
  [90, 7, 4],
];

/**
 * The STEADI 30-second chair-stand cut-off for an age and sex: fewer stands
 * than this is below average. Null outside 60–94, where STEADI gives no norm.
 *
 * @example
 * chairStandBelowAverage(72, 'female') // 10: 9 stands is below average, 10 is not
 */
export function chairStandBelowAverage(age: number, sex: 'female' | 'male'): number | null {
  const years = Math.floor(age);
  if (years < 60 || years > 94) return null;
  const row = [...CHAIR_STAND_BELOW_AVERAGE].reverse().find(([from]) => years >= from)!;
  return sex === 'male' ? row[1] : row[2];
}

/**
 * The pain trend from the two halves of a period, as the summary computes them
 * in the database: at least two sessions with pain in each half, and a change
 * of PAIN_TREND_POINTS or more in the mean [U threshold].
 */
export function painTrendFromHalves(earlier: { mean: number | null; n: number }, later: { mean: number | null; n: number }, points: number = PAIN_TREND_POINTS): PainTrend {
  if (earlier.n < 2 || later.n < 2 || earlier.mean === null || later.mean === null) return 'unknown';
  const delta = roundScore(later.mean - earlier.mean);
  if (delta <= -points) return 'improving';
  if (delta >= points) return 'worsening';
  return 'stable';
}
