/**
 * A report says who resolved a referral (issue 17): `referral resolve --by`
 * when given, else the trainer named in settings, else nothing recorded.
 */
import { describe, expect, it } from 'vitest';
import { listReferrals, resolveReferral } from '../../src/app/referrals.js';
import { setStoredSetting } from '../../src/store/meta.js';
import { raiseReferral } from '../../src/store/progress.js';
import { client, ctx, openTemp } from '../helpers/app.js';

async function withReferrals(n: number) {
  const { store } = await openTemp();
  const c = await client(store);
  const ids: number[] = [];
  for (let i = 0; i < n; i++) {
    ids.push(await store.write((tx) => raiseReferral(tx, { clientId: c.id, entryId: null, raisedOn: '2026-11-20', code: `code_${i}`, reason: `reason ${i}`, toWhom: 'GP' }, ctx)));
  }
  return { store, ids };
}

describe('who resolved a referral', () => {
  it('is --by when given, else the trainer in settings, else null', async () => {
    const { store, ids } = await withReferrals(3);
    await resolveReferral(store, ids[0]!, 'no trainer set', ctx);
    await store.write((tx) => setStoredSetting(tx, 'trainer.name', 'Sam Rivera'));
    await resolveReferral(store, ids[1]!, 'seen by the GP', ctx);
    await resolveReferral(store, ids[2]!, 'knee reviewed', ctx, '  Dr Ana Costa ');
    const rows = await listReferrals(store, { openOnly: false });
    expect(rows.map((r) => r.resolvedBy)).toEqual([null, 'Sam Rivera', 'Dr Ana Costa']);
    await store.close();
  });

  it('an open referral has no resolver', async () => {
    const { store } = await withReferrals(1);
    expect((await listReferrals(store, { openOnly: true }))[0]).toMatchObject({ status: 'open', resolvedBy: null });
    await store.close();
  });
});
