/**
 * Making report PDFs for a command (report, demo): the report's day, the
 * input from the use case (app/report-input.ts), the model from the domain,
 * the drawing in a worker (src/render), then one atomic write
 * (app/report-files.ts) or standard output.
 */
import { UsageError, NotFoundError, UserError } from '../app/errors.js';
import { writeReportFile } from '../app/report-files.js';
import { reportInput, reportSettings, type ReportSettings } from '../app/report-input.js';
import type { FitsOf, LoadRulesOf } from '../app/fits.js';
import { fullName, type Client } from '../domain/client.js';
import { localToday } from '../domain/dates.js';
import { buildHandout, handoutBlockedBy } from '../domain/handout.js';
import { buildReport } from '../domain/report.js';
import type { RenderPool, Rendered } from '../render/pool.js';
import type { Cli, Store } from './cli.js';
import { sinceFlag } from './since.js';
import { fitsFor, loadRulesFor } from './fits.js';

/** When the report says it was produced: SOURCE_DATE_EPOCH (reproducible builds) or now. */
export function reportClock(env: NodeJS.ProcessEnv, now: () => Date): { created: Date; today: string } {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') {
    const created = now();
    return { created, today: localToday(created) };
  }
  if (!/^\d{1,12}$/.test(epoch.trim())) throw new UsageError(`SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01, got "${epoch}"`);
  const created = new Date(Number(epoch.trim()) * 1000);
  // The epoch names a moment; the report's day is that moment's UTC date, the same on every machine.
  return { created, today: created.toISOString().slice(0, 10) };
}

export interface ReportOptions {
  since: string;
  handout?: boolean;
  log: boolean;
  question?: string[];
}

/** What every report of one run shares: the day, the period, the settings, the renderer. */
export interface ReportRun {
  cli: Cli;
  store: Store;
  today: string;
  since: string;
  created: Date;
  settings: ReportSettings;
  fits: FitsOf;
  /** The load rules of a program generated before they were kept (the library is loaded only then). */
  loadRules: LoadRulesOf;
  opts: ReportOptions;
  pool: RenderPool;
}

/** Open the database and gather what every report shares; `batch`: workers for many reports. */
export async function withReportRun<T>(cli: Cli, opts: ReportOptions, batch: boolean, fn: (run: ReportRun) => Promise<T>): Promise<T> {
  const { created, today } = reportClock(cli.env, () => new Date(cli.now()));
  if (cli.env.SOURCE_DATE_EPOCH) cli.io.info(`Dated ${today}, from SOURCE_DATE_EPOCH`);
  const since = sinceFlag(opts.since, today);
  if (since > today) throw new UsageError(`--since ${opts.since} is after the report date ${today}`);
  // Loaded here: the renderer's pool is only for the commands that draw.
  const { RenderPool } = await import('../render/pool.js');
  const pool = batch ? RenderPool.forBatch() : new RenderPool(1);
  return cli.withStore(
    async (store) => {
      const settings = await reportSettings(store);
      try {
        const result = await fn({ cli, store, today, since, created, settings, fits: fitsFor(cli), loadRules: loadRulesFor(cli), opts, pool });
        // Said once the reports are written: a refusal stays one line.
        // In a clinic trainer.name is each member's own, as on a file (else their member name is used).
        if (!settings.trainer['trainer.name']) cli.io.warn(`trainer.name is not set, so reports carry no trainer name; set it once: bridgefit config set trainer.name "Your Name"${store.clinic ? ' (yours alone in the clinic)' : ''}`);
        return result;
      } finally {
        await pool.close();
      }
    },
    { create: false },
  );
}

export interface WrittenReport {
  file: string;
  pages: number;
  warnings: string[];
}

/** Build one PDF (in a worker) and write it to `file` ('-' is standard output); 'nothing to flag' when `onlyFlagged` and page 1 has no red or amber box. */
export async function writeReport(run: ReportRun, client: Client, file: string): Promise<WrittenReport>;
export async function writeReport(run: ReportRun, client: Client, file: string, onlyFlagged: boolean): Promise<WrittenReport | 'nothing to flag'>;
export async function writeReport(run: ReportRun, client: Client, file: string, onlyFlagged = false): Promise<WrittenReport | 'nothing to flag'> {
  const data = await reportInput(run.store, client, { today: run.today, since: run.since, questions: run.opts.question ?? [], settings: run.settings, fits: run.fits, rulesOf: run.loadRules });
  const created = run.created.getTime();
  let rendering: Promise<Rendered>;
  if (run.opts.handout) {
    const blocked = handoutBlockedBy(data);
    if (blocked) throw new UserError(`no exercise sheet for ${fullName(client)}: ${blocked}; exercises wait until the clinician has seen them`);
    const model = buildHandout(data);
    if (!model) throw new NotFoundError(`no program for ${fullName(client)} yet, so there is no exercise sheet; run "bridgefit program generate ${client.id}"`);
    rendering = run.pool.render({ kind: 'handout', model, created });
  } else {
    const model = buildReport(data);
    // --flagged: exactly the clients whose page 1 has a red or amber box.
    if (onlyFlagged && model.attention.level === 'none') return 'nothing to flag';
    rendering = run.pool.render({ kind: 'report', model, log: run.opts.log, created });
  }
  const { bytes, pages, missing } = await rendering;
  const warnings = missing.length
    ? [`${fullName(client)}: no embedded font has ${missing.slice(0, 8).join(' ')}${missing.length > 8 ? ' …' : ''}; they show as boxes (Latin, Greek, Cyrillic, Arabic, Hebrew, Thai, Chinese, Japanese kana and Korean are covered)`]
    : [];
  if (file === '-') await writeOut(run.cli.io.stdout as NodeJS.WritableStream, bytes);
  else await writeReportFile(file, bytes);
  return { file, pages, warnings };
}

function writeOut(out: NodeJS.WritableStream, bytes: Uint8Array): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    out.write(bytes, (err) => (err ? reject(err) : resolve()));
  });
}
