/**
 * Migration 0008: a sign-off keeps who gave it (name, profession) and when it
 * was entered; sign-offs from a schema-7 database upgrade with those unknown.
 */
import { expect, it } from 'vitest';
import { signer } from '../../src/domain/criteria.js';
import { migrations, versionOf } from '../../src/store/migrations.js';
import { listSignoffs, recordSignoff } from '../../src/store/progress.js';
import { openOlder } from '../helpers/app.js';
import { describeDialects } from '../helpers/postgres.js';

const ctx = { command: 'test', now: '2026-12-02T10:00:00.000Z' };

describeDialects('sign-offs (schema 8)', (dialect) => {
  it('upgrades a schema-7 sign-off with its name unknown, and records new ones with who and when', async () => {
    const upTo7 = Object.fromEntries(Object.entries(migrations(dialect)).filter(([name]) => versionOf([name]) <= 7));
    const v7 = await openOlder(dialect, upTo7, 's.db');
    expect(v7.schemaVersion).toBe(7);
    // A client, a program and a sign-off as schema 7 wrote them (role and day only).
    await v7.run("insert into clients (first_name, last_name, date_of_birth, notes, created_at, updated_at) values ('Zoë', 'Moreau', '1961-04-12', null, '2026-12-02T10:00:00.000Z', '2026-12-02T10:00:00.000Z')");
    await v7.run("insert into intakes (client_id, intake_date, recorded_at, form_version, answers) values (1, '2026-11-01', 'x', 'f', '{}')");
    await v7.run("insert into programs (client_id, template_id, template_version, intake_id, start_date, generated_at, status, snapshot) values (1, 't', '1.0.0', 1, '2026-11-01', 'x', 'active', '{}')");
    await v7.run("insert into signoffs (program_id, stage, by, on_date, note) values (1, 1, 'trainer', '2026-11-20', 'old')");

    const store = await v7.upgrade();
    expect(store.schemaVersion).toBeGreaterThanOrEqual(8); // 8 and every later migration
    const [old] = await listSignoffs(store.db, 1, 1);
    expect(old).toEqual({ by: 'trainer', date: '2026-11-20', name: null, profession: null, note: 'old', recordedAt: null });
    expect(signer(old!)).toBe('the trainer (name not recorded)');
    await store.write((tx) => recordSignoff(tx, { programId: 1, stage: 1, by: 'clinician', on: '2026-12-01', name: 'Dr A. Physio', profession: 'physiotherapist', note: null, recordedAt: ctx.now }));
    const [, fresh] = await listSignoffs(store.db, 1, 1);
    expect(fresh).toEqual({ by: 'clinician', date: '2026-12-01', name: 'Dr A. Physio', profession: 'physiotherapist', note: null, recordedAt: ctx.now });
    expect(signer(fresh!)).toBe('Dr A. Physio (physiotherapist)');
    await store.close();
  });
});
