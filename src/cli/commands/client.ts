/** `client add/list/import/show/edit/archive/restore/delete`: client records. */
import { Option } from '@commander-js/extra-typings';
import { addClient, changeClientStatus, deleteClient, editClient, listClients, resolveClient } from '../../app/clients.js';
import { readSource } from '../input.js';
import { CancelledError, UsageError } from '../../app/errors.js';
import {
  CARE_ROLES,
  CARE_ROLE_CODES,
  CLIENT_FIELDS,
  REQUIRED_CLIENT_FIELDS,
  careTeamOf,
  checkClientChanges,
  checkClientField,
  checkNewClient,
  clientAge,
  fullName,
  label,
  type Client,
  type ClientField,
  type ClientFields,
  type RawClientFields,
} from '../../domain/client.js';
import { ValidationError } from '../../domain/errors.js';
import { foldName } from '../../domain/selector.js';
import { CREATE, READ, type Cli } from '../cli.js';
import { command, examples } from '../command.js';
import type { Command } from '@commander-js/extra-typings';
import { clientJson, printClients } from '../print-clients.js';
import { chosenFormat, formatOption } from '../format.js';

type FieldFlags = Partial<Record<'firstName' | 'lastName' | 'dob' | 'sex' | 'email' | 'phone' | 'goals' | 'notes' | 'gp' | 'gpContact' | 'surgeon' | 'surgeonContact' | 'physio' | 'physioContact', string>>;

const FLAG: Record<ClientField, string> = {
  firstName: '--first-name',
  lastName: '--last-name',
  dateOfBirth: '--dob',
  sex: '--sex',
  email: '--email',
  phone: '--phone',
  goals: '--goals',
  notes: '--notes',
  gpName: '--gp',
  gpContact: '--gp-contact',
  surgeonName: '--surgeon',
  surgeonContact: '--surgeon-contact',
  physioName: '--physio',
  physioContact: '--physio-contact',
};

/** Flag values as raw fields, each checked now so a bad flag fails before any question is asked. */
function fieldsFromFlags(opts: FieldFlags, today: string): RawClientFields {
  const raw: RawClientFields = {
    firstName: opts.firstName,
    lastName: opts.lastName,
    dateOfBirth: opts.dob,
    sex: opts.sex,
    email: opts.email,
    phone: opts.phone,
    goals: opts.goals,
    notes: opts.notes,
    gpName: opts.gp,
    gpContact: opts.gpContact,
    surgeonName: opts.surgeon,
    surgeonContact: opts.surgeonContact,
    physioName: opts.physio,
    physioContact: opts.physioContact,
  };
  for (const f of CLIENT_FIELDS) {
    if (raw[f] === undefined) delete raw[f];
    else flagCheck(f, raw[f], today);
  }
  return raw;
}

function flagCheck(field: ClientField, value: string, today: string): void {
  try {
    checkClientField(field, value, today);
  } catch (err) {
    if (err instanceof ValidationError) throw new UsageError(`${FLAG[field]}: ${err.message}`);
    throw err;
  }
}

/** Validation for a prompt: the domain's message, or nothing when the answer is fine. */
function promptCheck(field: ClientField, today: string, allowClear = false) {
  return (answer: string) => {
    if (allowClear && answer.trim() === '-') return undefined;
    try {
      checkClientField(field, answer, today);
      return undefined;
    } catch (err) {
      if (err instanceof ValidationError) return err.message;
      throw err;
    }
  };
}

async function askField(cli: Cli, field: ClientField, current?: string | null): Promise<string> {
  const today = cli.today();
  if (field === 'sex') {
    const choice = await cli.prompt.select(
      'Sex (used only to pick norm tables)',
      [
        { value: '', name: 'not recorded' },
        { value: 'female', name: 'female' },
        { value: 'male', name: 'male' },
        { value: 'other', name: 'other' },
      ],
      current ?? '',
    );
    return choice;
  }
  const optional = !REQUIRED_CLIENT_FIELDS.includes(field);
  const editing = current !== undefined;
  const hint = field === 'dateOfBirth' ? ' (YYYY-MM-DD)' : optional ? (editing && current ? ' (- to clear)' : ' (optional)') : '';
  const answer = await cli.prompt.text({
    message: `${capitalise(label(field))}${hint}`,
    ...(current ? { default: current } : {}),
    validate: promptCheck(field, today, editing && optional),
  });
  return editing && optional && answer.trim() === '-' ? '' : answer;
}

/** A care-team contact is asked only when its name was given (or a contact is on record already). */
function skipContact(field: ClientField, raw: RawClientFields, current?: string | null): boolean {
  const role = CARE_ROLE_CODES.find((r) => CARE_ROLES[r].contact === field);
  return role !== undefined && (raw[CARE_ROLES[role].name] ?? '').trim() === '' && !current;
}

function printClient(cli: Cli, client: Client, today: string): void {
  cli.io.out(cli.io.c.bold(`${fullName(client)}`) + cli.io.c.dim(`  (client ${client.id})`));
  cli.io.fields([
    ['Born', `${client.dateOfBirth} (age ${clientAge(client, today)})`],
    ['Sex', client.sex ?? 'not recorded'],
    ['Email', client.email ?? '—'],
    ['Phone', client.phone ?? '—'],
    ['Goals', client.goals ?? '—'],
    ['Notes', client.notes ?? '—'],
    ...CARE_ROLE_CODES.map((role): [string, string] => {
      const c = careTeamOf(client)[role];
      return [capitalise(CARE_ROLES[role].label), c ? [c.name ?? 'name not recorded', c.contact].filter(Boolean).join(', ') : '—'];
    }),
    ['Status', client.status],
    ...(client.trainer !== undefined ? [['Trainer', client.trainer] as [string, string]] : []),
    ['Added', localTime(client.createdAt)],
    ['Updated', localTime(client.updatedAt)],
  ]);
}

/** An ISO UTC time as the trainer's local "YYYY-MM-DD HH:MM". */
function localTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The client's fields as flags: for add and edit. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
const withFields = <A extends unknown[]>(c: Command<A, {}>) =>
  c
    .option('--first-name <name>', 'first (given) name')
    .option('--last-name <name>', 'last (family) name')
    .option('--dob <date>', 'date of birth, YYYY-MM-DD')
    .option('--sex <sex>', 'female, male or other (used for norm tables)')
    .option('--email <address>', 'email address')
    .option('--phone <number>', 'phone number')
    .option('--goals <text>', "the client's goals")
    .option('--notes <text>', 'notes')
    .option('--gp <name>', "the client's GP (family doctor), e.g. \"Dr A. Shah\"; medical red flags are referred to them")
    .option('--gp-contact <contact>', "how to reach the GP: phone, email or practice, e.g. \"020 7946 0000\"")
    .option('--surgeon <name>', 'the operating surgeon; surgical-site and post-operative joint findings are referred to them')
    .option('--surgeon-contact <contact>', "how to reach the surgeon (or the surgeon's team)")
    .option('--physio <name>', 'the treating physiotherapist; joint findings (effusion, pain response) are referred to them')
    .option('--physio-contact <contact>', 'how to reach the physiotherapist');

export const add = command({
  define: (c) =>
    withFields(c).addHelpText(
      'after',
      examples(
        'bridgefit client add',
        'bridgefit client add --first-name Zoë --last-name Moreau --dob 1961-04-12 --sex female',
        'bridgefit client add --first-name 娜 --last-name 李 --dob 1975-09-30 --json --no-input',
        'bridgefit client add --first-name Zoë --last-name Moreau --dob 1961-04-12 --gp "Dr A. Shah" --gp-contact "020 7946 0000" --surgeon "Mr B. Okafor" --physio "C. Lund"',
      ),
    ),
  async run(cli, opts) {
    const today = cli.today();
    const raw = fieldsFromFlags(opts, today);
    const missing = REQUIRED_CLIENT_FIELDS.filter((f) => raw[f] === undefined);
    if (missing.length > 0) {
      if (!cli.prompt.available) cli.prompt.require(missing.map((f) => FLAG[f]).join(', '), missing.map(label).join(', '));
      for (const f of CLIENT_FIELDS) if (raw[f] === undefined && !skipContact(f, raw)) raw[f] = await askField(cli, f);
    }
    const fields = checkNewClient(raw, today);
    const { client, twins } = await cli.withStore((store) => addClient(store, fields, cli.ctx()), CREATE);
    if (twins.length > 0) cli.io.warn(`another client has the same name (${twins.map((t) => `id ${t}`).join(', ')}); use ids to tell them apart, or "client delete ${client.id}" if this one is a mistake`);
    if (cli.io.json) cli.io.printJson(clientJson(client, today));
    else cli.io.info(`Added client ${client.id}: ${fullName(client)}`);
  },
});

export const list = command({
  define: (c) =>
    c
      .addOption(new Option('--status <status>', 'which clients').choices(['active', 'archived', 'all'] as const).default('active' as const))
      .addOption(formatOption())
      .addHelpText(
        'after',
        examples('bridgefit client list', 'bridgefit client list --status all --json', 'bridgefit client list | cut -f2', 'bridgefit client list --status all --format csv > clients.csv', 'bridgefit client list --format tsv'),
      ),
  async run(cli, opts) {
    const format = chosenFormat(cli, opts.format);
    const clients = await cli.withStore((store) => listClients(store, opts.status), READ);
    await printClients(cli, clients, opts.status, cli.today(), format);
  },
});

export const importClients = command({
  define: (c) =>
    c
      .argument('<file>', 'a CSV file with a header row ("-" for stdin); columns in the README')
      .addHelpText(
        'after',
        '\nColumns: first_name, last_name, date_of_birth (required), sex, email, phone, goals, notes, gp_name, gp_contact, surgeon_name, surgeon_contact, physio_name, physio_contact.\n' +
          'All rows or none: a bad cell, or a client already there (same name and date of birth), is named by row and column.' +
          examples('bridgefit client import clients.csv', 'cat clients.csv | bridgefit client import - --json'),
      ),
  async run(cli, _opts, [source]) {
    const text = await readSource(cli.io, source, 'client import', 'csv');
    const today = cli.today();
    // Loaded here: the CSV parser is 55 KB that `client show` and the other client commands need not compile.
    const { checkClientImport, importClients: importClientsFrom } = await import('../../app/import-clients.js');
    // Checked before the database is opened: a refused file creates and changes nothing.
    const checked = checkClientImport(text, source, today);
    const result = await cli.withStore((store) => importClientsFrom(store, checked, cli.ctx()), CREATE);
    for (const s of result.sameName) cli.io.warn(`row ${s.row}: another client has the same name (${s.ids.map((id) => `id ${id}`).join(', ')}) and another date of birth; use ids to tell them apart`);
    if (cli.io.json) {
      cli.io.printJson({ imported: result.clients.length, clients: result.clients.map(({ row, ...c }) => ({ row, ...clientJson(c, today) })) });
      return;
    }
    const ids = result.clients.map((c) => c.id);
    cli.io.info(`Imported ${ids.length} client(s): ${ids.length === 1 ? `id ${ids[0]}` : `ids ${ids[0]}–${ids.at(-1)}`}.`);
  },
});

export const show = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit client show 12', 'bridgefit client show zoe --json')),
  async run(cli, _opts, [selector]) {
    const today = cli.today();
    const client = await cli.withStore((store) => resolveClient(store, selector), READ);
    if (cli.io.json) cli.io.printJson(clientJson(client, today));
    else printClient(cli, client, today);
  },
});

export const edit = command({
  define: (c) =>
    withFields(c.argument('<client>', 'id or name fragment')).addHelpText('after', examples('bridgefit client edit zoe', 'bridgefit client edit 12 --phone "+44 20 7946 0000" --email ""', 'bridgefit client edit zoe --physio "C. Lund" --physio-contact "c.lund@clinic.example"')),
  async run(cli, opts, [selector]) {
    const today = cli.today();
    const raw = fieldsFromFlags(opts, today);
    await cli.withStore(async (store) => {
      const before = await resolveClient(store, selector);
      if (Object.keys(raw).length === 0) {
        if (!cli.prompt.available) throw new UsageError(`nothing to change: give at least one of ${Object.values(FLAG).join(', ')}`);
        for (const f of CLIENT_FIELDS) if (!skipContact(f, raw, before[f])) raw[f] = await askField(cli, f, before[f]);
      }
      const changes = checkClientChanges(before as ClientFields, raw, today);
      if (Object.keys(changes).length === 0) {
        if (cli.io.json) cli.io.printJson(clientJson(before, today));
        else cli.io.info(`Nothing changed for client ${before.id}: ${fullName(before)}`);
        return;
      }
      const after = await editClient(store, before, changes, cli.ctx());
      if (cli.io.json) cli.io.printJson(clientJson(after, today));
      else cli.io.info(`Updated client ${after.id}: ${fullName(after)} (${Object.keys(changes).map((k) => label(k as ClientField)).join(', ')})`);
    });
  },
});

async function changeStatus(cli: Cli, selector: string, status: Client['status']): Promise<void> {
  const today = cli.today();
  const { client, result } = await cli.withStore(async (store) => {
    const client = await resolveClient(store, selector);
    return { client, result: await changeClientStatus(store, client, status, cli.ctx()) };
  });
  if (cli.io.json) cli.io.printJson(clientJson(result.client, today));
  else cli.io.info(result.changed ? `${status === 'archived' ? 'Archived' : 'Restored'} client ${client.id}: ${fullName(client)}` : `Client ${client.id}: ${fullName(client)} is already ${status}`);
}

export const archive = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit client archive nowak')),
  run: (cli, _opts, [selector]) => changeStatus(cli, selector, 'archived'),
});

export const restore = command({
  define: (c) => c.argument('<client>', 'id or name fragment').addHelpText('after', examples('bridgefit client restore nowak')),
  run: (cli, _opts, [selector]) => changeStatus(cli, selector, 'active'),
});

export const remove = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .option('-y, --yes', 'do not ask; required when there is no terminal')
      .addHelpText('after', examples('bridgefit client delete 12', 'bridgefit client delete 12 --yes')),
  async run(cli, opts, [selector]) {
    await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      const name = fullName(client);
      if (!opts.yes) {
        if (!cli.prompt.available) throw new UsageError(`refusing to delete client ${client.id} (${name}) without --yes: there is no terminal to confirm on`);
        cli.io.info(`This deletes ${name} (client ${client.id}) and their whole history. It cannot be undone; "client archive" keeps it.`);
        const typed = await cli.prompt.text({ message: `To delete, type the client's full name, ${name}:` });
        // Case and accents do not matter ("zoe moreau" confirms Zoë Moreau); the words do.
        const matches = [fullName(client), `${client.firstName} ${client.lastName}`].some((n) => foldName(n) === foldName(typed));
        if (!matches) throw new CancelledError('the name typed did not match; nothing was deleted');
      }
      await deleteClient(store, client, cli.ctx());
      if (cli.io.json) cli.io.printJson({ id: client.id, deleted: true });
      else cli.io.info(`Deleted client ${client.id}: ${name}`);
    });
  },
});

export const transfer = command({
  define: (c) =>
    c
      .argument('<client>', 'id or name fragment')
      .requiredOption('--to <trainer>', "the trainer's login")
      .addHelpText('after', '\nA clinic administrator\'s task (clinic mode); the audit log keeps who had the client before.' + examples('bridgefit client transfer nowak --to tom')),
  async run(cli, opts, [selector]) {
    if (opts.to.trim() === '') throw new UsageError('--to needs a trainer\'s login');
    const { transferClient } = await import('../../app/clinic.js');
    const { client, result } = await cli.withStore(async (store) => {
      const client = await resolveClient(store, selector);
      return { client, result: await transferClient(store, client, opts.to.trim(), cli.ctx()) };
    });
    if (cli.io.json) cli.io.printJson(result);
    else cli.io.info(`Client ${client.id}: ${fullName(client)} is now ${result.to}'s${result.from ? ` (was ${result.from}'s)` : ''}`);
  },
});
