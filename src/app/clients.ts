import { compareClients, fullName, type Client, type ClientFields } from '../domain/client.js';
import { foldName } from '../domain/selector.js';
import type { Ctx } from './context.js';
import { isIdSelector, selectByName } from '../domain/selector.js';
import { countClients as count, deleteClient as remove, getClient, insertClient, listClientNames, listClients as list, setClientStatus, updateClient, type StatusFilter } from '../store/clients.js';
import type { Store } from '../store/store.js';
import { NotFoundError } from './errors.js';

/** `<client>` on the command line → the client, or a NotFoundError that lists the candidates. */
export async function resolveClient(store: Store, selector: string, opts: { listMatches?: boolean } = {}): Promise<Client> {
  if (isIdSelector(selector)) {
    const byId = await getClient(store.db, Number(selector));
    if (byId) return byId;
    throw new NotFoundError(`no client with id ${selector.trim()}`);
  }
  const selection = selectByName(selector, await listClientNames(store.db));
  if (selection.kind === 'none') throw new NotFoundError(`no client matches "${selector}"`);
  if (selection.kind === 'ambiguous') {
    // A batch's error lands in logs and cron mail: there, only what the file said, never other clients' names.
    if (opts.listMatches === false) throw new NotFoundError(`"${selector}" matches ${selection.matches.length} clients; use the client's id`);
    const shown = selection.matches.slice(0, 10).map((c) => `${c.id} ${fullName(c)}${c.status === 'archived' ? ' (archived)' : ''}`);
    const more = selection.matches.length > 10 ? `, and ${selection.matches.length - 10} more` : '';
    throw new NotFoundError(`"${selector}" matches ${selection.matches.length} clients: ${shown.join('; ')}${more}; use the id or more of the name`);
  }
  const client = await getClient(store.db, selection.client.id);
  if (!client) throw new NotFoundError(`no client matches "${selector}"`);
  return client;
}

export type { StatusFilter };

/** Add a client; `twins` are the other clients with the same name (folded: case and accents aside). */
export async function addClient(store: Store, fields: ClientFields, ctx: Ctx): Promise<{ client: Client; twins: number[] }> {
  const client = await store.write((tx) => insertClient(tx, fields, ctx));
  const name = foldName(`${fields.firstName} ${fields.lastName}`);
  const twins = (await listClientNames(store.db)).filter((c) => c.id !== client.id && foldName(`${c.firstName} ${c.lastName}`) === name).map((c) => c.id);
  return { client, twins };
}

/** Clients by status, in the order a person reads a list (compareClients). */
export async function listClients(store: Store, status: StatusFilter): Promise<Client[]> {
  return (await list(store.db, status)).sort(compareClients);
}

export async function countClients(store: Store): Promise<number> {
  return count(store.db);
}

/** Change the fields given; the audit log keeps what they were. */
export async function editClient(store: Store, before: Client, changes: Partial<ClientFields>, ctx: Ctx): Promise<Client> {
  return store.write((tx) => updateClient(tx, before, changes, ctx));
}

/** Archive or restore; `changed` is false when the client already had that status. */
export async function changeClientStatus(store: Store, client: Client, status: Client['status'], ctx: Ctx): Promise<{ client: Client; changed: boolean }> {
  if (client.status === status) return { client, changed: false };
  return { client: await store.write((tx) => setClientStatus(tx, client.id, status, ctx)), changed: true };
}

/** Delete a client and their whole history, in one transaction. */
export async function deleteClient(store: Store, client: Client, ctx: Ctx): Promise<void> {
  await store.write((tx) => remove(tx, client.id, ctx));
}
