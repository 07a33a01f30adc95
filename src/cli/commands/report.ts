/**
 * `report <client>` / `report --all`: the clinician report and the client
 * handout as PDF, for one client or for every active client. PDFs are health
 * records: written 0600 and whole (app/report-files.ts), so a killed run never
 * leaves half a PDF under a report's name.
 */
import path from 'node:path';
import { EXIT, UsageError, messageFor } from '../../app/errors.js';
import { checkReportTarget, prepareReportFolder } from '../../app/report-files.js';
import { clientReportFile } from '../../app/romanise.js';
import { reportClients } from '../../app/report-input.js';
import { resolveClient } from '../../app/clients.js';
import { fullName } from '../../domain/client.js';
import { command, examples, repeat, type OptionsOf } from '../command.js';
import { withReportRun, writeReport, type ReportRun } from '../pdf-output.js';
import type { Command } from '@commander-js/extra-typings';

const flags = (c: Command) =>
  c
    .argument('[client]', 'id or name fragment (or --all)')
    .option('--since <when>', 'start of the period: a date (YYYY-MM-DD) or a span: 6w, 90d, 3m', '6w')
    .option('--out <file>', 'where to write the PDF, or - for standard output (default: <id>-<name>-report.pdf here)')
    .option('--handout', "the client's exercise sheet for the current stage instead: large type, plain words")
    .option('--no-log', 'leave the session log out of the clinician report')
    .option('--question <text>', 'a question for the clinician, on page 1 (repeatable)', repeat)
    .option('--all', 'one report per active client, into --out-dir')
    .option('--flagged', 'with --all: only the clients whose report has something for the clinician (a red or amber box on page 1)')
    .option('--out-dir <dir>', 'with --all: the folder for the reports (made if missing)')
    .option('--force', 'with --out: replace the file when it exists')
    .addHelpText(
      'after',
      examples(
        'bridgefit report zoe',
        'bridgefit report 12 --since 2026-10-01 --out zoe-oct.pdf --question "May she start stairs without the rail?"',
        'bridgefit report 12 --handout',
        'bridgefit report --all --flagged --since 4w --out-dir reports/',
        'SOURCE_DATE_EPOCH=1764201600 bridgefit report 12 --out - > same-every-time.pdf',
      ),
    );

type Options = OptionsOf<ReturnType<typeof flags>>;

export const report = command({
  define: flags,
  async run(cli, opts, [selector]) {
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
    if (opts.out === '-' && cli.io.json) throw new UsageError('--json and --out - both write to standard output: choose one');
    if (opts.outDir !== undefined && (opts.outDir.trim() === '' || opts.outDir === '-')) throw new UsageError('--out-dir needs a folder name');
    if (opts.out === '-' && cli.io.isStdoutTTY) throw new UsageError('not writing a PDF to the terminal: give --out <file.pdf>, or pipe it (--out - | …)');
    if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out needs a file name, or - for standard output');
    if (opts.force && opts.out === undefined) throw new UsageError('--force goes with --out <file>');
    // As backup does: a report already there is kept until the trainer says to replace it (anything else is never replaced).
    if (opts.out !== undefined && opts.out !== '-') checkReportTarget(opts.out, Boolean(opts.force));
    return withReportRun(cli, opts, Boolean(opts.all), async (run) => {
      if (opts.all) return all(run, opts);
      const client = await resolveClient(run.store, selector!);
      const result = await writeReport(run, client, opts.out ?? clientReportFile(client, opts.handout ? '-handout' : '-report'));
      if (cli.io.json) cli.io.printJson({ clientId: client.id, kind: opts.handout ? 'handout' : 'report', file: result.file, pages: result.pages, warnings: result.warnings });
      else if (result.file !== '-') cli.io.info(`Wrote ${opts.handout ? 'the handout' : 'the report'} for ${fullName(client)} to ${result.file} (${result.pages} page${result.pages === 1 ? '' : 's'})`);
      for (const w of result.warnings) cli.io.warn(w);
      return EXIT.ok;
    });
  },
});

/** Reports being read, drawn or written at once in `--all`. */
const IN_FLIGHT = 4;

async function all(run: ReportRun, opts: Options): Promise<number> {
  const { cli } = run;
  const outDir = opts.outDir!;
  prepareReportFolder(outDir);

  const clients = await reportClients(run.store);
  const bar = cli.io.progressBar(clients.length, 'Reports');
  const written: { clientId: number; file: string; pages: number }[] = [];
  const failed: { clientId: number; client: string; error: string }[] = [];
  const warnings: string[] = [];
  // Records are read here while workers draw: a few reports in flight at a time, so memory stays flat.
  const inFlight = new Set<Promise<void>>();
  let done = 0;
  for (const client of clients) {
    const file = path.join(outDir, clientReportFile(client));
    const task = writeReport(run, client, file, opts.flagged ?? false)
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
  for (const w of warnings) cli.io.warn(w);
  if (cli.io.json) cli.io.printJson({ outDir, written, failed });
  else {
    cli.io.info(`Wrote ${written.length} report${written.length === 1 ? '' : 's'} to ${outDir}${opts.flagged ? ' (flagged clients only)' : ''}`);
    if (clients.length === 0) cli.io.info(opts.flagged ? 'No client is flagged.' : 'No active clients.');
  }
  if (failed.length === 0) return EXIT.ok;
  cli.io.error(`${failed.length} report${failed.length === 1 ? '' : 's'} could not be made:`);
  for (const f of failed) cli.io.stderr.write(`  client ${f.clientId} (${f.client}): ${f.error}\n`);
  return EXIT.failure;
}

