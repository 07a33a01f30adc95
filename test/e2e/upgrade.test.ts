import fs from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { migrations, versionOf } from '../../src/store/migrations.js';
import { openSqlite } from '../../src/store/sqlite.js';
import { bf } from '../helpers/cli.js';
import { rows } from '../helpers/db.js';
import { mode, tempDir } from '../helpers/tmp.js';

/**
 * A database made by every earlier schema version, built in the test: run
 * only the first k migrations (frozen, so this is exactly what that release
 * wrote), then fill every table that existed then with the rows a real
 * trainer's database has — taken from the demo database, column by column.
 */
const ALL = migrations('sqlite');
const NAMES = Object.keys(ALL).sort();
const LATEST = versionOf(NAMES);
const EARLIER = NAMES.slice(0, -1).map((_, i) => i + 1); // 1, 2, …, LATEST - 1
const TABLES_IN_ORDER = ['bridgefit_meta', 'clients', 'audit_log', 'intakes', 'clearances', 'screenings', 'programs', 'progress_entries', 'measurements', 'entry_amendments', 'referrals', 'stage_transitions', 'signoffs'];

let demoDb: string;
beforeAll(async () => {
  const cwd = tempDir();
  const r = await bf(['demo'], { cwd });
  expect(r.exitCode, r.stderr).toBe(0);
  // Kept outside the per-test cleanup: copied, never written.
  const keep = fs.mkdtempSync(path.join(path.dirname(cwd), 'bridgefit-upgrade-source-'));
  demoDb = path.join(keep, 'demo.db');
  fs.copyFileSync(path.join(cwd, 'bridgefit-demo', 'demo.db'), demoDb);
  return () => fs.rmSync(keep, { recursive: true, force: true });
}, 120_000);

async function fixture(version: number, file: string): Promise<Record<string, Record<string, unknown>[]>> {
  const first = Object.fromEntries(NAMES.slice(0, version).map((n) => [n, ALL[n]!]));
  const store = await openSqlite(file, { create: true, migrations: first });
  expect(store.schemaVersion).toBe(version);
  await store.close();
  const src = new SqliteDatabase(demoDb, { readonly: true });
  const dst = new SqliteDatabase(file);
  const kept: Record<string, Record<string, unknown>[]> = {};
  dst.transaction(() => {
    for (const table of TABLES_IN_ORDER) {
      const columns = dst.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[];
      if (columns.length === 0) continue; // not in this version yet
      const list = columns.map((c) => `"${c}"`).join(', ');
      const data = src.prepare(`select ${list} from "${table}" order by rowid`).all() as Record<string, unknown>[];
      if (table === 'bridgefit_meta') dst.prepare("delete from bridgefit_meta").run();
      const insert = dst.prepare(`insert into "${table}" (${list}) values (${columns.map((c) => `@${c}`).join(', ')})`);
      for (const row of data) insert.run(row);
    }
  })();
  for (const table of TABLES_IN_ORDER) {
    const columns = dst.prepare(`select name from pragma_table_info(?)`).pluck().all(table) as string[];
    if (columns.length > 0) kept[table] = dst.prepare(`select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" order by rowid`).all() as Record<string, unknown>[];
  }
  dst.close();
  src.close();
  return kept;
}

/** The rows of `table` in `file`, only the columns the old version had. */
function oldColumns(file: string, table: string, like: Record<string, unknown>[]): Record<string, unknown>[] {
  const columns = Object.keys(like[0] ?? { id: 0 });
  return rows(file, `select ${columns.map((c) => `"${c}"`).join(', ')} from "${table}" order by rowid`);
}

describe('a database from every earlier schema version', () => {
  it('the fixtures cover every earlier version and real rows', () => {
    expect(EARLIER).toEqual(Array.from({ length: LATEST - 1 }, (_, i) => i + 1));
    expect(EARLIER.length).toBeGreaterThanOrEqual(3);
  });

  for (const version of EARLIER) {
    it(`schema ${version}: the current CLI backs it up, migrates it, keeps every row, and doctor is clean`, async () => {
      const cwd = tempDir();
      const db = path.join(cwd, `v${version}.db`);
      const before = await fixture(version, db);
      expect(before.clients!.length).toBeGreaterThanOrEqual(4);
      if (version >= 2) expect(before.intakes!.length).toBeGreaterThan(0);
      if (version >= 3) expect(before.programs!.length).toBeGreaterThan(0);
      const bytesBefore = fs.readFileSync(db);

      // Any command that opens it upgrades it; a script sees the notice on stderr.
      const list = await bf(['--db', db, 'client', 'list', '--status', 'all', '--json'], { cwd });
      expect(list.exitCode, list.stderr).toBe(0);
      const bak = new RegExp(`Upgraded ${db} to schema ${LATEST}; the copy from before is (${db}\\.schema-${version}-\\d{8}-\\d{6}\\.bak)$`, 'm').exec(list.stderr)?.[1] ?? '';
      expect(bak, list.stderr).not.toBe('');
      expect((JSON.parse(list.stdout) as { firstName: string }[]).map((c) => c.firstName).sort()).toEqual(
        before.clients!.map((c) => c.first_name as string).sort(),
      );

      // The backup was taken before migrating: it is the old database, whole, and private.
      expect(mode(bak)).toBe(0o600);
      expect(rows(bak, 'select name from kysely_migration order by name').map((r) => r.name)).toEqual(NAMES.slice(0, version));
      for (const [table, data] of Object.entries(before)) expect(rows(bak, `select * from "${table}" order by rowid`), `${table} in the backup`).toEqual(data);
      expect(fs.readFileSync(bak).length).toBe(bytesBefore.length);

      // The upgraded database: the current schema, every old row with every old value.
      expect(rows(db, 'select name from kysely_migration order by name').map((r) => r.name)).toEqual(NAMES);
      for (const [table, data] of Object.entries(before)) {
        if (table === 'audit_log') continue; // the CLI may add to it; compared by prefix below
        expect(oldColumns(db, table, data), table).toEqual(data);
      }
      expect(oldColumns(db, 'audit_log', before.audit_log!).slice(0, before.audit_log!.length)).toEqual(before.audit_log);
      expect(mode(db)).toBe(0o600);

      const doctor = await bf(['--db', db, 'doctor', '--json'], { cwd });
      expect(doctor.exitCode, doctor.stdout + doctor.stderr).toBe(0);
      expect(JSON.parse(doctor.stdout)).toMatchObject({ ok: true, schemaVersion: LATEST, clients: before.clients!.length });

      // The old records are usable, not just present.
      for (const args of [['summary', '--format', 'json'], ['client', 'show', 'zoe'], ...(version >= 2 ? [['screen', 'zoe']] : []), ...(version >= 3 ? [['program', 'show', 'zoe']] : [])]) {
        const r = await bf(['--db', db, ...args], { cwd });
        expect(r.exitCode, `${args.join(' ')}: ${r.stderr}`).toBe(0);
      }
      // Opening again migrates nothing and takes no second backup.
      const again = await bf(['--db', db, 'init', '--json'], { cwd });
      expect(JSON.parse(again.stdout)).toMatchObject({ schemaVersion: LATEST, upgradeBackup: null });
    }, 120_000);
  }
});

describe('an old database opened by several processes at once', () => {
  it('every process succeeds and every row lands; one of them upgrades it, after one whole copy of the old database', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'c.db');
    const before = await fixture(1, db);
    const adds = Array.from({ length: 6 }, (_, i) =>
      bf(['--db', db, 'client', 'add', '--first-name', `P${i}`, '--last-name', 'X', '--dob', '1970-01-01'], { cwd }),
    );
    const results = await Promise.all(adds);
    for (const r of results) expect(r.exitCode, r.stderr).toBe(0);
    const said = results.filter((r) => r.stderr.includes('the copy from before is'));
    expect(said).toHaveLength(1);
    const bak = /the copy from before is (\S+\.bak)$/m.exec(said[0]!.stderr)![1]!;
    expect(bak).toMatch(new RegExp(`^${db}\\.schema-1-\\d{8}-\\d{6}\\.bak$`));

    const added = rows(db, "select first_name from clients where last_name = 'X' order by first_name").map((r) => r.first_name);
    expect(added).toEqual(['P0', 'P1', 'P2', 'P3', 'P4', 'P5']);
    expect(rows(db, 'select count(*) as n from clients')).toEqual([{ n: before.clients!.length + 6 }]);
    expect(rows(db, 'select name from kysely_migration order by name').map((r) => r.name)).toEqual(NAMES);

    // The one copy kept is the database as it was before any of them: whole, private, nothing half-made beside it.
    expect(fs.readdirSync(cwd).filter((f) => f.startsWith('c.db.')).sort()).toEqual([path.basename(bak)]);
    expect(mode(bak)).toBe(0o600);
    expect(rows(bak, 'pragma integrity_check')).toEqual([{ integrity_check: 'ok' }]);
    expect(rows(bak, 'select name from kysely_migration order by name').map((r) => r.name)).toEqual(NAMES.slice(0, 1));
    for (const [table, data] of Object.entries(before)) expect(rows(bak, `select * from "${table}" order by rowid`), `${table} in the backup`).toEqual(data);
  }, 120_000);
});

describe("programs' stage columns", () => {
  it('a schema-3 database, upgraded, shows in summary the stage and plan that program status shows', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'v3.db');
    const before = await fixture(3, db);
    const clients = [...new Set(before.programs!.filter((p) => p.status === 'active').map((p) => p.client_id as number))];
    expect(clients.length).toBeGreaterThanOrEqual(2);

    const summary = await bf(['--db', db, 'summary', '--format', 'json'], { cwd });
    expect(summary.exitCode, summary.stderr).toBe(0);
    const lines = JSON.parse(summary.stdout) as { clientId: number; stage: number | null; stageName: string | null; sessionsPlanned: number }[];
    for (const id of clients) {
      const status = await bf(['--db', db, 'program', 'status', String(id), '--json'], { cwd });
      expect(status.exitCode, status.stderr).toBe(0);
      const shown = JSON.parse(status.stdout) as { stage: number; stageName: string };
      const line = lines.find((l) => l.clientId === id);
      expect(line, `client ${id} in summary`).toBeDefined();
      expect(line!.stageName).toEqual(expect.any(String));
      expect({ stage: line!.stage, stageName: line!.stageName }).toEqual({ stage: shown.stage, stageName: shown.stageName });
      expect(line!.sessionsPlanned, `client ${id}'s planned sessions`).toBeGreaterThan(0);
    }
  }, 120_000);

  it('doctor passes on a current database, and fails naming the programs whose stage columns were changed behind the store', async () => {
    const cwd = tempDir();
    const db = path.join(cwd, 'current.db');
    fs.copyFileSync(demoDb, db);
    fs.chmodSync(db, 0o600);
    const clean = await bf(['--db', db, 'doctor', '--json'], { cwd });
    expect(clean.exitCode, clean.stdout + clean.stderr).toBe(0);
    expect(JSON.parse(clean.stdout)).toMatchObject({ ok: true, schemaVersion: LATEST });
    expect((JSON.parse(clean.stdout) as { checks: { name: string }[] }).checks).toContainEqual({ name: 'programs', ok: true, detail: expect.any(String) });

    const ids = rows(db, 'select id from programs order by id').map((r) => r.id as number);
    expect(ids.length).toBeGreaterThanOrEqual(2);
    const raw = new SqliteDatabase(db);
    raw.prepare("update programs set stage_name = 'x'").run();
    raw.close();

    const json = await bf(['--db', db, 'doctor', '--json'], { cwd });
    expect(json.exitCode).toBe(1);
    const report = JSON.parse(json.stdout) as { ok: boolean; checks: { name: string; ok: boolean; detail: string }[] };
    expect(report.ok).toBe(false);
    expect(report.checks.filter((c) => !c.ok).map((c) => c.name)).toEqual(['programs']);
    const programs = report.checks.find((c) => c.name === 'programs')!;
    expect(programs.detail).toContain(`programs ${ids.join(', ')}: the stage columns (what summary shows) disagree with the stored program`);
    expect(programs.detail).toContain(`program ${ids[0]}, stage `);
    expect(programs.detail).toContain('the columns say "x"');

    const text = await bf(['--db', db, 'doctor'], { cwd });
    expect(text.exitCode).toBe(1);
    expect(text.stdout).toMatch(new RegExp(`FAIL\\s+programs\\s+programs ${ids.join(', ')}: `));
  }, 120_000);
});
