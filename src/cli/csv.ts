/**
 * CSV and TSV that bridgefit writes. A cell a spreadsheet would run as a
 * formula (text starting with = + - @, a tab or a carriage return) is written
 * with a leading apostrophe, as OWASP's "CSV Injection" page recommends: a
 * client named =HYPERLINK(…) stays text. Numbers are written as numbers.
 * Spreadsheets open TSV as readily as CSV, so TSV cells are defused the same way.
 */
export type CsvValue = string | number | boolean | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as written: '' for no value, numbers and true/false as they are, formula-like text defused. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return FORMULA_START.test(value) ? `'${value}` : value;
}

/** The whole document: a header row, then one row per record (csv-stringify quotes what needs it). */
export async function toCsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): Promise<string> {
  const { stringify } = await import('csv-stringify/sync');
  return stringify(
    rows.map((r) => r.map(csvCell)),
    { header: true, columns: [...header] },
  );
}

/**
 * One TSV cell: defused as in CSV, then a backslash, tab, newline or carriage
 * return inside it is written as \\, \t, \n or \r (the escapes PostgreSQL's
 * COPY and MySQL's LOAD DATA read), so every record stays one line of
 * tab-separated cells and nothing in a note is lost.
 */
export function tsvCell(value: CsvValue): string {
  return csvCell(value).replace(/[\\\t\n\r]/g, (ch) => ({ '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' })[ch]!);
}

/** The whole TSV document: a header row, then one line per record. */
export function toTsv(header: readonly string[], rows: readonly (readonly CsvValue[])[]): string {
  return [header, ...rows].map((r) => `${r.map(tsvCell).join('\t')}\n`).join('');
}
