/**
 * `--format table|json|csv|tsv` for the commands whose output is tabular
 * (client list, progress list, referral list, summary): one flag, one rule
 * for how it meets the global --json, one writer for CSV and TSV.
 */
import { Option } from '@commander-js/extra-typings';
import { UsageError } from '../app/errors.js';
import type { Cli } from './cli.js';
import { toCsv, toTsv, type CsvValue } from './csv.js';
import { printable } from './io.js';

export const FORMATS = ['table', 'json', 'csv', 'tsv'] as const;
export type Format = (typeof FORMATS)[number];

/** The --format option, the same on every command that takes it. */
export function formatOption() {
  return new Option(
    '--format <format>',
    'table (aligned on a terminal; tab-separated rows without a header when piped), json, csv or tsv (a header row; columns in the README)',
  )
    .choices(FORMATS)
    .default('table' as const);
}

/**
 * The format to print in: --json is --format json (as it always was); with
 * --format csv or tsv it is a contradiction, refused rather than guessed.
 */
export function chosenFormat(cli: Cli, format: Format): Format {
  if (!cli.io.json) return format;
  if (format === 'csv' || format === 'tsv') throw new UsageError(`--json and --format ${format} ask for two formats: give one`);
  return 'json';
}

/**
 * A header row and one row per record, as CSV or TSV, on stdout. A control
 * character other than tab and newline (only an old or edited database holds
 * one) is written as \uXXXX, as everywhere bridgefit prints.
 */
export async function printDelimited(cli: Cli, format: 'csv' | 'tsv', header: readonly string[], rows: readonly (readonly CsvValue[])[]): Promise<void> {
  cli.io.stdout.write(printable(format === 'csv' ? await toCsv(header, rows) : toTsv(header, rows)));
}
