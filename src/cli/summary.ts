import { addDays, daysBetween } from '../domain/dates.js';
import { summaryRow, type SummaryRow } from '../domain/summary.js';
import { summaryFigures } from '../store/summary.js';
import { READ, type App } from './app.js';
import { UsageError } from './errors.js';
import { sinceFlag } from './since.js';
import { resolveClient } from './resolve.js';

interface SummaryOptions {
  since: string;
  client?: string[];
  flagged?: boolean;
  status: 'active' | 'archived' | 'all';
  format: 'table' | 'json' | 'csv';
}

/** The stable CSV columns, in order (documented in the README). */
export const SUMMARY_COLUMNS = [
  'clientId', 'client', 'status', 'stage', 'stageName', 'sessionsPlanned', 'sessionsAttended', 'adherence', 'painTrend', 'outcomes', 'openReferrals', 'lastSession', 'nextAction', 'flagged',
] as const;

function outcomesText(r: SummaryRow): string {
  return r.outcomes
    .map((o) => `${o.code} ${o.baseline}→${o.latest} (${o.change >= 0 ? '+' : ''}${o.change}${o.mcidReached === null ? '' : o.mcidReached ? ', MCID reached' : ', below MCID'})`)
    .join('; ');
}

/** `bridgefit summary` */
export async function summary(app: App, opts: SummaryOptions): Promise<void> {
  const today = app.today();
  const from = sinceFlag(opts.since, today);
  if (from > today) throw new UsageError(`--since ${opts.since} is in the future`);
  const span = daysBetween(from, today);
  const mid = addDays(from, Math.ceil((span + 1) / 2));
  const rows = await app.withStore(async (store) => {
    const clientIds = opts.client ? await Promise.all(opts.client.map(async (s) => (await resolveClient(store, s)).id)) : undefined;
    const figures = await summaryFigures(store.db, { from, to: today, mid, status: opts.status, ...(clientIds ? { clientIds } : {}) });
    return figures.map((f) => summaryRow(f, { from, to: today })).filter((r) => !opts.flagged || r.flagged);
  }, READ);
  const format = app.io.json ? 'json' : opts.format;
  if (format === 'json') {
    app.io.printJson(rows);
    return;
  }
  if (format === 'csv') {
    const { stringify } = await import('csv-stringify/sync');
    app.io.stdout.write(
      stringify(
        rows.map((r) => SUMMARY_COLUMNS.map((c) => (c === 'outcomes' ? outcomesText(r) : r[c] === null ? '' : String(r[c])))),
        { header: true, columns: [...SUMMARY_COLUMNS] },
      ),
    );
    return;
  }
  if (rows.length === 0) {
    app.io.info(opts.flagged ? 'No client is flagged.' : 'No clients.');
    return;
  }
  const { c } = app.io;
  app.io.table(
    ['ID', 'CLIENT', 'STAGE', 'SESSIONS', 'ADHERENCE', 'PAIN', 'OUTCOMES', 'REFERRALS', 'NEXT'],
    rows.map((r) => [
      String(r.clientId),
      r.client,
      r.stage === null ? '-' : String(r.stage),
      `${r.sessionsAttended}/${r.sessionsPlanned}`,
      r.adherence === null ? '-' : `${Math.round(r.adherence * 100)}%`,
      r.painTrend,
      outcomesText(r) || '-',
      String(r.openReferrals),
      r.nextAction,
    ]),
    (row, col, text) => (rows[row]!.flagged && col === 1 ? c.red(text) : col === 5 && text === 'worsening' ? c.red(text) : text),
  );
  app.io.info(`${rows.length} client(s), ${from} to ${today}${rows.some((r) => r.flagged) ? `; ${rows.filter((r) => r.flagged).length} flagged` : ''}`);
}
