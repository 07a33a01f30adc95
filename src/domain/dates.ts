/** Calendar dates as the trainer types them: YYYY-MM-DD, no time, no zone. */

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `text` is a real calendar date in YYYY-MM-DD form (2023-02-29 is not). */
export function isIsoDate(text: string): boolean {
  const m = ISO_DATE.exec(text);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * What is wrong with `text` as a date, for a message: the form ('expected a
 * date as YYYY-MM-DD, got "…"'), or a day the calendar does not have
 * ("2026-02-30 is not a calendar date: February has 28 days in 2026").
 * Undefined when it is a real date. Callers put the field or flag in front.
 */
export function dateProblem(text: string): string | undefined {
  const m = ISO_DATE.exec(text);
  if (!m) return `expected a date as YYYY-MM-DD, got "${text}"`;
  if (isIsoDate(text)) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mo < 1 || mo > 12) return `${text} is not a calendar date: there is no month ${m[2]} (months are 01–12)`;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1]!;
  if (d === 0) return `${text} is not a calendar date: there is no day 00`;
  if (d > days) return `${text} is not a calendar date: ${MONTHS[mo - 1]} has ${days} days${mo === 2 ? ` in ${y}` : ''}`;
  // Years 0000–0099 (JavaScript's Date reads them as 19xx): no one's records go back so far.
  return `${text} is not a date bridgefit takes: the year ${m[1]} is too early`;
}

const PARTIAL_DATE = /^(\d{4})(?:-(\d{2}))?$/;

/**
 * A date known only to the year or the month ("2009", "2009-05"), as clients
 * remember a diagnosis. Stored as given; read through firstDayOf / lastDayOf.
 */
export function isPartialDate(text: string): boolean {
  const m = PARTIAL_DATE.exec(text);
  return m !== null && Number(m[1]) >= 100 && (m[2] === undefined || (Number(m[2]) >= 1 && Number(m[2]) <= 12));
}

/** A day (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY). */
export function isDayMonthOrYear(text: string): boolean {
  return isIsoDate(text) || isPartialDate(text);
}

/**
 * What is wrong with `text` as a day, month or year; undefined when it is one.
 * `dayOrMonth`: a year alone is refused (a surgery, whose weeks count).
 */
export function dayMonthOrYearProblem(text: string, dayOrMonth = false): string | undefined {
  const form = dayOrMonth ? 'YYYY-MM-DD, or YYYY-MM when only the month is known' : 'YYYY-MM-DD, YYYY-MM or YYYY';
  if (isIsoDate(text)) return undefined;
  if (isPartialDate(text)) return dayOrMonth && text.length === 4 ? `expected a date as ${form}: a year alone is not enough here, got "${text}"` : undefined;
  const m = PARTIAL_DATE.exec(text);
  if (m?.[2] !== undefined && (Number(m[2]) < 1 || Number(m[2]) > 12)) return `${text} is not a month: there is no month ${m[2]} (months are 01–12)`;
  if (m) return `${text} is not a date bridgefit takes: the year ${m[1]} is too early`;
  if (ISO_DATE.test(text)) return dateProblem(text);
  return `expected a date as ${form}, got "${text}"`;
}

/** The first day a day, month or year can mean: "2009-05" → 2009-05-01, "2009" → 2009-01-01. */
export function firstDayOf(date: string): string {
  if (date.length === 4) return `${date}-01-01`;
  if (date.length === 7) return `${date}-01`;
  return date;
}

/**
 * The last day a day, month or year can mean: "2009-05" → 2009-05-31,
 * "2009" → 2009-12-31. Time since a surgery known only to the month is
 * counted from here, the conservative end: a gate never opens early.
 */
export function lastDayOf(date: string): string {
  if (date.length === 4) return `${date}-12-31`;
  if (date.length === 7) {
    const [y, m] = date.split('-').map(Number) as [number, number];
    return `${date}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  }
  return date;
}

/** Today's date in the local time zone, as YYYY-MM-DD. */
export function localToday(now: Date = new Date()): string {
  const y = now.getFullYear();
  const m = String(now.getMonth() + 1).padStart(2, '0');
  const d = String(now.getDate()).padStart(2, '0');
  return `${y}-${m}-${d}`;
}

/**
 * Age in whole years on `onDate` for someone born on `dob` (both YYYY-MM-DD).
 * A 29 February birthday turns over on 1 March in common years.
 */
export function ageOn(dob: string, onDate: string): number {
  // Both are YYYY-MM-DD, so comparing the MM-DD parts as text orders them.
  const age = Number(onDate.slice(0, 4)) - Number(dob.slice(0, 4));
  return onDate.slice(5) < dob.slice(5) ? age - 1 : age;
}

/** `date` plus `months` calendar months; the 31st becomes the month's last day when needed. */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, '0')}-${String(Math.min(d, last)).padStart(2, '0')}`;
}

/** `date` plus `days` (negative for earlier), as YYYY-MM-DD. */
export function addDays(date: string, days: number): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + days)).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (both YYYY-MM-DD); negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return dayNumber(to) - dayNumber(from);
}

const dayNumbers = new Map<string, number>();

/**
 * Days since 1970-01-01 of a YYYY-MM-DD date. The session rules call this for
 * every entry of a history, so each day is worked out once (a year is 366 keys).
 */
function dayNumber(date: string): number {
  let n = dayNumbers.get(date);
  if (n === undefined) {
    n = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
    if (dayNumbers.size < 100_000) dayNumbers.set(date, n);
  }
  return n;
}

/** Sessions planned at `perWeek` over the days from `from` to `to`, both included. */
export function plannedSessions(perWeek: number, from: string, to: string): number {
  return Math.round((perWeek * Math.max(0, daysBetween(from, to) + 1)) / 7);
}

/** "7d", "4w", "3m" or a date → the first day to include; undefined when it is neither. */
export function sinceDate(text: string, today: string): string | undefined {
  if (isIsoDate(text)) return text;
  const m = /^(\d+)([dwm])$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  // Beyond about 270 years the calendar arithmetic leaves four-digit years (or throws): not a date.
  if (n > 100_000) return undefined;
  const date = m[2] === 'd' ? addDays(today, -n) : m[2] === 'w' ? addDays(today, -7 * n) : addMonths(today, -n);
  return isIsoDate(date) ? date : undefined;
}
