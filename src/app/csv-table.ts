/**
 * A CSV file a trainer hands to an import (`progress import`, `client
 * import`): its header checked against the columns the import reads, its rows
 * as column → cell text. Every refusal names the file and writes nothing.
 */
import { parse } from 'csv-parse/sync';
import { oneLine } from '../domain/errors.js';
import { UsageError } from './errors.js';

/**
 * A spreadsheet set to a language that writes decimals with a comma (French,
 * German, Polish …) saves "CSV" separated by semicolons: a header line with
 * semicolons and no comma is read so. No column name holds either.
 */
function delimiterOf(text: string): ',' | ';' {
  const first = text.slice(0, text.search(/\r?\n|$/));
  return first.includes(';') && !first.includes(',') ? ';' : ',';
}

/** The CSV text → its rows (column → cell text), header checked; throws UsageError naming `source`. */
export function parseCsvTable(text: string, source: string, columns: readonly string[], required: readonly string[]): Record<string, string>[] {
  if (text.trim() === '') throw new UsageError(`${source} is empty: expected a header line and rows`);
  let header: string[] = [];
  let rows: Record<string, string>[];
  const body = text.replace(/^\uFEFF/, '');
  try {
    rows = parse(body, {
      delimiter: delimiterOf(body),
      // Names are trimmed: "pain_before, symptoms" must not make a column " symptoms" that is read as no symptoms.
      columns: (names: string[]) => (header = names.map((h) => String(h).trim())),
      skip_empty_lines: true,
      trim: false,
      relax_column_count: false,
    }) as Record<string, string>[];
  } catch (err) {
    const message = oneLine((err as Error).message.split('\n')[0]!).slice(0, 200);
    const length = /columns length is (\d+), got (\d+) on line (\d+)/.exec(message);
    if (length) throw new UsageError(`${source}: line ${length[3]} has ${length[2]} fields but the header has ${length[1]}; nothing was imported`);
    throw new UsageError(`${source} is not valid CSV: ${message}; nothing was imported`);
  }
  const unknown = header.filter((h) => !columns.includes(h));
  if (unknown.length) throw new UsageError(`${source}: unknown column${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => `"${oneLine(u)}"`).join(', ')}; the columns are ${columns.join(', ')}`);
  // Two columns of one name: only the last would be read, the other dropped in silence.
  const twice = header.find((h, i) => header.indexOf(h) !== i);
  if (twice !== undefined) throw new UsageError(`${source}: the "${twice}" column appears twice; nothing was imported`);
  for (const needed of required) if (!header.includes(needed)) throw new UsageError(`${source}: the "${needed}" column is required`);
  return rows;
}
