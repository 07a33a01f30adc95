/**
 * "Refer a finding once" is one rule (domain/referrals.ts alreadyReferred)
 * with one writer (app/raise-referrals.ts): a session added, imported or
 * amended, and an intake, give the same answer on the same record.
 */
import { expect, it } from 'vitest';
import { amendEntry } from '../../src/app/amend-entry.js';
import { importSessions } from '../../src/app/import-sessions.js';
import { listReferrals, resolveReferral } from '../../src/app/referrals.js';
import type { Store } from '../../src/app/open.js';
import { ago, cleared, client, ctx, intake, openFresh, program, session, TODAY } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

const knee = { conditions: [{ code: 'knee_tka', side: 'right', date: ago(60) }] };

/** A knee replacement in a program, with a chest-pain referral raised at a session 5 days ago and still open. */
async function withOpenReferral(dialect: Dialect) {
  const { store, reopen } = await openFresh(dialect);
  const c = await client(store);
  const first = await intake(store, c, knee);
  await cleared(store, c);
  await program(store, c, 'knee_tka', first.saved);
  const raised = await session(store, c, { date: ago(5), painBefore: 1, symptoms: ['chest_pain'] });
  expect(raised.referrals.map((r) => r.code)).toEqual(['chest_pain']);
  await store.close();
  return { reopen, c, referralId: raised.referrals[0]!.id };
}

/** Each path that can find chest pain, on the same record: the referrals it raised. */
const paths: Record<string, (store: Store, c: Awaited<ReturnType<typeof withOpenReferral>>['c'], date: string) => Promise<string[]>> = {
  'progress add': async (store, c, date) => (await session(store, c, { date, painBefore: 1, symptoms: ['chest_pain'] })).referrals.map((r) => r.code),
  'progress import': async (store, _c, date) => (await importSessions(store, `client,date,pain_before,symptoms\n1,${date},1,chest_pain\n`, 'rows.csv', ctx)).raised.map((r) => r.code),
  intake: async (store, c, date) => (await intake(store, c, { ...knee, date, symptoms: ['chest_pain'] })).referrals.map((r) => r.code),
};

describeDialects('a finding already referred is not referred again, from every path', (dialect) => {
  for (const [name, find] of Object.entries(paths)) {
    it(`${name}: nothing new while the referral is open; a new one once it was resolved before the finding`, async () => {
      const { reopen, c, referralId } = await withOpenReferral(dialect);
      const open = await reopen();
      expect(await find(open, c, ago(3))).toEqual([]);
      expect((await listReferrals(open, { openOnly: false })).map((r) => r.id)).toEqual([referralId]);
      await open.close();

      // Resolved (on its day), then found again the same day: a clinician cleared it, this is new.
      const resolved = await reopen();
      await resolveReferral(resolved, referralId, 'GP: musculoskeletal, may continue', ctx);
      expect(await find(resolved, c, TODAY)).toEqual(['chest_pain']);
      await resolved.close();
    });
  }

  it('a finding dated before a referral was resolved (paper records caught up) is covered by it, from add and import alike', async () => {
    const { reopen, c, referralId } = await withOpenReferral(dialect);
    for (const name of ['progress add', 'progress import'] as const) {
      const store = await reopen();
      await resolveReferral(store, referralId, 'seen', ctx);
      // Four days ago the referral was open: the clinician already had it.
      expect(await paths[name]!(store, c, ago(4)), name).toEqual([]);
      await store.close();
    }
  });
});

describeDialects('an amended entry and the same entry added give the same referral', (dialect) => {
  /** Two sessions whose next-morning pain rose 3 above the pain before: a repeated 24-hour flare (FACTS §4; bridgefit refers it [U]). */
  async function base() {
    const { store } = await openFresh(dialect);
    const c = await client(store);
    const first = await intake(store, c, knee);
    await cleared(store, c);
    await program(store, c, 'knee_tka', first.saved);
    return { store, c };
  }

  it('added with the next-morning pain, or amended later, the flare is referred once, to the same clinician', async () => {
    const added = await base();
    await session(added.store, added.c, { date: ago(10), painBefore: 1, painAfter: 2, nextDayPain: 4 });
    const second = await session(added.store, added.c, { date: ago(8), painBefore: 1, painAfter: 2, nextDayPain: 4 });

    const amended = await base();
    const e1 = await session(amended.store, amended.c, { date: ago(10), painBefore: 1, painAfter: 2 });
    const e2 = await session(amended.store, amended.c, { date: ago(8), painBefore: 1, painAfter: 2 });
    expect((await amendEntry(amended.store, amended.c, { entryId: e1.id, set: { nextDayPain: 4 }, clear: [] }, ctx)).referrals).toEqual([]);
    const viaAmend = await amendEntry(amended.store, amended.c, { entryId: e2.id, set: { nextDayPain: 4 }, clear: [] }, ctx);

    const shape = (r: { code: string; toWhom: string }) => ({ code: r.code, toWhom: r.toWhom });
    expect(second.referrals.map(shape)).toEqual([{ code: 'next_day_pain_rise', toWhom: expect.stringContaining('J. Okafor') }]);
    expect(viaAmend.referrals.map(shape)).toEqual(second.referrals.map(shape));
    // Amended again, the entry that raised it does not raise it twice (even after it is resolved).
    await resolveReferral(amended.store, viaAmend.referrals[0]!.id, 'physio reviewed the knee', ctx);
    expect((await amendEntry(amended.store, amended.c, { entryId: e2.id, set: { nextDayPain: 5 }, clear: [] }, ctx)).referrals).toEqual([]);
    await added.store.close();
    await amended.store.close();
  });
});
