/** The summary as JSON, CSV (stable columns) or a table (summary, demo). */
import type { SummaryRow } from '../app/summary.js';
import type { Cli } from './cli.js';
import { printDelimited, type Format } from './format.js';

/** The stable CSV and TSV columns, in order (documented in the README). */
export const SUMMARY_COLUMNS = [
  'clientId', 'client', 'status', 'stage', 'stageName', 'sessionsPlanned', 'sessionsAttended', 'adherence', 'painTrend', 'outcomes', 'openReferrals', 'lastSession', 'nextAction', 'flagged',
] as const;

function outcomesText(r: SummaryRow): string {
  return r.outcomes
    .map((o) => `${o.code} ${o.baseline}→${o.latest} (${o.change >= 0 ? '+' : ''}${o.change}${o.mcidReached === null ? '' : o.mcidReached ? ', MCID reached' : ', below MCID'})`)
    .join('; ');
}

export async function printSummary(cli: Cli, rows: readonly SummaryRow[], opts: { format: Format; flagged?: boolean; from: string; today: string }): Promise<void> {
  const { from, today, format } = opts;
  if (format === 'json') {
    cli.io.printJson(rows);
    return;
  }
  // A clinic's summary says whose each client is: in JSON, and last in CSV and TSV.
  const inClinic = rows.some((r) => r.trainer !== undefined);
  if (format === 'csv' || format === 'tsv') {
    const columns = inClinic ? [...SUMMARY_COLUMNS, 'trainer' as const] : SUMMARY_COLUMNS;
    const cell = (r: SummaryRow, c: (typeof columns)[number]) => (c === 'outcomes' ? outcomesText(r) : c === 'trainer' ? (r.trainer ?? null) : r[c]);
    await printDelimited(cli, format, columns, rows.map((r) => columns.map((c) => cell(r, c))));
    return;
  }
  if (rows.length === 0) {
    cli.io.info(opts.flagged ? 'No client is flagged.' : 'No clients.');
    return;
  }
  const { c } = cli.io;
  // The table shows the trainer where it tells something: clients of more than one trainer.
  const byTrainer = new Set(rows.map((r) => r.trainer)).size > 1;
  cli.io.table(
    ['ID', 'CLIENT', ...(byTrainer ? ['TRAINER'] : []), 'STAGE', 'SESSIONS', 'ADHERENCE', 'PAIN', 'OUTCOMES', 'REFERRALS', 'NEXT'],
    rows.map((r) => [
      String(r.clientId),
      r.client,
      ...(byTrainer ? [r.trainer ?? ''] : []),
      r.stage === null ? '-' : String(r.stage),
      `${r.sessionsAttended}/${r.sessionsPlanned}`,
      r.adherence === null ? '-' : `${Math.round(r.adherence * 100)}%`,
      r.painTrend,
      outcomesText(r) || '-',
      String(r.openReferrals),
      r.nextAction,
    ]),
    (row, col, text) => (rows[row]!.flagged && col === 1 ? c.red(text) : col === (byTrainer ? 6 : 5) && text === 'worsening' ? c.red(text) : text),
  );
  cli.io.info(`${rows.length} client(s), ${from} to ${today}${rows.some((r) => r.flagged) ? `; ${rows.filter((r) => r.flagged).length} flagged` : ''}`);
}
