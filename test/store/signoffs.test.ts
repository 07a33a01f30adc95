/**
 * Migration 0008: a sign-off keeps who gave it (name, profession) and when it
 * was entered; sign-offs from a schema-7 database upgrade with those unknown.
 */
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { signer } from '../../src/domain/criteria.js';
import { migrations, versionOf } from '../../src/store/migrations.js';
import { listSignoffs, recordSignoff } from '../../src/store/progress.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { tempDir } from '../helpers/tmp.js';
import { seedSchema1Client } from '../helpers/db.js';

const ctx = { command: 'test', now: '2026-12-02T10:00:00.000Z' };

describe('sign-offs (schema 8)', () => {
  it('upgrades a schema-7 sign-off with its name unknown, and records new ones with who and when', async () => {
    const file = path.join(tempDir(), 's.db');
    const upTo7 = Object.fromEntries(Object.entries(migrations('sqlite')).filter(([name]) => versionOf([name]) <= 7));
    const v7 = await openSqlite(file, { create: true, migrations: upTo7 });
    expect(v7.schemaVersion).toBe(7);
    await v7.close();
    seedSchema1Client(file, { firstName: 'Zoë', lastName: 'Moreau', dateOfBirth: '1961-04-12' });
    // A program and a sign-off as schema 7 wrote them (role and day only).
    const raw = new SqliteDatabase(file);
    raw.prepare("insert into intakes (client_id, intake_date, recorded_at, form_version, answers) values (1, '2026-11-01', 'x', 'f', '{}')").run();
    raw.prepare("insert into programs (client_id, template_id, template_version, intake_id, start_date, generated_at, status, snapshot) values (1, 't', '1.0.0', 1, '2026-11-01', 'x', 'active', '{}')").run();
    raw.prepare("insert into signoffs (program_id, stage, by, on_date, note) values (1, 1, 'trainer', '2026-11-20', 'old')").run();
    raw.close();

    const store = await openSqlite(file, { create: true });
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
