/**
 * `client import`: one row of a trainer's spreadsheet (column → cell text) →
 * the client's fields, checked by the same rules as `client add`, every bad
 * cell named by its column. Pure: the app reads the file and the store.
 */
import { CLIENT_FIELDS, checkClientField, label, type ClientField, type ClientFields } from './client.js';
import { ValidationError } from './errors.js';
import { foldName } from './selector.js';

/** The columns, in the order of CLIENT_FIELDS (documented in the README). */
export const CLIENT_IMPORT_COLUMNS = ['first_name', 'last_name', 'date_of_birth', 'sex', 'email', 'phone', 'goals', 'notes', 'gp_name', 'gp_contact', 'surgeon_name', 'surgeon_contact', 'physio_name', 'physio_contact'] as const;
export type ClientImportColumn = (typeof CLIENT_IMPORT_COLUMNS)[number];
export const REQUIRED_CLIENT_IMPORT_COLUMNS: readonly ClientImportColumn[] = ['first_name', 'last_name', 'date_of_birth'];

const FIELD_OF: Record<ClientImportColumn, ClientField> = {
  first_name: 'firstName',
  last_name: 'lastName',
  date_of_birth: 'dateOfBirth',
  sex: 'sex',
  email: 'email',
  phone: 'phone',
  goals: 'goals',
  notes: 'notes',
  gp_name: 'gpName',
  gp_contact: 'gpContact',
  surgeon_name: 'surgeonName',
  surgeon_contact: 'surgeonContact',
  physio_name: 'physioName',
  physio_contact: 'physioContact',
};

export interface CellProblem {
  column: string;
  message: string;
}

export type ClientRowCheck = { ok: true; fields: ClientFields } | { ok: false; problems: CellProblem[] };

/**
 * A cell as bridgefit's own CSV and TSV write it defused ("'+44 20 …",
 * "'=x"): the apostrophe before = + - @ is dropped, so a list bridgefit wrote
 * reads back as it was. Any other apostrophe is kept.
 */
export function undefuse(cell: string): string {
  return /^'[=+\-@]/.test(cell) ? cell.slice(1) : cell;
}

/** Whether every cell of a row is empty: a spreadsheet's blank row, skipped. */
export function isBlankRow(row: Record<string, string | undefined>): boolean {
  return Object.values(row).every((v) => v === undefined || v.trim() === '');
}

/** Check one row: its fields as `client add` stores them, or every problem, each with its column. */
export function checkClientRow(row: Record<string, string | undefined>, today: string): ClientRowCheck {
  const problems: CellProblem[] = [];
  const out: Partial<Record<ClientField, unknown>> = {};
  for (const column of CLIENT_IMPORT_COLUMNS) {
    const field = FIELD_OF[column];
    const cell = row[column];
    const required = REQUIRED_CLIENT_IMPORT_COLUMNS.includes(column);
    if (cell === undefined && !required) {
      out[field] = null;
      continue;
    }
    if (required && (cell ?? '').trim() === '') {
      problems.push({ column, message: `${label(field)} is required${field === 'dateOfBirth' ? ' (YYYY-MM-DD)' : ''}` });
      continue;
    }
    try {
      out[field] = checkClientField(field, undefuse(cell ?? ''), today);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problems.push({ column, message: err.message });
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  // Every field is set, in CLIENT_FIELDS order.
  return { ok: true, fields: Object.fromEntries(CLIENT_FIELDS.map((f) => [f, out[f]])) as unknown as ClientFields };
}

/** Who a client is, for finding the same person twice: the name (case and accents aside) and the date of birth. */
export function clientIdentity(c: Pick<ClientFields, 'firstName' | 'lastName' | 'dateOfBirth'>): string {
  return `${foldName(`${c.firstName} ${c.lastName}`)}\u0000${c.dateOfBirth}`;
}
