/** `demo`: a sample database to explore, made through the same use cases as every command, with a sample report and handout. */
import path from 'node:path';
import { listClients } from '../../app/clients.js';
import { makeDemo, type DemoResult } from '../../app/demo.js';
import { exportFhirToFile } from '../../app/fhir-export.js';
import { summarise, type SummaryRow } from '../../app/summary.js';
import { fullName, type Client } from '../../domain/client.js';
import { clientReportFile } from '../../app/romanise.js';
import { verdictHeadline } from '../../domain/screening.js';
import { READ, type Cli } from '../cli.js';
import { command, examples } from '../command.js';
import { fitsFor } from '../fits.js';
import { clientJson, printClients } from '../print-clients.js';
import { printSummary } from '../print-summary.js';
import { withReportRun, writeReport } from '../pdf-output.js';
import { sinceFlag } from '../since.js';

/** The window the demo's summary covers: `summary`'s default. */
const SUMMARY_SINCE = '28d';

export const demo = command({
  define: (c) =>
    c.option('--dir <dir>', 'where to put the demo files', 'bridgefit-demo').addHelpText('after', examples('bridgefit demo', 'bridgefit demo --dir /tmp/bf-demo')),
  async run(cli, opts) {
    const made = await makeDemo(opts.dir, { ...cli.ctx(), command: 'demo' });
    const dir = path.dirname(made.database);
    const here = cli.withDatabase(made.database);
    const today = cli.today();

    // A sample clinician report and handout for the client who has weeks of sessions and a stage change.
    const reports: string[] = [];
    for (const handout of [false, true]) {
      await withReportRun(here, { since: '6w', log: true, handout }, false, async (run) => {
        const c = made.featured;
        const r = await writeReport(run, c, path.join(dir, clientReportFile(c, handout ? '-handout' : '-report')));
        reports.push(r.file);
      });
    }

    // Her record as a FHIR R4 Bundle beside the PDFs, through the same use case as export --format fhir (it references the PDFs).
    const c = made.featured;
    const fhirFile = path.join(dir, clientReportFile(c, '-fhir').replace(/\.pdf$/, '.json'));
    const { clients, rows } = await here.withStore(
      async (store) => {
        await exportFhirToFile(store, c.id, fhirFile, 'earlier-bundle', { now: here.now(), fits: fitsFor(here) });
        return {
          clients: await listClients(store, 'all'),
          rows: await summarise(store, { from: sinceFlag(SUMMARY_SINCE, today), to: today, status: 'active' }),
        };
      },
      READ,
    );
    if (cli.io.json) {
      cli.io.printJson({
        database: made.database,
        clients: clients.map((c) => clientJson(c, today)),
        screenings: made.screenings.map((s) => ({ clientId: s.client.id, ...s.verdict })),
        programs: made.programs.map((p) => ({ clientId: p.client.id, ...p.program.program })),
        reports,
        fhir: fhirFile,
      });
      return;
    }
    await printTour(cli, made, clients, rows, reports, today, fhirFile);
  },
});

async function printTour(cli: Cli, made: DemoResult, clients: readonly Client[], rows: readonly SummaryRow[], reports: string[], today: string, fhirFile: string): Promise<void> {
  const file = made.database;
  const dir = path.dirname(file);
  cli.io.info(`Demo database: ${file}`);
  await printClients(cli, clients, 'all', today);
  cli.io.out('');
  cli.io.table(
    ['ID', 'NAME', 'GATE', 'START AT', 'DOSING', 'WHY'],
    made.screenings.map(({ client, verdict }) => [String(client.id), fullName(client), verdict.gate, verdict.startingIntensity, verdict.dosing, verdictHeadline(verdict)]),
    (_row, col, text) => (col !== 2 ? text : text === 'ok' ? cli.io.c.green(text) : text === 'refer' ? cli.io.c.red(text) : cli.io.c.yellow(text)),
  );
  const rel = path.relative(process.cwd(), file) || file;
  cli.io.info('');
  cli.io.out('');
  await printSummary(cli, rows, { format: 'table', from: sinceFlag(SUMMARY_SINCE, today), today });
  cli.io.info('');
  cli.io.info(`Sample clinician report: ${path.relative(process.cwd(), reports[0]!) || reports[0]}`);
  cli.io.info(`Sample client handout:   ${path.relative(process.cwd(), reports[1]!) || reports[1]}`);
  cli.io.info(`Sample FHIR R4 Bundle:   ${path.relative(process.cwd(), fhirFile) || fhirFile}`);
  cli.io.info('');
  cli.io.info('Try it (from this folder; "npx" runs the bridgefit of this clone):');
  cli.io.info(`  npx bridgefit --db ${rel} screen zoe`);
  cli.io.info(`  npx bridgefit --db ${rel} program show zoe`);
  cli.io.info(`  npx bridgefit --db ${rel} program status nowak`);
  cli.io.info(`  npx bridgefit --db ${rel} referral list`);
  cli.io.info(`  npx bridgefit --db ${rel} summary --format csv`);
  cli.io.info(`  npx bridgefit --db ${rel} clearance list zoe`);
  cli.io.info(`  npx bridgefit --db ${rel} client list --json`);
  cli.io.info(`  npx bridgefit --db ${rel} export nowak --format fhir --since 6w --out - | less`);
  cli.io.info(`  npx bridgefit --db ${rel} report nowak --question "May he return to cycling outdoors?"`);
  cli.io.info(`  npx bridgefit --db ${rel} report --all --out-dir ${path.join(path.relative(process.cwd(), dir) || '.', 'reports')}`);
}
