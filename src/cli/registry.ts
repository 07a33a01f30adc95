/**
 * What --help draws with no command's module loaded: every command's name,
 * description and place in the help (COMMANDS), bridgefit's own options, and
 * the program commander parses, declared but not wired to any module.
 * main.ts wires each command to its module when it runs; help.ts (a bundle of
 * its own, dist/help.js) draws the root's help and the version from this
 * alone. Imports no command, no use case and no store.
 */
import { isatty } from 'node:tty';
import { Command, CommanderError, Help } from 'commander';
import pkg from '../../package.json' with { type: 'json' };
import { EXIT } from '../app/exit-codes.js';
import { examples } from './command.js';
import { IO } from './io.js';

/** The command modules (src/cli/commands), one per noun; main.ts loads each when its command runs. */
export type ModuleName = 'database' | 'client' | 'intake' | 'clearance' | 'screen' | 'config' | 'template' | 'program' | 'progress' | 'referral' | 'summary' | 'report' | 'demo' | 'completion' | 'export' | 'history' | 'clinic';

/** A command as registered: its name, what it does, and where its module's export is. */
export interface Entry {
  name: string;
  description: string;
  /** The module and the export holding its flags and run function; absent for a group only. */
  run?: { module: ModuleName; export: string };
  /** How root --help shows a top-level command that runs, before its module is loaded (checked by test/cli). */
  term?: string;
  /** Help text after the group's own. */
  after?: string;
  /** Left out of --help (the completion scripts' own request command). */
  hidden?: boolean;
  children?: Entry[];
}

const leaf = (name: string, description: string, module: ModuleName, exportName = name): Entry => ({ name, description, run: { module, export: exportName } });

/** Every command, in the order --help lists them. */
export const COMMANDS: Entry[] = [
  { ...leaf('init', 'create the database, or upgrade it, and print where it is', 'database'), term: 'init' },
  {
    name: 'client',
    description: 'add, list, import, show, edit, archive, restore and delete clients',
    after:
      '\n<client> is an id or a part of the name that fits one client ("ana", "nowak", "zoe").' +
      examples('bridgefit client add --first-name Zoë --last-name Moreau --dob 1961-04-12', 'bridgefit client list --status all', 'bridgefit client import clients.csv', 'bridgefit client show zoe --json'),
    children: [
      leaf('add', 'add a client (asks for what the flags do not give, on a terminal)', 'client'),
      leaf('list', 'list clients (active ones unless --status says otherwise): table, JSON, CSV or TSV', 'client'),
      leaf('import', 'add clients from a CSV file (a spreadsheet): all rows or none', 'client', 'importClients'),
      leaf('show', "show one client's record", 'client'),
      leaf('edit', 'change a client (asks on a terminal when no flag is given)', 'client'),
      leaf('archive', 'archive a client: hidden from lists, history kept', 'client'),
      leaf('restore', 'bring an archived client back', 'client'),
      leaf('delete', 'delete a client and their whole history (archive is the everyday way out)', 'client', 'remove'),
      leaf('transfer', 'give a client, and everything under them, to another trainer (clinic administrators)', 'client'),
    ],
  },
  {
    ...leaf('intake', 'interview: medical history, medications, PAR-Q+, activity, symptoms, goals, vitals; saved with its screening', 'intake'),
    term: 'intake [options] [client]',
    children: [leaf('list', "a client's intakes, oldest first (each is kept; a new one never replaces)", 'intake')],
  },
  {
    name: 'clearance',
    description: "record and list a clinician's medical clearance",
    after: examples('bridgefit clearance add zoe --clinician "Dr J. Okafor" --profession physiotherapist --status cleared', 'bridgefit clearance list zoe'),
    children: [
      leaf('add', 'record a clearance decision (asks for what the flags do not give, on a terminal)', 'clearance'),
      leaf('list', "a client's clearances, with whether each is valid or expired today", 'clearance'),
    ],
  },
  { ...leaf('screen', 'the screening verdict today and every reason behind it (ACSM 2015, PAR-Q+, red flags, clearance, dosing)', 'screen'), term: 'screen <client>' },
  {
    name: 'config',
    description: 'settings: the screening rules (unconfirmed defaults a clinician may change) and your details for reports',
    after: examples('bridgefit config list', 'bridgefit config set screening.bpHold 190/110', 'bridgefit config unset screening.bpHold'),
    children: [
      leaf('list', 'every setting, its value and meaning', 'config'),
      leaf('get', 'one setting', 'config'),
      leaf('set', 'change a setting', 'config'),
      leaf('unset', 'back to the default', 'config'),
    ],
  },
  {
    name: 'template',
    description: 'the program templates, condition overlays and exercise library',
    after: examples('bridgefit template list', 'bridgefit template show knee_tka', 'bridgefit template validate my-templates/*.yaml'),
    children: [
      leaf('list', 'program templates and overlays (or exercises), built-in and your own', 'template'),
      leaf('show', 'a template in full: stages, exercises, doses, exit criteria, sources', 'template'),
      leaf('validate', 'check templates against the schema and the exercise library; every problem with its file and path', 'template'),
      leaf('share', "share template files with every member of the clinic (clinic administrators)", 'template'),
      leaf('unshare', 'stop sharing a template file with the clinic (clinic administrators)', 'template'),
      leaf('shared', "the template files shared with the clinic: who shared each and when", 'template'),
    ],
  },
  {
    name: 'program',
    description: "generate, show, advance and follow a client's staged program",
    after: examples('bridgefit program generate zoe', 'bridgefit program status zoe', 'bridgefit program advance zoe'),
    children: [
      leaf('generate', "build the staged program from the client's conditions, overlays and clearance restrictions", 'program'),
      leaf('show', 'the active program: stages with dates, exercises and doses, checks, exit criteria and why', 'program'),
      leaf('list', 'every program generated for a client, the active one and those it superseded', 'program'),
      leaf('advance', "move to the next stage when every gate passes (exit criteria, time, advice, effusion, clearance); shows each with its evidence", 'program'),
      leaf('status', 'current stage, days in it, exit criteria met so far, the gates to the next stage, sign-offs, adherence, the latest advice and open referrals', 'program'),
    ],
  },
  {
    name: 'progress',
    description: 'session entries: record, amend, void, list and import',
    after: examples('bridgefit progress add zoe --pain-before 2 --rpe 4', 'bridgefit progress amend zoe --next-day-pain 3', 'bridgefit progress void zoe --entry 57 --reason "duplicate"', 'bridgefit progress import sessions.csv'),
    children: [
      leaf('add', 'record a session (asks on a terminal; flags or --from for scripts) and say what it means', 'progress'),
      leaf('amend', 'change any field of an entry (next-morning pain, a mistyped value, the date); earlier values are kept, later decisions follow', 'progress'),
      leaf('void', 'an entry that should not count: out of every figure, kept in the history', 'progress', 'voidEntryCommand'),
      leaf('list', "a client's session entries, oldest first", 'progress'),
      leaf('import', "many clients' entries at once: all rows or none", 'progress', 'importEntries'),
    ],
  },
  {
    name: 'referral',
    description: 'referrals raised by red flags: list and resolve',
    after: examples('bridgefit referral list', 'bridgefit referral resolve 3 --note "GP reviewed: may continue"'),
    children: [leaf('list', 'open referrals: what, when, to whom', 'referral'), leaf('resolve', 'close a referral with a note', 'referral')],
  },
  { ...leaf('summary', 'one row per client: stage, sessions planned and attended, adherence, pain trend, outcomes, referrals, next action', 'summary'), term: 'summary [options]' },
  {
    ...leaf('report', 'PDF for the clinician: clearance, program, response, red flags and questions on page 1, then charts, exercises and the session log; or the client handout', 'report'),
    term: 'report [options] [client]',
  },
  {
    ...leaf('export', 'everything (--all) or one client as one JSON document, versioned, with a published JSON Schema (--schema)', 'export', 'exportData'),
    term: 'export [options] [client]',
  },
  { ...leaf('import', 'load a file written by export in one transaction (new ids where the database holds data already); the same export never twice', 'export', 'importData'), term: 'import <file>' },
  { ...leaf('history', "what changed in a client's records: when, by which command, old → new, and who where known", 'history'), term: 'history [options] <client>' },
  { ...leaf('backup', 'copy the database while it stays in use (SQLite online backup)', 'database'), term: 'backup [options]' },
  { ...leaf('restore', 'replace the database with a backup, after checking it and copying the current data to backups/', 'database'), term: 'restore [options] <backup>' },
  { ...leaf('doctor', 'check the database: integrity, foreign keys, schema version, file permissions, encryption', 'database'), term: 'doctor' },
  { ...leaf('encrypt', 'encrypt the database at rest with a key (SQLCipher 4), in place, after a copy to backups/', 'database'), term: 'encrypt' },
  { ...leaf('decrypt', 'make an encrypted database plain again, in place, after a copy to backups/', 'database'), term: 'decrypt' },
  {
    name: 'clinic',
    description: 'clinic mode: several trainers and their clinicians on one PostgreSQL database (--db postgres://…)',
    after: examples('bridgefit --db postgres://postgres@localhost/bridgefit clinic init --admin maria', 'bridgefit clinic add-trainer tom', 'bridgefit clinic add-clinician anna --name "Dr Anna Weber" --profession physiotherapist', 'bridgefit clinic members'),
    children: [
      leaf('init', 'make the clinic (once, as a superuser): roles, schema, row-level security; again to upgrade it', 'clinic'),
      leaf('add-trainer', 'a trainer login: sees and changes only their own clients', 'clinic', 'addTrainer'),
      leaf('add-clinician', 'a clinician login: reads the clients who name them or were referred to them; clearances, referrals, sign-offs', 'clinic', 'addClinician'),
      leaf('add-admin', 'an administrator login: sees all, adds members, transfers clients', 'clinic', 'addAdmin'),
      leaf('members', "the clinic's logins, what each is and how many clients each trainer has", 'clinic'),
      leaf('whoami', 'the login connected and what it is in the clinic', 'clinic'),
    ],
  },
  { ...leaf('demo', 'a sample database to explore: clients, screening, programs, sessions, referrals, summary', 'demo'), term: 'demo [options]' },
  { ...leaf('completion', 'print the shell completion script (bash, zsh, fish or powershell); client names complete from the database', 'completion'), term: 'completion <shell>' },
  { ...leaf('complete', 'what the completion scripts ask: the completions for the words typed so far', 'completion'), term: 'complete [words...]', hidden: true },
];

export function defaultIO(): IO {
  // A closed pipe (`bridgefit screen 1 | head`) ends the output, not with a stack trace.
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    // A full disk or a closed file under `> out.pdf`: one line and a failure, never "written" and 0.
    process.stderr.write(`bridgefit: cannot write to standard output: ${err.code === 'ENOSPC' ? 'the disk is full' : (err.code ?? err.message)}\n`);
    process.exit(1);
  });
  // stdin is opened only when read (a prompt, --from -); whether it is a terminal is asked of the descriptor.
  return new IO({ stdout: process.stdout, stderr: process.stderr, stdin: () => process.stdin, stdinIsTTY: isatty(0), env: process.env });
}

/** The options of the root that take a value: their value is not a command name. */
const VALUED = new Set(['--db', '--key-file', '--templates']);

/**
 * `bridgefit help progress add` is `bridgefit progress add --help`: help for
 * a command is drawn once its module has defined its flags.
 */
export function helpAsFlag(argv: string[]): string[] {
  const head = argv.slice(0, 2);
  const rest = argv.slice(2);
  const operands: number[] = [];
  for (let i = 0; i < rest.length && operands.length < 2; i++) {
    const t = rest[i]!;
    if (t === '--') break;
    if (t.startsWith('-')) {
      if (VALUED.has(t)) i++;
      continue;
    }
    operands.push(i);
  }
  const [first, second] = operands;
  const groups = new Set(COMMANDS.filter((c) => c.children).map((c) => c.name));
  const at = first !== undefined && rest[first] === 'help' ? first : second !== undefined && rest[second] === 'help' && groups.has(rest[first!]!) ? second : undefined;
  if (at === undefined) return argv;
  return [...head, ...rest.slice(0, at), ...rest.slice(at + 1), '--help'];
}

/** bridgefit itself: its description, version and global options (the help and the man page both start here). */
export function rootCommand(): Command {
  return new Command('bridgefit')
    .description('Client records, screening and staged rehabilitative programs for trainers in medical fitness.')
    .version(pkg.version, '--version', 'print the version')
    .option('--db <file|url>', 'the database file, or a clinic\'s postgres:// URL (default: $BRIDGEFIT_DB, else the per-user data directory)')
    .option('--key-file <file>', 'the key of an encrypted database, on the first line of this file (default: $BRIDGEFIT_KEY_FILE, else $BRIDGEFIT_KEY)')
    .option('--templates <dir>', 'your own templates (default: templates/ in the data directory)')
    .option('--json', 'print results as JSON')
    .option('--no-color', 'no colour (also NO_COLOR or TERM=dumb)')
    .option('--no-input', 'never prompt; fail naming the flag to pass instead')
    .option('-q, --quiet', 'print only results, no confirmations')
    .option('--debug', 'show the stack trace of an error');
}

/** A program declared from COMMANDS: every command with its name, description and help text, none wired to its module yet. */
export interface Declared {
  program: Command;
  /** What root --help shows for a top-level command whose module is not loaded (Entry.term); main.ts deletes a command's once it is defined. */
  terms: Map<Command, string>;
  entries: Map<Command, Entry>;
}

export function declaredProgram(io: IO): Declared {
  const terms = new Map<Command, string>();
  const program = rootCommand()
    .helpCommand(false)
    .configureHelp({
      showGlobalOptions: true,
      sortSubcommands: false,
      // A command whose module is not loaded yet shows the term it is registered with.
      subcommandTerm: (cmd) => terms.get(cmd) ?? Help.prototype.subcommandTerm.call(new Help(), cmd),
      // Global options are bridgefit's own (--db, --json …), not a parent's: `intake list` takes no --answers.
      visibleGlobalOptions: (cmd) => {
        let root = cmd;
        while (root.parent) root = root.parent;
        return root === cmd ? [] : root.options.filter((o) => !o.hidden);
      },
    })
    .configureOutput({
      writeOut: (s) => io.stdout.write(s),
      writeErr: (s) => io.stderr.write(s),
      // Commander's error and its "Did you mean" hint, as one line.
      outputError: (s, write) => write(`${io.c.red('bridgefit:')} ${s.replace(/^error: /, '').trim().replace(/\s*\n\s*/g, ' ')} (see --help)\n`),
    })
    .exitOverride();

  const entries = new Map<Command, Entry>();
  const add = (parent: Command, entry: Entry) => {
    const cmd = parent.command(entry.name, { hidden: Boolean(entry.hidden) }).description(entry.description).helpCommand(false);
    if (entry.after) cmd.addHelpText('after', entry.after);
    if (entry.term) terms.set(cmd, entry.term);
    entries.set(cmd, entry);
    for (const child of entry.children ?? []) add(cmd, child);
  };
  for (const entry of COMMANDS) add(program, entry);

  return { program, terms, entries };
}

/** The exit code of an error commander threw (exitOverride), or undefined for any other error: help and --version end with 0, everything else commander rejects is a usage error. */
export function commanderExit(err: unknown): number | undefined {
  if (!(err instanceof CommanderError)) return undefined;
  return err.exitCode === 0 ? EXIT.ok : EXIT.usage;
}
