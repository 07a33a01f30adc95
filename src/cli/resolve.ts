import { fullName, type Client } from '../domain/client.js';
import { isIdSelector, selectByName } from '../domain/selector.js';
import { getClient, listClientNames } from '../store/clients.js';
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
