/** `export` and `import`: the data as one JSON document (README "Export and import"). */
import { resolveClient } from '../../app/clients.js';
import { UsageError } from '../../app/errors.js';
import { exportToFile, writeExport, type ExportSelection } from '../../app/export.js';
import { exportFhirToFile, writeFhir } from '../../app/fhir-export.js';
import { importPrepared, prepareImport } from '../../app/import.js';
import { exportJsonSchema } from '../../domain/export.js';
import { CREATE, READ, type Cli } from '../cli.js';
import { command, examples } from '../command.js';
import { fitsFor } from '../fits.js';
import { readSource } from '../input.js';
import { sinceFlag } from '../since.js';

export const exportData = command({
  define: (c) =>
    c
      .argument('[client]', 'one client (id or name fragment); or --all')
      .option('--all', 'every client, the settings and the whole audit log')
      .option('--format <format>', 'json (the whole record, read back by import) or fhir (one client as a FHIR R4 Bundle)', 'json')
      .option('--since <when>', 'with --format fhir: sessions and observations from this day on (YYYY-MM-DD, or a span like 6w, 3m)')
      .option('--out <file>', 'where to write it, or - for standard output (the default when it is not a terminal)')
      .option('--force', 'with --out: replace the file when it exists')
      .option('--schema', 'print the JSON Schema of the document instead')
      .addHelpText(
        'after',
        examples(
          'bridgefit export --all --out bridgefit-2026-12-02.json',
          'bridgefit export --all --format json --out - | gzip > all.json.gz',
          'bridgefit export zoe --out zoe-moreau.json',
          'bridgefit export --schema > bridgefit-export.schema.json',
          'bridgefit export zoe --format fhir --since 6w --out zoe-moreau-fhir.json',
        ),
      ),
  async run(cli, opts, [selector]) {
    if (opts.format !== 'json' && opts.format !== 'fhir') throw new UsageError(`--format ${opts.format}: the export is written as json or fhir`);
    if (opts.format === 'fhir') return exportFhir(cli, opts, selector);
    if (opts.since !== undefined) throw new UsageError('--since goes with --format fhir: the json export holds the whole record');
    if (opts.schema) {
      if (selector !== undefined || opts.all || opts.out !== undefined) throw new UsageError('--schema prints the schema only: give no client, --all or --out with it');
      cli.io.printJson(exportJsonSchema());
      return;
    }
    if (selector !== undefined && opts.all) throw new UsageError('give a client or --all, not both');
    if (selector === undefined && !opts.all) throw new UsageError('missing <client>: which client to export? (or --all for everything, --schema for the format)');
    if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out needs a file name, or - for standard output');
    const out = opts.out ?? '-';
    if (opts.force && opts.out === undefined) throw new UsageError('--force goes with --out <file>');
    if (out === '-' && cli.io.json) throw new UsageError('--json and --out - both write to standard output: choose one (--out <file> --json prints what was written)');
    if (out === '-' && cli.io.isStdoutTTY) throw new UsageError('not writing the export to the terminal: give --out <file>, or pipe it (--out - | …)');

    const bar = progressOf(cli, 'Exporting');
    const result = await cli.withStore(async (store) => {
      const selection: ExportSelection = opts.all ? { all: true } : { all: false, clientIds: [(await resolveClient(store, selector!)).id] };
      if (out !== '-') return exportToFile(store, selection, out, Boolean(opts.force), cli.now(), bar.update);
      const written = await writeExport(store, selection, (chunk) => cli.io.writeOut(chunk), cli.now(), bar.update);
      return { ...written, file: '-' };
    }, READ).finally(bar.done);
    if (out === '-') return;
    if (cli.io.json) cli.io.printJson(result);
    else cli.io.info(`Exported ${result.clients} client${result.clients === 1 ? '' : 's'} (${result.rows.progress_entries} session entries, ${result.rows.audit_log} audit records) to ${result.file}`);
  },
});

export const importData = command({
  define: (c) =>
    c
      .argument('<file>', 'a file written by "bridgefit export", or - for stdin')
      .addHelpText('after', examples('bridgefit import bridgefit-2026-12-02.json', 'bridgefit --db ~/new/clients.db import zoe-moreau.json --json', 'gunzip -c all.json.gz | bridgefit import -')),
  async run(cli, _opts, [file]) {
    const name = file === '-' ? 'stdin' : file;
    // The whole file is checked before the database is opened (or made): a bad file leaves nothing behind.
    // Its text is not kept once parsed: only the parsed document is held while it is written.
    const prepared = prepareImport(await readSource(cli.io, file, 'import', 'export'), name);
    const bar = progressOf(cli, 'Importing');
    const result = await cli.withStore((store) => importPrepared(store, prepared, cli.ctx(), bar.update), CREATE).finally(bar.done);
    if (cli.io.json) cli.io.printJson(result);
    else {
      const ids = result.keptIds ? 'ids kept' : 'new ids';
      cli.io.info(`Imported ${result.clients} client${result.clients === 1 ? '' : 's'} (${result.rows.progress_entries} session entries, ${result.rows.audit_log} audit records; ${ids}) from ${name}`);
      if (result.settingsKept.length > 0) cli.io.info(`Kept this database's own settings for ${result.settingsKept.join(', ')} (the file's values were not applied)`);
      if (!result.keptIds) for (const c of result.clientIds) cli.io.out(`${c.from} -> ${c.to}`);
    }
  },
});

/**
 * --format fhir: one client as a FHIR R4 Bundle. A Bundle is one patient's
 * record for a clinician's system, so --all is refused rather than written as
 * a bundle of many patients (export --all is the json format's job).
 */
async function exportFhir(cli: Cli, opts: { all?: true; out?: string; force?: true; schema?: true; since?: string }, selector: string | undefined): Promise<void> {
  if (opts.schema) throw new UsageError('--schema prints the json export\'s schema; FHIR R4 has its own (hl7.org/fhir/R4/fhir.schema.json)');
  if (opts.all) throw new UsageError('--format fhir writes one client at a time (a Bundle is one patient\'s record): give a client, not --all');
  if (selector === undefined) throw new UsageError('missing <client>: which client to export as FHIR?');
  if (opts.out !== undefined && opts.out.trim() === '') throw new UsageError('--out needs a file name, or - for standard output');
  if (opts.force && opts.out === undefined) throw new UsageError('--force goes with --out <file>');
  const out = opts.out ?? '-';
  if (out === '-' && cli.io.json) throw new UsageError('--json and --out - both write to standard output: choose one (--out <file> --json prints what was written)');
  if (out === '-' && cli.io.isStdoutTTY) throw new UsageError('not writing the export to the terminal: give --out <file>, or pipe it (--out - | …)');
  const since = opts.since === undefined ? undefined : sinceFlag(opts.since, cli.today());
  if (since !== undefined && since > cli.today()) throw new UsageError(`--since ${opts.since} is after today (${cli.today()})`);
  const fits = fitsFor(cli);
  const result = await cli.withStore(async (store) => {
    const client = await resolveClient(store, selector);
    const o = { now: cli.now(), fits, ...(since !== undefined ? { since } : {}) };
    if (out !== '-') return exportFhirToFile(store, client.id, out, Boolean(opts.force), o);
    return writeFhir(store, client.id, (text) => cli.io.writeOut(text), o);
  }, READ);
  if (out === '-') return;
  if (cli.io.json) cli.io.printJson(result);
  else {
    const n = Object.values(result.resources).reduce((a, b) => a + b, 0);
    const docs = result.documents.length ? `; references ${result.documents.join(', ')}` : '';
    cli.io.info(`Exported client ${result.clientId} as a FHIR R4 Bundle of ${n} resources${result.since ? ` (sessions from ${result.since})` : ''} to ${result.file}${docs}`);
  }
}

/** A progress bar over clients, at a terminal only (io.progressBar draws nothing elsewhere), made once the total is known. */
function progressOf(cli: Cli, label: string) {
  let bar: ReturnType<Cli['io']['progressBar']> | undefined;
  return {
    update: (done: number, total: number) => {
      bar ??= cli.io.progressBar(total, label);
      bar.update(done);
    },
    done: () => bar?.done(),
  };
}
