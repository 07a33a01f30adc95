/**
 * `bridgefit progress import file.csv`: many clients' entries at once, all or
 * none. Every row is checked first; one bad row stops the import, naming the
 * row, the column and the problem, and nothing is written.
 */
import { parse } from 'csv-parse/sync';
import type { Client } from '../domain/client.js';
import { checkProgressInput, parseMeasureFlag } from '../domain/progress-input.js';
import type { ProgressEntry } from '../domain/progress-types.js';
import { decideSession } from '../domain/session.js';
import { resolveSettings } from '../domain/settings.js';
import { ValidationError } from '../domain/errors.js';
import { intakeInForce } from '../store/intakes.js';
import { getStoredSettings } from '../store/meta.js';
import { activeProgram } from '../store/programs.js';
import { insertEntry, listEntries, listReferrals, raiseReferral } from '../store/progress.js';
import type { App } from './app.js';
import { InputError, NotFoundError, UsageError } from './errors.js';
import { readSource } from './input.js';
import { resolveClient } from './resolve.js';
import { clearanceInForce } from '../domain/clearance.js';
import { listClearances } from '../store/clearances.js';

/** The columns, documented in the README; only `client` and `date` are required. */
export const IMPORT_COLUMNS = [
  'client', 'date', 'attended', 'missed_reason', 'duration_min', 'pain_before', 'pain_during', 'pain_after', 'next_day_pain', 'rpe', 'rpe_scale',
  'bp', 'resting_hr', 'glucose', 'ketones', 'soreness', 'symptoms', 'measures', 'notes',
] as const;
type Column = (typeof IMPORT_COLUMNS)[number];

const FIELD_COLUMN: Record<string, Column> = {
  date: 'date', attended: 'attended', missedReason: 'missed_reason', durationMin: 'duration_min', painBefore: 'pain_before', painDuring: 'pain_during',
  painAfter: 'pain_after', nextDayPain: 'next_day_pain', rpe: 'rpe', rpeScale: 'rpe_scale', bp: 'bp', restingHr: 'resting_hr', glucose: 'glucose',
  ketones: 'ketones', soreness: 'soreness', symptoms: 'symptoms', measures: 'measures', notes: 'notes',
};

class RowProblem extends Error {
  constructor(
    readonly column: string,
    message: string,
  ) {
    super(message);
  }
}

function rowToInput(row: Record<string, string>): Record<string, unknown> {
  const raw: Record<string, unknown> = {};
  const number = (col: Column, key: string) => {
    const v = row[col]?.trim();
    if (!v) return;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new RowProblem(col, `expected a number, got "${v}"`);
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
  yesNo('attended', 'attended');
  text('missed_reason', 'missedReason');
  // A reason for missing says the session was missed, unless the row says otherwise.
  if (raw.missedReason !== undefined && raw.attended === undefined) raw.attended = false;
  number('duration_min', 'durationMin');
  number('pain_before', 'painBefore');
  number('pain_during', 'painDuring');
  number('pain_after', 'painAfter');
  number('next_day_pain', 'nextDayPain');
  number('rpe', 'rpe');
  text('rpe_scale', 'rpeScale');
  text('bp', 'bp');
  number('resting_hr', 'restingHr');
  text('glucose', 'glucose');
  yesNo('ketones', 'ketones');
  text('soreness', 'soreness');
  if (row.symptoms?.trim()) raw.symptoms = row.symptoms.split(';').map((s) => s.trim()).filter(Boolean);
  if (row.measures?.trim()) {
    raw.measures = row.measures
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
  }
  text('notes', 'notes');
  return raw;
}

export async function importEntries(app: App, _opts: unknown, args: string[]): Promise<void> {
  const source = args[0]!;
  const text = await readSource(app.io, source, 'progress import');
  let rows: Record<string, string>[];
  try {
    rows = parse(text.replace(/^\uFEFF/, ''), { columns: true, skip_empty_lines: true, trim: false, relax_column_count: false }) as Record<string, string>[];
  } catch (err) {
    throw new UsageError(`${source} is not valid CSV: ${(err as Error).message.split('\n')[0]}`);
  }
  const header = text.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0]!.split(',').map((h) => h.trim().replace(/^"|"$/g, ''));
  const unknown = header.filter((h) => !(IMPORT_COLUMNS as readonly string[]).includes(h));
  if (unknown.length) throw new UsageError(`${source}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${u}"`).join(', ')}; the columns are ${IMPORT_COLUMNS.join(', ')}`);
  for (const needed of ['client', 'date'] as const) if (!header.includes(needed)) throw new UsageError(`${source}: the "${needed}" column is required`);
  if (rows.length === 0) throw new UsageError(`${source}: no rows to import`);

  const today = app.today();
  const result = await app.withStore(async (store) => {
    // Check every row before writing anything.
    const clients = new Map<string, Client>();
    const checked: { row: number; client: Client; entry: Omit<ProgressEntry, 'id' | 'clientId' | 'exercises'> & { exercises?: ProgressEntry['exercises'] } }[] = [];
    const problems: string[] = [];
    for (const [i, row] of rows.entries()) {
      const line = i + 2; // the header is line 1
      try {
        const key = (row.client ?? '').trim();
        if (!key) throw new RowProblem('client', 'required');
        let client = clients.get(key);
        if (!client) {
          try {
            client = await resolveClient(store, key);
          } catch (err) {
            if (err instanceof NotFoundError) throw new RowProblem('client', err.message);
            throw err;
          }
          clients.set(key, client);
        }
        const input = rowToInput(row);
        const r = checkProgressInput(input, { today, dateOfBirth: client.dateOfBirth });
        if (!r.ok) {
          const p = r.problems[0]!;
          throw new RowProblem(FIELD_COLUMN[p.path.split(/[.[]/)[0]!] ?? p.path, p.message);
        }
        checked.push({ row: line, client, entry: r.entry });
      } catch (err) {
        if (!(err instanceof RowProblem)) throw err;
        problems.push(`row ${line}, column ${err.column}: ${err.message}`);
        if (problems.length >= 20) break;
      }
    }
    if (problems.length > 0) throw new InputError(`${source}: ${problems.length}${problems.length >= 20 ? '+' : ''} bad row(s); nothing was imported`, problems);

    // All rows are good: write them in one transaction, in date order per client, each with its decision.
    checked.sort((a, b) => a.client.id - b.client.id || (a.entry.date < b.entry.date ? -1 : a.entry.date > b.entry.date ? 1 : a.row - b.row));
    return store.write(async (tx) => {
      const settings = resolveSettings(await getStoredSettings(tx));
      let entries = 0;
      let referrals = 0;
      let current: { clientId: number; previous: ProgressEntry[]; ctx: Parameters<typeof decideSession>[2]; program: Awaited<ReturnType<typeof activeProgram>>; open: Set<string>; toWhom: string } | undefined;
      for (const c of checked) {
        if (current?.clientId !== c.client.id) {
          const intake = await intakeInForce(tx, c.client.id, today);
          const clearance = clearanceInForce(await listClearances(tx, c.client.id), today);
          current = {
            clientId: c.client.id,
            previous: await listEntries(tx, c.client.id),
            ctx: { conditions: intake?.answers.conditions ?? [], medications: intake?.answers.medications ?? [], settings },
            program: await activeProgram(tx, c.client.id),
            open: new Set((await listReferrals(tx, { clientId: c.client.id, openOnly: true })).map((r) => r.code)),
            toWhom: clearance ? `${clearance.clinician} (${clearance.profession})` : "the client's physician",
          };
        }
        const entry: ProgressEntry = { ...c.entry, exercises: c.entry.exercises ?? [], id: 0, clientId: c.client.id, ...(current.program ? { stage: current.program.currentStage } : {}) };
        const before = current.previous.filter((e) => e.date <= entry.date);
        const decision = decideSession(entry, before, current.ctx);
        const id = await insertEntry(tx, { ...entry, programId: current.program?.id ?? null }, decision, app.writeContext());
        current.previous.push({ ...entry, id });
        entries++;
        for (const f of decision.flags) {
          if (current.open.has(f.code)) continue;
          await raiseReferral(tx, { clientId: c.client.id, entryId: id, raisedOn: entry.date, code: f.code, reason: f.text, toWhom: current.toWhom }, app.writeContext());
          current.open.add(f.code);
          referrals++;
        }
      }
      return { entries, referrals, clients: new Set([...clients.values()].map((c) => c.id)).size };
    });
  });
  if (app.io.json) app.io.printJson({ imported: result.entries, clients: result.clients, referralsRaised: result.referrals });
  else app.io.info(`Imported ${result.entries} entries for ${result.clients} client(s); ${result.referrals} referral(s) raised.`);
}
