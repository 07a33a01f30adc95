/**
 * The reloading, week by week (issue 16: "physiotherapists want to see the
 * reloading, week by week"): for each exercise a load was recorded for, the
 * heaviest load done in each week of the program, counted from its start.
 * What the clinician report draws; pure.
 */
import { addDays, daysBetween } from './dates.js';
import type { GeneratedProgram } from './program.js';
import type { ProgressEntry } from './progress-types.js';

/** At most this many weeks are shown, the latest: a page's width. */
export const LOAD_WEEKS_SHOWN = 8;

export interface LoadWeeks {
  /** The weeks shown, oldest first: week number (1 = the program's first 7 days) and its first day. */
  weeks: { number: number; from: string }[];
  /** One row per exercise with a recorded load in those weeks, in the program's order: the heaviest kg each week, null where none was recorded. */
  rows: { exerciseId: string; name: string; kg: (number | null)[] }[];
}

/**
 * The weeks of `program` from `since` (or its start, if later) to `today`,
 * the latest LOAD_WEEKS_SHOWN, with the heaviest load of each exercise done
 * (completed, with a load) in each. Null when no load was recorded in them.
 */
export function loadsByWeek(program: Pick<GeneratedProgram, 'startDate' | 'stages'>, entries: readonly Pick<ProgressEntry, 'date' | 'attended' | 'exercises'>[], since: string, today: string): LoadWeeks | null {
  if (today < program.startDate) return null;
  const weekOf = (date: string) => Math.floor(daysBetween(program.startDate, date) / 7) + 1;
  const last = weekOf(today);
  const first = Math.max(weekOf(since < program.startDate ? program.startDate : since), last - LOAD_WEEKS_SHOWN + 1);
  const weeks = Array.from({ length: last - first + 1 }, (_, i) => ({ number: first + i, from: addDays(program.startDate, (first + i - 1) * 7) }));
  const heaviest = new Map<string, (number | null)[]>();
  for (const e of entries) {
    // The first week shown may begin before the period: only the period's sessions count in it.
    if (!e.attended || e.date < weeks[0]!.from || e.date < since || e.date > today) continue;
    const column = weekOf(e.date) - first;
    for (const x of e.exercises) {
      if (!x.completed || x.loadKg === undefined) continue;
      const row = heaviest.get(x.exerciseId) ?? weeks.map(() => null);
      row[column] = Math.max(row[column] ?? 0, x.loadKg);
      heaviest.set(x.exerciseId, row);
    }
  }
  if (heaviest.size === 0) return null;
  const names = new Map<string, string>();
  const order = new Map<string, number>();
  for (const s of program.stages) {
    for (const x of s.exercises) {
      if (!names.has(x.exerciseId)) names.set(x.exerciseId, x.name);
      if (!order.has(x.exerciseId)) order.set(x.exerciseId, order.size);
    }
  }
  const rows = [...heaviest].map(([exerciseId, kg]) => ({ exerciseId, name: names.get(exerciseId) ?? exerciseId.replace(/_/g, ' '), kg }));
  // The program's order; an exercise swapped in from outside it after them, by id.
  rows.sort((a, b) => (order.get(a.exerciseId) ?? Infinity) - (order.get(b.exerciseId) ?? Infinity) || a.exerciseId.localeCompare(b.exerciseId));
  return { weeks, rows };
}
