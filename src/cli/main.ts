import { Command, CommanderError, Option } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { App } from './app.js';
import { EXIT, InputError, UserError, exitCodeFor, isExpected, messageFor } from './errors.js';
import { IO } from './io.js';

/** A command's work: gets the App and its own parsed options, returns an exit code or nothing (0). */
type Run<O> = (app: App, opts: O, args: string[]) => Promise<number | void>;

interface GlobalOptions {
  db?: string;
  templates?: string;
  json?: boolean;
  color: boolean;
  input: boolean;
  quiet?: boolean;
  debug?: boolean;
}

export function defaultIO(): IO {
  // A closed pipe (`bridgefit screen 1 | head`) ends the output, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk or a closed file under `> out.pdf`: one line and a failure, never "written" and 0.
    process.stderr.write(`bridgefit: cannot write to standard output: ${err.code === 'ENOSPC' ? 'the disk is full' : (err.code ?? err.message)}\n`);
    process.exit(1);
  });
  return new IO({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });
}

/** Parse `argv`, run the command, and return the exit code. The only place errors become exit codes. */
export async function main(argv: string[], io: IO = defaultIO(), env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, env, (code) => (exitCode = code));
  try {
    await program.parseAsync(argv);
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) {
      // Help and --version end with code 0; everything else commander rejects is a usage error.
      return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    io.error(messageFor(err));
    if (err instanceof InputError || err instanceof UserError) for (const line of err.details) io.stderr.write(`  ${line}\n`);
    if (io.debug && err instanceof Error && err.stack) io.stderr.write(`${err.stack}\n`);
    else if (!isExpected(err)) io.stderr.write('(run with --debug to see where it happened)\n');
    return exitCodeFor(err);
  }
}

function buildProgram(io: IO, env: NodeJS.ProcessEnv, setExit: (code: number) => void): Command {
  const program = new Command('bridgefit')
    .description('Client records, screening and staged rehabilitative programs for trainers in medical fitness.')
    .version(pkg.version, '--version', 'print the version')
    .option('--db <file>', 'the database file (default: $BRIDGEFIT_DB, else the per-user data directory)')
    .option('--templates <dir>', 'your own templates (default: templates/ in the data directory)')
    .option('--json', 'print results as JSON')
    .option('--no-color', 'no colour (also NO_COLOR or TERM=dumb)')
    .option('--no-input', 'never prompt; fail naming the flag to pass instead')
    .option('-q, --quiet', 'print only results, no confirmations')
    .option('--debug', 'show the stack trace of an error')
    .configureHelp({ showGlobalOptions: true, sortSubcommands: false })
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's error and its "Did you mean" hint, as one line.
      outputError: (s, write) =>
        write(`${io.c.red('bridgefit:')} ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    })
    .exitOverride();

  /** Wire a command's action: parse globals, build the App, load the command's module lazily, run it. */
  const act =
    <O>(load: () => Promise<Run<O>>) =>
    async (...params: unknown[]) => {
      const cmd = params[params.length - 1] as Command;
      const opts = cmd.optsWithGlobals() as O & GlobalOptions;
      io.configure({
        json: Boolean(opts.json),
        color: opts.color,
        input: opts.input,
        quiet: Boolean(opts.quiet),
        debug: Boolean(opts.debug),
      });
      const app = new App(io, env, commandPath(cmd), opts.db, undefined, opts.templates);
      const run = await load();
      const code = await run(app, opts, cmd.args);
      setExit(code ?? EXIT.ok);
    };

  program
    .command('init')
    .description('create the database, or upgrade it, and print where it is')
    .addHelpText('after', examples('bridgefit init', 'bridgefit --db ~/clinic/clients.db init', 'BRIDGEFIT_DB=./test.db bridgefit init --json'))
    .action(act(async () => (await import('./database.js')).init));

  const client = program
    .command('client')
    .description('add, list, show, edit, archive, restore and delete clients')
    .addHelpText('after', '\n<client> is an id or a part of the name that fits one client ("ana", "nowak", "zoe").');
  const clientFieldOptions = (c: Command) =>
    c
      .option('--first-name <name>', 'first (given) name')
      .option('--last-name <name>', 'last (family) name')
      .option('--dob <date>', 'date of birth, YYYY-MM-DD')
      .option('--sex <sex>', 'female, male or other (used for norm tables)')
      .option('--email <address>', 'email address')
      .option('--phone <number>', 'phone number')
      .option('--goals <text>', "the client's goals")
      .option('--notes <text>', 'notes');

  clientFieldOptions(client.command('add').description('add a client (asks for what the flags do not give, on a terminal)'))
    .addHelpText(
      'after',
      examples(
        'bridgefit client add',
        'bridgefit client add --first-name Zoë --last-name Moreau --dob 1961-04-12 --sex female',
        'bridgefit client add --first-name 娜 --last-name 李 --dob 1975-09-30 --json --no-input',
      ),
    )
    .action(act(async () => (await import('./client.js')).add));

  client
    .command('list')
    .description('list clients (active ones unless --status says otherwise)')
    .addOption(new Option('--status <status>', 'which clients').choices(['active', 'archived', 'all']).default('active'))
    .addHelpText('after', examples('bridgefit client list', 'bridgefit client list --status all --json', "bridgefit client list | cut -f2"))
    .action(act(async () => (await import('./client.js')).list));

  client
    .command('show')
    .argument('<client>', 'id or name fragment')
    .description("show one client's record")
    .addHelpText('after', examples('bridgefit client show 12', 'bridgefit client show zoe --json'))
    .action(act(async () => (await import('./client.js')).show));

  clientFieldOptions(
    client.command('edit').argument('<client>', 'id or name fragment').description('change a client (asks on a terminal when no flag is given)'),
  )
    .addHelpText('after', examples('bridgefit client edit zoe', 'bridgefit client edit 12 --phone "+44 20 7946 0000" --email ""'))
    .action(act(async () => (await import('./client.js')).edit));

  client
    .command('archive')
    .argument('<client>', 'id or name fragment')
    .description('archive a client: hidden from lists, history kept')
    .addHelpText('after', examples('bridgefit client archive nowak'))
    .action(act(async () => (await import('./client.js')).archive));

  client
    .command('restore')
    .argument('<client>', 'id or name fragment')
    .description('bring an archived client back')
    .addHelpText('after', examples('bridgefit client restore nowak'))
    .action(act(async () => (await import('./client.js')).restore));

  client
    .command('delete')
    .argument('<client>', 'id or name fragment')
    .option('-y, --yes', 'do not ask; required when there is no terminal')
    .description("delete a client and their whole history (archive is the everyday way out)")
    .addHelpText('after', examples('bridgefit client delete 12', 'bridgefit client delete 12 --yes'))
    .action(act(async () => (await import('./client.js')).remove));

  const intake = program
    .command('intake')
    .argument('[client]', 'id or name fragment')
    .description("interview: medical history, medications, PAR-Q+, activity, symptoms, goals, vitals; saved with its screening")
    .option('--answers <file>', 'take the answers from a JSON file ("-" for stdin) instead of asking')
    .option('--schema', 'print the JSON Schema of the answers file')
    .addHelpText(
      'after',
      examples('bridgefit intake zoe', 'bridgefit intake 12 --answers intake.json', 'cat intake.json | bridgefit intake 12 --answers - --json', 'bridgefit intake --schema > intake.schema.json', 'bridgefit intake list zoe'),
    )
    .action(act(async () => (await import('./intake.js')).intake));
  intake
    .command('list')
    .argument('<client>', 'id or name fragment')
    .description("a client's intakes, oldest first (each is kept; a new one never replaces)")
    .action(act(async () => (await import('./intake.js')).list));

  const clearance = program.command('clearance').description("record and list a clinician's medical clearance");
  clearance
    .command('add')
    .argument('<client>', 'id or name fragment')
    .description('record a clearance decision (asks for what the flags do not give, on a terminal)')
    .option('--clinician <name>', 'who decided')
    .option('--profession <profession>', 'their profession, e.g. physician, physiotherapist')
    .option('--contact <contact>', 'phone or email')
    .option('--date <date>', 'date of the decision, YYYY-MM-DD (default today)')
    .option('--expires <date>', 'expiry or review date, YYYY-MM-DD (default: the configured validity)')
    .option('--status <status>', 'cleared | cleared-with-restrictions | not-cleared | pending')
    .option('--restrict <code[=value]>', 'a restriction; repeat for more (see the README for the codes)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--note <text>', 'anything else the clinician said')
    .addHelpText(
      'after',
      `
Restrictions: no_running, no_impact, no_overhead_loading, no_loaded_spinal_flexion, supervised_only,
  weight_bearing.left|right=non|toe_touch|partial|as_tolerated|full, max_hr=BPM, max_rpe=1-10 (CR10),
  max_load_kg=KG, rom.knee|hip|shoulder|ankle|elbow|wrist.left|right=DEGREES` +
        examples(
          'bridgefit clearance add zoe',
          'bridgefit clearance add 12 --clinician "Dr Ana Costa" --profession physician --date 2026-11-20 --status cleared',
          'bridgefit clearance add 12 --clinician "J. Okafor" --profession physiotherapist --status cleared-with-restrictions --restrict no_impact --restrict weight_bearing.left=partial --restrict max_hr=110 --restrict rom.knee.left=90',
        ),
    )
    .action(act(async () => (await import('./clearance.js')).add));
  clearance
    .command('list')
    .argument('<client>', 'id or name fragment')
    .description("a client's clearances, with whether each is valid or expired today")
    .addHelpText('after', examples('bridgefit clearance list zoe', 'bridgefit clearance list 12 --json'))
    .action(act(async () => (await import('./clearance.js')).list));

  program
    .command('screen')
    .argument('<client>', 'id or name fragment')
    .description('the screening verdict today and every reason behind it (ACSM 2015, PAR-Q+, red flags, clearance, dosing)')
    .addHelpText('after', examples('bridgefit screen zoe', 'bridgefit screen 12 --json | jq .gate'))
    .action(act(async () => (await import('./screening.js')).screen));

  const config = program.command('config').description('settings: the screening rules (unconfirmed defaults a clinician may change) and your details for reports');
  config.command('list').description('every setting, its value and meaning').action(act(async () => (await import('./config.js')).list));
  config.command('get').argument('<key>').description('one setting').action(act(async () => (await import('./config.js')).get));
  config
    .command('set')
    .argument('<key>')
    .argument('<value>')
    .description('change a setting')
    .addHelpText('after', examples('bridgefit config set screening.diabetesRule ada', 'bridgefit config set trainer.name "Sam Rivera"', 'bridgefit config set trainer.credentials "ACSM-CEP"'))
    .action(act(async () => (await import('./config.js')).set));
  config.command('unset').argument('<key>').description('back to the default').action(act(async () => (await import('./config.js')).unset));

  const template = program.command('template').description('the program templates, condition overlays and exercise library');
  template
    .command('list')
    .description('program templates and overlays (or exercises), built-in and your own')
    .addOption(new Option('--kind <kind>', 'what to list').choices(['program', 'overlay', 'exercise', 'all']).default('all'))
    .addHelpText('after', examples('bridgefit template list', 'bridgefit template list --kind exercise --json'))
    .action(act(async () => (await import('./template.js')).list));
  template
    .command('show')
    .argument('<id>', 'a program, overlay or exercise id')
    .description('a template in full: stages, exercises, doses, exit criteria, sources')
    .addHelpText('after', examples('bridgefit template show knee_tka', 'bridgefit template show hypertension', 'bridgefit template show sit_to_stand --json'))
    .action(act(async () => (await import('./template.js')).show));
  template
    .command('validate')
    .argument('[file...]', 'template files to check (default: every built-in and user template)')
    .description('check templates against the schema and the exercise library; every problem with its file and path')
    .addHelpText('after', examples('bridgefit template validate', 'bridgefit template validate my-knee-program.yaml'))
    .action(act(async () => (await import('./template.js')).validate));

  const programCmd = program.command('program').description("generate, show, advance and follow a client's staged program");
  programCmd
    .command('generate')
    .argument('<client>', 'id or name fragment')
    .description("build the staged program from the client's conditions, overlays and clearance restrictions")
    .option('--template <id>', 'the program template (default: the one that fits the conditions)')
    .option('--start <date>', 'first day of stage 1, YYYY-MM-DD (default today)')
    .option('--sessions-per-week <n>', 'sessions a week in every stage (default: the template’s)')
    .option('--override <reason>', 'build it although the screening gate holds it back; the reason is recorded')
    .addHelpText(
      'after',
      examples('bridgefit program generate zoe', 'bridgefit program generate 12 --template knee_tka --start 2026-12-01 --sessions-per-week 2', 'bridgefit program generate 12 --override "cleared by phone by Dr Costa; letter to follow"'),
    )
    .action(act(async () => (await import('./program.js')).generate));
  programCmd
    .command('show')
    .argument('<client>', 'id or name fragment')
    .option('--stage <n>', 'only this stage')
    .description('the active program: stages with dates, exercises and doses, checks, exit criteria and why')
    .addHelpText('after', examples('bridgefit program show zoe', 'bridgefit program show 12 --stage 2 --json'))
    .action(act(async () => (await import('./program.js')).show));
  programCmd
    .command('list')
    .argument('<client>', 'id or name fragment')
    .description('every program generated for a client, the active one and those it superseded')
    .action(act(async () => (await import('./program.js')).list));

  programCmd
    .command('advance')
    .argument('<client>', 'id or name fragment')
    .description("move to the next stage when the current stage's exit criteria hold; shows the evidence for each")
    .option('--sign-off <who>', 'record a sign-off for the current stage first: trainer or clinician (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--note <text>', 'what the sign-off rests on')
    .option('--force', 'advance although a criterion does not hold or a referral is open (needs --reason)')
    .option('--reason <text>', 'why, when forcing; recorded with the transition')
    .addHelpText(
      'after',
      examples('bridgefit program advance zoe', 'bridgefit program advance 12 --sign-off trainer --note "SLR without lag, walks 30 m with a stick"', 'bridgefit program advance 12 --force --reason "surgeon cleared stage 3 early by letter"'),
    )
    .action(act(async () => (await import('./stage.js')).advance));
  programCmd
    .command('status')
    .argument('<client>', 'id or name fragment')
    .description('current stage, days in it, exit criteria met so far, adherence, the latest advice and open referrals')
    .addHelpText('after', examples('bridgefit program status zoe', 'bridgefit program status 12 --json'))
    .action(act(async () => (await import('./stage.js')).status));

  const progress = program.command('progress').description('session entries: record, amend, list and import');
  const repeat = (v: string, prev: string[] = []) => [...prev, v];
  progress
    .command('add')
    .argument('<client>', 'id or name fragment')
    .description('record a session (asks on a terminal; flags or --from for scripts) and say what it means')
    .option('--from <file>', 'the whole entry as JSON ("-" for stdin)')
    .option('--date <date>', 'session day, YYYY-MM-DD (default today)')
    .option('--missed <reason>', 'the session did not take place, and why')
    .option('--duration <minutes>', 'how long it lasted')
    .option('--pain-before <0-10>', 'pain before the session')
    .option('--pain-during <0-10>', 'pain during')
    .option('--pain-after <0-10>', 'pain after')
    .option('--rpe <value>', 'effort (CR10 0–10 unless --rpe-scale borg)')
    .option('--rpe-scale <scale>', 'cr10 (0–10) or borg (6–20)')
    .option('--bp <systolic/diastolic>', 'resting blood pressure before the session, e.g. 150/95')
    .option('--hr <bpm>', 'resting heart rate')
    .option('--glucose <value+unit>', 'blood glucose, e.g. 5.4mmol/L or 97mg/dL')
    .option('--ketones <yes|no>', 'ketones, with a high glucose')
    .option('--weak', 'weak or unusually tired (with a high glucose)')
    .option('--severe-hypo-24h', 'a severe hypo that needed help in the last 24 hours')
    .option('--unwell', 'the client feels unwell today')
    .option('--soreness <code>', 'none, warmup_gone, warmup_continuing, returned_during, after_next_day')
    .option('--measure <code[.side]=value>', 'a measure, e.g. knee_flexion.left=105, effusion_grade.right=trace (repeatable)', repeat)
    .option('--score <code=value>', 'an outcome score, e.g. lefs=42 (repeatable)', repeat)
    .option('--symptom <code>', 'a symptom code, as in the intake (repeatable)', repeat)
    .option('--note <text>', 'notes')
    .addHelpText(
      'after',
      examples(
        'bridgefit progress add zoe',
        'bridgefit progress add 12 --pain-before 2 --pain-during 3 --pain-after 3 --rpe 5 --bp 138/86 --measure knee_flexion.right=98 --score lefs=41',
        'bridgefit progress add 12 --missed "flu"',
        'bridgefit progress add 12 --from session.json',
      ),
    )
    .action(act(async () => (await import('./progress.js')).add));
  progress
    .command('amend')
    .argument('<client>', 'id or name fragment')
    .description('add what arrives later (next-morning pain, a note); the earlier values are kept')
    .option('--entry <id>', 'which entry (default: the latest)')
    .option('--next-day-pain <0-10>', 'pain or stiffness the next morning')
    .option('--note <text>', 'replace the note')
    .addHelpText('after', examples('bridgefit progress amend zoe --next-day-pain 4', 'bridgefit progress amend 12 --entry 57 --next-day-pain 2'))
    .action(act(async () => (await import('./progress.js')).amend));
  progress
    .command('list')
    .argument('<client>', 'id or name fragment')
    .option('--since <when>', 'a date (YYYY-MM-DD) or a span: 7d, 4w, 3m')
    .description("a client's session entries, oldest first")
    .addHelpText('after', examples('bridgefit progress list zoe', 'bridgefit progress list 12 --since 4w --json'))
    .action(act(async () => (await import('./progress.js')).list));
  progress
    .command('import')
    .argument('<file>', 'a CSV file ("-" for stdin); columns in the README')
    .description("many clients' entries at once: all rows or none")
    .addHelpText('after', examples('bridgefit progress import sessions.csv'))
    .action(act(async () => (await import('./progress-import.js')).importEntries));

  const referral = program.command('referral').description('referrals raised by red flags: list and resolve');
  referral
    .command('list')
    .argument('[client]', 'id or name fragment (default: every client)')
    .option('--all', 'resolved ones too')
    .description('open referrals: what, when, to whom')
    .action(act(async () => (await import('./referral.js')).list));
  referral
    .command('resolve')
    .argument('<id>', 'the referral id')
    .option('--note <text>', 'what the clinician said or what was done (required)')
    .description('close a referral with a note')
    .addHelpText('after', examples('bridgefit referral resolve 3 --note "GP reviewed: BP medication changed, may continue"'))
    .action(act(async () => (await import('./referral.js')).resolve));

  program
    .command('summary')
    .description('one row per client: stage, sessions planned and attended, adherence, pain trend, outcomes, referrals, next action')
    .option('--since <when>', 'a date (YYYY-MM-DD) or a span: 7d, 4w, 3m', '28d')
    .option('--client <client>', 'only this client (repeatable)', repeat)
    .option('--flagged', 'only clients with an open referral, a screening that refers, a hold, rising pain or low adherence')
    .addOption(new Option('--status <status>', 'which clients').choices(['active', 'archived', 'all']).default('active'))
    .addOption(new Option('--format <format>', 'output').choices(['table', 'json', 'csv']).default('table'))
    .addHelpText('after', examples('bridgefit summary', 'bridgefit summary --since 7d --format csv > week.csv', 'bridgefit summary --flagged --format json'))
    .action(act(async () => (await import('./summary.js')).summary));

  program
    .command('report')
    .argument('[client]', 'id or name fragment (or --all)')
    .description('PDF for the clinician: clearance, program, response, red flags and questions on page 1, then charts, exercises and the session log; or the client handout')
    .option('--since <when>', 'start of the period: a date (YYYY-MM-DD) or a span: 6w, 90d, 3m', '6w')
    .option('--out <file>', 'where to write the PDF, or - for standard output (default: <id>-<name>-report.pdf here)')
    .option('--handout', "the client's exercise sheet for the current stage instead: large type, plain words")
    .option('--no-log', 'leave the session log out of the clinician report')
    .option('--question <text>', 'a question for the clinician, on page 1 (repeatable)', repeat)
    .option('--all', 'one report per active client, into --out-dir')
    .option('--flagged', 'with --all: only the clients whose report has something for the clinician (a red or amber box on page 1)')
    .option('--out-dir <dir>', 'with --all: the folder for the reports (made if missing)')
    .addHelpText(
      'after',
      examples(
        'bridgefit report zoe',
        'bridgefit report 12 --since 2026-10-01 --out zoe-oct.pdf --question "May she start stairs without the rail?"',
        'bridgefit report 12 --handout',
        'bridgefit report --all --flagged --since 4w --out-dir reports/',
        'SOURCE_DATE_EPOCH=1764201600 bridgefit report 12 --out - > same-every-time.pdf',
      ),
    )
    .action(act(async () => (await import('./report.js')).report));

  program
    .command('backup')
    .description('copy the database while it stays in use (SQLite online backup)')
    .option('--out <file>', 'where to write the copy (default: backups/ beside the database)')
    .addHelpText('after', examples('bridgefit backup', 'bridgefit backup --out /mnt/usb/bridgefit-2026-11-26.db'))
    .action(act(async () => (await import('./database.js')).backup));

  program
    .command('restore')
    .argument('<backup>', 'a backup file made by "bridgefit backup"')
    .option('-y, --yes', 'do not ask; required when there is no terminal')
    .description('replace the database with a backup, after checking it and copying the current data to backups/')
    .addHelpText('after', examples('bridgefit restore backups/bridgefit-20261126-0915.db', 'bridgefit --db ~/clinic/clients.db restore /mnt/usb/clients.db --yes'))
    .action(act(async () => (await import('./database.js')).restore));

  program
    .command('doctor')
    .description('check the database: integrity, foreign keys, schema version, file permissions')
    .addHelpText('after', examples('bridgefit doctor', 'bridgefit doctor --json'))
    .action(act(async () => (await import('./database.js')).doctor));

  program
    .command('demo')
    .description('a sample database to explore: clients, screening, programs, sessions, referrals, summary')
    .option('--dir <dir>', 'where to put the demo files', 'bridgefit-demo')
    .addHelpText('after', examples('bridgefit demo', 'bridgefit demo --dir /tmp/bf-demo'))
    .action(act(async () => (await import('./demo.js')).demo));

  return program;
}

function commandPath(cmd: Command): string {
  const names: string[] = [];
  for (let c: Command | null = cmd; c && c.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

function examples(...lines: string[]): string {
  return `\nExamples:\n${lines.map((l) => `  $ ${l}`).join('\n')}`;
}
