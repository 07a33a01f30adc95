import { expect, it } from 'vitest';
import { careTeamOfClient } from '../../src/app/raise-referrals.js';
import { checkClientChanges, checkNewClient } from '../../src/domain/client.js';
import { listAudit } from '../../src/store/audit.js';
import { getClient, insertClient, updateClient } from '../../src/store/clients.js';
import { migrations } from '../../src/store/migrations.js';
import { openFresh, openOlder } from '../helpers/app.js';
import { describeDialects } from '../helpers/postgres.js';

const ctx = { command: 'test', now: '2026-12-02T10:00:00.000Z' };
const TODAY = '2026-12-02';

describeDialects('the care team on a client record (0011_care_team)', (dialect) => {
  const ALL = migrations(dialect);
  const BEFORE = Object.fromEntries(Object.keys(ALL).sort().filter((n) => n < '0011').map((n) => [n, ALL[n]!]));

  it('upgrades a database from before: its clients keep every field and have no care team', async () => {
    const old = await openOlder(dialect, BEFORE);
    await old.run("insert into clients (first_name, last_name, date_of_birth, phone, created_at, updated_at) values ('Zoë', 'Moreau', '1961-04-12', '020 1234 5678', ?, ?)", [ctx.now, ctx.now]);

    const store = await old.upgrade();
    const zoe = (await getClient(store.db, 1))!;
    expect(zoe).toMatchObject({ firstName: 'Zoë', phone: '020 1234 5678', gpName: null, gpContact: null, surgeonName: null, surgeonContact: null, physioName: null, physioContact: null });
    expect(await careTeamOfClient(store.db, 1)).toEqual({});
    await store.close();
    expect(Object.keys((await old.rows('select * from clients'))[0]!)).toEqual(expect.arrayContaining(['gp_name', 'gp_contact', 'surgeon_name', 'surgeon_contact', 'physio_name', 'physio_contact']));
  });

  it('stores, changes and clears each member, and audits the change', async () => {
    const fresh = await openFresh(dialect, 'team.db');
    const { store } = fresh;
    const fields = checkNewClient({ firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12', gpName: ' Dr A. Shah ', gpContact: '020 7946 0000', surgeonName: 'Mr B. Okafor' }, TODAY);
    const zoe = await insertClient(store.db, fields, ctx);
    expect(await fresh.rows('select gp_name, gp_contact, surgeon_name, surgeon_contact, physio_name, physio_contact from clients')).toEqual([
      { gp_name: 'Dr A. Shah', gp_contact: '020 7946 0000', surgeon_name: 'Mr B. Okafor', surgeon_contact: null, physio_name: null, physio_contact: null },
    ]);
    expect(await careTeamOfClient(store.db, zoe.id)).toEqual({ gp: { name: 'Dr A. Shah', contact: '020 7946 0000' }, surgeon: { name: 'Mr B. Okafor', contact: null } });

    const changes = checkClientChanges(zoe, { physioName: 'C. Lund', gpContact: '' }, TODAY);
    expect(changes).toEqual({ physioName: 'C. Lund', gpContact: null });
    const after = await updateClient(store.db, zoe, changes, ctx);
    expect(after).toMatchObject({ gpName: 'Dr A. Shah', gpContact: null, physioName: 'C. Lund' });
    const audit = await listAudit(store.db, zoe.id);
    expect(audit.at(-1)).toMatchObject({ action: 'client.update', detail: { physioName: { from: null, to: 'C. Lund' }, gpContact: { from: '020 7946 0000', to: null } } });
    await store.close();
  });

  it('refuses a name on more than one line or too long, naming the field', () => {
    expect(() => checkNewClient({ firstName: 'A', lastName: 'B', dateOfBirth: '1961-04-12', surgeonName: 'Mr B.\nOkafor' }, TODAY)).toThrow("surgeon's name must be one line");
    expect(() => checkNewClient({ firstName: 'A', lastName: 'B', dateOfBirth: '1961-04-12', physioContact: 'x'.repeat(201) }, TODAY)).toThrow("physiotherapist's contact is longer than 200 characters");
  });
});
