/**
 * Trainers writing at once on one clinic database lose nothing (issue 18):
 * writes are SERIALIZABLE, and one that lost a race is run again, never
 * shown as an error.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { addClient } from '../../src/app/clients.js';
import { checkNewClient, type Client } from '../../src/domain/client.js';
import type { Store } from '../../src/app/open.js';
import { ago, cleared, ctx, intake, program, session, TODAY } from '../helpers/app.js';
import { asSuperuser, freshClinic, SERVER, type Clinic } from '../helpers/postgres.js';

const knee = { conditions: [{ code: 'knee_tka', side: 'right', date: ago(60) }] };
let clinic: Clinic;

async function readyClient(store: Store, first: string): Promise<Client> {
  const c = (await addClient(store, checkNewClient({ firstName: first, lastName: 'Busy', dateOfBirth: '1960-01-01', sex: 'male' }, TODAY), ctx)).client;
  const i = await intake(store, c, knee);
  await cleared(store, c);
  await program(store, c, 'knee_tka', i.saved);
  return c;
}

describe.skipIf(!SERVER)(`concurrent writers on PostgreSQL${SERVER ? '' : ' (skipped: BRIDGEFIT_TEST_POSTGRES is not set)'}`, () => {
  beforeAll(async () => {
    clinic = await freshClinic();
  }, 30_000);

  it('four trainers adding sessions at once: every one lands', async () => {
    const logins = await Promise.all([1, 2, 3, 4].map((n) => clinic.member('trainer', null, `busy${n}`)));
    const stores = await Promise.all(logins.map((l) => clinic.open(l)));
    try {
      const clients = await Promise.all(stores.map((s, n) => readyClient(s, `T${n}`)));
      const days = Array.from({ length: 8 }, (_, d) => ago(20 - 2 * d));
      await Promise.all(stores.map(async (s, n) => {
        for (const date of days) await session(s, clients[n]!, { date, painBefore: 1, painAfter: 2, rpe: 4 });
      }));
      const counted = await asSuperuser<{ client_id: number; n: string }>(clinic.database, 'select client_id, count(*) as n from progress_entries group by client_id order by client_id');
      expect(counted.map((r) => Number(r.n))).toEqual([8, 8, 8, 8]);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
  });

  it("two sessions of one trainer writing the same client's entries at once: the losing transaction is retried, not reported", async () => {
    const login = await clinic.member('trainer', null, 'twice');
    const first = await clinic.open(login);
    const second = await clinic.open(login);
    try {
      const c = await readyClient(first, 'Same');
      // Each recording reads the client's history and writes an entry and its decision:
      // at the same time on the same client, serialisable transactions overlap and some are retried.
      const days = Array.from({ length: 20 }, (_, d) => ago(40 - 2 * d));
      const results = await Promise.allSettled(days.map((date, i) => session(i % 2 ? first : second, c, { date, painBefore: 1 })));
      expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      const counted = await asSuperuser<{ n: string }>(clinic.database, 'select count(*) as n from progress_entries where client_id = $1', [c.id]);
      expect(Number(counted[0]!.n)).toBe(20);
      // The same day twice at once: one lands, the other is told, as if they had come one after the other.
      const same = await Promise.allSettled([session(first, c, { date: TODAY, painBefore: 1 }), session(second, c, { date: TODAY, painBefore: 2 })]);
      expect(same.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(String((same.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason.message)).toMatch(/already has an entry on 2026-12-02/);
    } finally {
      await first.close();
      await second.close();
    }
  });
});
