/**
 * CSV that bridgefit writes. A cell a spreadsheet would run as a formula
 * (text starting with = + - @, a tab or a carriage return) is written with a
 * leading apostrophe, as OWASP's "CSV Injection" page recommends: a client
 * named =HYPERLINK(…) stays text. Numbers are written as numbers.
 */
export type CsvValue = string | number | null | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as written: '' for no value, numbers as they are, formula-like text defused. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') return String(value);
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
