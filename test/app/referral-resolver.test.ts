/**
 * A report says who resolved a referral (issue 17): `referral resolve --by`
 * when given, else the trainer named in settings, else nothing recorded.
 */
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations, versionOf } from '../../src/store/migrations.js';
import { listReferrals as listStored } from '../../src/store/progress.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers/tmp.js';
import { seedSchema1Client } from '../helpers/db.js';
import { listReferrals, resolveReferral } from '../../src/app/referrals.js';
import { setStoredSetting } from '../../src/store/meta.js';
import { raiseReferral } from '../../src/store/progress.js';
import { client, ctx, openFresh } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

async function withReferrals(dialect: Dialect, n: number) {
  const fresh = await openFresh(dialect);
  const { store } = fresh;
  const c = await client(store);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await store.write((tx) => raiseReferral(tx, { clientId: c.id, entryId: null, raisedOn: '2026-11-20', code: `code_${i}`, reason: `reason ${i}`, toWhom: 'GP' }, ctx)));
  }
  return { store, ids, fresh };
}

describeDialects('who resolved a referral', (dialect) => {
  it('is --by when given, else the trainer in settings, else null', async () => {
    const { store, ids } = await withReferrals(dialect, 3);
    await resolveReferral(store, ids[0]!, 'no trainer set', ctx);
    // The trainer's own name (in a clinic, each member's own setting).
    await store.write((tx) => setStoredSetting(tx, 'trainer.name', 'Sam Rivera'));
    await resolveReferral(store, ids[1]!, 'seen by the GP', ctx);
    await resolveReferral(store, ids[2]!, 'knee reviewed', ctx, '  Dr Ana Costa ');
    const rows = await listReferrals(store, { openOnly: false });
    expect(rows.map((r) => r.resolvedBy)).toEqual([null, 'Sam Rivera', 'Dr Ana Costa']);
    await store.close();
  });

  it('an open referral has no resolver', async () => {
    const { store } = await withReferrals(dialect, 1);
    expect((await listReferrals(store, { openOnly: true }))[0]).toMatchObject({ status: 'open', resolvedBy: null });
    await store.close();
  });
});

// A SQLite file upgraded from before schema 10; a clinic starts at schema 12.
describe('schema 10: who resolved a referral', () => {
  it('upgrades a schema-9 database, a referral resolved before it with no resolver recorded', async () => {
    const file = path.join(tempDir(), 'r.db');
    const upTo9 = Object.fromEntries(Object.entries(migrations('sqlite')).filter(([name]) => versionOf([name]) <= 9));
    const v8 = await openSqlite(file, { create: true, migrations: upTo9 });
    expect(v8.schemaVersion).toBe(9);
    await v8.close();
    seedSchema1Client(file, { firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12' });
    const raw = new SqliteDatabase(file);
    raw.prepare("insert into referrals (client_id, entry_id, raised_on, code, reason, to_whom, status, resolved_on, resolution_note) values (1, null, '2026-11-20', 'chest_pain', 'Chest pain', 'GP', 'resolved', '2026-11-22', 'ECG normal')").run();
    raw.close();
    const store = await openSqlite(file, { create: true });
    expect(store.schemaVersion).toBeGreaterThanOrEqual(10); // 10 and every later migration
    expect(await listStored(store.db)).toMatchObject([{ status: 'resolved', resolvedOn: '2026-11-22', resolvedBy: null }]);
    await store.close();
  });
});
