import {
  CLIENT_FIELDS,
  REQUIRED_CLIENT_FIELDS,
  checkClientChanges,
  checkClientField,
  checkNewClient,
  clientAge,
  compareClients,
  fullName,
  label,
  type Client,
  type ClientField,
  type ClientFields,
  type RawClientFields,
} from '../domain/client.js';
import { ValidationError } from '../domain/errors.js';
import { deleteClient, insertClient, listClients, setClientStatus, updateClient, type StatusFilter } from '../store/clients.js';
import { CREATE, READ, type App } from './app.js';
import { CancelledError, UsageError } from './errors.js';
import { resolveClient } from './resolve.js';
import { foldName } from '../domain/selector.js';
import { listClientNames } from '../store/clients.js';

type FieldFlags = Partial<Record<'firstName' | 'lastName' | 'dob' | 'sex' | 'email' | 'phone' | 'goals' | 'notes', string>>;

const FLAG: Record<ClientField, string> = {
  firstName: '--first-name',
  lastName: '--last-name',
  dateOfBirth: '--dob',
  sex: '--sex',
  email: '--email',
  phone: '--phone',
  goals: '--goals',
  notes: '--notes',
};

/** The stable JSON shape of a client (documented in the README). */
export function clientJson(c: Client, today: string) {
  return {
    id: c.id,
    firstName: c.firstName,
    lastName: c.lastName,
    dateOfBirth: c.dateOfBirth,
    age: clientAge(c, today),
    sex: c.sex,
    email: c.email,
    phone: c.phone,
    goals: c.goals,
    notes: c.notes,
    status: c.status,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}

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

async function askField(app: App, field: ClientField, current?: string | null): Promise<string> {
  const today = app.today();
  if (field === 'sex') {
    const choice = await app.prompt.select(
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
  const answer = await app.prompt.text({
    message: `${capitalise(label(field))}${hint}`,
    ...(current ? { default: current } : {}),
    validate: promptCheck(field, today, editing && optional),
  });
  return editing && optional && answer.trim() === '-' ? '' : answer;
}

export async function add(app: App, opts: FieldFlags): Promise<void> {
  const today = app.today();
  const raw = fieldsFromFlags(opts, today);
  await app.withStore(async (store) => {
    const missing = REQUIRED_CLIENT_FIELDS.filter((f) => raw[f] === undefined);
    if (missing.length > 0) {
      if (!app.prompt.available) app.prompt.require(missing.map((f) => FLAG[f]).join(', '), missing.map(label).join(', '));
      for (const f of CLIENT_FIELDS) if (raw[f] === undefined) raw[f] = await askField(app, f);
    }
    const fields = checkNewClient(raw, today);
    const client = await store.write((tx) => insertClient(tx, fields, app.writeContext()));
    const twins = (await listClientNames(store.db)).filter(
      (c) => c.id !== client.id && foldName(`${c.firstName} ${c.lastName}`) === foldName(`${fields.firstName} ${fields.lastName}`),
    );
    if (twins.length > 0) app.io.warn(`another client has the same name (${twins.map((t) => `id ${t.id}`).join(', ')}); use ids to tell them apart, or "client delete ${client.id}" if this one is a mistake`);
    if (app.io.json) app.io.printJson(clientJson(client, today));
    else app.io.info(`Added client ${client.id}: ${fullName(client)}`);
  }, CREATE);
}

export async function list(app: App, opts: { status: StatusFilter }): Promise<void> {
  const today = app.today();
  const clients = await app.withStore(async (store) => (await listClients(store.db, opts.status)).sort(compareClients), READ);
  if (app.io.json) {
    app.io.printJson(clients.map((c) => clientJson(c, today)));
    return;
  }
  if (clients.length === 0) {
    app.io.info(opts.status === 'active' ? 'No active clients. Add one with "bridgefit client add".' : 'No clients.');
    return;
  }
  const { c } = app.io;
  app.io.table(
    ['ID', 'NAME', 'BORN', 'AGE', 'STATUS', 'PHONE', 'EMAIL'],
    clients.map((x) => [String(x.id), fullName(x), x.dateOfBirth, String(clientAge(x, today)), x.status, x.phone ?? '', x.email ?? '']),
    (_row, col, text) => (col === 0 ? c.cyan(text) : col === 4 && text === 'archived' ? c.dim(text) : text),
  );
}

export async function show(app: App, _opts: unknown, args: string[]): Promise<void> {
  const today = app.today();
  const client = await app.withStore((store) => resolveClient(store, args[0]!), READ);
  if (app.io.json) {
    app.io.printJson(clientJson(client, today));
    return;
  }
  printClient(app, client, today);
}

function printClient(app: App, client: Client, today: string): void {
  app.io.out(app.io.c.bold(`${fullName(client)}`) + app.io.c.dim(`  (client ${client.id})`));
  app.io.fields([
    ['Born', `${client.dateOfBirth} (age ${clientAge(client, today)})`],
    ['Sex', client.sex ?? 'not recorded'],
    ['Email', client.email ?? '—'],
    ['Phone', client.phone ?? '—'],
    ['Goals', client.goals ?? '—'],
    ['Notes', client.notes ?? '—'],
    ['Status', client.status],
    ['Added', localTime(client.createdAt)],
    ['Updated', localTime(client.updatedAt)],
  ]);
}

export async function edit(app: App, opts: FieldFlags, args: string[]): Promise<void> {
  const today = app.today();
  const raw = fieldsFromFlags(opts, today);
  await app.withStore(async (store) => {
    const before = await resolveClient(store, args[0]!);
    if (Object.keys(raw).length === 0) {
      if (!app.prompt.available) {
        throw new UsageError(`nothing to change: give at least one of ${Object.values(FLAG).join(', ')}`);
      }
      for (const f of CLIENT_FIELDS) raw[f] = await askField(app, f, before[f]);
    }
    const changes = checkClientChanges(before as ClientFields, raw, today);
    if (Object.keys(changes).length === 0) {
      if (app.io.json) app.io.printJson(clientJson(before, today));
      else app.io.info(`Nothing changed for client ${before.id}: ${fullName(before)}`);
      return;
    }
    const after = await store.write((tx) => updateClient(tx, before, changes, app.writeContext()));
    if (app.io.json) app.io.printJson(clientJson(after, today));
    else app.io.info(`Updated client ${after.id}: ${fullName(after)} (${Object.keys(changes).map((k) => label(k as ClientField)).join(', ')})`);
  });
}

async function changeStatus(app: App, selector: string, status: Client['status']): Promise<void> {
  const today = app.today();
  await app.withStore(async (store) => {
    const client = await resolveClient(store, selector);
    const verb = status === 'archived' ? 'Archived' : 'Restored';
    let result = client;
    if (client.status !== status) result = await store.write((tx) => setClientStatus(tx, client.id, status, app.writeContext()));
    if (!app.io.json) app.io.info(client.status === status ? `Client ${client.id}: ${fullName(client)} is already ${status}` : `${verb} client ${client.id}: ${fullName(client)}`);
    if (app.io.json) app.io.printJson(clientJson(result, today));
  });
}

export async function archive(app: App, _opts: unknown, args: string[]): Promise<void> {
  await changeStatus(app, args[0]!, 'archived');
}

export async function restore(app: App, _opts: unknown, args: string[]): Promise<void> {
  await changeStatus(app, args[0]!, 'active');
}

export async function remove(app: App, opts: { yes?: boolean }, args: string[]): Promise<void> {
  await app.withStore(async (store) => {
    const client = await resolveClient(store, args[0]!);
    const name = fullName(client);
    if (!opts.yes) {
      if (!app.prompt.available) {
        throw new UsageError(`refusing to delete client ${client.id} (${name}) without --yes: there is no terminal to confirm on`);
      }
      app.io.info(`This deletes ${name} (client ${client.id}) and their whole history. It cannot be undone; "client archive" keeps it.`);
      const typed = await app.prompt.text({ message: `To delete, type the client's full name, ${name}:` });
      // Case and accents do not matter ("zoe moreau" confirms Zoë Moreau); the words do.
      const matches = [fullName(client), `${client.firstName} ${client.lastName}`].some((n) => foldName(n) === foldName(typed));
      if (!matches) throw new CancelledError('the name typed did not match; nothing was deleted');
    }
    await store.write((tx) => deleteClient(tx, client.id, app.writeContext()));
    if (app.io.json) app.io.printJson({ id: client.id, deleted: true });
    else app.io.info(`Deleted client ${client.id}: ${name}`);
  });
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

