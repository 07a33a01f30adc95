/**
 * Correcting the record (issue 16): an amendment of any field and a void
 * decide the entry again and every later entry whose decision the change
 * alters, keep every earlier value with who, and report referrals raised or
 * no longer warranted.
 */
import { expect, it } from 'vitest';
import { amendEntry, voidEntry } from '../../src/app/amend-entry.js';
import { clientHistory } from '../../src/app/history.js';
import { listSessions } from '../../src/app/progress.js';
import { listReferrals } from '../../src/app/referrals.js';
import { setSetting } from '../../src/app/settings.js';
import { summarise } from '../../src/app/summary.js';
import { ago, cleared, client, ctx, intake, openFresh, program, session, TODAY } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

const knee = { conditions: [{ code: 'knee_tka', side: 'right', date: ago(60) }] };

/** A knee replacement in its program, with three ordinary sessions. */
async function withSessions(dialect: Dialect) {
  const fresh = await openFresh(dialect);
  const { store } = fresh;
  const c = await client(store);
  const first = await intake(store, c, knee);
  await cleared(store, c);
  await program(store, c, 'knee_tka', first.saved);
  const ids: number[] = [];
  for (const d of [9, 8, 4]) ids.push((await session(store, c, { date: ago(d), painBefore: 1, painDuring: 2, painAfter: 2, rpe: 4 })).id);
  return { store, c, ids, fresh };
}

const decisionOf = async (store: Awaited<ReturnType<typeof withSessions>>['store'], c: Awaited<ReturnType<typeof withSessions>>['c'], id: number) =>
  (await listSessions(store, c)).find((e) => e.id === id)!;

describeDialects('progress amend: any field, decided again with what follows', (dialect) => {
  it('soreness that means days off holds the next session, and taking it back trains it again (Fees 1998 soreness rules)', async () => {
    const { store, c, ids } = await withSessions(dialect);
    const untouched = JSON.stringify((await decisionOf(store, c, ids[2]!)).decision);
    const sore = await amendEntry(store, c, { entryId: ids[0]!, set: { soreness: 'after_next_day' }, clear: [] }, ctx);
    expect(sore.changes).toEqual([{ field: 'soreness', old: null, now: 'after_next_day' }]);
    // The session the next day falls in the days off: held, and kept as not trained.
    const next = sore.redecided.find((r) => r.entryId === ids[1]);
    expect(next?.to.today).toBe('hold');
    const held = await decisionOf(store, c, ids[1]!);
    expect(held).toMatchObject({ attended: false, exercises: [] });
    expect(held.missedReason).toMatch(/^held: Soreness on/);
    // An entry the change does not reach keeps its decision exactly.
    if (!sore.redecided.some((r) => r.entryId === ids[2])) expect(JSON.stringify((await decisionOf(store, c, ids[2]!)).decision)).toBe(untouched);

    const back = await amendEntry(store, c, { entryId: ids[0]!, set: { soreness: 'none' }, clear: [] }, ctx);
    expect(back.redecided.find((r) => r.entryId === ids[1])?.to.today).toBe('go');
    const trained = await decisionOf(store, c, ids[1]!);
    expect(trained.attended).toBe(true);
    expect(trained.missedReason).toBeUndefined();
    expect(trained.exercises.length).toBeGreaterThan(0); // the stage's plan, done
    await store.close();
  });

  it('a red flag added raises a referral once; taken back, the open referral is reported, never resolved silently', async () => {
    const { store, c, ids } = await withSessions(dialect);
    const flagged = await amendEntry(store, c, { entryId: ids[2]!, set: { symptoms: ['chest_pain'] }, clear: [] }, ctx);
    expect(flagged.decision?.today).toBe('hold');
    expect(flagged.referrals.map((r) => r.code)).toEqual(['chest_pain']);
    expect(flagged.entry.attended).toBe(false);

    const corrected = await amendEntry(store, c, { entryId: ids[2]!, clear: ['symptom'], set: {} }, ctx);
    expect(corrected.decision?.today).toBe('go');
    expect(corrected.referrals).toEqual([]);
    expect(corrected.unwarranted.map((r) => r.code)).toEqual(['chest_pain']);
    expect((await listReferrals(store, { openOnly: true })).map((r) => r.code)).toEqual(['chest_pain']);
    await store.close();
  });

  it('keeps every earlier value with when and who, and the history shows old → new', async () => {
    const { store, c, ids } = await withSessions(dialect);
    await setSetting(store, 'trainer.name', 'Sam Rivera'); // the trainer's own (in a clinic, each member's)
    await amendEntry(store, c, { entryId: ids[1]!, set: { painDuring: 5, bp: '150/95' }, clear: [] }, ctx);
    await amendEntry(store, c, { entryId: ids[1]!, set: { painDuring: 3 }, clear: [] }, { ...ctx, now: '2026-12-02T11:00:00.000Z' });
    const amended = (await clientHistory(store, c)).filter((h) => h.action === 'progress.amend');
    expect(amended.map((h) => [h.by, h.changes])).toEqual([
      ['Sam Rivera', [{ field: 'painDuring', from: 2, to: 5 }, { field: 'vitals.bp', from: null, to: { systolic: 150, diastolic: 95 } }]],
      ['Sam Rivera', [{ field: 'painDuring', from: 5, to: 3 }]],
    ]);
    await store.close();
  });

  it('a moved date takes the measures with it, one entry a day holds, and a change to nothing is refused', async () => {
    const { store, c, ids } = await withSessions(dialect);
    await amendEntry(store, c, { entryId: ids[2]!, set: { measures: [{ code: 'knee_flexion', side: 'right', value: 100 }] }, clear: [] }, ctx);
    const moved = await amendEntry(store, c, { entryId: ids[2]!, set: { date: ago(3) }, clear: [] }, ctx);
    expect(moved.entry.date).toBe(ago(3));
    expect(moved.entry.measures).toEqual([{ code: 'knee_flexion', side: 'right', value: 100 }]);
    await expect(amendEntry(store, c, { entryId: ids[2]!, set: { date: ago(8) }, clear: [] }, ctx)).rejects.toThrow(`already has an entry on ${ago(8)}`);
    await expect(amendEntry(store, c, { entryId: ids[2]!, set: { painDuring: 2 }, clear: [] }, ctx)).rejects.toThrow('nothing would change');
    await expect(amendEntry(store, c, { entryId: ids[2]!, set: { painDuring: 11 }, clear: [] }, ctx)).rejects.toThrow(/painDuring.*nothing was changed/);
    await store.close();
  });
});

describeDialects('progress void', (dialect) => {
  it('the entry leaves every figure and decision, stays in the list and the history, and its referral is reported', async () => {
    const { store, c, ids } = await withSessions(dialect);
    const red = await session(store, c, { date: ago(2), painBefore: 1, symptoms: ['chest_pain'] });
    const before = (await summarise(store, { from: ago(27), to: TODAY, status: 'active' }))[0]!;
    const voided = await voidEntry(store, c, red.id, 'recorded for the wrong client', ctx);
    expect(voided.entry.voided).toEqual({ at: ctx.now, reason: 'recorded for the wrong client', by: null });
    expect(voided.unwarranted.map((r) => r.id)).toEqual(red.referrals.map((r) => r.id));

    const after = (await summarise(store, { from: ago(27), to: TODAY, status: 'active' }))[0]!;
    expect([before.lastSession, after.lastSession]).toEqual([ago(2), ago(4)]); // the latest that counts
    expect(before.flagged).toBe(true);
    const list = await listSessions(store, c);
    expect(list.map((e) => [e.id, Boolean(e.voided)])).toEqual([...ids.map((id) => [id, false]), [red.id, true]]);
    expect((await clientHistory(store, c)).at(-1)).toMatchObject({ action: 'progress.void', entityId: red.id, by: null, detail: { reason: 'recorded for the wrong client' } });

    // The day is free again, and the same entry cannot be voided twice nor amended.
    await session(store, c, { date: ago(2), painBefore: 1 });
    await expect(voidEntry(store, c, red.id, 'again', ctx)).rejects.toThrow(`entry ${red.id} was voided`);
    await expect(amendEntry(store, c, { entryId: red.id, set: { painBefore: 2 }, clear: [] }, ctx)).rejects.toThrow('or it is voided');
    await store.close();
  });

  it('a voided entry is no longer the history later sessions are decided on', async () => {
    const { store, c, ids } = await withSessions(dialect);
    await amendEntry(store, c, { entryId: ids[0]!, set: { soreness: 'after_next_day' }, clear: [] }, ctx);
    expect((await decisionOf(store, c, ids[1]!)).attended).toBe(false); // held by the soreness days off
    const voided = await voidEntry(store, c, ids[0]!, 'duplicate', ctx);
    expect(voided.redecided.find((r) => r.entryId === ids[1])?.to.today).toBe('go');
    expect((await decisionOf(store, c, ids[1]!)).attended).toBe(true);
    await store.close();
  });
});
