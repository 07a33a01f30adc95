/** Lists of clients come back in one order on both dialects, whatever was edited since. */
import { expect, it } from 'vitest';
import { resolveClient } from '../../src/app/clients.js';
import { checkNewClient } from '../../src/domain/client.js';
import { insertClient, listClientIdentities, listClientNames, listClients, updateClient } from '../../src/store/clients.js';
import { openFresh } from '../helpers/app.js';
import { describeDialects } from '../helpers/postgres.js';

const ctx = { command: 'test', now: '2026-12-02T10:00:00.000Z' };
const add = (first: string, last: string) => checkNewClient({ firstName: first, lastName: last, dateOfBirth: '1961-04-12' }, '2026-12-02');

describeDialects('client lists', (dialect) => {
  it('are by id, an edited client in its place (PostgreSQL returns an updated row last unless told)', async () => {
    const { store } = await openFresh(dialect);
    const lee = await insertClient(store.db, add('Ann', 'Lee'), ctx);
    const low = await insertClient(store.db, add('Ann', 'Low'), ctx);
    await updateClient(store.db, lee, { notes: 'knee' }, ctx);
    expect((await listClientNames(store.db)).map((c) => c.id)).toEqual([lee.id, low.id]);
    expect((await listClientIdentities(store.db)).map((c) => c.id)).toEqual([lee.id, low.id]);
    expect((await listClients(store.db, 'all')).map((c) => c.id)).toEqual([lee.id, low.id]);
    await expect(resolveClient(store, 'ann')).rejects.toThrow(`"ann" matches 2 clients: ${lee.id} Ann Lee; ${low.id} Ann Low;`);
    await store.close();
  });
});
