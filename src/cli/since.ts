import { dateProblem, sinceDate } from '../domain/dates.js';
import { UsageError } from '../app/errors.js';

/** --since as the first day it covers. Its own module so `summary` does not load the progress command. */
export function sinceFlag(text: string, today: string): string {
  const from = sinceDate(text, today);
  // A date in the right form on a day the calendar does not have: say so, not "expected a date".
  if (from === undefined && /^\d{4}-\d{2}-\d{2}$/.test(text.trim())) throw new UsageError(`--since: ${dateProblem(text.trim())}`);
  if (from === undefined) throw new UsageError(`--since: expected a date (YYYY-MM-DD) or a span like 7d, 4w, 3m; got "${text}"`);
  return from;
}
