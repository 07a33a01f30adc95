/**
 * `bridgefit progress import file.csv`: many clients' entries at once, all or
 * none. Every row is checked first; one bad row stops the import, naming the
 * row, the column and the problem, and nothing is written.
 */
import { fullName, type Client } from '../domain/client.js';
import { MEASURE_RANGES, checkProgressInput, parseDecimal, parseMeasureFlag, recordsSomething } from '../domain/progress-input.js';
import { ValidationError, oneLine } from '../domain/errors.js';
import { EntryWriter, listEntryDates } from '../store/progress.js';
import type { RaisedReferral } from '../domain/referral.js';
import type { Store } from '../store/store.js';
import { glucoseUnit } from './settings.js';
import { resolveClient } from './clients.js';
import type { Ctx } from './context.js';
import { parseCsvTable } from './csv-table.js';
import { InputError, NotFoundError, UsageError } from './errors.js';
import { SessionRecorder, type CheckedEntry } from './record-session.js';

/** The columns, documented in the README; only `client` and `date` are required. */
export const IMPORT_COLUMNS = [
  'client', 'date', 'attended', 'missed_reason', 'duration_min', 'pain_before', 'pain_during', 'pain_after', 'next_day_pain', 'rpe', 'rpe_scale',
  'bp', 'resting_hr', 'glucose', 'ketones', 'spo2', 'soreness', 'symptoms', 'measures', 'notes', 'bp_recheck', 'glucose_recheck',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

const FIELD_COLUMN: Record<string, Column> = {
  date: 'date', attended: 'attended', missedReason: 'missed_reason', durationMin: 'duration_min', painBefore: 'pain_before', painDuring: 'pain_during',
  painAfter: 'pain_after', nextDayPain: 'next_day_pain', rpe: 'rpe', rpeScale: 'rpe_scale', bp: 'bp', restingHr: 'resting_hr', glucose: 'glucose',
  ketones: 'ketones', soreness: 'soreness', symptoms: 'symptoms', measures: 'measures', notes: 'notes', bpRecheck: 'bp_recheck', glucoseRecheck: 'glucose_recheck',
};

/** A problem with one cell of a row: the column, and what is wrong. */
export class RowProblem extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * One CSV row (column → cell text) → the progress input checkProgressInput
 * takes. A cell that cannot be read throws its RowProblem, or, given
 * `problems`, is added there and left out, so every bad cell of a row is named
 * at once.
 */
export function rowToInput(row: Record<string, string>, problems?: RowProblem[]): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const cell = (read: () => void) => {
    try {
      read();
    } catch (err) {
      if (!problems || !(err instanceof RowProblem)) throw err;
      problems.push(err);
    }
  };
  const number = (col: Column, key: string) => {
    const v = row[col]?.trim();
    if (!v) return;
    // Plain decimals only, as the progress flags take them: Number() would also read "0x3", "1e1" or "Infinity".
    const n = parseDecimal(v);
    if (n === undefined) throw new RowProblem(col, `expected a plain decimal number, got "${oneLine(v)}"`);
    raw[key] = n;
  };
  const text = (col: Column, key: string) => {
    const v = row[col]?.trim();
    if (v) raw[key] = v;
  };
  const yesNo = (col: Column, key: string) => {
    const v = row[col]?.trim().toLowerCase();
    if (!v) return;
    if (['yes', 'y', 'true', '1'].includes(v)) raw[key] = true;
    else if (['no', 'n', 'false', '0'].includes(v)) raw[key] = false;
    else throw new RowProblem(col, `expected yes or no, got "${row[col]}"`);
  };
  text('date', 'date');
  cell(() => yesNo('attended', 'attended'));
  text('missed_reason', 'missedReason');
  // A reason for missing says the session was missed, unless the row says otherwise.
  if (raw.missedReason !== undefined && raw.attended === undefined && !problems?.some((p) => p.column === 'attended')) raw.attended = false;
  cell(() => number('duration_min', 'durationMin'));
  cell(() => number('pain_before', 'painBefore'));
  cell(() => number('pain_during', 'painDuring'));
  cell(() => number('pain_after', 'painAfter'));
  cell(() => number('next_day_pain', 'nextDayPain'));
  cell(() => number('rpe', 'rpe'));
  text('rpe_scale', 'rpeScale');
  text('bp', 'bp');
  text('bp_recheck', 'bpRecheck');
  cell(() => number('resting_hr', 'restingHr'));
  text('glucose', 'glucose');
  text('glucose_recheck', 'glucoseRecheck');
  cell(() => yesNo('ketones', 'ketones'));
  text('soreness', 'soreness');
  if (row.symptoms?.trim()) raw.symptoms = row.symptoms.split(';').map((s) => s.trim()).filter(Boolean);
  const measures = row.measures;
  if (measures?.trim()) cell(() => {
    raw.measures = measures
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean)
      .map((s) => {
        try {
          return parseMeasureFlag(s, s.includes('.') ? '--measure' : '--score');
        } catch (err) {
          if (err instanceof ValidationError) throw new RowProblem('measures', err.message.replace(/--measure|--score/, 'measure'));
          throw err;
        }
      });
  });
  // SpO2 at rest has its own column (FACTS §10); it is stored as the measure spo2, as "spo2=…" in measures would be.
  cell(() => {
    const v = row.spo2?.trim();
    if (!v) return;
    const n = parseDecimal(v.replace(/%$/, ''));
    if (n === undefined) throw new RowProblem('spo2', `expected a percentage like 94, got "${oneLine(v)}"`);
    const r = MEASURE_RANGES.spo2;
    if (n < r.min || n > r.max) throw new RowProblem('spo2', `SpO2 must be ${r.min}–${r.max} %, got ${n}`);
    raw.measures = [...((raw.measures as unknown[] | undefined) ?? []), { code: 'spo2', value: n }];
  });
  text('notes', 'notes');
  return raw;
}

/** The CSV text → its rows (column → cell text), header checked; throws UsageError naming `source`. */
export function parseImportCsv(text: string, source: string): Record<string, string>[] {
  return parseCsvTable(text, source, IMPORT_COLUMNS, ['client', 'date']);
}

export interface ImportResult {
  entries: number;
  clients: number;
  /** The clients the import wrote entries for, by id (`clients` of them). */
  imported: Client[];
  held: { client: string; date: string; why: string }[];
  raised: (RaisedReferral & { client: string })[];
}

/**
 * `progress import`: many clients' entries from CSV text, all or none. Every
 * row is checked before anything is written; the good rows are then recorded
 * as `progress add` records one, in one transaction.
 */
/** How far an import has got, for a progress bar: rows checked, then entries written. */
export type ImportProgress = (phase: 'check' | 'write', done: number, total: number) => void;

export async function importSessions(store: Store, text: string, source: string, ctx: Ctx, progress: ImportProgress = () => {}): Promise<ImportResult> {
  // The text is not kept: at a million rows it and its parsed rows are gigabytes.
  const rows: (Record<string, string> | undefined)[] = parseImportCsv(text, source);
  if (rows.length === 0) throw new UsageError(`${source}: no rows to import`);
  const today = ctx.today;
  // A glucose cell with a number alone is read in the units.glucose setting's unit, else refused.
  const unit = await glucoseUnit(store);
  // Check every row before writing anything.
  const clients = new Map<string, Client>();
  // Per client: the days already stored, and the row of each day in this file (a second
  // row for a day is found without searching every row so far).
  const existing = new Map<number, Set<string>>();
  const rowOnDay = new Map<number, Map<string, number>>();
  // The checked entries, grouped by client in the order clients first appear.
  const byClient = new Map<number, { client: Client; rows: { row: number; entry: CheckedEntry }[] }>();
  const problems: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    if (i % 500 === 0) progress('check', i, rows.length);
    const line = i + 2; // the header is line 1
    const row = rows[i]!;
    rows[i] = undefined; // checked rows are kept as entries only
    try {
      const key = (row.client ?? '').trim();
      if (!key) throw new RowProblem('client', 'required');
      let client = clients.get(key);
      if (!client) {
        try {
          client = await resolveClient(store, key, { listMatches: false });
        } catch (err) {
          if (err instanceof NotFoundError) throw new RowProblem('client', err.message);
          throw err;
        }
        clients.set(key, client);
      }
      if (!row.date?.trim()) throw new RowProblem('date', 'required: the session day as YYYY-MM-DD');
      // Every problem of the row, each named by its column: cells that cannot be read, then what the check finds in the rest.
      const unread: RowProblem[] = [];
      const input = rowToInput(row, unread);
      if (unread.length === 0 && Object.keys(input).filter((k) => k !== 'date').length === 0) throw new RowProblem('(all)', 'the row records nothing: give pain, RPE, vitals, measures, notes or a missed_reason');
      const r = checkProgressInput(input, { today, dateOfBirth: client.dateOfBirth, glucoseUnit: unit });
      const found = [...unread, ...(r.ok ? [] : r.problems.map((p) => new RowProblem(FIELD_COLUMN[p.path.split(/[.[]/)[0]!] ?? p.path, p.message)))];
      if (found.length > 0 || !r.ok) {
        for (const p of found.slice(0, -1)) problems.push(`row ${line}, column ${p.column}: ${p.message}`);
        throw found.at(-1)!;
      }
      // The rule progress add applies: a row of only a date and an RPE scale records no session.
      if (!recordsSomething(r.entry)) throw new RowProblem('(all)', 'the row records nothing: give pain, RPE, vitals, measures, notes or a missed_reason');
      // The same client twice on one day is almost always a file imported twice.
      let days = rowOnDay.get(client.id);
      if (!days) rowOnDay.set(client.id, (days = new Map()));
      const twin = days.get(r.entry.date);
      if (twin !== undefined) throw new RowProblem('date', `a second entry for client "${key}" on ${r.entry.date} (row ${twin} has one)`);
      let stored = existing.get(client.id);
      if (!stored) {
        stored = new Set(await listEntryDates(store.db, client.id));
        existing.set(client.id, stored);
      }
      if (stored.has(r.entry.date)) throw new RowProblem('date', `client "${key}" already has an entry on ${r.entry.date}; was this file imported before?`);
      let group = byClient.get(client.id);
      if (!group) byClient.set(client.id, (group = { client, rows: [] }));
      group.rows.push({ row: line, entry: r.entry });
      days.set(r.entry.date, line);
    } catch (err) {
      if (!(err instanceof RowProblem)) throw err;
      problems.push(`row ${line}, column ${err.column}: ${err.message}`);
      if (problems.length >= 20) break;
    }
  }
  progress('check', rows.length, rows.length);
  rowOnDay.clear(); // a million days, not needed while writing
  existing.clear();
  if (problems.length > 0) throw new InputError(`${source}: ${problems.length}${problems.length >= 20 ? '+' : ''} problem(s) in the rows; nothing was imported`, problems);

  // All rows are good: write them in one transaction, client by client, each client's in
  // date order (one day has one row), each with its decision.
  return store.write(async (tx) => {
    const held: ImportResult['held'] = [];
    const raised: ImportResult['raised'] = [];
    const writer = new EntryWriter(tx);
    let entries = 0;
    const total = [...byClient.values()].reduce((n, g) => n + g.rows.length, 0);
    for (const [, group] of [...byClient].sort((a, b) => a[0] - b[0])) {
      group.rows.sort((a, b) => (a.entry.date < b.entry.date ? -1 : a.entry.date > b.entry.date ? 1 : 0));
      const recorder = await SessionRecorder.for(tx, group.client, writer);
      for (const c of group.rows) {
        // One import is one moment: every entry and audit row has the same time.
        const r = await recorder.record(c.entry, ctx);
        if (r.decision.today === 'hold') held.push({ client: fullName(group.client), date: r.entry.date, why: r.entry.missedReason ?? 'held' });
        for (const ref of r.referrals) raised.push({ ...ref, client: fullName(group.client) });
        if (++entries % 500 === 0) progress('write', entries, total);
      }
    }
    progress('write', entries, total);
    const imported = [...byClient.values()].map((g) => g.client).sort((a, b) => a.id - b.id);
    return { entries, held, raised, clients: imported.length, imported };
  });
}
