/**
 * `bridgefit client import file.csv`: clients from a spreadsheet, all or
 * none. Every row is checked as `client add` checks its flags; a row that is
 * the same person as another row, or as a client already in the database
 * (same name, case and accents aside, and date of birth), is a problem too.
 * Any problem stops the import, naming the row and the column, and nothing is
 * written.
 */
import type { Client, ClientFields } from '../domain/client.js';
import { CLIENT_IMPORT_COLUMNS, REQUIRED_CLIENT_IMPORT_COLUMNS, checkClientRow, clientIdentity, isBlankRow } from '../domain/client-import.js';
import { foldName } from '../domain/selector.js';
import { insertClient, listClientIdentities } from '../store/clients.js';
import type { Store } from '../store/store.js';
import type { Ctx } from './context.js';
import { parseCsvTable } from './csv-table.js';
import { InputError, UsageError } from './errors.js';

/** At most this many problems are listed: a wrong file gives one per row. */
const MAX_PROBLEMS = 20;

export interface ClientImportResult {
  /** The clients added, each with the row it came from, in the file's order. */
  clients: (Client & { row: number })[];
  /** Rows whose name is already another client's (a different date of birth): added, as `client add` adds them, with a warning. */
  sameName: { row: number; ids: number[] }[];
}

/** The columns that say who a client is: where a duplicate is named. */
const IDENTITY_COLUMNS = 'first_name, last_name, date_of_birth';

/** The rows of a file that passed every check of their own, with the row each came from. */
export interface CheckedClients {
  source: string;
  rows: { row: number; fields: ClientFields }[];
}

/**
 * Read and check the file, before any database is opened: every bad cell and
 * every row that repeats an earlier one is named (up to 20), and nothing is
 * created or written.
 */
export function checkClientImport(text: string, source: string, today: string): CheckedClients {
  const rows = parseCsvTable(text, source, CLIENT_IMPORT_COLUMNS, REQUIRED_CLIENT_IMPORT_COLUMNS);
  const checked: { row: number; fields: ClientFields }[] = [];
  const problems: string[] = [];
  const firstRowOf = new Map<string, number>();
  rows.forEach((cells, i) => {
    if (problems.length >= MAX_PROBLEMS) return;
    const row = i + 2; // the header is row 1, as in the spreadsheet
    if (isBlankRow(cells)) return;
    const r = checkClientRow(cells, today);
    if (!r.ok) {
      for (const p of r.problems) problems.push(`row ${row}, column ${p.column}: ${p.message}`);
      return;
    }
    const key = clientIdentity(r.fields);
    const twin = firstRowOf.get(key);
    if (twin !== undefined) {
      problems.push(`row ${row}, columns ${IDENTITY_COLUMNS}: the same client as row ${twin} (same name and date of birth)`);
      return;
    }
    firstRowOf.set(key, row);
    checked.push({ row, fields: r.fields });
  });
  if (problems.length > 0) throw problemsError(source, problems);
  if (checked.length === 0) throw new UsageError(`${source}: no rows to import`);
  return { source, rows: checked };
}

function problemsError(source: string, problems: string[]): InputError {
  const listed = problems.slice(0, MAX_PROBLEMS);
  return new InputError(`${source}: ${listed.length}${problems.length >= MAX_PROBLEMS ? '+' : ''} problem(s) in the rows; nothing was imported`, listed);
}

/**
 * Add the checked clients in one transaction, unless one of them is already a
 * client (the same name and date of birth): then none is added, and every
 * such row is named.
 */
export async function importClients(store: Store, file: CheckedClients, ctx: Ctx): Promise<ClientImportResult> {
  const { source, rows: checked } = file;
  // The clients already there are read in the write transaction, so no client added meanwhile slips past the check.
  return store.write(async (tx) => {
    // Inside: a transaction run again (a clinic's serialisation retry) starts with none.
    const problems: string[] = [];
    const existing = await listClientIdentities(tx);
    const byIdentity = new Map(existing.map((c) => [clientIdentity(c), c]));
    for (const c of checked) {
      if (problems.length >= MAX_PROBLEMS) break;
      const there = byIdentity.get(clientIdentity(c.fields));
      if (there) problems.push(`row ${c.row}, columns ${IDENTITY_COLUMNS}: already client ${there.id}${there.status === 'archived' ? ' (archived)' : ''}, with the same name and date of birth; was this file imported before?`);
    }
    if (problems.length > 0) throw problemsError(source, problems);
    const names = new Map<string, number[]>();
    for (const c of existing) {
      const name = foldName(`${c.firstName} ${c.lastName}`);
      names.set(name, [...(names.get(name) ?? []), c.id]);
    }
    const clients: ClientImportResult['clients'] = [];
    const sameName: ClientImportResult['sameName'] = [];
    for (const c of checked) {
      const ids = names.get(foldName(`${c.fields.firstName} ${c.fields.lastName}`));
      if (ids) sameName.push({ row: c.row, ids });
      clients.push({ ...(await insertClient(tx, c.fields, ctx)), row: c.row });
    }
    return { clients, sameName };
  });
}
