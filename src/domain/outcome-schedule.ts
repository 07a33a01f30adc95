/**
 * When a program's outcome scores are due: a template names the scores it
 * follows and how often (`outcomes: [{ measure: lefs, everyWeeks: 4 }]`),
 * and a session offers each one when it falls due, so the change from baseline
 * against the MCID (outcomes.ts, FACTS §8) has the readings it needs.
 * Pure: the schedule, the scores recorded and a day in; what is due out.
 */
import { addDays, daysBetween } from './dates.js';
import type { RecordedMeasureCode } from './progress-types.js';
import { MEASURES } from './template-terms.js';

export interface OutcomeSchedule {
  measure: RecordedMeasureCode;
  everyWeeks: number;
  /** Where the measure and its interval come from, shown beside a due score. */
  source: string;
}

/**
 * A score is offered from this many days before its due day, so that a client
 * training two or three times a week is asked at the session nearest the due
 * day rather than at the first one after it [U: practice default, not from a
 * source; a clinician may prefer the exact interval].
 */
export const DUE_WINDOW_DAYS = 3;

export interface OutcomeDue {
  measure: RecordedMeasureCode;
  label: string;
  everyWeeks: number;
  source: string;
  /** The latest reading of this score (any entry, voided ones excluded by the caller), or null: the baseline is due. */
  last: { date: string; value: number } | null;
  /** The day it falls due: the program's start for a baseline, else the last reading + everyWeeks. */
  dueOn: string;
  /** True from DUE_WINDOW_DAYS before dueOn. */
  due: boolean;
}

/** A score reading as the entries hold it. */
export interface ScoreReading {
  code: string;
  date: string;
  value: number | string;
}

/**
 * Each scheduled score, with when it is next due and whether it is due on `today`.
 * A reading before the program's start counts as the baseline (a score taken at
 * intake need not be repeated at the first session).
 *
 * @example
 * outcomesDue([{ measure: 'lefs', everyWeeks: 4, source: 'Binkley 1999' }], [{ code: 'lefs', date: '2026-11-02', value: 40 }], '2026-11-02', '2026-11-28')
 * // [{ measure: 'lefs', dueOn: '2026-11-30', due: true, last: { date: '2026-11-02', value: 40 }, … }]
 */
export function outcomesDue(schedule: readonly OutcomeSchedule[], readings: readonly ScoreReading[], programStart: string, today: string): OutcomeDue[] {
  return schedule.map((s) => {
    let last: OutcomeDue['last'] = null;
    for (const r of readings) {
      if (r.code !== s.measure || typeof r.value !== 'number' || r.date > today) continue;
      if (!last || r.date >= last.date) last = { date: r.date, value: r.value };
    }
    const dueOn = last ? addDays(last.date, s.everyWeeks * 7) : programStart;
    return {
      measure: s.measure,
      label: MEASURES[s.measure as keyof typeof MEASURES]?.label ?? s.measure,
      everyWeeks: s.everyWeeks,
      source: s.source,
      last,
      dueOn,
      due: daysBetween(today, dueOn) <= DUE_WINDOW_DAYS,
    };
  });
}

/** "LEFS (every 4 weeks; last 42 on 2026-10-01)", or "(every 4 weeks; baseline)". */
export function describeDue(d: OutcomeDue): string {
  const when = d.last ? `last ${d.last.value} on ${d.last.date}` : 'baseline';
  return `${d.label} (every ${d.everyWeeks} week${d.everyWeeks === 1 ? '' : 's'}; ${when})`;
}
