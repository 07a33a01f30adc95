import { expect, it } from 'vitest';
import { checkNewClient } from '../../src/domain/client.js';
import type { ProgressEntry } from '../../src/domain/progress-types.js';
import { listAudit } from '../../src/store/audit.js';
import { insertClient } from '../../src/store/clients.js';
import { changedFields } from '../../src/domain/entry-edit.js';
import { EntryWriter, insertEntry, listAmendments, listEntries, listEntryDates, listReferrals, raiseReferral, resolveReferral, updateEntry, voidEntry } from '../../src/store/progress.js';
import { openFresh } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

const ctx = { command: 'test', now: '2026-11-26T10:00:00.000Z' };

async function withClient(dialect: Dialect) {
  const { store } = await openFresh(dialect, 'p.db');
  const client = await store.write((tx) => insertClient(tx, checkNewClient({ firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12' }, '2026-11-26'), ctx));
  return { store, client };
}

const entry = (clientId: number, date: string, extra: Partial<ProgressEntry> = {}): ProgressEntry & { programId: null } => ({
  id: 0,
  clientId,
  programId: null,
  date,
  attended: true,
  vitals: {},
  measures: [],
  symptoms: [],
  exercises: [],
  ...extra,
});

describeDialects('progress entries on a real database', (dialect) => {
  it('keeps every field, measures included, and lists them oldest first', async () => {
    const { store, client } = await withClient(dialect);
    const full = entry(client.id, '2026-11-20', {
      painBefore: 2,
      painDuring: 3,
      painAfter: 3,
      rpe: { value: 13, scale: 'borg' },
      vitals: { bp: { systolic: 130, diastolic: 84 }, restingHr: 66, glucose: { value: 112, unit: 'mg/dL' }, ketones: false },
      soreness: 'warmup_gone',
      measures: [{ code: 'knee_flexion', side: 'left', value: 101 }, { code: 'lefs', value: 40 }],
      symptoms: ['ankle_oedema'],
      exercises: [{ exerciseId: 'heel_slide', sets: 2, reps: 10, completed: true }],
      notes: 'Zoë: stairs easier',
    });
    await store.write((tx) => insertEntry(tx, entry(client.id, '2026-11-22', { attended: false, missedReason: 'flu' }), { d: 2 }, ctx));
    await store.write((tx) => insertEntry(tx, full, { d: 1 }, ctx));
    const listed = await listEntries(store.db, client.id);
    expect(listed.map((e) => e.date)).toEqual(['2026-11-20', '2026-11-22']);
    const { id: _id, programId: _p, ...expected } = full;
    expect(listed[0]).toMatchObject({ ...expected, decision: { d: 1 } });
    expect(listed[1]).toMatchObject({ attended: false, missedReason: 'flu' });
    expect(await listEntries(store.db, client.id, '2026-11-21')).toHaveLength(1);
    await store.close();
  });

  it('one EntryWriter reused for many entries binds each its own values, and a failed batch leaves nothing', async () => {
    const { store, client } = await withClient(dialect);
    const dates = ['2026-11-01', '2026-11-02', '2026-11-03'];
    const ids = await store.write(async (tx) => {
      const writer = new EntryWriter(tx);
      const out: number[] = [];
      for (const [i, date] of dates.entries()) {
        out.push(await writer.insert(entry(client.id, date, { painDuring: i, measures: [{ code: 'lefs', value: 40 + i }], ...(i === 1 ? { notes: 'second' } : {}) }), { n: i }, ctx));
      }
      return out;
    });
    expect(new Set(ids).size).toBe(3);
    const listed = await listEntries(store.db, client.id);
    expect(listed.map((e) => [e.id, e.date, e.painDuring, e.measures[0]?.value, e.notes, e.decision])).toEqual([
      [ids[0], '2026-11-01', 0, 40, undefined, { n: 0 }],
      [ids[1], '2026-11-02', 1, 41, 'second', { n: 1 }],
      [ids[2], '2026-11-03', 2, 42, undefined, { n: 2 }],
    ]);
    const audit = (await listAudit(store.db, client.id)).filter((a) => a.action === 'progress.create');
    expect(audit.map((a) => a.entityId)).toEqual(ids);

    // A batch that fails half-way (the client does not exist) writes none of its rows.
    await expect(
      store.write(async (tx) => {
        const writer = new EntryWriter(tx);
        await writer.insert(entry(client.id, '2026-11-04'), {}, ctx);
        await writer.insert(entry(client.id + 99, '2026-11-05'), {}, ctx);
      }),
    ).rejects.toThrow();
    expect(await listEntries(store.db, client.id)).toHaveLength(3);

    // A writer kept after its transaction ended refuses to write: it would write outside any transaction.
    let kept: EntryWriter | undefined;
    await store.write(async (tx) => {
      kept = new EntryWriter(tx);
    });
    await expect(kept!.insert(entry(client.id, '2026-11-05'), {}, ctx)).rejects.toThrow(/outside its write transaction/);
    expect(await listEntries(store.db, client.id)).toHaveLength(3);

    // Outside Store.write (no transaction to run on directly) the writer goes through kysely's executor.
    const id = await new EntryWriter(store.db).insert(entry(client.id, '2026-11-06', { painDuring: 7 }), { n: 6 }, ctx);
    expect((await listEntries(store.db, client.id)).at(-1)).toMatchObject({ id, painDuring: 7, decision: { n: 6 } });
    await store.close();
  });

  it('an amendment keeps what the entry said before, with who; measures are written again', async () => {
    const { store, client } = await withClient(dialect);
    const id = await store.write((tx) => insertEntry(tx, entry(client.id, '2026-11-20', { painBefore: 1, measures: [{ code: 'knee_flexion', side: 'left', value: 95 }] }), {}, ctx));
    const [stored] = await listEntries(store.db, client.id);
    const once = { ...stored!, nextDayPain: 3 };
    await store.write((tx) => updateEntry(tx, once, { d: 1 }, changedFields(stored!, once), null, ctx));
    const twice = { ...once, nextDayPain: 1, notes: 'settled', measures: [{ code: 'knee_flexion' as const, side: 'left' as const, value: 105 }] };
    await store.write((tx) => updateEntry(tx, twice, { d: 2 }, changedFields(once, twice), 'Sam Rivera', ctx));
    expect((await listEntries(store.db, client.id))[0]).toMatchObject({ nextDayPain: 1, notes: 'settled', decision: { d: 2 }, measures: [{ code: 'knee_flexion', side: 'left', value: 105 }] });
    expect((await listAmendments(store.db, id)).map((a) => [a.field, a.old_value, a.new_value, a.changed_by])).toEqual([
      ['nextDayPain', 'null', '3', null],
      ['nextDayPain', '3', '1', 'Sam Rivera'],
      ['measures', '[{"code":"knee_flexion","side":"left","value":95}]', '[{"code":"knee_flexion","side":"left","value":105}]', 'Sam Rivera'],
      ['notes', 'null', '"settled"', 'Sam Rivera'],
    ]);
    expect(await store.db.selectFrom('measurements').select('value').where('entry_id', '=', id).execute()).toEqual([{ value: 105 }]);
    await store.close();
  });

  it('a voided entry is left out of the entries that count, and kept', async () => {
    const { store, client } = await withClient(dialect);
    const id = await store.write((tx) => insertEntry(tx, entry(client.id, '2026-11-20', { painBefore: 1 }), {}, ctx));
    await store.write((tx) => insertEntry(tx, entry(client.id, '2026-11-21', { painBefore: 2 }), {}, ctx));
    const [first] = await listEntries(store.db, client.id);
    await store.write((tx) => voidEntry(tx, first!, 'wrong client', 'Sam Rivera', ctx));
    expect((await listEntries(store.db, client.id)).map((e) => e.date)).toEqual(['2026-11-21']);
    expect(await listEntryDates(store.db, client.id)).toEqual(['2026-11-21']);
    const all = await listEntries(store.db, client.id, undefined, 'include');
    expect(all.find((e) => e.id === id)?.voided).toEqual({ at: ctx.now, reason: 'wrong client', by: 'Sam Rivera' });
    expect((await listAudit(store.db, client.id)).at(-1)).toMatchObject({ action: 'progress.void', entityId: id, detail: { reason: 'wrong client' } });
    await store.close();
  });

  it('keeps the pre-session answers (weak, a severe hypo, unwell) as asked', async () => {
    const { store, client } = await withClient(dialect);
    await store.write((tx) => insertEntry(tx, entry(client.id, '2026-11-20', { vitals: { glucose: { value: 16, unit: 'mmol/L' }, ketones: false, weakOrTired: true, severeHypoLast24h: false, unwell: true } }), {}, ctx));
    expect((await listEntries(store.db, client.id))[0]!.vitals).toEqual({ glucose: { value: 16, unit: 'mmol/L' }, ketones: false, weakOrTired: true, severeHypoLast24h: false, unwell: true });
    await store.close();
  });

  it('writes a batch of entries all or none', async () => {
    const { store, client } = await withClient(dialect);
    await expect(
      store.write(async (tx) => {
        await insertEntry(tx, entry(client.id, '2026-11-20', { measures: [{ code: 'lefs', value: 40 }] }), {}, ctx);
        await insertEntry(tx, entry(client.id, '2026-11-21'), {}, ctx);
        throw new Error('row 3 is bad');
      }),
    ).rejects.toThrow('row 3 is bad');
    expect(await listEntries(store.db, client.id)).toEqual([]);
    await store.close();
  });

  it('a referral stays open until resolved with a note', async () => {
    const { store, client } = await withClient(dialect);
    const id = await store.write((tx) => raiseReferral(tx, { clientId: client.id, entryId: null, raisedOn: '2026-11-20', code: 'chest_pain', reason: 'Red flag: chest pain', toWhom: 'Dr A' }, ctx));
    const [open] = await listReferrals(store.db, { openOnly: true });
    expect(open).toMatchObject({ id, status: 'open', toWhom: 'Dr A' });
    await store.write((tx) => resolveReferral(tx, open!, 'ECG normal; cleared', '2026-11-22', ctx));
    expect(await listReferrals(store.db, { openOnly: true })).toEqual([]);
    expect((await listReferrals(store.db))[0]).toMatchObject({ status: 'resolved', resolvedOn: '2026-11-22', resolutionNote: 'ECG normal; cleared' });
    await store.close();
  });
});
