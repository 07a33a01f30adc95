import { expect, it } from 'vitest';
import { describeDialects, freshClinic } from '../helpers/postgres.js';
import { client } from '../helpers/app.js';
import { listClients } from '../../src/app/clients.js';

describeDialects('smoke', (d) => {
  it('adds and lists', async () => {
    if (d === 'sqlite') return;
    const clinic = await freshClinic();
    const tom = await clinic.member('trainer', null, 'tom');
    const store = await clinic.open(tom);
    await client(store);
    expect((await listClients(store, 'active')).length).toBe(1);
    await store.close();
  });
});
