import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrations, versionOf } from '../../src/store/migrations.js';
import { listStageColumnMismatches } from '../../src/store/programs.js';
import { advanceStage } from '../../src/store/progress.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { rows } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const ALL = migrations('sqlite');
const NAMES = Object.keys(ALL).sort();
const upTo = (version: number) => Object.fromEntries(NAMES.slice(0, version).map((n) => [n, ALL[n]!]));

/** The part of a GeneratedProgram the stage columns copy. */
const snapshot = JSON.stringify({
  name: 'Knee, after surgery',
  stages: [
    { number: 1, name: 'Early recovery', sessionsPerWeek: 3 },
    { number: 2, name: 'Strength', sessionsPerWeek: 2 },
    { number: 3, name: 'Return to activity', sessionsPerWeek: 4 },
  ],
});

/** A database as schema `version` made it, with one client and one intake, for programs to point at. */
async function databaseAt(version: number): Promise<{ file: string; raw: SqliteDatabase.Database }> {
  const file = path.join(tempDir(), `v${version}.db`);
  const store = await openSqlite(file, { create: true, migrations: upTo(version) });
  expect(store.schemaVersion).toBe(versionOf(NAMES.slice(0, version)));
  await store.close();
  const raw = new SqliteDatabase(file);
  raw.prepare("insert into clients (id, first_name, last_name, date_of_birth, created_at, updated_at) values (1, 'Zoë', 'Moreau', '1961-04-12', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')").run();
  raw.prepare("insert into intakes (id, client_id, intake_date, recorded_at, form_version, answers) values (1, 1, '2026-01-01', '2026-01-01T00:00:00.000Z', '1', '{}')").run();
  return { file, raw };
}

/** A program row with only the columns schema 3 had. */
function insertV3Program(raw: SqliteDatabase.Database, id: number, status: 'active' | 'superseded', snap = snapshot): void {
  raw
    .prepare(
      `insert into programs (id, client_id, template_id, template_version, intake_id, clearance_id, start_date, generated_at, status, superseded_at, override_reason, snapshot)
       values (?, 1, 'knee', '1', 1, null, '2026-01-02', '2026-01-02T00:00:00.000Z', ?, null, null, ?)`,
    )
    .run(id, status, snap);
}

const stageColumns = (file: string) => rows(file, 'select id, current_stage, stage_name, sessions_per_week from programs order by id');

describe('the stage columns of programs', () => {
  it('a schema-3 database, upgraded, has them set from each snapshot', async () => {
    const { file, raw } = await databaseAt(3);
    insertV3Program(raw, 1, 'superseded');
    insertV3Program(raw, 2, 'active');
    // Schema 3 had no stage columns at all: the upgrade adds them (0004) and must fill them.
    expect(raw.prepare("select count(*) from pragma_table_info('programs') where name in ('current_stage', 'stage_name', 'sessions_per_week')").pluck().get()).toBe(0);
    raw.close();

    const store = await openSqlite(file, { create: true });
    expect(store.upgradeBackup).toMatch(new RegExp(`^${file}\\.schema-3-\\d{8}-\\d{6}\\.bak$`));
    await store.close();
    // 0004 puts every program in stage 1; its name and plan are the snapshot's.
    expect(stageColumns(file)).toEqual([
      { id: 1, current_stage: 1, stage_name: 'Early recovery', sessions_per_week: 3 },
      { id: 2, current_stage: 1, stage_name: 'Early recovery', sessions_per_week: 3 },
    ]);
  });

  it('a schema-6 database, upgraded, has missing or wrong ones set from the snapshot, and right ones left alone', async () => {
    const { file, raw } = await databaseAt(6);
    const set = raw.prepare('update programs set current_stage = ?, stage_name = ?, sessions_per_week = ? where id = ?');
    insertV3Program(raw, 1, 'superseded');
    set.run(2, null, null, 1); // at stage 2 and never filled
    insertV3Program(raw, 2, 'superseded');
    set.run(2, 'Early recovery', 3, 2); // at stage 2, still saying stage 1
    insertV3Program(raw, 3, 'superseded');
    set.run(3, 'Return to activity', 2, 3); // the name right, the plan wrong
    insertV3Program(raw, 4, 'superseded');
    set.run(9, 'Strength', 2, 4); // past the last stage: nothing to say
    insertV3Program(raw, 5, 'active');
    set.run(2, 'Strength', 2, 5); // right already
    raw.close();

    const store = await openSqlite(file, { create: true });
    expect(store.schemaVersion).toBe(versionOf(NAMES));
    expect(await listStageColumnMismatches(store.db)).toEqual([]);
    await store.close();
    expect(stageColumns(file)).toEqual([
      { id: 1, current_stage: 2, stage_name: 'Strength', sessions_per_week: 2 },
      { id: 2, current_stage: 2, stage_name: 'Strength', sessions_per_week: 2 },
      { id: 3, current_stage: 3, stage_name: 'Return to activity', sessions_per_week: 4 },
      { id: 4, current_stage: 9, stage_name: null, sessions_per_week: null },
      { id: 5, current_stage: 2, stage_name: 'Strength', sessions_per_week: 2 },
    ]);
  });

  it('the upgrade fills every program of a large database, page after page, and passes over a snapshot it cannot read', async () => {
    const { file, raw } = await databaseAt(3);
    const count = 1234;
    raw.transaction(() => {
      for (let id = 1; id <= count; id++) insertV3Program(raw, id, id === count ? 'active' : 'superseded', id === 700 ? '{not json' : snapshot);
    })();
    raw.close();

    const store = await openSqlite(file, { create: true });
    expect(rows(file, "select count(*) as n from programs where stage_name = 'Early recovery' and sessions_per_week = 3")).toEqual([{ n: count - 1 }]);
    expect(rows(file, 'select stage_name, sessions_per_week from programs where id = 700')).toEqual([{ stage_name: null, sessions_per_week: null }]);
    // The one left as it was is the one the store still names, across its pages too.
    expect(await listStageColumnMismatches(store.db)).toEqual([
      { id: 700, clientId: 1, currentStage: 1, stored: { stageName: null, sessionsPerWeek: null }, snapshot: null },
    ]);
    await store.close();
  });

  it('names every program whose columns were changed behind the store, with what each says', async () => {
    const { file, raw } = await databaseAt(NAMES.length);
    for (const id of [1, 2, 3]) insertV3Program(raw, id, id === 3 ? 'active' : 'superseded');
    const set = raw.prepare('update programs set stage_name = ?, sessions_per_week = ? where id = ?');
    set.run('Early recovery', 3, 1); // right
    set.run('x', 3, 2); // the name changed
    set.run('Early recovery', 5, 3); // the plan changed
    raw.close();

    const store = await openSqlite(file, { create: true });
    expect(await listStageColumnMismatches(store.db)).toEqual([
      { id: 2, clientId: 1, currentStage: 1, stored: { stageName: 'x', sessionsPerWeek: 3 }, snapshot: { stageName: 'Early recovery', sessionsPerWeek: 3 } },
      { id: 3, clientId: 1, currentStage: 1, stored: { stageName: 'Early recovery', sessionsPerWeek: 5 }, snapshot: { stageName: 'Early recovery', sessionsPerWeek: 3 } },
    ]);
    await store.close();
  });

  it('advancing a stage writes the next stage of the snapshot, whatever the caller knows', async () => {
    const { file, raw } = await databaseAt(NAMES.length);
    insertV3Program(raw, 1, 'active');
    raw.close();
    const store = await openSqlite(file, { create: true });
    const ctx = { command: 'test', now: '2026-02-01T00:00:00.000Z' };
    await store.write((tx) => advanceStage(tx, { programId: 1, clientId: 1, from: 1, to: 2, on: '2026-02-01', forced: false, reason: null, evidence: {} }, ctx));
    await store.write((tx) => advanceStage(tx, { programId: 1, clientId: 1, from: 2, to: 3, on: '2026-03-01', forced: false, reason: null, evidence: {} }, ctx));
    expect(await listStageColumnMismatches(store.db)).toEqual([]);
    await store.close();
    expect(stageColumns(file)).toEqual([{ id: 1, current_stage: 3, stage_name: 'Return to activity', sessions_per_week: 4 }]);
  });
});
