/**
 * `bridgefit report`: the clinician report and the client handout as PDF, for
 * one client or for every client (`--all`). PDFs are health records: written
 * 0600, through a temporary file renamed into place, so a killed run never
 * leaves half a PDF under a report's name.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fullName, type Client } from '../domain/client.js';
import { localToday } from '../domain/dates.js';
import { buildHandout, handoutBlockedBy } from '../domain/handout.js';
import { buildReport, reportFileName, type ReportInput } from '../domain/report.js';
import { resolveSettings, resolveTrainer, type TrainerProfile } from '../domain/settings.js';
import { listClients } from '../store/clients.js';
import { getStoredSettings } from '../store/meta.js';
import { loadReportRecord } from '../store/report.js';
import type { Store } from '../store/store.js';
import { makeDirectory } from '../store/dirs.js';
import { cannotWrite, removeStalePartials } from '../store/files.js';
import type { RenderPool, Rendered } from '../report/pool.js';
import { READ, type App } from './app.js';
import { EXIT, NotFoundError, UsageError, UserError, messageFor } from './errors.js';
import { sinceFlag } from './progress.js';
import { resolveClient } from './resolve.js';
import { programFits, type FitsOf } from './program-fits.js';

export interface ReportOptions {
  since: string;
  out?: string;
  outDir?: string;
  all?: boolean;
  flagged?: boolean;
  handout?: boolean;
  log: boolean;
  question?: string[];
}

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

interface Context {
  app: App;
  store: Store;
  today: string;
  since: string;
  created: Date;
  trainer: TrainerProfile;
  validityMonths: number;
  intakeValidityMonths: number;
  fits: FitsOf;
  opts: ReportOptions;
  pool: RenderPool;
}

/** `bridgefit report <client>` and `bridgefit report --all --out-dir dir/` */
export async function report(app: App, opts: ReportOptions, args: string[]): Promise<number> {
  const selector = args[0];
  if (opts.flagged && !opts.all) throw new UsageError('--flagged goes with --all');
  if (opts.all && selector !== undefined) throw new UsageError('give a client or --all, not both');
  if (!opts.all && selector === undefined) throw new UsageError('which client? give an id or a name, or --all for every active client');
  if (opts.all) {
    if (!opts.outDir) throw new UsageError('--all needs --out-dir <dir>: one PDF per client is written there');
    if (opts.out !== undefined) throw new UsageError('--out names one file; with --all use --out-dir');
    if (opts.handout) throw new UsageError('--handout is for one client: bridgefit report <client> --handout');
  } else {
    if (opts.outDir !== undefined) throw new UsageError('--out-dir goes with --all; for one client use --out <file.pdf>');
    if (opts.flagged) throw new UsageError('--flagged goes with --all');
  }
  if (opts.handout && opts.question?.length) throw new UsageError('--question goes in the clinician report, not the handout');
  if (opts.handout && !opts.log) throw new UsageError('--no-log goes with the clinician report; the handout has no session log');
  if (opts.question?.some((q) => q.trim() === '')) throw new UsageError('--question is empty: give the question in quotes');
  if (opts.out === '-' && app.io.json) throw new UsageError('--json and --out - both write to standard output: choose one');
  if (opts.outDir !== undefined && (opts.outDir.trim() === '' || opts.outDir === '-')) throw new UsageError('--out-dir needs a folder name');
  if (opts.out === '-' && app.io.isStdoutTTY) throw new UsageError('not writing a PDF to the terminal: give --out <file.pdf>, or pipe it (--out - | …)');
  if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out needs a file name, or - for standard output');

  return withContext(app, opts, async (ctx) => {
    if (opts.all) return all(ctx);
    const client = await resolveClient(ctx.store, selector!);
    const result = (await one(ctx, client, opts.out ?? reportFileName(client.id, client.firstName, client.lastName, opts.handout ? '-handout' : '-report'))) as Exclude<Awaited<ReturnType<typeof one>>, string>;
    if (app.io.json) app.io.printJson({ clientId: client.id, kind: opts.handout ? 'handout' : 'report', file: result.file, pages: result.pages, warnings: result.warnings });
    else if (result.file !== '-') app.io.info(`Wrote ${opts.handout ? 'the handout' : 'the report'} for ${fullName(client)} to ${result.file} (${result.pages} page${result.pages === 1 ? '' : 's'})`);
    for (const w of result.warnings) app.io.warn(w);
    return EXIT.ok;
  });
}

/** Open the database and gather what every report shares: the date, the period, the trainer, the settings. */
async function withContext<T>(app: App, opts: ReportOptions, fn: (ctx: Context) => Promise<T>): Promise<T> {
  const { created, today } = reportClock(app.env, () => new Date(app.now()));
  if (app.env.SOURCE_DATE_EPOCH) app.io.info(`Dated ${today}, from SOURCE_DATE_EPOCH`);
  const since = sinceFlag(opts.since, today);
  if (since > today) throw new UsageError(`--since ${opts.since} is after the report date ${today}`);
  // Loaded here: the renderer's pool is only for this command.
  const { RenderPool } = await import('../report/pool.js');
  const pool = opts.all ? RenderPool.forBatch() : new RenderPool(1);
  return app.withStore(async (store) => {
    const stored = await getStoredSettings(store.db);
    const trainer = resolveTrainer(stored);
    try {
      const result = await fn({
        app,
        store,
        today,
        since,
        created,
        trainer,
        validityMonths: resolveSettings(stored)['screening.clearanceValidityMonths'],
        intakeValidityMonths: resolveSettings(stored)['screening.intakeValidityMonths'],
        fits: programFits(app),
        opts,
        pool,
      });
      // Said once the reports are written: a refusal stays one line.
      if (!trainer['trainer.name']) app.io.warn('trainer.name is not set, so reports carry no trainer name; set it once: bridgefit config set trainer.name "Your Name"');
      return result;
    } finally {
      await pool.close();
    }
  }, READ);
}

/** The demo's sample report and handout for one client: the files written. */
export async function sampleReports(app: App, clientId: number, dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const handout of [false, true]) {
    await withContext(app, { since: '6w', log: true, handout }, async (ctx) => {
      const client = await resolveClient(ctx.store, String(clientId));
      const r = (await one(ctx, client, path.join(dir, reportFileName(client.id, client.firstName, client.lastName, handout ? '-handout' : '-report')))) as Exclude<Awaited<ReturnType<typeof one>>, string>;
      files.push(r.file);
    });
  }
  return files;
}

async function input(ctx: Context, client: Client): Promise<ReportInput> {
  const record = await loadReportRecord(ctx.store.db, client, ctx.today);
  return {
    ...record,
    today: ctx.today,
    since: ctx.since,
    trainer: ctx.trainer,
    clearanceValidityMonths: ctx.validityMonths,
    intakeValidityMonths: ctx.intakeValidityMonths,
    programFits: await ctx.fits(record.program?.program),
    questions: ctx.opts.question ?? [],
  };
}

/** Build one PDF (in a worker) and write it to `file` ('-' is standard output). */
async function one(ctx: Context, client: Client, file: string, onlyFlagged = false): Promise<{ file: string; pages: number; warnings: string[] } | 'nothing to flag'> {
  const data = await input(ctx, client);
  const created = ctx.created.getTime();
  let rendering: Promise<Rendered>;
  if (ctx.opts.handout) {
    const blocked = handoutBlockedBy(data);
    if (blocked) throw new UserError(`no exercise sheet for ${fullName(client)}: ${blocked}; exercises wait until the clinician has seen them`);
    const model = buildHandout(data);
    if (!model) throw new NotFoundError(`no program for ${fullName(client)} yet, so there is no exercise sheet; run "bridgefit program generate ${client.id}"`);
    rendering = ctx.pool.render({ kind: 'handout', model, created });
  } else {
    const model = buildReport(data);
    // --flagged: exactly the clients whose page 1 has a red or amber box.
    if (onlyFlagged && model.attention.level === 'none') return 'nothing to flag';
    rendering = ctx.pool.render({ kind: 'report', model, log: ctx.opts.log, created });
  }
  const { bytes, pages, missing } = await rendering;
  const warnings = missing.length
    ? [`${fullName(client)}: no embedded font has ${missing.slice(0, 8).join(' ')}${missing.length > 8 ? ' …' : ''}; they show as boxes (Latin, Greek, Cyrillic, Arabic, Hebrew, Thai, Chinese, Japanese kana and Korean are covered)`]
    : [];
  if (file === '-') await writeOut(ctx.app.io.stdout as NodeJS.WritableStream, bytes);
  else await writeAtomically(file, (out) => writeOut(out, bytes, true));
  return { file, pages, warnings };
}

function writeOut(out: NodeJS.WritableStream, bytes: Uint8Array, end = false): Promise<void> {
  return new Promise((resolve, reject) => {
    out.once('error', reject);
    if (end) {
      out.once('finish', () => resolve());
      out.end(bytes);
    } else out.write(bytes, (err) => (err ? reject(err) : resolve()));
  });
}

function startsWithPdf(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(5);
    fs.readSync(fd, head, 0, 5, 0);
    return head.toString('latin1') === '%PDF-';
  } finally {
    fs.closeSync(fd);
  }
}

/** Write through `.name.partial` beside the target, then rename: readers see the old file or the whole new one. */
async function writeAtomically(file: string, write: (out: NodeJS.WritableStream) => Promise<void>): Promise<void> {
  const dir = path.dirname(path.resolve(file));
  if (!fs.existsSync(dir)) throw new UsageError(`cannot write ${file}: the folder ${dir} does not exist`);
  // Renaming over a device, a pipe or a link would replace it, not write into it.
  let existing: fs.Stats | undefined;
  try {
    existing = fs.lstatSync(file, { throwIfNoEntry: false });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOTDIR') throw new UsageError(`cannot write ${file}: part of the path is a file, not a folder`);
    throw err;
  }
  if (existing?.isSymbolicLink()) throw new UsageError(`${file} is a symbolic link; give the path of the file itself`);
  if (existing?.isDirectory()) throw new UsageError(`cannot write ${file}: it is a folder`);
  if (existing && !existing.isFile()) throw new UsageError(`${file} is not a regular file (a device or a pipe); not writing over it`);
  // A report replaces an earlier PDF, never anything else (the database itself, a note, a backup).
  if (existing?.isFile() && existing.size > 0 && !startsWithPdf(file)) throw new UsageError(`${file} exists and is not a PDF; not replacing it`);
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.partial`);
  try {
    const out = fs.createWriteStream(tmp, { mode: 0o600, flags: 'wx' });
    await write(out);
    fs.renameSync(tmp, file);
  } catch (err) {
    fs.rmSync(tmp, { force: true });
    throw cannotWrite(file, err);
  }
}

/** Reports being read, drawn or written at once in `--all`. */
const IN_FLIGHT = 4;

async function all(ctx: Context): Promise<number> {
  const { app, store, opts } = ctx;
  const outDir = opts.outDir!;
  try {
    makeDirectory(outDir);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const why: Record<string, string> = { ENOENT: 'a folder on the way cannot be made there', EACCES: 'permission denied', EPERM: 'permission denied', EROFS: 'the file system is read-only', ENOTDIR: 'part of the path is a file', ENOSPC: 'the disk is full' };
    throw new UsageError(`cannot make the folder ${outDir}: ${why[code] ?? (code || (err as Error).message)}`);
  }
  if (!fs.statSync(outDir).isDirectory()) throw new UsageError(`--out-dir ${outDir} is a file, not a folder`);
  // Left by a run that was killed: never a finished report.
  // Not one another run is writing now: its name carries the pid of the run that made it.
  removeStalePartials(outDir, '.');

  const clients = await listClients(store.db, 'active');
  const bar = app.io.progressBar(clients.length, 'Reports');
  const written: { clientId: number; file: string; pages: number }[] = [];
  const failed: { clientId: number; client: string; error: string }[] = [];
  const warnings: string[] = [];
  // Records are read here while workers draw: a few reports in flight at a time, so memory stays flat.
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  for (const client of clients) {
    const file = path.join(outDir, reportFileName(client.id, client.firstName, client.lastName));
    const task = one(ctx, client, file, opts.flagged)
      .then((r) => {
        if (r === 'nothing to flag') return;
        written.push({ clientId: client.id, file, pages: r.pages });
        warnings.push(...r.warnings);
      })
      .catch((err: unknown) => {
        // One client's broken record must not stop the others; it is listed at the end.
        failed.push({ clientId: client.id, client: fullName(client), error: messageFor(err) });
      })
      .finally(() => {
        inFlight.delete(task);
        bar.update(++done);
      });
    inFlight.add(task);
    if (inFlight.size >= IN_FLIGHT) await Promise.race(inFlight);
  }
  await Promise.all(inFlight);
  written.sort((a, b) => a.clientId - b.clientId);
  failed.sort((a, b) => a.clientId - b.clientId);
  bar.done();
  for (const w of warnings) app.io.warn(w);
  if (app.io.json) app.io.printJson({ outDir, written, failed });
  else {
    app.io.info(`Wrote ${written.length} report${written.length === 1 ? '' : 's'} to ${outDir}${opts.flagged ? ' (flagged clients only)' : ''}`);
    if (clients.length === 0) app.io.info(opts.flagged ? 'No client is flagged.' : 'No active clients.');
  }
  if (failed.length === 0) return EXIT.ok;
  app.io.error(`${failed.length} report${failed.length === 1 ? '' : 's'} could not be made:`);
  for (const f of failed) app.io.stderr.write(`  client ${f.clientId} (${f.client}): ${f.error}\n`);
  return EXIT.failure;
}
