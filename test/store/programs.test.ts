import { expect, it } from 'vitest';
import { migrations, versionOf } from '../../src/store/migrations.js';
import { listStageColumnMismatches } from '../../src/store/programs.js';
import { advanceStage } from '../../src/store/progress.js';
import { openOlder, type OlderDatabase } from '../helpers/app.js';
import { describeDialects, type Dialect } from '../helpers/postgres.js';

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
async function databaseAt(dialect: Dialect, version: number): Promise<OlderDatabase> {
  const ALL = migrations(dialect);
  const NAMES = Object.keys(ALL).sort();
  const db = await openOlder(dialect, Object.fromEntries(NAMES.slice(0, version).map((n) => [n, ALL[n]!])), `v${version}.db`);
  expect(db.schemaVersion).toBe(versionOf(NAMES.slice(0, version)));
  await db.run("insert into clients (id, first_name, last_name, date_of_birth, created_at, updated_at) values (1, 'Zoë', 'Moreau', '1961-04-12', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')");
  await db.run("insert into intakes (id, client_id, intake_date, recorded_at, form_version, answers) values (1, 1, '2026-01-01', '2026-01-01T00:00:00.000Z', '1', '{}')");
  return db;
}

/** Program rows with only the columns schema 3 had, one for each [id, status, snapshot?]. */
function insertV3Programs(db: OlderDatabase, ...programs: [id: number, status: 'active' | 'superseded', snap?: string][]): Promise<void> {
  return db.run(
    `insert into programs (id, client_id, template_id, template_version, intake_id, clearance_id, start_date, generated_at, status, superseded_at, override_reason, snapshot)
     values (?, 1, 'knee', '1', 1, null, '2026-01-02', '2026-01-02T00:00:00.000Z', ?, null, null, ?)`,
    ...programs.map(([id, status, snap = snapshot]) => [id, status, snap]),
  );
}

const stageColumns = (db: OlderDatabase) => db.rows('select id, current_stage, stage_name, sessions_per_week from programs order by id');
const setColumns = (db: OlderDatabase, ...rows: [stage: number, name: string | null, perWeek: number | null, id: number][]) =>
  db.run('update programs set current_stage = ?, stage_name = ?, sessions_per_week = ? where id = ?', ...rows);

describeDialects('the stage columns of programs', (dialect) => {
  const NAMES = Object.keys(migrations(dialect)).sort();

  it('a schema-3 database, upgraded, has them set from each snapshot', async () => {
    const db = await databaseAt(dialect, 3);
    await insertV3Programs(db, [1, 'superseded'], [2, 'active']);
    // Schema 3 had no stage columns at all: the upgrade adds them (0004) and must fill them.
    const stageColumnsOf = dialect === 'sqlite'
      ? "select count(*) as n from pragma_table_info('programs') where name in ('current_stage', 'stage_name', 'sessions_per_week')"
      : "select count(*) as n from information_schema.columns where table_schema = current_schema() and table_name = 'programs' and column_name in ('current_stage', 'stage_name', 'sessions_per_week')";
    expect(await db.rows(stageColumnsOf)).toEqual([{ n: 0 }]);

    const store = await db.upgrade();
    // A file is copied before it is upgraded; a clinic's backups are the server's (pg_dump).
    if (dialect === 'sqlite') expect(store.upgradeBackup).toMatch(new RegExp(`^${db.file}\\.schema-3-\\d{8}-\\d{6}\\.bak$`));
    await store.close();
    // 0004 puts every program in stage 1; its name and plan are the snapshot's.
    expect(await stageColumns(db)).toEqual([
      { id: 1, current_stage: 1, stage_name: 'Early recovery', sessions_per_week: 3 },
      { id: 2, current_stage: 1, stage_name: 'Early recovery', sessions_per_week: 3 },
    ]);
  });

  it('a schema-6 database, upgraded, has missing or wrong ones set from the snapshot, and right ones left alone', async () => {
    const db = await databaseAt(dialect, 6);
    await insertV3Programs(db, [1, 'superseded'], [2, 'superseded'], [3, 'superseded'], [4, 'superseded'], [5, 'active']);
    await setColumns(
      db,
      [2, null, null, 1], // at stage 2 and never filled
      [2, 'Early recovery', 3, 2], // at stage 2, still saying stage 1
      [3, 'Return to activity', 2, 3], // the name right, the plan wrong
      [9, 'Strength', 2, 4], // past the last stage: nothing to say
      [2, 'Strength', 2, 5], // right already
    );

    const store = await db.upgrade();
    expect(store.schemaVersion).toBe(versionOf(NAMES));
    expect(await listStageColumnMismatches(store.db)).toEqual([]);
    await store.close();
    expect(await stageColumns(db)).toEqual([
      { id: 1, current_stage: 2, stage_name: 'Strength', sessions_per_week: 2 },
      { id: 2, current_stage: 2, stage_name: 'Strength', sessions_per_week: 2 },
      { id: 3, current_stage: 3, stage_name: 'Return to activity', sessions_per_week: 4 },
      { id: 4, current_stage: 9, stage_name: null, sessions_per_week: null },
      { id: 5, current_stage: 2, stage_name: 'Strength', sessions_per_week: 2 },
    ]);
  });

  it('the upgrade fills every program of a large database, page after page, and passes over a snapshot it cannot read', async () => {
    const db = await databaseAt(dialect, 3);
    const count = 1234;
    await insertV3Programs(db, ...Array.from({ length: count }, (_, i): [number, 'active' | 'superseded', string] => [i + 1, i + 1 === count ? 'active' : 'superseded', i + 1 === 700 ? '{not json' : snapshot]));

    const store = await db.upgrade();
    expect(await db.rows("select count(*) as n from programs where stage_name = 'Early recovery' and sessions_per_week = 3")).toEqual([{ n: count - 1 }]);
    expect(await db.rows('select stage_name, sessions_per_week from programs where id = 700')).toEqual([{ stage_name: null, sessions_per_week: null }]);
    // The one left as it was is the one the store still names, across its pages too.
    expect(await listStageColumnMismatches(store.db)).toEqual([
      { id: 700, clientId: 1, currentStage: 1, stored: { stageName: null, sessionsPerWeek: null }, snapshot: null },
    ]);
    await store.close();
  });

  it('names every program whose columns were changed behind the store, with what each says', async () => {
    const db = await databaseAt(dialect, NAMES.length);
    await insertV3Programs(db, [1, 'superseded'], [2, 'superseded'], [3, 'active']);
    await db.run(
      'update programs set stage_name = ?, sessions_per_week = ? where id = ?',
      ['Early recovery', 3, 1], // right
      ['x', 3, 2], // the name changed
      ['Early recovery', 5, 3], // the plan changed
    );

    const store = await db.upgrade();
    expect(await listStageColumnMismatches(store.db)).toEqual([
      { id: 2, clientId: 1, currentStage: 1, stored: { stageName: 'x', sessionsPerWeek: 3 }, snapshot: { stageName: 'Early recovery', sessionsPerWeek: 3 } },
      { id: 3, clientId: 1, currentStage: 1, stored: { stageName: 'Early recovery', sessionsPerWeek: 5 }, snapshot: { stageName: 'Early recovery', sessionsPerWeek: 3 } },
    ]);
    await store.close();
  });

  it('advancing a stage writes the next stage of the snapshot, whatever the caller knows', async () => {
    const db = await databaseAt(dialect, NAMES.length);
    await insertV3Programs(db, [1, 'active']);
    const store = await db.upgrade();
    const ctx = { command: 'test', now: '2026-02-01T00:00:00.000Z' };
    await store.write((tx) => advanceStage(tx, { programId: 1, clientId: 1, from: 1, to: 2, on: '2026-02-01', forced: false, reason: null, evidence: {} }, ctx));
    await store.write((tx) => advanceStage(tx, { programId: 1, clientId: 1, from: 2, to: 3, on: '2026-03-01', forced: false, reason: null, evidence: {} }, ctx));
    expect(await listStageColumnMismatches(store.db)).toEqual([]);
    await store.close();
    expect(await stageColumns(db)).toEqual([{ id: 1, current_stage: 3, stage_name: 'Return to activity', sessions_per_week: 4 }]);
  });
});
